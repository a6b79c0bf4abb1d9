"""Measure leadtime against the speed targets of its contract, each against its baseline.

One command, one machine, one run: every figure is the median of ``--runs`` runs (after
one warm-up round), with the fastest and slowest run beside it, and compared with a
baseline measured in the same run, leadtime and baseline taking turns, so the ratios hold
on any machine. Wall-clock and CPU seconds (user + sys, from ``os.wait4``) are both
recorded; ratios compare CPU seconds, which a shared machine disturbs far less.

* start-up: ``leadtime --help`` / ``--version`` against a Typer hello-world, and which
  heavy modules (SQLAlchemy, SQLModel, icalendar, ...) they and completion import (none);
* ``log``, ``start``, ``status``, ``stop``, ``cancel`` on an empty database against td-watson's
  ``add``, ``start``, ``status``, ``stop``, ``cancel`` (at most 1.2x), and with 100,000 entries
  stored against the empty database (at most 1.1x);
* ``ls`` over two years (4,000 entries) against ``watson log`` (at most 1.0x), and
  ``report --weeks 520`` over 100,000 entries against ``watson report`` (at most 0.1x);
* the first import of a dense 10-year calendar against a bare icalendar +
  recurring-ical-events script (at most 1.1x), and its unchanged re-import from the file
  and from a local HTTP server with ETag / Last-Modified (at most 0.2x), checking that a
  re-import changes nothing;
* an unchanged CalDAV re-sync against the first sync, on Radicale on 127.0.0.1 (0.2x);
* ``import git`` of a 20,000-commit repository against ``git log --all`` (1.5x, 2 s);
* re-classification of 100,000 stored entries after a rule change (100,000 per second);
* with ``--tests``, the README's test command (90 s).

Usage::

    .venv/bin/python benchmarks/run.py [--runs N] [--json] [--quick] [--no-peers] [--tests]
                                       [--only GROUP,...] [--workdir DIR]

Run it with the interpreter that has leadtime installed. td-watson is installed into its
own virtual environment under the work directory (never into leadtime's), and reused.
The exit status is 0 when everything was measured, met or not: this is a measurement.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # the data generator beside this file

HERE = Path(__file__).resolve().parent
NOW = "2026-11-01T12:00:00+01:00"
TIMEZONE = "Europe/Berlin"
ME = "dana@example.com"  # the lead of the generated calendar
SEED = 7
HORIZON_WEEKS = 8  # leadtime's default expansion horizon after now
HEAVY_MODULES = ("sqlalchemy", "sqlmodel", "icalendar", "recurring_ical_events", "alembic")
LOG_ARGS = ("log", "Code review", "30m")
WATSON_ADD_ARGS = ("add", "-f", "2026-11-01 10:00", "-t", "2026-11-01 10:30", "code-review")
TEST_COMMAND = ("-m", "pytest", "-n", "auto", "-q")  # the README's, after the interpreter
RSS_UNIT = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes / kilobytes

HELLO_SCRIPT = '''\
"""A Typer hello-world: the start-up time every Typer program pays."""

import typer

app = typer.Typer()


@app.command()
def hello(name: str = "world") -> None:
    """Say hello."""
    typer.echo(f"hello {name}")


if __name__ == "__main__":
    app()
'''

BARE_IMPORT_SCRIPT = '''\
"""Parse a calendar with icalendar and expand it with recurring-ical-events, nothing else."""

import sys
from datetime import datetime

import icalendar
import recurring_ical_events

path, start, end = sys.argv[1:4]
with open(path, "rb") as handle:
    calendar = icalendar.Calendar.from_ical(handle.read())
events = recurring_ical_events.of(calendar).between(
    datetime.fromisoformat(start), datetime.fromisoformat(end)
)
print(len(events))
'''

GENERATE_SCRIPT = """\
import json, sys
from pathlib import Path
sys.path.insert(0, {here!r})
import generate
stats = generate.write_heavy_calendar(Path({calendar!r}), years={years}, seed={seed})
generate.write_log_history(Path({history!r}), entries={entries}, seed={seed}, years={years})
generate.write_watson_frames(Path({frames!r}), Path({history!r}))
generate.write_log_history(Path({ls_history!r}), entries={ls_entries}, seed={seed},
                           years={ls_years})
generate.write_watson_frames(Path({ls_frames!r}), Path({ls_history!r}))
print(json.dumps(stats))
"""

# Two small user rule files; alternating them changes the classification of a good part
# of the history on every run (reviews become hands-on, then spikes become leadership).
RULES_A = """\
[[rule]]
name = "reviews-are-hands-on"
category = "hands-on"
activity = "review"
title = ["review", "code review", "pull requests"]
"""
RULES_B = """\
[[rule]]
name = "spikes-are-leadership"
category = "leadership"
activity = "exploration"
title = ["spike", "prototype", "refactor"]
"""


class BenchError(Exception):
    """A benchmark step failed (a command exited with an error, a peer is unusable)."""


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Sizes:
    """How big the generated histories are, and how many runs each figure takes."""

    years: int
    entries: int
    runs: int
    ls_years: int = 2  # the history ``ls`` lists
    ls_entries: int = 4_000
    commits: int = 20_000  # the repository ``import git`` reads
    caldav_events: int = 3_000  # the CalDAV calendar's events


FULL = Sizes(years=10, entries=100_000, runs=7)
QUICK = Sizes(years=1, entries=2_000, runs=3, ls_years=1, ls_entries=400, commits=500,
              caldav_events=60)  # fmt: skip


@dataclass(frozen=True)
class Stat:
    """The median of some runs, with the lowest and highest value."""

    median: float
    low: float
    high: float
    samples: tuple[float, ...]

    @classmethod
    def of(cls, samples: Sequence[float]) -> Stat:
        """Summarise the samples (at least one)."""
        return cls(statistics.median(samples), min(samples), max(samples), tuple(samples))

    def as_json(self) -> dict[str, Any]:
        """The figure as plain JSON values."""
        return {"median": self.median, "min": self.low, "max": self.high,
                "samples": list(self.samples)}  # fmt: skip


@dataclass(frozen=True)
class Figure:
    """One line of the result: leadtime's figure, its baseline, and the target between."""

    key: str
    label: str
    unit: str  # s | MB | entries/s | modules
    leadtime: Stat | None
    baseline: Stat | None
    baseline_label: str
    target: str  # "" when the figure is informational
    ratio: float | None
    met: bool | None  # None: informational, or not measured
    note: str = ""
    basis: str = ""  # what the ratio compares: "cpu" (user + sys) or "wall" seconds
    leadtime_cpu: Stat | None = None  # CPU seconds beside the wall-clock ones
    baseline_cpu: Stat | None = None


