"""The benchmark runner: its verdicts (quick, in-process) and a whole measuring run (the slow
pass: about thirty short-lived processes, tiny sizes, one run, no peers)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"
TIMED = ("startup_help", "startup_version", "log", "import", "report")  # seconds, > 0
PEER_ONLY = ("watson_add",)


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run", RUN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_a_ratio_inside_the_band_is_met_and_outside_is_not(bench: ModuleType) -> None:
    fast, slow, base = (bench.Stat.of([x]) for x in (1.0, 1.5, 1.0))
    inside = bench.compared("log", "log", "s", fast, base, "empty", low=0.9, high=1.1)
    outside = bench.compared("log", "log", "s", slow, base, "empty", low=0.9, high=1.1)
    assert (inside.ratio, inside.met, inside.target) == (1.0, True, "0.90-1.10")
    assert (outside.ratio, outside.met) == (1.5, False)
    assert bench.verdict(inside) == "met" and bench.verdict(outside) == "NOT MET"
    capped = bench.compared("import", "import", "s", slow, base, "bare", high=2.0)
    assert (capped.target, capped.met) == ("<= 2.00", True)


def test_a_figure_without_baseline_or_target_is_not_judged(bench: ModuleType) -> None:
    stat = bench.Stat.of([3.0, 1.0, 2.0])
    assert (stat.median, stat.low, stat.high) == (2.0, 1.0, 3.0)
    unmeasured = bench.compared("report", "report", "s", stat, None, "watson", high=1.0)
    assert unmeasured.ratio is None and unmeasured.met is None
    assert bench.verdict(unmeasured) == "n/a"
    informational = bench.compared("reclassify", "re-classify", "entries/s", stat, stat, "x")
    assert informational.met is None and bench.verdict(informational) == "info"


def test_heavy_modules_are_read_from_an_importtime_log(bench: ModuleType) -> None:
    log = "\n".join(
        [
            "import time: self [us] | cumulative | imported package",
            "import time:       120 |        120 |   typer",
            "import time:       300 |       4000 |     sqlalchemy.orm",
            "import time:        80 |         80 | icalendar",
            "import time:        10 |         10 | sqlmodelish",
            "unrelated line | sqlmodel",
        ]
    )
    assert bench.heavy_modules(log) == ["icalendar", "sqlalchemy"]
    assert bench.heavy_modules("") == []


def test_runs_must_be_at_least_one(bench: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.parse_args(["--quick", "--runs", "2"]).runs == 2
    with pytest.raises(SystemExit) as caught:
        bench.parse_args(["--runs", "0"])
    assert caught.value.code == 2
    assert "--runs must be at least 1" in capsys.readouterr().err


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
