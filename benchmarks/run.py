"""Measure leadtime against the speed targets of its contract, each against its baseline.

One command, one machine, one run: every figure is the median of ``--runs`` runs (after
one warm-up run), with the fastest and slowest run beside it, and compared with a
baseline measured in the same run, so the ratios hold on any machine.

* start-up: ``leadtime --help`` / ``--version`` against a Typer hello-world, and which
  heavy modules (SQLAlchemy, SQLModel, icalendar, ...) ``--help``, ``--version`` and shell
  completion import (target: none);
* ``leadtime log`` with 100,000 entries stored against an empty database (target: ±10%);
* ``leadtime import`` of a heavy 10-year calendar against a bare script that only parses
  it with icalendar and expands it with recurring-ical-events (target: at most 1.2x), with
  the peak memory of both, and a check that a re-import changes nothing;
* ``leadtime report --weeks 520`` over 100,000 entries against ``watson report`` over the
  same entries (td-watson; target: at most 0.25x);
* re-classification of 100,000 stored entries after a rule change (target: at least
  100,000 entries per second).

Usage::

    .venv/bin/python benchmarks/run.py [--runs N] [--json] [--quick] [--no-peers] [--workdir DIR]

Run it with the interpreter that has leadtime installed. td-watson is installed into its
own virtual environment under the work directory (never into leadtime's), and reused.
The exit status is 0 when everything was measured, met or not: this is a measurement.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
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
REIMPORT_UNCHANGED = "0 added, 0 updated, 0 removed"
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


FULL = Sizes(years=10, entries=100_000, runs=7)
QUICK = Sizes(years=1, entries=2_000, runs=3)


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
    max_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


@dataclass(frozen=True)
class Job:
    """A command to time, with its environment."""

    argv: tuple[str, ...]
    env: dict[str, str]
    capture: bool = False


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


# --------------------------------------------------------------------------- processes


def run(job: Job) -> Run:
    """Run a child process to its end: wall time, peak memory (max RSS), output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
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
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    rss = usage.ru_maxrss / RSS_UNIT
    result = Run(seconds, rss, child.returncode, stdout, stderr)
    if result.returncode != 0:
        tail = "\n".join(stderr.strip().splitlines()[-5:])
        raise BenchError(f"{' '.join(job.argv)} exited with {result.returncode}:\n{tail}")
    return result


def timed_pair(
    first: Callable[[], Job], second: Callable[[], Job], runs: int
) -> tuple[list[Run], list[Run]]:
    """Time two commands ``runs`` times each, alternating, after one warm-up run each.

    Alternating spreads any drift of the machine (another process, thermal throttling)
    over both sides instead of loading it onto one. The factories are called before each
    run (outside the timing), so a run can get a fresh home.
    """
    run(first())
    run(second())
    a: list[Run] = []
    b: list[Run] = []
    for _ in range(runs):
        a.append(run(first()))
        b.append(run(second()))
    return a, b


def seconds_of(runs: Sequence[Run]) -> Stat:
    return Stat.of([r.seconds for r in runs])


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

    def __init__(self, workdir: Path, sizes: Sizes, *, peers: bool, log: Callable[[str], None]):
        self.workdir = workdir
        self.sizes = sizes
        self.runs = sizes.runs
        self.python = Path(sys.executable)
        self.leadtime = self.python.parent / "leadtime"
        self.log = log
        self.homes = workdir / "homes"  # made unique in setup(): runs may overlap
        self.peers = peers
        self.watson: Path | None = None
        self.peer_note = "--no-peers" if not peers else ""
        self.data: Data | None = None
        self._counter = 0

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
        folder = self.workdir / "data" / f"{self.sizes.years}y-{self.sizes.entries}e-seed{SEED}"
        stamp = folder / "stamp.json"
        data = Data(folder / "heavy.ics", folder / "history.jsonl", folder / "watson", {})
        if stamp.is_file():
            saved = json.loads(stamp.read_text(encoding="utf-8"))
            if saved.get("generator") == source:
                return Data(data.calendar, data.history, data.watson_dir, saved["stats"])
        self.log(f"generating {folder.name} ...")
        shutil.rmtree(folder, ignore_errors=True)
        # In a child process: on Linux a child's peak memory (ru_maxrss) starts from this
        # process's, so the runner stays small to keep the import's memory figures honest.
        script = GENERATE_SCRIPT.format(
            here=str(HERE), calendar=str(data.calendar), history=str(data.history),
            frames=str(data.watson_dir / "frames"), years=self.sizes.years,
            entries=self.sizes.entries, seed=SEED,
        )  # fmt: skip
        done = run(Job((sys.executable, "-c", script), base_env(), capture=True))
        stats = json.loads(done.stdout)
        stamp.write_text(json.dumps({"generator": source, "stats": stats}), encoding="utf-8")
        return Data(data.calendar, data.history, data.watson_dir, stats)

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
        home = self.new_dir("home")
        (home / "config.toml").write_text(
            f'timezone = "{TIMEZONE}"\nme = ["{ME}"]\n', encoding="utf-8"
        )
        self.lt(home, "ls")  # creates the schema: not part of any measured command
        return home

    def copy_home(self, template: Path) -> Path:
        home = self.new_dir("home")
        shutil.copytree(template, home, dirs_exist_ok=True)
        return home

    def env(self, home: Path) -> dict[str, str]:
        env = base_env()
        env.update(LEADTIME_HOME=str(home), LEADTIME_NOW=NOW)
        return env

    def watson_env(self, folder: Path) -> dict[str, str]:
        env = base_env()
        env["WATSON_DIR"] = str(folder)
        return env

    def lt_job(self, home: Path, *args: str, capture: bool = False) -> Job:
        return Job((str(self.leadtime), *args), self.env(home), capture)

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
    return Figure(key, label, unit, leadtime, baseline, baseline_label, target, ratio, met, note)


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


