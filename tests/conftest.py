"""Shared fixtures: a private leadtime home in tmp_path, a fixed clock and zone, a CLI runner,
the Hypothesis profiles, the slow pass, and a throwaway PostgreSQL server."""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from datetime import time as clock
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from leadtime.cli import main
from leadtime.entry import Entry

# A Friday evening in Berlin; every test sees the same "now" and zone, whatever the machine.
NOW = "2026-11-20T18:00:00+01:00"
ZONE = "Europe/Berlin"
REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "ics-corpus"

# Hypothesis: the same examples on every run and machine by default (a failure seen once is
# seen again); `--hypothesis-profile=random` (or HYPOTHESIS_PROFILE=random) explores more.
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "random",
    derandomize=False,
    database=None,
    deadline=None,
    max_examples=1_000,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test run once per file of the shared .ics corpus is an exhaustive run: it belongs
    to the slow pass (`pytest -m slow`, run by .ci/run), not to the quick default one.
    Named fixtures under tests/fixtures stay quick."""
    corpus = CORPUS.resolve()
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is None:
            continue
        for value in callspec.params.values():
            if isinstance(value, Path) and value.resolve().is_relative_to(corpus):
                item.add_marker(pytest.mark.slow)
                break


@dataclass
class Home:
    path: Path

    @property
    def db(self) -> Path:
        return self.path / "leadtime.db"

    @property
    def config(self) -> Path:
        return self.path / "config.toml"

    @property
    def rules(self) -> Path:
        return self.path / "rules.toml"

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LEADTIME_")}
        env.update(LEADTIME_HOME=str(self.path), LEADTIME_NOW=NOW, NO_COLOR="1", COLUMNS="120")
        env.update(extra)
        return env


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Home:
    path = tmp_path / "home"
    path.mkdir()
    (path / "config.toml").write_text(f'timezone = "{ZONE}"\n', encoding="utf-8")
    for key in list(os.environ):
        if key.startswith("LEADTIME_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("LEADTIME_HOME", str(path))
    monkeypatch.setenv("LEADTIME_NOW", NOW)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    return Home(path)


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


Run = Callable[..., Result]


def run_main(
    args: Sequence[str], *, input: str | None = None, env: dict[str, str] | None = None
) -> Result:
    """Run ``leadtime.cli.main(args)`` in-process, as the console script does, with its
    standard streams and environment isolated by CliRunner; stdout and stderr apart."""
    runner = CliRunner()
    with runner.isolation(input=input, env=env) as (stdout, stderr, _):
        try:
            code = main(list(args))
        except SystemExit as done:  # only Typer's own exits get here
            code = done.code if isinstance(done.code, int) else 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        out, err = stdout.getvalue(), stderr.getvalue()
    return Result(code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))


@pytest.fixture
def cli(home: Home) -> Run:
    """Run leadtime in-process through ``main(argv)``, the path users hit."""

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        return run_main(args, input=input, env=env)

    return run


@pytest.fixture
def proc(home: Home) -> Run:
    """Run leadtime as a real process (exit codes, signals, concurrency)."""

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        done = subprocess.run(
            [sys.executable, "-m", "leadtime", *args],
            input=input,
            capture_output=True,
            text=True,
            env=home.env(**(env or {})),
            timeout=120,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    return run


# --------------------------------------------------------------------------- PostgreSQL


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """One PostgreSQL server per test process (each xdist worker has its own), started on
    first use on 127.0.0.1 and stopped at the end; its admin URL. Skips when no server can
    be had, unless LEADTIME_TEST_POSTGRES=require (as in CI), which turns the skip into a
    failure."""
    with postgres_server() as admin_url:
        yield admin_url


@pytest.fixture
def pg_url(pg_server_url: str) -> Iterator[str]:
    """A fresh, empty database on that server for this test (postgresql+psycopg://...)."""
    # On a throwaway server the databases go with it; on a server of yours they are dropped.
    drop = "LEADTIME_TEST_POSTGRES_URL" in os.environ
    with fresh_database(pg_server_url, drop=drop) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test that takes it runs twice: on a fresh SQLite file and a fresh PostgreSQL
    database (the second skips, or fails under LEADTIME_TEST_POSTGRES=require, without a
    server)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'contract.db'}"
    return str(request.getfixturevalue("pg_url"))


