"""The team view's speed: ``team report --weeks 52`` over 1,000 leads x 104 published weeks
against a personal ``report --weeks 52`` (target: <= 1.5x), and one ``team publish`` of 52
weeks (target: <= 0.5 s beyond start-up; start-up being ``leadtime status`` on the same
home: the program started, its configuration read, its database opened).

Starts a PostgreSQL server of its own on 127.0.0.1 (Debian's ``postgresql``; members sign
in with SCRAM passwords, as on a real server), sets the team up with ``leadtime team
init`` and ``team add`` as a non-superuser owner, and writes 1,000 generated leads' 104
weeks straight into the tables (the owner's COPY: generating them through 1,000 homes
would measure nothing). The lead who reports and publishes is a real member whose home is
the benchmark's full personal history. CPU time counts the client and the server: the
PostgreSQL processes' CPU during each run is added to the command's (as the CalDAV figure
adds Radicale's).

Also measured, for the record of the choice: the team connection through psycopg2 (what
leadtime uses), psycopg 3, and SQLAlchemy on either, each signing in and reading the
report function's 52 weeks in a bare script.

Run it through ``benchmarks/run.py --only team``; ``python benchmarks/team_bench.py
[--quick]`` prints the same figures on its own.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run as runner  # noqa: E402  (the runner beside this file: jobs, figures, homes)

LEADS = 1_000
QUICK_LEADS = 50  # --quick: a smoke run that only checks every figure can be made
WEEKS = 104
REPORTED = 52
STARTUP = "leadtime status (start-up: configuration read, database opened)"
SUPERUSER = "bench"
OWNER, OWNER_PASSWORD = "team_owner", "owner-bench-pw-1"
YOU, YOU_PASSWORD = "you", "you-bench-pw-1"
DATABASE = "team"
SEED = 11
ACTIVITIES = {
    "leadership": ("review", "1:1", "rfc", "alignment", "planning", "hiring"),
    "hands-on": ("coding", "bugfix", "spike"),
}
DRIVERS = {
    "psycopg2": "import psycopg2\n"
    "c = psycopg2.connect(host='127.0.0.1', port={port}, user='{user}', password='{pw}',"
    " dbname='{db}')\ncur = c.cursor()\ncur.execute(\"{query}\")\nrows = cur.fetchall()\n",
    "psycopg": "import psycopg\n"
    "c = psycopg.connect(host='127.0.0.1', port={port}, user='{user}', password='{pw}',"
    " dbname='{db}')\nrows = c.execute(\"{query}\").fetchall()\n",
    "sqlalchemy+psycopg2": "import sqlalchemy as sa\n"
    "e = sa.create_engine('postgresql+psycopg2://{user}:{pw}@127.0.0.1:{port}/{db}')\n"
    'rows = e.connect().execute(sa.text("{query}")).fetchall()\n',
    "sqlalchemy+psycopg": "import sqlalchemy as sa\n"
    "e = sa.create_engine('postgresql+psycopg://{user}:{pw}@127.0.0.1:{port}/{db}')\n"
    'rows = e.connect().execute(sa.text("{query}")).fetchall()\n',
}


# --------------------------------------------------------------------------- the server


@dataclass
class Postgres:
    process: subprocess.Popen[bytes]
    port: int
    base: Path

    def cpu(self) -> float:
        """CPU seconds of the server so far: the postmaster, its live children (the
        backends of open connections) and the children it has reaped."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        pid = self.process.pid
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            child = int(fields[1]) == pid  # ppid
            if child or stat.parent.name == str(pid):
                total += int(fields[11]) + int(fields[12])  # utime, stime
                if not child:
                    total += int(fields[13]) + int(fields[14])  # cutime, cstime
        return total / ticks

    def connect(self, user: str, password: str | None = None, db: str = DATABASE) -> Any:
        import psycopg2

        return psycopg2.connect(host="127.0.0.1", port=self.port, user=user,
                                password=password, dbname=db)  # fmt: skip


def _bindir() -> Path:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").is_file():
            return candidate
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    raise runner.BenchError("PostgreSQL is not installed (apt-get install postgresql)")


