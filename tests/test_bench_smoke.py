"""The benchmark runner measures every speed figure (tiny sizes, one run, no peers)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"
TIMED = ("startup_help", "startup_version", "log", "import", "report")  # seconds, > 0
PEER_ONLY = ("watson_add",)


@pytest.mark.slow
def test_quick_run_reports_every_figure_with_numbers(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--no-peers", "--runs", "1", "--json",
         "--workdir", str(tmp_path)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    figures = {f["key"]: f for f in result["figures"]}
    assert set(figures) == {
        *TIMED, *PEER_ONLY, "startup_heavy_modules", "import_memory", "reclassify",
    }  # fmt: skip

    for key in TIMED:
        leadtime = figures[key]["leadtime"]
        assert leadtime["samples"] and len(leadtime["samples"]) == 1, key
        assert 0 < leadtime["min"] <= leadtime["median"] <= leadtime["max"] < 60, key
    for key in ("startup_help", "startup_version", "log", "import", "import_memory"):
        assert figures[key]["baseline"]["median"] > 0, key
        assert figures[key]["ratio"] > 0, key
    assert figures["import_memory"]["leadtime"]["median"] > 1  # megabytes of a Python process
    assert figures["reclassify"]["leadtime"]["median"] > 0  # entries per second
    assert figures["startup_heavy_modules"]["leadtime"]["median"] == 0
    assert figures["startup_heavy_modules"]["met"] is True

    # Without peers, the watson figures are present but not measured, and say why.
    assert figures["watson_add"]["leadtime"] is None
    assert figures["report"]["baseline"] is None and figures["report"]["ratio"] is None
    assert figures["report"]["met"] is None
    assert "no-peers" in figures["report"]["note"]

    checks = {c["name"]: c for c in result["checks"]}
    assert checks["re-import changes nothing"]["ok"] is True
    assert result["sizes"]["entries"] == 2_000
    assert not (tmp_path / "peers").exists()  # --no-peers installs nothing
