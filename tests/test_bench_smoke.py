"""The benchmark runner: its verdicts (quick, in-process) and a whole measuring run (the slow
pass: about fifty short-lived processes, tiny sizes, one run, no peers)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"
COMMANDS = ("log", "start", "status", "stop", "cancel")
# Measured without peers: wall and CPU seconds > 0, each against its own baseline.
AGAINST_LEADTIME = tuple(f"full_{name}" for name in COMMANDS)
AGAINST_BARE = ("import", "reimport_file", "reimport_url")
PEER_ONLY = (*(f"cmd_{name}" for name in COMMANDS), "ls", "report")


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
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    figures = {f["key"]: f for f in result["figures"]}
    assert set(figures) - {"classification_dev"} == {
        "startup_help", "startup_version", "startup_heavy_modules", *PEER_ONLY,
        *AGAINST_LEADTIME, *AGAINST_BARE, "import_memory", "caldav_resync", "import_git",
        "import_git_seconds", "reclassify", "team_report", "team_publish", "classification_cv",
        *(f"floor_{name}" for name in ("status", "log", "check", "report")),
        *(f"team_driver_{name}" for name in
          ("psycopg2", "psycopg", "sqlalchemy+psycopg2", "sqlalchemy+psycopg")),
    }  # fmt: skip

    for key in (*AGAINST_LEADTIME, *AGAINST_BARE, "caldav_resync", "import_git", "team_report"):
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
    assert figures["team_report"]["target"] == "<= 1.50"
    beyond = (
        figures["team_publish"]["leadtime_cpu"]["median"]
        - (figures["team_publish"]["baseline_cpu"]["median"])
    )
    assert figures["team_publish"]["met"] is (beyond <= 0.5)
    # The CalDAV re-sync really found the calendar unchanged on the local server.
    assert figures["caldav_resync"]["note"].endswith(": unchanged")

    # Without peers, the watson figures are present but not measured, and say why.
    for key in PEER_ONLY:
        assert figures[key]["baseline"] is None and figures[key]["ratio"] is None, key
        assert figures[key]["met"] is None, key
        assert "no-peers" in figures[key]["note"], key

    checks = {c["name"]: c for c in result["checks"]}
    assert set(checks) == {"re-import (file) changes nothing", "re-import (url) changes nothing",
                           "team report loads no SQLAlchemy, Alembic or psycopg 3"}  # fmt: skip
    assert all(c["ok"] for c in checks.values()), checks
    assert "unchanged" in checks["re-import (url) changes nothing"]["detail"]
    assert "http://127.0.0.1:" in checks["re-import (url) changes nothing"]["detail"]
    assert result["sizes"]["entries"] == 2_000
    assert not (tmp_path / "peers").exists()  # --no-peers installs nothing