def measure_log(bench: Bench, results: Results) -> Path:
    """``leadtime log`` with the history stored vs an empty database; returns the full home."""
    empty = bench.new_home()
    full = bench.new_home()
    began = time.perf_counter()
    bench.lt(full, "restore", str(bench.files.history))
    results.notes.append(
        f"restore of {bench.sizes.entries:,} entries (setup, not a target): "
        f"{time.perf_counter() - began:.2f} s"
    )
    with_history, without = timed_pair(
        lambda: bench.lt_job(full, *LOG_ARGS), lambda: bench.lt_job(empty, *LOG_ARGS), bench.runs
    )
    results.figures.append(
        compared(
            "log",
            f"leadtime log, {bench.sizes.entries:,} entries stored",
            "s",
            seconds_of(with_history),
            seconds_of(without),
            "leadtime log, empty database",
            low=0.90,
            high=1.10,
        )
    )
    results.figures.append(watson_add(bench))
    return full


def watson_add(bench: Bench) -> Figure:
    label = f"watson add, {bench.sizes.entries:,} frames (peer)"
    if bench.watson is None:
        return compared(
            "watson_add", label, "s", None, None, "watson add, no frames",
            note=f"n/a: {bench.peer_note}",
        )  # fmt: skip
    watson = str(bench.watson)
    full = bench.new_dir("watson")
    shutil.copytree(bench.files.watson_dir, full, dirs_exist_ok=True)
    empty = bench.new_dir("watson")
    with_frames, without = timed_pair(
        lambda: Job((watson, *WATSON_ADD_ARGS), bench.watson_env(full)),
        lambda: Job((watson, *WATSON_ADD_ARGS), bench.watson_env(empty)),
        bench.runs,
    )
    return compared(
        "watson_add",
        label,
        "s",
        seconds_of(with_frames),
        seconds_of(without),
        "watson add, no frames",
    )


def import_window() -> tuple[datetime, datetime]:
    """The window ``leadtime import`` expands by default: 1970 up to the horizon after now."""
    now = datetime.fromisoformat(NOW).astimezone(UTC)
    return datetime(1970, 1, 1, tzinfo=UTC), now + timedelta(weeks=HORIZON_WEEKS)


def measure_import(bench: Bench, results: Results) -> None:
    template = bench.new_home()
    calendar = str(bench.files.calendar)
    start, end = import_window()
    bare_job = Job(
        (str(bench.python), str(bench.workdir / "bare_import.py"), calendar,
         start.isoformat(), end.isoformat()),
        base_env(),
    )  # fmt: skip
    homes: list[Path] = []

    def fresh_import() -> Job:
        homes.append(bench.copy_home(template))
        return bench.lt_job(homes[-1], "import", calendar, capture=True)

    mine, bare = timed_pair(fresh_import, lambda: bare_job, bench.runs)
    stats = bench.files.stats
    size = f"{stats.get('instances', 0):,} instances, {stats.get('bytes', 0) / 1e6:.1f} MB"
    results.figures.append(
        compared(
            "import",
            f"leadtime import ({size})",
            "s",
            seconds_of(mine),
            seconds_of(bare),
            "icalendar + recurring-ical-events",
            high=1.20,
        )
    )
    memory, bare_memory = memory_of(mine), memory_of(bare)
    runner_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / RSS_UNIT
    results.figures.append(
        compared(
            "import_memory",
            "leadtime import, peak memory",
            "MB",
            memory,
            bare_memory,
            "icalendar + recurring-ical-events",
            note=f"a child's peak cannot read below the runner's own {runner_mb:.0f} MB",
        )
    )
    summary = mine[-1].stdout.strip().splitlines()
    if summary:
        results.notes.append(f"import: {summary[-1]}")
    results.checks.append(reimport_check(bench, homes[-1], calendar))
    for home in homes[:-1]:
        shutil.rmtree(home, ignore_errors=True)