@dataclass(frozen=True)
class Check:
    """A yes/no verification made along the way."""

    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class Run:
    """One finished child process."""

    seconds: float
    cpu: float  # user + sys of the child and of what it waited for (and of a server)
    max_rss_mb: float
    returncode: int
    stdout: str
    stderr: str
    server_cpu: float = 0.0  # the part of ``cpu`` a local server used during the run


@dataclass(frozen=True)
class Job:
    """A command to time, with its environment."""

    argv: tuple[str, ...]
    env: dict[str, str]
    capture: bool = False
    # A server's CPU counter (seconds so far): its growth while the child runs is counted
    # with the child's, for a client whose work is partly done by a local server.
    server_cpu: Callable[[], float] | None = None
    codes: tuple[int, ...] = (0,)  # the exit codes of a run that worked (check: 0, 1, 5)


Step = tuple[str, Job, bool]  # name, command, timed (False: a step that only sets up)


@dataclass
class Results:
    """Everything one benchmark run found."""

    figures: list[Figure] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Data:
    """The generated input files."""

    calendar: Path
    history: Path
    watson_dir: Path
    stats: dict[str, int]
    ls_history: Path
    ls_watson_dir: Path


# --------------------------------------------------------------------------- processes


def run(job: Job) -> Run:
    """Run a child process to its end: wall time, peak memory (max RSS), output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        server_before = job.server_cpu() if job.server_cpu else 0.0
        began = time.perf_counter()
        child = subprocess.Popen(
            job.argv,
            env=job.env,
            stdin=subprocess.DEVNULL,
            stdout=out if job.capture else subprocess.DEVNULL,
            stderr=err,
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - began
        server = job.server_cpu() - server_before if job.server_cpu else 0.0
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    rss = usage.ru_maxrss / RSS_UNIT
    cpu = usage.ru_utime + usage.ru_stime + server
    result = Run(seconds, cpu, rss, child.returncode, stdout, stderr, server)
    if result.returncode not in job.codes:
        tail = "\n".join(stderr.strip().splitlines()[-5:])
        raise BenchError(f"{' '.join(job.argv)} exited with {result.returncode}:\n{tail}")
    return result


def timed_pair(
    first: Callable[[], Job], second: Callable[[], Job], runs: int, *, warmup: bool = True
) -> tuple[list[Run], list[Run]]:
    """Time two commands ``runs`` times each, alternating, after one warm-up run each.

    Alternating spreads any drift of the machine (another process, thermal throttling)
    over both sides instead of loading it onto one. The factories are called before each
    run (outside the timing), so a run can get a fresh home.
    """
    if warmup:
        run(first())
        run(second())
    a: list[Run] = []
    b: list[Run] = []
    for _ in range(runs):
        a.append(run(first()))
        b.append(run(second()))
    return a, b


def timed_rounds(
    sides: dict[str, Callable[[], list[Step]]], runs: int, *, warmup: bool = True
) -> dict[str, dict[str, list[Run]]]:
    """Run each side's steps ``runs`` times, the sides taking turns, after one warm-up round
    (none with ``warmup=False``: a smoke run that only checks every figure can be made).

    A side is a factory called before each round (outside the timing) for its steps;
    taking turns spreads any drift of the machine over every side. Returns the timed runs
    by side and step name.
    """
    timed: dict[str, dict[str, list[Run]]] = {side: {} for side in sides}
    first = 0 if warmup else 1
    for round_ in range(first, runs + 1):
        for side, steps in sides.items():
            for name, job, counted in steps():
                result = run(job)
                if counted and round_:
                    timed[side].setdefault(name, []).append(result)
    return timed


def seconds_of(runs: Sequence[Run]) -> Stat:
    return Stat.of([r.seconds for r in runs])


def cpu_of(runs: Sequence[Run]) -> Stat:
    return Stat.of([r.cpu for r in runs])


def memory_of(runs: Sequence[Run]) -> Stat:
    return Stat.of([r.max_rss_mb for r in runs])


def base_env() -> dict[str, str]:
    """The caller's environment without anything that would change what is measured."""
    dropped = ("LEADTIME_", "WATSON_", "PYTHONIMPORTTIME", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    env.update(NO_COLOR="1", COLUMNS="120", TZ=TIMEZONE)
    return env


# --------------------------------------------------------------------------- the bench


class Bench:
    """The work directory, the programs and the data one benchmark run uses."""

    def __init__(
        self,
        workdir: Path,
        sizes: Sizes,
        *,
        peers: bool,
        log: Callable[[str], None],
        warmup: bool = True,
    ):
        self.workdir = workdir
        self.sizes = sizes
        self.runs = sizes.runs
        self.warmup = warmup  # one untimed round before the timed ones
        self.python = Path(sys.executable)
        self.leadtime = self.python.parent / "leadtime"
        self.log = log
        self.homes = workdir / "homes"  # made unique in setup(): runs may overlap
        self.peers = peers
        self.watson: Path | None = None
        self.peer_note = "--no-peers" if not peers else ""
        self.data: Data | None = None
        self._counter = 0
        self._empty_home: Path | None = None
        self.full_home: Path | None = None  # see full_home()

    # ------------------------------------------------------------------ setup

    def setup(self) -> None:
        if not self.leadtime.is_file():
            raise BenchError(
                f"no leadtime console script beside {self.python}; run this file with the "
                "interpreter that has leadtime installed (e.g. .venv/bin/python)"
            )
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.homes = Path(tempfile.mkdtemp(prefix="homes-", dir=self.workdir))
        (self.workdir / "hello.py").write_text(HELLO_SCRIPT, encoding="utf-8")
        (self.workdir / "bare_import.py").write_text(BARE_IMPORT_SCRIPT, encoding="utf-8")
        self.data = self._generate()
        if self.peers:
            self.watson, self.peer_note = self._install_watson()

    def cleanup(self) -> None:
        shutil.rmtree(self.homes, ignore_errors=True)

    def _generate(self) -> Data:
        """Generate the histories once per size and generator version; reuse them after."""
        source = hashlib.sha256(Path(generate.__file__).read_bytes()).hexdigest()[:12]
        sizes = self.sizes
        folder = (
            self.workdir
            / "data"
            / (f"{sizes.years}y-{sizes.entries}e-{sizes.ls_years}y-{sizes.ls_entries}e-seed{SEED}")
        )
        stamp = folder / "stamp.json"
        data = Data(folder / "heavy.ics", folder / "history.jsonl", folder / "watson", {},
                    folder / "short.jsonl", folder / "watson-short")  # fmt: skip
        if stamp.is_file():
            saved = json.loads(stamp.read_text(encoding="utf-8"))
            if saved.get("generator") == source:
                return replace(data, stats=saved["stats"])
        self.log(f"generating {folder.name} ...")
        shutil.rmtree(folder, ignore_errors=True)
        # In a child process: on Linux a child's peak memory (ru_maxrss) starts from this
        # process's, so the runner stays small to keep the import's memory figures honest.
        script = GENERATE_SCRIPT.format(
            here=str(HERE), calendar=str(data.calendar), history=str(data.history),
            frames=str(data.watson_dir / "frames"), years=self.sizes.years,
            entries=self.sizes.entries, seed=SEED, ls_history=str(data.ls_history),
            ls_frames=str(data.ls_watson_dir / "frames"), ls_entries=self.sizes.ls_entries,
            ls_years=self.sizes.ls_years,
        )  # fmt: skip
        done = run(Job((sys.executable, "-c", script), base_env(), capture=True))
        stats = json.loads(done.stdout)
        stamp.write_text(json.dumps({"generator": source, "stats": stats}), encoding="utf-8")
        return replace(data, stats=stats)

    def _install_watson(self) -> tuple[Path | None, str]:
        """td-watson in its own virtual environment under the work directory."""
        venv = self.workdir / "peers"
        watson = venv / "bin" / "watson"
        if watson.is_file():
            return watson, ""
        self.log("installing td-watson into benchmarks' own environment ...")
        try:
            subprocess.run(
                [sys.executable, "-m", "venv", "--clear", str(venv)],
                check=True, capture_output=True, text=True,
            )  # fmt: skip
            subprocess.run(
                [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                 "--disable-pip-version-check", "td-watson"],
                check=True, capture_output=True, text=True,
            )  # fmt: skip
        except subprocess.CalledProcessError as exc:
            reason = (exc.stderr or exc.stdout or "").strip().splitlines()
            return None, "td-watson could not be installed: " + (reason[-1] if reason else "?")
        return (watson, "") if watson.is_file() else (None, "td-watson has no watson script")

    # ------------------------------------------------------------------ homes

    def new_dir(self, stem: str) -> Path:
        self._counter += 1
        path = self.homes / f"{stem}-{self._counter}"
        path.mkdir()
        return path

    def new_home(self) -> Path:
        """A leadtime home with a config and an existing (empty) database."""
        if self._empty_home is None:
            home = self.new_dir("home")
            (home / "config.toml").write_text(
                f'timezone = "{TIMEZONE}"\nme = ["{ME}"]\n', encoding="utf-8"
            )
            self.lt(home, "ls")  # creates the schema: not part of any measured command
            self._empty_home = home
            return self.copy_home(home)  # the template stays untouched
        return self.copy_home(self._empty_home)

    def copy_home(self, template: Path) -> Path:
        home = self.new_dir("home")
        shutil.copytree(template, home, dirs_exist_ok=True)
        return home

    def env(self, home: Path, at: str = NOW) -> dict[str, str]:
        env = base_env()
        env.update(LEADTIME_HOME=str(home), LEADTIME_NOW=at)
        return env

    def watson_env(self, folder: Path) -> dict[str, str]:
        env = base_env()
        env["WATSON_DIR"] = str(folder)
        return env

    def lt_job(self, home: Path, *args: str, capture: bool = False, at: str = NOW) -> Job:
        return Job((str(self.leadtime), *args), self.env(home, at), capture)

    def lt(self, home: Path, *args: str) -> Run:
        return run(self.lt_job(home, *args, capture=True))

    @property
    def files(self) -> Data:
        assert self.data is not None, "setup() first"
        return self.data


# --------------------------------------------------------------------------- figures


def ratio_of(a: Stat | None, b: Stat | None) -> float | None:
    if a is None or b is None or b.median == 0:
        return None
    return a.median / b.median


def compared(
    key: str,
    label: str,
    unit: str,
    leadtime: Stat | None,
    baseline: Stat | None,
    baseline_label: str,
    *,
    low: float | None = None,
    high: float | None = None,
    note: str = "",
) -> Figure:
    """leadtime's figure against its baseline; ``low``/``high`` bound the ratio's target
    (neither: an informational figure)."""
    ratio = ratio_of(leadtime, baseline)
    if low is None and high is None:
        target, met = "", None
    else:
        target = f"{low:.2f}-{high:.2f}" if low is not None else f"<= {high:.2f}"
        inside = ratio is not None and (low is None or ratio >= low)
        met = None if ratio is None else inside and (high is None or ratio <= high)
    basis = "wall" if unit == "s" else ""
    return Figure(
        key, label, unit, leadtime, baseline, baseline_label, target, ratio, met, note, basis
    )


def measured(
    key: str,
    label: str,
    mine: Sequence[Run] | None,
    theirs: Sequence[Run] | None,
    baseline_label: str,
    *,
    high: float,
    basis: str = "cpu",
    note: str = "",
) -> Figure:
    """Timed runs against their baseline's, the ratio taken between CPU-time medians.

    CPU time (user + sys of the child and of what it waited for) is the basis: on a
    machine shared with other work, the wall clock also counts the time a process waits
    for a CPU, which varies from run to run far more than the work done. The wall-clock
    figures are kept beside it.
    """
    wall = seconds_of(mine) if mine else None
    cpu = cpu_of(mine) if mine else None
    base_wall = seconds_of(theirs) if theirs else None
    base_cpu = cpu_of(theirs) if theirs else None
    ratio = ratio_of(cpu, base_cpu) if basis == "cpu" else ratio_of(wall, base_wall)
    met = None if ratio is None else ratio <= high
    return Figure(
        key, label, "s", wall, base_wall, baseline_label, f"<= {high:.2f}", ratio, met, note,
        basis, cpu, base_cpu,
    )  # fmt: skip


def heavy_modules(importtime_stderr: str) -> list[str]:
    """Which of HEAVY_MODULES a ``-X importtime`` log shows as imported."""
    found: set[str] = set()
    for line in importtime_stderr.splitlines():
        if not line.startswith("import time:") or line.rstrip().endswith("| package"):
            continue
        name = line.rsplit("|", 1)[-1].strip()
        top = name.split(".", 1)[0]
        if top in HEAVY_MODULES:
            found.add(top)
    return sorted(found)


def measure_startup(bench: Bench, results: Results) -> None:
    home = bench.new_home()
    py, hello = str(bench.python), str(bench.workdir / "hello.py")
    env = bench.env(home)
    for flag, hello_args in (("--help", ("--help",)), ("--version", ())):
        mine, bare = timed_pair(
            partial(bench.lt_job, home, flag),
            partial(Job, (py, hello, *hello_args), env),
            bench.runs,
            warmup=bench.warmup,
        )
        results.figures.append(
            compared(
                f"startup_{flag.strip('-')}",
                f"leadtime {flag}",
                "s",
                seconds_of(mine),
                seconds_of(bare),
                "Typer hello-world" + (" --help" if hello_args else ""),
            )
        )
    # Which heavy modules each quick path imports (the console script run under -X importtime).
    completion = dict(env, _LEADTIME_COMPLETE="complete_bash", COMP_WORDS="leadtime re",
                      COMP_CWORD="1")  # fmt: skip
    cases = (("--help", ("--help",), env), ("--version", ("--version",), env),
             ("completion", (), completion))  # fmt: skip
    found: dict[str, list[str]] = {}
    for name, args, case_env in cases:
        result = run(Job((py, "-X", "importtime", str(bench.leadtime), *args), case_env))
        found[name] = heavy_modules(result.stderr)
    every = sorted({m for modules in found.values() for m in modules})
    note = "; ".join(f"{name}: {', '.join(mods) or 'none'}" for name, mods in found.items())
    results.figures.append(
        Figure(
            key="startup_heavy_modules",
            label="heavy modules at start-up",
            unit="modules",
            leadtime=Stat.of([float(len(every))]),
            baseline=None,
            baseline_label="",
            target="none",
            ratio=None,
            met=not every,
            note=note,
        )
    )


def full_home(bench: Bench, results: Results) -> Path:
    """The home holding the whole history (restored once per run)."""
    if bench.full_home is None:
        full = bench.new_home()
        began = time.perf_counter()
        bench.lt(full, "restore", str(bench.files.history))
        results.notes.append(
            f"restore of {bench.sizes.entries:,} entries (setup, not a target): "
            f"{time.perf_counter() - began:.2f} s"
        )
        bench.full_home = full
    return bench.full_home


def measure_commands(bench: Bench, results: Results) -> None:
    """The quick commands on an empty database against td-watson's, and with the whole
    history stored against the empty database."""
    empty = bench.new_home()
    full = full_home(bench, results)
    sides: dict[str, Callable[[], list[Step]]] = {
        "empty": partial(leadtime_cycle, bench, empty),
        "full": partial(leadtime_cycle, bench, full),
    }
    if bench.watson is not None:
        sides["watson"] = partial(watson_cycle, bench, bench.new_dir("watson"))
    timed = timed_rounds(sides, bench.runs, warmup=bench.warmup)
    for name in COMMANDS:
        peer = WATSON_COMMANDS[name]
        results.figures.append(
            measured(
                f"cmd_{name}", f"leadtime {name}, empty database", timed["empty"][name],
                timed["watson"][name] if "watson" in timed else None, f"watson {peer}",
                high=1.20, note="" if bench.watson else f"n/a: {bench.peer_note}",
            )
        )  # fmt: skip
    for name in COMMANDS:
        results.figures.append(
            measured(
                f"full_{name}", f"leadtime {name}, {bench.sizes.entries:,} entries stored",
                timed["full"][name], timed["empty"][name], f"leadtime {name}, empty database",
                high=1.10,
            )
        )  # fmt: skip


COMMANDS = ("log", "start", "status", "stop", "cancel")
WATSON_COMMANDS = {"log": "add", "start": "start", "status": "status", "stop": "stop",
                   "cancel": "cancel"}  # fmt: skip


def leadtime_cycle(bench: Bench, home: Path) -> list[Step]:
    """log, then a timer started, looked at, stopped; another one started and cancelled.
    Each command runs at its own moment, so that the timer lasts 45 minutes."""
    return [
        ("log", bench.lt_job(home, *LOG_ARGS), True),
        ("start", bench.lt_job(home, "start", "Code review"), True),
        ("status", bench.lt_job(home, "status", at=minutes_after(10)), True),
        ("stop", bench.lt_job(home, "stop", at=minutes_after(45)), True),
        ("start again", bench.lt_job(home, "start", "Code review", at=minutes_after(50)), False),
        ("cancel", bench.lt_job(home, "cancel", at=minutes_after(55)), True),
    ]


def watson_cycle(bench: Bench, folder: Path) -> list[Step]:
    assert bench.watson is not None
    env = bench.watson_env(folder)
    watson = str(bench.watson)
    return [
        ("log", Job((watson, *WATSON_ADD_ARGS), env), True),
        ("start", Job((watson, "start", "code-review"), env), True),
        ("status", Job((watson, "status"), env), True),
        ("stop", Job((watson, "stop"), env), True),
        ("start again", Job((watson, "start", "code-review"), env), False),
        ("cancel", Job((watson, "cancel"), env), True),
    ]


def minutes_after(minutes: int) -> str:
    return (datetime.fromisoformat(NOW) + timedelta(minutes=minutes)).isoformat()


def measure_ls(bench: Bench, results: Results) -> None:
    """``leadtime ls`` over the short history against ``watson log`` over the same frames."""
    home = bench.new_home()
    bench.lt(home, "restore", str(bench.files.ls_history))
    span_from = date(generate.END.year - bench.sizes.ls_years, 11, 1).isoformat()
    span_to = (generate.END - timedelta(days=1)).isoformat()
    sides: dict[str, Callable[[], list[Step]]] = {
        "leadtime": lambda: [
            ("ls", bench.lt_job(home, "ls", "--from", span_from, "--to", span_to), True)
        ],
    }
    if bench.watson is not None:
        frames = bench.new_dir("watson")
        shutil.copytree(bench.files.ls_watson_dir, frames, dirs_exist_ok=True)
        argv = (str(bench.watson), "log", "--no-pager", "--from", span_from, "--to", span_to)
        job = Job(argv, bench.watson_env(frames))
        sides["watson"] = lambda: [("ls", job, True)]
    timed = timed_rounds(sides, bench.runs, warmup=bench.warmup)
    results.figures.append(
        measured(
            "ls", f"leadtime ls --from {span_from} --to {span_to}, "
            f"{bench.sizes.ls_entries:,} entries", timed["leadtime"]["ls"],
            timed["watson"]["ls"] if "watson" in timed else None,
            "watson log over the same frames", high=1.00,
            note="" if bench.watson else f"n/a: {bench.peer_note}",
        )
    )  # fmt: skip


def measure_report(bench: Bench, results: Results) -> None:
    full = full_home(bench, results)
    weeks = 52 * bench.sizes.years
    label = f"leadtime report --weeks {weeks}, {bench.sizes.entries:,} entries"
    span_from = date(generate.END.year - bench.sizes.years, 10, 1).isoformat()
    span_to = generate.END.isoformat()
    sides: dict[str, Callable[[], list[Step]]] = {
        "leadtime": lambda: [("report", bench.lt_job(full, "report", "--weeks", str(weeks)), True)]
    }
    if bench.watson is not None:
        frames = bench.new_dir("watson")
        shutil.copytree(bench.files.watson_dir, frames, dirs_exist_ok=True)
        argv = (str(bench.watson), "report", "--from", span_from, "--to", span_to)
        job = Job(argv, bench.watson_env(frames))
        sides["watson"] = lambda: [("report", job, True)]
    timed = timed_rounds(sides, bench.runs, warmup=bench.warmup)
    results.figures.append(
        measured(
            "report", label, timed["leadtime"]["report"],
            timed["watson"]["report"] if "watson" in timed else None,
            f"watson report --from {span_from} --to {span_to}", high=0.10,
            note="" if bench.watson else f"n/a: {bench.peer_note}",
        )
    )  # fmt: skip


# The figures a command line is judged on against the interpreter itself: the floor is the
# same Python opening the database with nothing else loaded (SPEC §9, round 3).
FLOOR_SCRIPT = "import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute('select 1')"
FLOOR_TARGETS = {"status": 3.0, "log": 3.5, "check": 5.0, "report": 6.0}
EXAMPLE = HERE.parent / "examples" / "tech-lead.ics"


def floor_home(bench: Bench) -> Path:
    """A new user's home: the bundled example calendar imported, a timer running."""
    home = bench.new_home()
    bench.lt(home, "import", str(EXAMPLE))
    bench.lt(home, "start", "Code review")
    return home


def floor_steps(bench: Bench, home: Path) -> list[Step]:
    later = minutes_after(20)
    return [
        ("status", bench.lt_job(home, "status", at=later), True),
        ("log", bench.lt_job(home, "log", "Code review", "5m", "--at", "10:00", at=later), True),
        ("check", replace(bench.lt_job(home, "check", at=later), codes=(0, 1, 5)), True),
        ("report", bench.lt_job(home, "report", at=later), True),
    ]


def measure_floor(bench: Bench, results: Results) -> None:
    """``status``, ``log``, ``check`` and ``report`` against the interpreter opening the
    database: whole processes, wall time, the sides taking turns."""
    home = floor_home(bench)
    database = str(home / "leadtime.db")
    floor = Job((str(bench.python), "-S", "-c", FLOOR_SCRIPT, database), base_env())
    sides: dict[str, Callable[[], list[Step]]] = {
        "floor": lambda: [(name, floor, True) for name in FLOOR_TARGETS],
        "leadtime": partial(floor_steps, bench, home),
    }
    timed = timed_rounds(sides, bench.runs, warmup=bench.warmup)
    labels = {"status": "leadtime status (a timer running)",
              "log": "leadtime log TITLE 5m --at TIME",
              "check": "leadtime check (one week)",
              "report": "leadtime report (the current weeks, a table)"}  # fmt: skip
    for name, high in FLOOR_TARGETS.items():
        results.figures.append(
            measured(
                f"floor_{name}", labels[name], timed["leadtime"][name], timed["floor"][name],
                "python -S opening the database", high=high, basis="wall",
            )
        )  # fmt: skip


def import_window() -> tuple[datetime, datetime]:
    """The window ``leadtime import`` expands by default: 1970 up to the horizon after now."""
    now = datetime.fromisoformat(NOW).astimezone(UTC)
    return datetime(1970, 1, 1, tzinfo=UTC), now + timedelta(weeks=HORIZON_WEEKS)


def bare_import_job(bench: Bench) -> Job:
    start, end = import_window()
    return Job(
        (str(bench.python), str(bench.workdir / "bare_import.py"), str(bench.files.calendar),
         start.isoformat(), end.isoformat()),
        base_env(),
    )  # fmt: skip


def measure_import(bench: Bench, results: Results) -> Path:
    """The first import against the bare script; returns a home that imported the file."""
    template = bench.new_home()
    calendar = str(bench.files.calendar)
    bare = bare_import_job(bench)
    homes: list[Path] = []

    def first_import() -> list[Step]:
        homes.append(bench.copy_home(template))
        return [("import", bench.lt_job(homes[-1], "import", calendar, capture=True), True)]

    timed = timed_rounds({"leadtime": first_import, "bare": lambda: [("import", bare, True)]},
                         bench.runs, warmup=bench.warmup)  # fmt: skip
    mine, theirs = timed["leadtime"]["import"], timed["bare"]["import"]
    stats = bench.files.stats
    size = (
        f"{stats.get('instances', 0):,} instances, {stats.get('bytes', 0) / 1e6:.2f} MB, "
        f"{stats.get('instances', 0) / max(stats.get('bytes', 1) / 1000, 1):.0f}/KB"
    )
    results.figures.append(
        measured(
            "import", f"leadtime import, first ({size})", mine, theirs,
            "icalendar + recurring-ical-events", high=1.10,
        )
    )  # fmt: skip
    runner_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / RSS_UNIT
    results.figures.append(
        compared(
            "import_memory", "leadtime import, peak memory", "MB", memory_of(mine),
            memory_of(theirs), "icalendar + recurring-ical-events",
            note=f"a child's peak cannot read below the runner's own {runner_mb:.0f} MB",
        )
    )  # fmt: skip
    summary = mine[-1].stdout.strip().splitlines()
    if summary:
        results.notes.append(f"import: {summary[-1]}")
    for home in homes[:-1]:
        shutil.rmtree(home, ignore_errors=True)
    return homes[-1]


def measure_imports(bench: Bench, results: Results) -> None:
    """The first import, then the unchanged re-imports."""
    imported = measure_import(bench, results)
    bench.log("measuring re-import (file, URL) ...")
    measure_reimport(bench, results, imported)


def measure_reimport(bench: Bench, results: Results, imported: Path) -> None:
    """Re-import of the unchanged calendar, from the file and from a local HTTP server
    (ETag / Last-Modified), against the bare script."""
    calendar = str(bench.files.calendar)
    server, url = serve_folder(bench.files.calendar.parent)
    try:
        by_url = bench.new_home()
        bench.lt(by_url, "import", f"{url}/{bench.files.calendar.name}")  # the first import
        address = f"{url}/{bench.files.calendar.name}"
        checks_before = {"file": export_of(bench, imported), "url": export_of(bench, by_url)}
        server_cpu = process_cpu
        bare = bare_import_job(bench)
        sides: dict[str, Callable[[], list[Step]]] = {
            "file": lambda: [
                ("import", bench.lt_job(imported, "import", calendar, capture=True), True)
            ],
            "url": lambda: [
                (
                    "import",
                    replace(
                        bench.lt_job(by_url, "import", address, capture=True), server_cpu=server_cpu
                    ),
                    True,
                )
            ],
            "bare": lambda: [("import", bare, True)],
        }
        timed = timed_rounds(sides, bench.runs, warmup=bench.warmup)
        checks_after = {"file": export_of(bench, imported), "url": export_of(bench, by_url)}
    finally:
        server.shutdown()
        server.server_close()
    for side, _label in (("file", calendar), ("url", address)):
        results.figures.append(
            measured(
                f"reimport_{side}", f"leadtime import, unchanged, {side}", timed[side]["import"],
                timed["bare"]["import"], "icalendar + recurring-ical-events", high=0.20,
                note="CPU of leadtime and of the runner's HTTP server" if side == "url" else "",
            )
        )  # fmt: skip
        output = timed[side]["import"][-1].stdout.strip()
        before, after = checks_before[side], checks_after[side]
        said = (output.splitlines() or ["(no output)"])[-1]
        same = before == after
        detail = said + (
            f"; export identical ({len(after):,} entries, same ids)"
            if same
            else f"; the export differs ({len(before)} -> {len(after)} entries)"
        )
        results.checks.append(
            Check(
                f"re-import ({side}) changes nothing", same and said.endswith(": unchanged"), detail
            )
        )


def export_of(bench: Bench, home: Path) -> list[str]:
    """Every stored entry with every field, without the export's header line."""
    return bench.lt(home, "export").stdout.splitlines()[1:]


def process_cpu() -> float:
    """CPU seconds this process used so far (the HTTP server's thread, while a child runs)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class _CalendarHandler(SimpleHTTPRequestHandler):
    """Serves files with an ETag and a Last-Modified; answers 304 when they still match."""

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if not path.is_file():
            self.send_error(404)
            return
        stat = path.stat()
        etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
        modified = self.date_time_string(int(stat.st_mtime))
        if self.headers.get("If-None-Match") == etag or (
            "If-None-Match" not in self.headers
            and self.headers.get("If-Modified-Since") == modified
        ):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
            self.end_headers()
            return
        body = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        self.end_headers()
        self.wfile.write(body)


def serve_folder(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    """An HTTP server on 127.0.0.1 serving ``folder``, in a thread; shut it down after."""
    handler = partial(_CalendarHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def radicale_cpu(pid: int) -> Callable[[], float]:
    """CPU seconds the server process ``pid`` used so far (Linux /proc; else 0)."""
    stat = Path(f"/proc/{pid}/stat")
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def read() -> float:
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime

    return read


def measure_caldav(bench: Bench, results: Results) -> None:
    """An unchanged CalDAV re-sync against the first sync, on Radicale on 127.0.0.1."""
    label = f"leadtime import caldav, unchanged ({bench.sizes.caldav_events:,} events)"
    missing = [m for m in ("radicale",) if importlib.util.find_spec(m) is None]
    if missing:
        results.figures.append(
            measured(
                "caldav_resync",
                label,
                None,
                None,
                "the first sync",
                high=0.20,
                note=f"n/a: {', '.join(missing)} not installed",
            )
        )
        return
    import caldav_bench  # beside this file; imports leadtime's CalDAV client

    process, port = caldav_bench.start_server(bench.new_dir("radicale"))
    try:
        caldav_bench.fill(port, bench.sizes.caldav_events)
        source = f"caldav+http://{caldav_bench.USER}@127.0.0.1:{port}/"
        server_cpu = radicale_cpu(process.pid)
        template = bench.new_home()
        # Radicale computes a 3,000-event answer before it sends a byte; on a loaded machine
        # that can take longer than the default deadline, which is not what is measured.
        with (template / "config.toml").open("a", encoding="utf-8") as config:
            config.write("network_timeout = 600\n")
        synced = bench.copy_home(template)

        def job(home: Path, *sources: str) -> Job:
            env = dict(bench.env(home), LEADTIME_CALDAV_PASSWORD=caldav_bench.PASSWORD)
            return Job((str(bench.leadtime), "import", *sources), env, True, server_cpu)

        run(job(synced, source))  # the first import of the home that re-syncs
        homes: list[Path] = []

        def first() -> list[Step]:
            homes.append(bench.copy_home(template))
            return [("sync", job(homes[-1], source), True)]

        # The re-sync is what a cron job runs: a bare ``leadtime import`` of the remembered
        # calendars.

        timed = timed_rounds({"resync": lambda: [("sync", job(synced), True)], "first": first},
                             bench.runs, warmup=bench.warmup)  # fmt: skip
    finally:
        process.terminate()
        process.wait(timeout=10)
    said = (timed["resync"]["sync"][-1].stdout.strip().splitlines() or ["(no output)"])[-1]
    server = {
        side: statistics.median(r.server_cpu for r in timed[side]["sync"])
        for side in ("resync", "first")
    }
    results.figures.append(
        measured(
            "caldav_resync", label, timed["resync"]["sync"], timed["first"]["sync"],
            "leadtime import caldav, first sync", high=0.20,
            note=f"CPU of leadtime and of Radicale (Radicale: {server['resync']:.3f} s of the "
            f"re-sync, {server['first']:.3f} s of the first sync); the re-sync said: {said}",
        )
    )  # fmt: skip


def measure_git(bench: Bench, results: Results) -> None:
    """``leadtime import git`` of a generated repository against ``git log --all``."""
    import git_bench  # beside this file

    if shutil.which("git") is None:
        results.figures.append(
            measured(
                "import_git",
                "leadtime import git",
                None,
                None,
                "git log --all",
                high=1.50,
                note="n/a: git is not installed",
            )
        )
        return
    began = time.perf_counter()
    repo = git_bench.make_repository(bench.workdir, bench.sizes.commits)
    results.notes.append(
        f"git repository of {bench.sizes.commits:,} commits ready in "
        f"{time.perf_counter() - began:.2f} s (setup)"
    )
    template = bench.new_home()
    homes: list[Path] = []

    def mine() -> list[Step]:
        homes.append(bench.copy_home(template))
        argv = ("import", "git", str(repo), "--author", git_bench.ME)
        return [("git", bench.lt_job(homes[-1], *argv, capture=True), True)]

    log = Job(("git", "-C", str(repo), "log", "--all", f"--format={git_bench.FORMAT}"),
              base_env())  # fmt: skip
    timed = timed_rounds(
        {"leadtime": mine, "git": lambda: [("git", log, True)]}, bench.runs, warmup=bench.warmup
    )
    label = f"leadtime import git, {bench.sizes.commits:,} commits"
    said = (timed["leadtime"]["git"][-1].stdout.strip().splitlines() or ["(no output)"])[-1]
    results.figures.append(
        measured(
            "import_git",
            label,
            timed["leadtime"]["git"],
            timed["git"]["git"],
            f"git log --all --format={git_bench.FORMAT}",
            high=1.50,
            note=f"CPU of leadtime and the git it runs; it said: {said}",
        )
    )
    wall = seconds_of(timed["leadtime"]["git"])
    results.figures.append(
        Figure(
            key="import_git_seconds", label=label + ", wall", unit="s", leadtime=wall,
            baseline=None, baseline_label="", target="<= 2 s", ratio=None,
            met=wall.median <= 2.0, basis="wall",
            leadtime_cpu=cpu_of(timed["leadtime"]["git"]),
        )
    )  # fmt: skip
    for home in homes:
        shutil.rmtree(home, ignore_errors=True)


def measure_tests(bench: Bench, results: Results) -> None:
    """The README's test command, once, by the wall clock (what a contributor waits)."""
    root = HERE.parent
    argv = (str(bench.python), *TEST_COMMAND)
    env = base_env()
    env.pop("TZ", None)
    began = time.perf_counter()
    done = subprocess.run(argv, cwd=root, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - began
    tail = (done.stdout.strip().splitlines() or ["(no output)"])[-1]
    results.figures.append(
        Figure(
            key="tests", label=f"python {' '.join(TEST_COMMAND)} on {os.cpu_count()} CPUs",
            unit="s",
            leadtime=Stat.of([seconds]), baseline=None, baseline_label="", target="<= 90 s",
            ratio=None, met=seconds <= 90 and done.returncode == 0, basis="wall",
            note=f"exit {done.returncode}: {tail}",
        )
    )  # fmt: skip


@contextmanager
def leadtime_home(home: Path) -> Iterator[None]:
    """LEADTIME_HOME and LEADTIME_NOW for in-process use of leadtime's own code."""
    saved = {k: os.environ.get(k) for k in ("LEADTIME_HOME", "LEADTIME_NOW")}
    os.environ.update(LEADTIME_HOME=str(home), LEADTIME_NOW=NOW)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def measure_reclassify(bench: Bench, results: Results) -> None:
    """In-process: re-run changed rules over every stored entry, through the application
    layer's explicit re-classification step (what a command runs after a rule change)."""
    full = full_home(bench, results)
    from leadtime.app.workspace import Workspace

    rule_files = []
    for name, text in (("rules-a.toml", RULES_A), ("rules-b.toml", RULES_B)):
        path = full / name
        path.write_text(text, encoding="utf-8")
        rule_files.append(path)
    rates: list[float] = []
    changed: list[int] = []
    with closing(sqlite3.connect(full / "leadtime.db")) as db:  # what the rules run over
        (entries,) = db.execute(
            "SELECT count(*) FROM entries WHERE decided_by IS NULL OR decided_by <> 'manual'"
        ).fetchone()
    with leadtime_home(full):
        for index in range(bench.runs + 1):  # the first run warms up
            ws = Workspace(rules_file=rule_files[index % 2])
            _ = (ws.rules, ws.settings, ws.database)  # loaded before the clock starts
            began = time.perf_counter()
            count = ws.refresh(force=True)
            seconds = time.perf_counter() - began
            if index:
                rates.append(entries / seconds)
                changed.append(count or 0)
    rate = Stat.of(rates)
    results.figures.append(
        Figure(
            key="reclassify",
            label=f"re-classify {bench.sizes.entries:,} entries after a rule change",
            unit="entries/s",
            leadtime=rate,
            baseline=None,
            baseline_label="",
            target=">= 100,000/s",
            ratio=None,
            met=rate.median >= 100_000,
            note=f"{min(changed):,}-{max(changed):,} entries changed category per run",
        )
    )


def measure_classification(bench: Bench, results: Results) -> None:
    """Right / unclassified / wrong on the shipped corpus (cross-validated) and on the
    kept-aside title set, through ``benchmarks/classification.py``."""
    import classification  # the script beside this file

    found = classification.measure()
    rows = found["cross_validated"]["by_language"]
    languages = [r for r in rows if r["group"] not in ("all", *classification.BEST_EFFORT)]
    worst = min(languages, key=lambda r: r["right"])
    whole = next(r for r in rows if r["group"] == "all")
    extra = "".join(
        f"; {r['group']} (best effort) {r['right']:.1%}"
        for r in rows
        if r["group"] in classification.BEST_EFFORT
    )
    results.figures.append(
        Figure(
            key="classification_cv",
            label="corpus, 5-fold cross-validated: right (lowest of the nine languages)",
            unit="%",
            leadtime=Stat.of([worst["right"] * 100]),
            baseline=None,
            baseline_label="",
            target=">= 90% every language",
            ratio=None,
            met=worst["right"] >= 0.90,
            note=f"lowest {worst['group']}; all {whole['right']:.1%} right, "
            f"{whole['unclassified']:.1%} unclassified, {whole['wrong']:.1%} wrong{extra}",
        )
    )
    if "dev" in found:
        row = next(r for r in found["dev"]["by_category"] if r["group"] == "all")
        results.figures.append(
            Figure(
                key="classification_dev",
                label="dev.tsv (never trained on): right",
                unit="%",
                leadtime=Stat.of([row["right"] * 100]),
                baseline=None,
                baseline_label="",
                target=">= 95% right, <= 4% uncl., <= 2% wrong",
                ratio=None,
                met=row["right"] >= 0.95 and row["unclassified"] <= 0.04 and row["wrong"] <= 0.02,
                note=f"{row['unclassified']:.1%} unclassified, {row['wrong']:.1%} wrong",
            )
        )


# --------------------------------------------------------------------------- output


def format_value(stat: Stat | None, unit: str) -> str:
    if stat is None:
        return "n/a"
    if unit == "s":
        return f"{stat.median:.3f} s ({stat.low:.3f}-{stat.high:.3f})"
    if unit == "MB":
        return f"{stat.median:.0f} MB ({stat.low:.0f}-{stat.high:.0f})"
    if unit == "entries/s":
        return f"{stat.median:,.0f}/s ({stat.low:,.0f}-{stat.high:,.0f})"
    if unit == "%":
        return f"{stat.median:.1f}%"
    return f"{stat.median:g}"


def with_cpu(wall: Stat | None, cpu: Stat | None, unit: str) -> str:
    """The wall-clock figure, with the CPU one under it when there is one."""
    shown = format_value(wall, unit)
    return shown if cpu is None else f"{shown}\ncpu {format_value(cpu, unit)}"


def verdict(figure: Figure) -> str:
    if figure.met is None:
        return "n/a" if figure.target and figure.ratio is None else "info"
    return "met" if figure.met else "NOT MET"


def as_json(results: Results, context: dict[str, Any]) -> dict[str, Any]:
    """The machine-readable form of a benchmark run."""
    return {
        **context,
        "figures": [
            {
                "key": f.key,
                "label": f.label,
                "unit": f.unit,
                "leadtime": f.leadtime.as_json() if f.leadtime else None,
                "baseline": f.baseline.as_json() if f.baseline else None,
                "leadtime_cpu": f.leadtime_cpu.as_json() if f.leadtime_cpu else None,
                "baseline_cpu": f.baseline_cpu.as_json() if f.baseline_cpu else None,
                "baseline_label": f.baseline_label,
                "ratio": f.ratio,
                "basis": f.basis or None,
                "target": f.target or None,
                "met": f.met,
                "note": f.note,
            }
            for f in results.figures
        ],
        "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in results.checks],
        "notes": results.notes,
    }


def print_table(results: Results, context: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    out = Console(highlight=False)
    if not out.is_terminal:
        out = Console(highlight=False, width=max(out.width, 150))
    machine = context["machine"]
    out.print(
        f"leadtime {context['leadtime_version']} on {machine['platform']}, "
        f"Python {machine['python']}, {machine['cpus']} CPUs, load {machine['load']}; "
        f"{context['runs']} runs per figure: median (min-max), after one warm-up run; "
        "wall-clock seconds, CPU seconds (user + sys) under them; each ratio says which"
    )
    table = Table(header_style="bold")
    table.add_column("figure")
    table.add_column("leadtime", no_wrap=True)
    table.add_column("baseline", no_wrap=True)
    table.add_column("ratio", justify="right")
    table.add_column("target")
    table.add_column("result")
    for f in results.figures:
        figure = f.label + (f"\n  vs {f.baseline_label}" if f.baseline_label else "")
        if f.key == "startup_heavy_modules":
            leadtime = f.note.replace("; ", "\n")
        else:
            leadtime = with_cpu(f.leadtime, f.leadtime_cpu, f.unit)
        baseline = with_cpu(f.baseline, f.baseline_cpu, f.unit) if f.baseline_label else "-"
        if f.note.startswith("n/a"):
            baseline = f.note
        ratio = f"{f.ratio:.2f}" if f.ratio is not None else "-"
        if f.ratio is not None and f.basis:
            ratio += f"\n{f.basis}"
        result = verdict(f)
        style = {"met": "green", "NOT MET": "bold red"}.get(result, "")
        table.add_row(figure, leadtime, baseline, ratio, f.target or "-", result, style=style)
    out.print(table)
    for f in results.figures:
        if f.note and not f.note.startswith("n/a") and f.key != "startup_heavy_modules":
            out.print(f"{f.key}: {f.note}")
    for c in results.checks:
        out.print(f"check: {c.name}: {'ok' if c.ok else 'FAILED'} ({c.detail})")
    for note in results.notes:
        out.print(f"note: {note}")
    missed = [f.key for f in results.figures if f.met is False]
    if missed:
        out.print(f"not met: {', '.join(missed)}", style="bold red")


def context_of(bench: Bench) -> dict[str, Any]:
    from leadtime import __version__

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return {
        "leadtime_version": __version__,
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load": load,
        },
        "runs": bench.runs,
        "sizes": {
            "years": bench.sizes.years,
            "entries": bench.sizes.entries,
            "ls_years": bench.sizes.ls_years,
            "ls_entries": bench.sizes.ls_entries,
            "commits": bench.sizes.commits,
            "caldav_events": bench.sizes.caldav_events,
            "calendar": bench.files.stats,
        },
        "now": NOW,
        "timezone": TIMEZONE,
        "peers": bench.peer_note or "td-watson",
    }


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="benchmarks/run.py",
        description="Measure leadtime against its speed targets, each against its baseline.",
    )
    parser.add_argument("--runs", type=int, help="runs per figure (default 7; 3 with --quick)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--quick", action="store_true", help="tiny sizes (1-year calendar, 2,000 entries)"
    )
    parser.add_argument("--no-peers", action="store_true", help="skip td-watson (figures n/a)")
    parser.add_argument(
        "--tests", action="store_true", help="also time the README's test command (slow)"
    )
    parser.add_argument(
        "--only",
        type=lambda text: [part.strip() for part in text.split(",") if part.strip()],
        metavar="GROUP,...",
        help=f"measure only these groups of figures ({', '.join(GROUPS)})",
    )
    parser.add_argument(
        "--workdir", type=Path, default=HERE / ".work", help="work files (default benchmarks/.work)"
    )
    args = parser.parse_args(argv)
    if args.runs is not None and args.runs < 1:
        parser.error("--runs must be at least 1")
    unknown = [group for group in args.only or () if group not in GROUPS]
    if unknown:
        parser.error(f"unknown group {unknown[0]!r}; choose from {', '.join(GROUPS)}")
    return args


# The groups of figures, in the order they run: (what the progress line says, function).
GROUPS: dict[str, tuple[str, Callable[[Bench, Results], None]]] = {
    "startup": ("start-up", measure_startup),
    "floor": ("status, log, check, report against the floor", measure_floor),
    "commands": ("log, start, status, stop, cancel", measure_commands),
    "ls": ("ls", measure_ls),
    "report": ("report", measure_report),
    "import": ("import", measure_imports),
    "caldav": ("CalDAV re-sync", measure_caldav),
    "git": ("import git", measure_git),
    "reclassify": ("re-classification", measure_reclassify),
    "team": (
        "team report, publish",
        lambda b, r: importlib.import_module("team_bench").measure(b, r),
    ),
    "classification": ("classification quality", measure_classification),
    "tests": ("the test suite", measure_tests),
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run every measurement and print the table (or JSON). 0 unless a step failed."""
    args = parse_args(argv)
    groups = [g for g in GROUPS if g != "tests" or args.tests]
    if args.only:
        groups = [g for g in GROUPS if g in args.only]
    sizes = QUICK if args.quick else FULL
    if args.runs is not None:
        sizes = replace(sizes, runs=args.runs)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    bench = Bench(
        args.workdir.resolve(), sizes, peers=not args.no_peers, log=log, warmup=not args.quick
    )
    results = Results()
    try:
        bench.setup()
        for group in groups:
            log(f"measuring {GROUPS[group][0]} ...")
            GROUPS[group][1](bench, results)
    except BenchError as exc:
        log(f"error: {exc}")
        return 1
    finally:
        bench.cleanup()
    context = context_of(bench)
    if args.json:
        print(json.dumps(as_json(results, context), indent=2))
    else:
        print_table(results, context)
    return 0


if __name__ == "__main__":
    sys.exit(main())
