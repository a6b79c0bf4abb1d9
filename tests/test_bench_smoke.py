"""The benchmark runner measures every speed figure (tiny sizes, one run, no peers)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"
COMMANDS = ("log", "start", "status", "stop", "cancel")
# Measured without peers: wall and CPU seconds > 0, each against its own baseline.
AGAINST_LEADTIME = tuple(f"full_{name}" for name in COMMANDS)
AGAINST_BARE = ("import", "reimport_file", "reimport_url")
PEER_ONLY = (*(f"cmd_{name}" for name in COMMANDS), "ls", "report")


@pytest.mark.slow
def test_quick_run_reports_every_figure_with_numbers(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--no-peers", "--runs", "1", "--json",
         "--workdir", str(tmp_path)],
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    figures = {f["key"]: f for f in result["figures"]}
    assert set(figures) == {
        "startup_help", "startup_version", "startup_heavy_modules", *PEER_ONLY,
        *AGAINST_LEADTIME, *AGAINST_BARE, "import_memory", "caldav_resync", "import_git",
        "import_git_seconds", "reclassify",
    }  # fmt: skip

    for key in (*AGAINST_LEADTIME, *AGAINST_BARE, "caldav_resync", "import_git"):
        figure = figures[key]
        for side in ("leadtime", "leadtime_cpu", "baseline", "baseline_cpu"):
            stat = figure[side]
            assert len(stat["samples"]) == 1, (key, side)
            assert 0 < stat["min"] <= stat["median"] <= stat["max"] < 60, (key, side)
        # The ratio compares CPU seconds, and is judged against the target.
        assert figure["basis"] == "cpu", key
        expected = figure["leadtime_cpu"]["median"] / figure["baseline_cpu"]["median"]
        assert figure["ratio"] == pytest.approx(expected), key
        limit = float(figure["target"].removeprefix("<= "))
        assert figure["met"] is (figure["ratio"] <= limit), key
    assert figures["import"]["target"] == "<= 1.10"
    assert figures["reimport_url"]["target"] == figures["reimport_file"]["target"] == "<= 0.20"
    assert figures["report"]["target"] == "<= 0.10"
    assert figures["import_memory"]["leadtime"]["median"] > 1  # megabytes of a Python process
    assert figures["import_git_seconds"]["target"] == "<= 2 s"
    assert figures["reclassify"]["leadtime"]["median"] > 0  # entries per second
    assert figures["startup_heavy_modules"]["leadtime"]["median"] == 0
    assert figures["startup_heavy_modules"]["met"] is True
    # The CalDAV re-sync really found the calendar unchanged on the local server.
    assert figures["caldav_resync"]["note"].endswith(": unchanged")

    # Without peers, the watson figures are present but not measured, and say why.
    for key in PEER_ONLY:
        assert figures[key]["baseline"] is None and figures[key]["ratio"] is None, key
        assert figures[key]["met"] is None, key
        assert "no-peers" in figures[key]["note"], key

    checks = {c["name"]: c for c in result["checks"]}
    assert set(checks) == {"re-import (file) changes nothing", "re-import (url) changes nothing"}
    assert all(c["ok"] for c in checks.values()), checks
    assert "unchanged" in checks["re-import (url) changes nothing"]["detail"]
    assert "http://127.0.0.1:" in checks["re-import (url) changes nothing"]["detail"]
    assert result["sizes"]["entries"] == 2_000
    assert not (tmp_path / "peers").exists()  # --no-peers installs nothing