def reimport_check(bench: Bench, home: Path, calendar: str) -> Check:
    """A second import of the same file changes nothing: same entries, same ids."""
    before = bench.lt(home, "export").stdout.splitlines()[1:]  # without the header line
    output = bench.lt(home, "import", calendar).stdout.strip()
    after = bench.lt(home, "export").stdout.splitlines()[1:]
    unchanged = REIMPORT_UNCHANGED in output or output.endswith(": unchanged")
    same = before == after
    detail = (output.splitlines() or ["(no output)"])[-1]
    if not same:
        detail += f"; the export differs ({len(before)} -> {len(after)} entries)"
    else:
        detail += f"; export identical ({len(after):,} entries, same ids)"
    return Check("re-import changes nothing", unchanged and same, detail)


def measure_report(bench: Bench, results: Results, full: Path) -> None:
    weeks = 52 * bench.sizes.years
    job = bench.lt_job(full, "report", "--weeks", str(weeks))
    label = f"leadtime report --weeks {weeks}, {bench.sizes.entries:,} entries"
    span_from = date(generate.END.year - bench.sizes.years, 10, 1).isoformat()
    span_to = generate.END.isoformat()
    baseline_label = f"watson report --from {span_from} --to {span_to}"
    if bench.watson is None:
        mine = [run(job)] + [run(job) for _ in range(bench.runs)]
        results.figures.append(
            compared(
                "report",
                label,
                "s",
                seconds_of(mine[1:]),
                None,
                baseline_label,
                high=0.25,
                note=f"n/a: {bench.peer_note}",
            )
        )
        return
    frames = bench.new_dir("watson")
    shutil.copytree(bench.files.watson_dir, frames, dirs_exist_ok=True)
    watson_job = Job(
        (str(bench.watson), "report", "--from", span_from, "--to", span_to),
        bench.watson_env(frames),
    )
    mine, theirs = timed_pair(lambda: job, lambda: watson_job, bench.runs)
    results.figures.append(
        compared(
            "report", label, "s", seconds_of(mine), seconds_of(theirs), baseline_label, high=0.25
        )
    )


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


def measure_reclassify(bench: Bench, results: Results, full: Path) -> None:
    """In-process: re-run changed rules over every stored entry, through the application
    layer's explicit re-classification step (what a command runs after a rule change)."""
    from leadtime.app.workspace import Workspace
    from leadtime.entry import Classification

    rule_files = []
    for name, text in (("rules-a.toml", RULES_A), ("rules-b.toml", RULES_B)):
        path = full / name
        path.write_text(text, encoding="utf-8")
        rule_files.append(path)
    rates: list[float] = []
    changed: list[int] = []
    with leadtime_home(full):
        for index in range(bench.runs + 1):  # the first run warms up
            ws = Workspace(rules_file=rule_files[index % 2])
            _ = (ws.rules, ws.settings, ws.database)  # loaded before the clock starts
            rows_seen: list[int] = []
            classify_rows = ws.classify_rows

            def counting(
                rows: list[Any], seen: list[int] = rows_seen, inner: Any = classify_rows
            ) -> list[Classification]:
                seen.append(len(rows))
                decisions: list[Classification] = inner(rows)
                return decisions

            ws.classify_rows = counting  # type: ignore[method-assign]
            began = time.perf_counter()
            count = ws.refresh(force=True)
            seconds = time.perf_counter() - began
            if index:
                rates.append(sum(rows_seen) / seconds)
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
    return f"{stat.median:g}"


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
                "baseline_label": f.baseline_label,
                "ratio": f.ratio,
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
        f"{context['runs']} runs per figure: median (min-max), after one warm-up run"
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
            leadtime = format_value(f.leadtime, f.unit)
        baseline = format_value(f.baseline, f.unit) if f.baseline_label else "-"
        if f.note.startswith("n/a"):
            baseline = f.note
        ratio = f"{f.ratio:.2f}" if f.ratio is not None else "-"
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
        "--workdir", type=Path, default=HERE / ".work", help="work files (default benchmarks/.work)"
    )
    args = parser.parse_args(argv)
    if args.runs is not None and args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run every measurement and print the table (or JSON). 0 unless a step failed."""
    args = parse_args(argv)
    sizes = QUICK if args.quick else FULL
    if args.runs is not None:
        sizes = Sizes(sizes.years, sizes.entries, args.runs)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    bench = Bench(args.workdir.resolve(), sizes, peers=not args.no_peers, log=log)
    results = Results()
    try:
        bench.setup()
        log("measuring start-up ...")
        measure_startup(bench, results)
        log("measuring log ...")
        full = measure_log(bench, results)
        log("measuring import ...")
        measure_import(bench, results)
        log("measuring report ...")
        measure_report(bench, results, full)
        log("measuring re-classification ...")
        measure_reclassify(bench, results, full)
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