PG_REQUIRED = os.environ.get("LEADTIME_TEST_POSTGRES") == "require"
PG_USER = "leadtime"
# The superuser signs in without a password, as initdb's trust set it up; every other role
# (the team's members) with its SCRAM password, as on a real server, so that a wrong
# password is refused.
PG_HBA = f"""\
host all {PG_USER} 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
"""
_database_names = itertools.count(1)


def _no_postgres(reason: str) -> None:
    if PG_REQUIRED:
        pytest.fail(f"PostgreSQL is required (LEADTIME_TEST_POSTGRES=require): {reason}")
    pytest.skip(f"no PostgreSQL server: {reason}")


def postgres_bindir() -> Path | None:
    """Where initdb and postgres are: $LEADTIME_TEST_PG_BINDIR, Debian's newest
    /usr/lib/postgresql/N/bin, pg_config --bindir, or PATH."""
    candidates: list[Path] = []
    if explicit := os.environ.get("LEADTIME_TEST_PG_BINDIR"):
        bindir = Path(explicit)
        return bindir if (bindir / "initdb").is_file() else None
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        versions = [d for d in debian.iterdir() if d.name.isdigit()]
        candidates += [d / "bin" for d in sorted(versions, key=lambda d: -int(d.name))]
    if pg_config := shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
            candidates.append(Path(out.stdout.strip()))
    if initdb := shutil.which("initdb"):
        candidates.append(Path(initdb).resolve().parent)
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "postgres").is_file():
            return bindir
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Start a throwaway PostgreSQL on 127.0.0.1 (trust auth for the superuser, SCRAM
    passwords for every other role; no fsync: test data only);
    or use the server of $LEADTIME_TEST_POSTGRES_URL (an admin URL) when it is set."""
    if external := os.environ.get("LEADTIME_TEST_POSTGRES_URL"):
        yield external
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _no_postgres("psycopg is not installed (pip install -e '.[test]')")
    bindir = postgres_bindir()
    if bindir is None:
        _no_postgres(
            "initdb/postgres not found (apt-get install postgresql, or set "
            "LEADTIME_TEST_PG_BINDIR or LEADTIME_TEST_POSTGRES_URL)"
        )
    assert bindir is not None
    # The server refuses to run as root: as root it runs as the 'postgres' (or 'nobody')
    # account, in a directory of its own outside pytest's private tmp tree.
    uid: int | None = None
    gid: int | None = None
    groups: list[int] | None = None
    # In memory where there is a /dev/shm: initdb and CREATE DATABASE take half the time.
    shm = Path("/dev/shm")
    in_memory = shm.is_dir() and os.access(shm, os.W_OK | os.X_OK)
    parent = shm if in_memory else Path(tempfile.gettempdir())
    _stop_orphans(parent)
    base = Path(tempfile.mkdtemp(prefix="leadtime-pg-", dir=parent))
    (base / "owner").write_text(str(os.getpid()))
    if os.geteuid() == 0:
        import pwd

        for name in ("postgres", "nobody"):
            with contextlib.suppress(KeyError):
                account = pwd.getpwnam(name)
                break
        else:
            shutil.rmtree(base)
            _no_postgres("running as root and there is no 'postgres' or 'nobody' account")
        os.chown(base, account.pw_uid, account.pw_gid)
        uid, gid, groups = account.pw_uid, account.pw_gid, []
    data = base / "data"
    server: subprocess.Popen[bytes] | None = None
    try:
        done = subprocess.run(
            [bindir / "initdb", "-D", data, "-U", PG_USER, "-A", "trust", "-E", "UTF8",
             "--locale=C", "--no-sync", "--no-instructions"],
            capture_output=True, text=True, cwd=base, check=False,
            user=uid, group=gid, extra_groups=groups,
        )  # fmt: skip
        if done.returncode != 0:
            _no_postgres(f"initdb failed: {done.stderr.strip()[-300:]}")
        (data / "pg_hba.conf").write_text(PG_HBA, encoding="utf-8")
        for _attempt in range(5):  # another process may take the free port first
            port = _free_port()
            log = (base / "server.log").open("ab")
            server = subprocess.Popen(
                [bindir / "postgres", "-D", data, "-h", "127.0.0.1", "-p", str(port),
                 "-k", "", "-F", "-c", "synchronous_commit=off",
                 "-c", "full_page_writes=off", "-c", "max_connections=50"],
                stdout=log, stderr=subprocess.STDOUT, cwd=base,
                user=uid, group=gid, extra_groups=groups,
            )  # fmt: skip
            log.close()
            url = f"postgresql+psycopg://{PG_USER}@127.0.0.1:{port}/postgres"
            if _wait_ready(server, port):
                break
            server.kill()
            server.wait()
            server = None
        else:
            _no_postgres("the server did not start: " + _tail(base / "server.log"))
        yield url
    finally:
        if server is not None:
            server.send_signal(2)  # SIGINT: fast shutdown
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        shutil.rmtree(base, ignore_errors=True)


def _stop_orphans(parent: Path) -> None:
    """Stop the servers of earlier test runs that were killed before they could stop them
    (their pytest process is gone), and remove their directories."""
    for base in parent.glob("leadtime-pg-*"):
        try:
            owner = int((base / "owner").read_text())
            os.kill(owner, 0)
            continue  # its test run is still going
        except ProcessLookupError:
            pass
        except (OSError, ValueError):
            continue  # not ours to judge
        with contextlib.suppress(OSError, ValueError, IndexError):
            server = int((base / "data" / "postmaster.pid").read_text().split()[0])
            if b"postgres" in Path(f"/proc/{server}/cmdline").read_bytes():
                os.kill(server, 3)  # SIGQUIT: immediate shutdown
                time.sleep(0.2)
        shutil.rmtree(base, ignore_errors=True)


def _tail(log: Path) -> str:
    with contextlib.suppress(OSError):
        return log.read_text(errors="replace").strip()[-300:]
    return "(no log)"


def _wait_ready(server: subprocess.Popen[bytes], port: int, timeout: float = 30.0) -> bool:
    import psycopg

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        try:
            psycopg.connect(host="127.0.0.1", port=port, user=PG_USER, dbname="postgres",
                            connect_timeout=2).close()  # fmt: skip
            return True
        except psycopg.OperationalError:
            time.sleep(0.05)
    return False


@contextlib.contextmanager
def fresh_database(admin_url: str, *, drop: bool = True) -> Iterator[str]:
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(admin_url)
    name = f"leadtime_test_{os.getpid()}_{next(_database_names)}"
    given = {"host": admin.host, "port": admin.port, "user": admin.username,
             "password": admin.password, "dbname": admin.database or "postgres"}  # fmt: skip
    params = {k: v for k, v in given.items() if v is not None}
    with psycopg.connect(**params, autocommit=True) as conn:
        # FILE_COPY (PostgreSQL 15+) copies template0's few files: faster than WAL_LOG here.
        strategy = " STRATEGY FILE_COPY" if conn.info.server_version >= 150000 else ""
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0{strategy}')
    try:
        yield admin.set(drivername="postgresql+psycopg", database=name).render_as_string(
            hide_password=False
        )
    finally:
        if drop:
            _drop_database(params, name)


def _drop_database(params: dict[str, Any], name: str) -> None:
    import psycopg

    with (
        contextlib.suppress(Exception),
        psycopg.connect(**params, autocommit=True) as conn,
    ):
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seconds_per_week(entries: Iterable[Entry], zone: tzinfo) -> dict[date, int]:
    """Each entry cut at local Monday midnights in ``zone``, summed per week (keyed by its
    Monday): plain arithmetic, independent of leadtime's report code."""
    totals: dict[date, float] = defaultdict(float)
    for entry in entries:
        start = entry.start
        while start < entry.end:
            local = start.astimezone(zone)
            monday = local.date() - timedelta(days=local.weekday())
            next_monday = datetime.combine(monday + timedelta(days=7), clock(), zone)
            cut = min(entry.end, next_monday.astimezone(UTC))
            totals[monday] += (cut - start).total_seconds()
            start = cut
    return {monday: round(seconds) for monday, seconds in totals.items()}