@contextlib.contextmanager
def postgres() -> Iterator[Postgres]:
    """A throwaway server: the superuser signs in without a password, everyone else with
    SCRAM. As root it runs as the 'postgres' account, in a directory of its own."""
    bindir = _bindir()
    parent = Path("/dev/shm") if os.access("/dev/shm", os.W_OK) else Path(tempfile.gettempdir())
    base = Path(tempfile.mkdtemp(prefix="leadtime-bench-pg-", dir=parent))
    user: dict[str, Any] = {}
    if os.geteuid() == 0:
        import pwd

        account = pwd.getpwnam("postgres")
        os.chown(base, account.pw_uid, account.pw_gid)
        user = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
    data = base / "data"
    process = None
    try:
        subprocess.run(
            [bindir / "initdb", "-D", data, "-U", SUPERUSER, "-A", "trust", "-E", "UTF8",
             "--locale=C", "--no-sync", "--no-instructions"],
            check=True, capture_output=True, cwd=base, **user,
        )  # fmt: skip
        (data / "pg_hba.conf").write_text(
            f"host all {SUPERUSER} 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n"
        )
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        process = subprocess.Popen(
            [bindir / "postgres", "-D", data, "-h", "127.0.0.1", "-p", str(port), "-k", "",
             "-F", "-c", "synchronous_commit=off"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=base, **user,
        )  # fmt: skip
        server = Postgres(process, port, base)
        _wait(server)
        yield server
    finally:
        if process is not None:
            process.send_signal(2)  # SIGINT: fast shutdown
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(base, ignore_errors=True)


def _wait(server: Postgres) -> None:
    import psycopg2

    for _ in range(600):
        try:
            server.connect(SUPERUSER, db="postgres").close()
            return
        except psycopg2.OperationalError:
            time.sleep(0.05)
    raise runner.BenchError("the benchmark's PostgreSQL server did not start")


# --------------------------------------------------------------------------- the data


def last_mondays(count: int) -> list[date]:
    """The Mondays of the ``count`` complete weeks before the runner's NOW, oldest first."""
    now = date.fromisoformat(runner.NOW[:10])
    current = now - timedelta(days=now.weekday())
    return [current - timedelta(weeks=back) for back in range(count, 0, -1)]


def leads_of(bench: Any) -> int:
    """1,000 leads, or a few in a quick run."""
    return LEADS if bench.sizes.entries >= runner.FULL.entries else QUICK_LEADS


def generate(server: Postgres, leads: int = LEADS) -> int:
    """``leads`` x 104 weeks straight into the tables (as the owner); returns the rows."""
    rng = random.Random(SEED)
    weeks, activities = io.StringIO(), io.StringIO()
    mondays = last_mondays(WEEKS)
    rows = 0
    for lead in range(leads):
        member = f"lead{lead:04d}"
        bias = rng.gauss(0.68, 0.08)  # each lead has a habit
        hires = rng.random() < 0.3
        for monday in mondays:
            total = rng.uniform(1500, 2700)
            share = min(max(rng.gauss(bias, 0.06), 0.2), 0.97)
            leadership, hands_on = round(total * share, 1), round(total * (1 - share), 1)
            other, unclassified = round(rng.uniform(0, 300), 1), round(rng.uniform(0, 60), 1)
            shown = round(100 * share, 1)
            verdict = "on-target"
            if not 65 <= shown <= 75:
                verdict = "too-hands-on" if shown < 65 else "too-hands-off"
            weeks.write(f"{member}\t{monday}\t{leadership}\t{hands_on}\t{other}\t"
                        f"{unclassified}\t{verdict}\n")  # fmt: skip
            for category, minutes in (("leadership", leadership), ("hands-on", hands_on)):
                labels = [a for a in ACTIVITIES[category] if hires or a != "hiring"]
                cuts = sorted(rng.random() for _ in labels[1:])
                parts = [b - a for a, b in zip([0.0, *cuts], [*cuts, 1.0], strict=True)]
                for label, part in zip(labels, parts, strict=True):
                    activities.write(f"{member}\t{monday}\t{category}\t{label}\t"
                                     f"{round(minutes * part, 1)}\n")  # fmt: skip
            if other:
                activities.write(f"{member}\t{monday}\tother\t(none)\t{other}\n")
            rows += 1
    conn = server.connect(OWNER, OWNER_PASSWORD)
    with conn, conn.cursor() as cursor:
        weeks.seek(0)
        activities.seek(0)
        cursor.copy_expert("COPY leadtime_team.weeks (member, week, leadership, hands_on, "
                           "other, unclassified, verdict) FROM STDIN", weeks)  # fmt: skip
        cursor.copy_expert("COPY leadtime_team.activities FROM STDIN", activities)
        cursor.execute("ANALYZE leadtime_team.weeks")
        cursor.execute("ANALYZE leadtime_team.activities")
    conn.close()
    return rows


def prepare(server: Postgres, bench: Any, results: Any, lt: Callable[..., Any]) -> Path:
    """The team (init, you added, the generated leads' weeks), and your home: the full
    history, joined. Returns the home."""
    admin = server.connect(SUPERUSER, db="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {OWNER} LOGIN CREATEROLE PASSWORD '{OWNER_PASSWORD}'")
        cursor.execute(f"CREATE DATABASE {DATABASE} OWNER {OWNER}")
    admin.close()
    owner = bench.new_home()
    env = {"LEADTIME_TEAM_PASSWORD": OWNER_PASSWORD}
    url = f"postgresql://{OWNER}@127.0.0.1:{server.port}/{DATABASE}"
    lt(owner, env, "team", "init", url)
    lt(owner, env, "team", "add", YOU, "--password-stdin", input=YOU_PASSWORD)
    began = time.perf_counter()
    rows = generate(server, leads_of(bench))
    results.notes.append(
        f"team: {leads_of(bench):,} leads x {WEEKS} weeks ({rows:,} published weeks) generated in "
        f"{time.perf_counter() - began:.1f} s (setup)"
    )
    home = bench.copy_home(runner.full_home(bench, results))
    you = {"LEADTIME_TEAM_PASSWORD": YOU_PASSWORD}
    lt(home, you, "team", "join", f"postgresql://{YOU}@127.0.0.1:{server.port}/{DATABASE}")
    lt(home, you, "team", "publish", "--weeks", str(WEEKS))  # your own 104 weeks
    return home


# --------------------------------------------------------------------------- figures


def measure(bench: Any, results: Any) -> None:
    """The team figures, into the runner's results (not measured, and saying why, without
    psycopg2 or a PostgreSQL server)."""
    missing = ""
    try:
        import psycopg2  # noqa: F401

        _bindir()
    except ImportError:
        missing = "psycopg2 is not installed (pip install -e '.[team]')"
    except runner.BenchError as exc:
        missing = str(exc)
    if missing:
        results.figures.append(runner.measured(
            "team_report", f"leadtime team report --weeks {REPORTED}", None, None,
            f"leadtime report --weeks {REPORTED}", high=1.5, note=f"n/a: {missing}",
        ))  # fmt: skip
        results.figures.append(runner.Figure(
            "team_publish", f"leadtime team publish --weeks {REPORTED}", "s", None, None,
            STARTUP, "<= +0.50 s CPU", None, None,
            f"n/a: {missing}",
        ))  # fmt: skip
        return

    def lt(home: Path, extra: dict[str, str], *args: str, input: str | None = None) -> str:
        done = subprocess.run([str(bench.leadtime), *args], env={**bench.env(home), **extra},
                              input=input, capture_output=True, text=True)  # fmt: skip
        if done.returncode != 0:
            raise runner.BenchError(f"leadtime {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    with postgres() as server:
        home = prepare(server, bench, results, lt)
        env = {**bench.env(home), "LEADTIME_TEAM_PASSWORD": YOU_PASSWORD}

        def job(*args: str, server_cpu: bool = True) -> runner.Job:
            return runner.Job((str(bench.leadtime), *args), env, True,
                              server.cpu if server_cpu else None)  # fmt: skip

        weeks = str(REPORTED)
        sides = {
            "team": lambda: [("report", job("team", "report", "--weeks", weeks), True)],
            "personal": lambda: [
                ("report", job("report", "--weeks", weeks, server_cpu=False), True)
            ],
            "publish": lambda: [("publish", job("team", "publish", "--weeks", weeks), True)],
            "startup": lambda: [("publish", job("status", server_cpu=False), True)],
        }
        timed = runner.timed_rounds(sides, bench.runs, warmup=bench.warmup)
        team, personal = timed["team"]["report"], timed["personal"]["report"]
        said = team[-1].stdout.splitlines()
        server_share = sorted(r.server_cpu for r in team)[len(team) // 2]
        results.figures.append(runner.measured(
            "team_report", f"leadtime team report --weeks {REPORTED}, {leads_of(bench):,} leads x "
            f"{WEEKS} weeks", team, personal,
            f"leadtime report --weeks {REPORTED}, {bench.sizes.entries:,} entries", high=1.5,
            note=f"CPU of leadtime and of PostgreSQL ({server_share:.3f} s of it the server's); "
            f"its first week: {said[3] if len(said) > 3 else '?'}",
        ))  # fmt: skip
        publish, startup = timed["publish"]["publish"], timed["startup"]["publish"]
        cpu, base = runner.cpu_of(publish), runner.cpu_of(startup)
        beyond = cpu.median - base.median
        results.figures.append(runner.Figure(
            "team_publish", f"leadtime team publish --weeks {REPORTED}", "s",
            runner.seconds_of(publish), runner.seconds_of(startup),
            STARTUP, "<= +0.50 s CPU", None, beyond <= 0.5,
            f"{beyond:.3f} s CPU beyond start-up (leadtime and PostgreSQL); it said: "
            f"{publish[-1].stdout.strip()}", "cpu", cpu, base,
        ))  # fmt: skip
        results.checks.append(heavy_check(bench, env))
        measure_drivers(bench, results, server)


def heavy_check(bench: Any, env: dict[str, str]) -> Any:
    """Which heavy modules ``team report`` loads (none of SQLAlchemy, Alembic, psycopg 3)."""
    done = subprocess.run([str(bench.python), "-X", "importtime", str(bench.leadtime), "team",
                           "report", "--weeks", str(REPORTED)], env=env, capture_output=True,
                          text=True)  # fmt: skip
    found = runner.heavy_modules(done.stderr)
    psycopg3 = any(line.rstrip().endswith("| psycopg") for line in done.stderr.splitlines())
    loaded = [*found, *(["psycopg"] if psycopg3 else [])]
    return runner.Check("team report loads no SQLAlchemy, Alembic or psycopg 3", not loaded,
                        ", ".join(loaded) or "none of them")  # fmt: skip


def measure_drivers(bench: Any, results: Any, server: Postgres) -> None:
    """Sign in as a member and read 52 weeks of the report function, in a bare script per
    driver (the choice of psycopg2 for the team connection)."""
    mondays = last_mondays(REPORTED)
    query = f"SELECT * FROM leadtime_team.report('{mondays[0]}', '{mondays[-1]}')"
    env = runner.base_env()
    jobs = {}
    for name, template in DRIVERS.items():
        script = template.format(port=server.port, user=YOU, pw=YOU_PASSWORD, db=DATABASE,
                                 query=query)  # fmt: skip
        jobs[name] = runner.Job((str(bench.python), "-c", script), env, False, server.cpu)
    bare = runner.Job((str(bench.python), "-S", "-c", "import sqlite3"), env)
    sides = {name: (lambda j=j: [("query", j, True)]) for name, j in jobs.items()}
    sides["bare"] = lambda: [("query", bare, True)]
    timed = runner.timed_rounds(sides, bench.runs, warmup=bench.warmup)
    floor = runner.cpu_of(timed["bare"]["query"])
    for name in DRIVERS:
        runs = timed[name]["query"]
        cpu = runner.cpu_of(runs)
        server_part = sorted(r.server_cpu for r in runs)[len(runs) // 2]
        results.figures.append(runner.Figure(
            f"team_driver_{name}", f"bare {name}: sign in, report of {REPORTED} weeks", "s",
            runner.seconds_of(runs), runner.seconds_of(timed["bare"]["query"]),
            "python -S -c 'import sqlite3'", "", cpu.median / floor.median, None,
            f"{server_part:.3f} s of the CPU is the server's", "cpu", cpu, floor,
        ))  # fmt: skip


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    sizes = runner.QUICK if quick else runner.FULL
    bench = runner.Bench((HERE / ".work").resolve(), sizes, peers=False,
                         log=lambda m: print(m, file=sys.stderr), warmup=not quick)  # fmt: skip
    results = runner.Results()
    try:
        bench.setup()
        measure(bench, results)
    except runner.BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        bench.cleanup()
    runner.print_table(results, runner.context_of(bench))
    return 0


if __name__ == "__main__":
    sys.exit(main())
