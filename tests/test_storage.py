"""The database: versioned schema, upgrades in place, refusals that write nothing."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from leadtime.errors import ExitCode, StorageError
from leadtime.store import HEAD, REVISIONS, Store, StoreError
from leadtime.store.alchemy import upgrade
from leadtime.store.models import SQLModel


def url(path: Path) -> str:
    return f"sqlite:///{path}"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_store_terms(error: StorageError) -> None:
    """Store messages name the database, never a command or a flag."""
    for text in (error.message, error.hint or ""):
        assert "'leadtime" not in text and " --" not in text and "LEADTIME_" not in text


def test_new_database_is_private_and_at_the_latest_schema(tmp_path: Path) -> None:
    path = tmp_path / "data" / "leadtime.db"
    Store.open(url(path)).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_new_files_stay_private_under_a_permissive_umask(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "leadtime.db"
    old = os.umask(0)
    try:
        Store.open(url(path)).close()
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.parent.parent.stat().st_mode) == 0o700


def test_baseline_database_is_upgraded_in_place_without_losing_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = create_engine(url(path))
    with engine.begin() as conn:
        upgrade(conn, REVISIONS[0])
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO entries (id, start_ts, end_ts, title, note, location, tags, origin,"
            " attendees, category, activity, decided_by, created_ts, updated_ts)"
            " VALUES ('abcd1234', 1763650800, 1763653500, 'Reviewed the auth RFC', '', '',"
            " 'rfc', 'log', 0, 'leadership', 'rfc', 'manual', 1, 1)"
        )
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    with engine.begin() as conn:
        upgrade(conn, "0002")
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO calendars (name, source, last_import_ts, events, instances, excluded)"
            " VALUES ('work', '/home/dana/work.ics', 1763650800, 12, 30, 2)"
        )
    engine.dispose()

    store = Store.open(url(path))

    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
        row = conn.execute("SELECT id, start_ts, end_ts, title, decided_by FROM entries").fetchall()
        assert row == [("abcd1234", 1763650800, 1763653500, "Reviewed the auth RFC", "manual")]
        calendars = conn.execute(
            "SELECT name, kind, source, events, instances, excluded, state FROM calendars"
        ).fetchall()
        assert calendars == [("work", "ics", "/home/dana/work.ics", 12, 30, 2, "{}")]
        assert conn.execute("SELECT count(*) FROM source_objects").fetchone() == (0,)
    from leadtime.store import list_sources

    with store.read() as conn:
        (info,) = list_sources(conn)
    assert (info.name, info.kind, info.state, info.events) == ("work", "ics", {}, 12)


def test_migrations_create_exactly_what_the_models_declare(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    path = tmp_path / "x.db"
    Store.open(url(path)).close()
    engine = create_engine(url(path))
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    engine.dispose()
    assert diff == []


def test_database_from_a_newer_leadtime_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    Store.open(url(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("UPDATE alembic_version SET version_num = '0999'")
    before = digest(path)
    with pytest.raises(StoreError) as caught:
        Store.open(url(path))
    assert "newer leadtime" in caught.value.message
    assert caught.value.reason == "newer"
    assert caught.value.exit_code == ExitCode.INPUT
    assert_store_terms(caught.value)
    assert digest(path) == before


@pytest.mark.parametrize(
    "content", [b"this is my diary, not a database\n" * 40, b"\x00\x01garbage" * 100]
)
def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "leadtime.db"
    path.write_bytes(content)
    with pytest.raises(StoreError) as caught:
        Store.open(url(path))
    assert caught.value.reason == "not-sqlite"
    assert_store_terms(caught.value)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leadtime.db"]


def test_a_damaged_sqlite_file_is_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "leadtime.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 3000)
    before = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        Store.open(url(path))
    assert "damaged" in caught.value.message
    assert caught.value.reason == "damaged"
    assert_store_terms(caught.value)
    assert path.read_bytes() == before


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        Store.open(url(tmp_path))
    assert caught.value.reason == "directory"
    assert list(tmp_path.iterdir()) == []


def test_another_applications_database_stays_byte_identical(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER, amount TEXT)")
        conn.execute("INSERT INTO invoices VALUES (1, '120.00')")
    conn.close()
    before = digest(path)
    with pytest.raises(StoreError, match="not leadtime's") as caught:
        Store.open(url(path))
    assert caught.value.reason == "foreign"
    assert_store_terms(caught.value)
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]  # no -wal, no -shm
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    conn.close()


def test_an_empty_file_becomes_a_database(tmp_path: Path) -> None:
    path = tmp_path / "leadtime.db"
    path.touch()
    Store.open(url(path)).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
    conn.close()


def test_a_current_file_is_opened_without_writing_it(tmp_path: Path) -> None:
    path = tmp_path / "leadtime.db"
    Store.open(url(path)).close()
    before = (digest(path), path.stat().st_mtime_ns)
    store = Store.open(url(path))
    with store.read() as conn:
        assert conn.execute("SELECT count(*) FROM entries").fetchone() == (0,)
    store.close()
    assert (digest(path), path.stat().st_mtime_ns) == before


def test_an_in_memory_database_keeps_what_was_written() -> None:
    from datetime import UTC, datetime

    from leadtime.entry import Entry
    from leadtime.store import EntryFilter, add_entries, list_entries

    store = Store.open("sqlite://")
    moment = datetime(2026, 11, 16, 9, tzinfo=UTC)
    with store.write() as conn:
        add_entries(conn, [Entry(moment, moment.replace(hour=10), "Planning")], moment)
    with store.read() as conn:
        assert [e.title for e in list_entries(conn, EntryFilter())] == ["Planning"]
    store.close()


# --------------------------------------------------------------------------- URLs in messages


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("postgresql+psycopg://lead:s3cret@db.example.com/lt", "postgresql+psycopg://lead:…@db.example.com/lt"),
        ("postgresql://lead:p%40ss:w@host:5432/db?sslmode=require", "postgresql://lead:…@host:5432/db?sslmode=require"),
        ("postgresql://lead@host/db", "postgresql://lead@host/db"),
        ("postgresql://host/db", "postgresql://host/db"),
        ("postgresql://lead:@host/db", "postgresql://lead:…@host/db"),
        ("sqlite:////home/dana/.local/share/leadtime/leadtime.db", "sqlite:////home/dana/.local/share/leadtime/leadtime.db"),
        ("sqlite:///tmp/a@b:c.db", "sqlite:///tmp/a@b:c.db"),
        ("not a url", "not a url"),
    ],
)  # fmt: skip
def test_mask_url_hides_only_the_password(given: str, shown: str) -> None:
    from leadtime.secrets import mask_url

    assert mask_url(given) == shown


def test_errors_on_a_server_url_do_not_show_the_password() -> None:
    with pytest.raises(StoreError) as caught:
        Store.open("nosuchdb+driver://lead:s3cret@127.0.0.1/db")
    assert "s3cret" not in caught.value.message
    assert "lead:…@127.0.0.1" in caught.value.message
    assert caught.value.reason == "bad-url"


# --------------------------------------------------------------------------- read-only homes


def test_a_read_only_url_reads_and_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "leadtime.db"
    _seed(path)
    before = digest(path)
    store = Store.open(url(path) + "?mode=ro")
    assert store.read_only
    with store.read() as conn:
        assert conn.execute("SELECT title FROM entries").fetchall() == [("Planning",)]
    with pytest.raises(StoreError) as caught, store.write():
        pass
    assert caught.value.reason == "read-only"
    assert_store_terms(caught.value)
    store.close()
    assert digest(path) == before


def _seed(path: Path) -> None:
    from datetime import UTC, datetime

    from leadtime.entry import Entry
    from leadtime.store import add_entries

    store = Store.open(url(path))
    moment = datetime(2026, 11, 16, 9, tzinfo=UTC)
    with store.write() as conn:
        add_entries(conn, [Entry(moment, moment.replace(hour=10), "Planning")], moment)
    store.close()


def _lock_down(directory: Path, *, file_too: bool = True) -> list[Path]:
    """Make ``directory`` (and its files) unwritable for this process, even as root."""
    paths = [*directory.iterdir(), directory] if file_too else [directory]
    if os.geteuid() != 0:
        for path in paths:
            path.chmod(0o500 if path.is_dir() else 0o400)
        return paths
    import subprocess

    done = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"running as root and chattr +i is refused here: {done.stderr.strip()}")
    return paths


def _unlock(paths: list[Path]) -> None:
    if os.geteuid() != 0:
        for path in paths:
            path.chmod(0o700 if path.is_dir() else 0o600)
    else:
        import subprocess

        subprocess.run(["chattr", "-i", *map(str, paths)], check=True)


@pytest.mark.parametrize("file_too", [True, False], ids=["file-and-directory", "directory"])
def test_a_database_in_a_read_only_home_can_still_be_read(tmp_path: Path, file_too: bool) -> None:
    home = tmp_path / "home"
    path = home / "leadtime.db"
    _seed(path)
    assert sorted(p.name for p in home.iterdir()) == ["leadtime.db"]  # WAL closed cleanly
    before = digest(path)
    locked = _lock_down(home, file_too=file_too)
    try:
        with pytest.raises(OSError):
            (home / "probe").touch()  # the lock-down bites this process
        store = Store.open(url(path))
        assert store.read_only
        with store.read() as conn:
            assert conn.execute("SELECT title FROM entries").fetchall() == [("Planning",)]
        with pytest.raises(StoreError) as caught, store.write():
            pass
        assert caught.value.reason == "read-only"
        store.close()
    finally:
        _unlock(locked)
    assert digest(path) == before


def test_an_older_database_that_cannot_be_written_says_so(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = create_engine(url(path))
    with engine.begin() as conn:
        upgrade(conn, "0002")
    engine.dispose()
    with pytest.raises(StoreError) as caught:
        Store.open(url(path) + "?mode=ro")
    assert caught.value.reason == "read-only"
    assert "upgrade" in caught.value.message


def test_a_refused_server_connection_does_not_show_the_password() -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError) as caught:
        Store.open("postgresql+psycopg://lead:s3cret@127.0.0.1:1/leadtime")
    assert "s3cret" not in caught.value.message
    assert caught.value.message.startswith("postgresql+psycopg://lead:…@127.0.0.1:1/leadtime")


def test_a_database_on_a_full_disk_can_still_be_read(tmp_path: Path) -> None:
    import subprocess

    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("a small file system cannot be mounted here (needs root)")
    try:
        path = disk / "leadtime.db"
        _seed(path)
        filler = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            with pytest.raises(OSError):  # fill the disk to the last block
                while True:
                    os.write(filler, b"\0" * 4096)
        finally:
            os.close(filler)
        before = digest(path)
        store = Store.open(url(path))
        with store.read() as conn:
            assert conn.execute("SELECT title FROM entries").fetchall() == [("Planning",)]
        with pytest.raises(StoreError) as caught, store.write() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES ('big', :v)", {"v": "x" * 200_000})
        assert caught.value.reason in ("full", "read-only")
        assert "disk is full" in caught.value.message
        store.close()
        assert digest(path) == before
    finally:
        subprocess.run(["umount", "--lazy", str(disk)], check=True)


@pytest.mark.parametrize("pragma", ["application_id = 1196312919", "user_version = 7"])
def test_an_empty_file_another_application_claimed_is_refused_untouched(
    tmp_path: Path, pragma: str
) -> None:
    """SQLite's header says whose file it is; an empty one with another owner is not ours."""
    path = tmp_path / "claimed.db"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA {pragma}")
    conn.close()
    before = digest(path)
    with pytest.raises(StoreError) as caught:
        Store.open(url(path))
    name = pragma.split(" = ")[0]
    assert caught.value.message.endswith(
        f"belongs to another application (its {name} is {pragma.split(' = ')[1]})"
    )
    assert caught.value.reason == "foreign"
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claimed.db"]


def test_another_applications_alembic_database_is_not_called_newer(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.execute("INSERT INTO alembic_version VALUES ('ae1027a6acf')")
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.close()
    before = digest(path)
    with pytest.raises(StoreError) as caught:
        Store.open(url(path))
    assert "newer" not in caught.value.message
    assert caught.value.message.endswith(
        "holds another application's schema (Alembic revision ae1027a6acf)"
    )
    assert caught.value.reason == "foreign"
    assert digest(path) == before
