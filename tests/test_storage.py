"""The database: versioned schema, upgrades in place, refusals that write nothing."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from leadtime.errors import ExitCode, StorageError
from leadtime.store.db import Database, upgrade
from leadtime.store.models import SQLModel
from leadtime.store.schema import HEAD, REVISIONS


def url(path: Path) -> str:
    return f"sqlite:///{path}"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_is_private_and_at_the_latest_schema(tmp_path: Path) -> None:
    path = tmp_path / "data" / "leadtime.db"
    Database.open(url(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


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
    engine.dispose()

    Database.open(url(path))

    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
        row = conn.execute("SELECT id, start_ts, end_ts, title, decided_by FROM entries").fetchall()
        assert row == [("abcd1234", 1763650800, 1763653500, "Reviewed the auth RFC", "manual")]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "calendars" in tables


def test_migrations_create_exactly_what_the_models_declare(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    database = Database.open(url(tmp_path / "x.db"))
    with database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_database_from_a_newer_leadtime_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    Database.open(url(path)).engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("UPDATE alembic_version SET version_num = '0999'")
    before = digest(path)
    with pytest.raises(StorageError) as caught:
        Database.open(url(path))
    assert "newer leadtime" in caught.value.message
    assert caught.value.exit_code == ExitCode.INPUT
    assert digest(path) == before


@pytest.mark.parametrize(
    "content", [b"this is my diary, not a database\n" * 40, b"\x00\x01garbage" * 100]
)
def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "leadtime.db"
    path.write_bytes(content)
    with pytest.raises(StorageError) as caught:
        Database.open(url(path))
    assert caught.value.hint
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leadtime.db"]


def test_a_damaged_sqlite_file_is_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "leadtime.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 3000)
    before = path.read_bytes()
    with pytest.raises(StorageError) as caught:
        Database.open(url(path))
    assert "damaged" in caught.value.message
    assert path.read_bytes() == before


def test_foreign_tables_are_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(StorageError, match="not leadtime's"):
        Database.open(url(path))


# --------------------------------------------------------------------------- the fast read path


def test_fast_reader_gives_the_rows_of_the_full_path_or_steps_aside(
    cli, home, tmp_path: Path
) -> None:
    from leadtime.rules import default_rules
    from leadtime.store.queries import span_rows
    from leadtime.store.reader import read_spans
    from leadtime.store.schema import EntryFilter

    cli("log", "Code review", "1h", "--at", "mon 9:00")
    cli("log", "Bug fix", "30m", "--at", "tue 9:00")
    cli("log", "Zero", "--from", "wed 9:00", "--to", "wed 9:00")  # refused: nothing stored
    url = f"sqlite:///{home.db}"
    fingerprint = f"{default_rules().fingerprint}@Europe/Berlin"  # the rules and the zone
    everything = EntryFilter(0, 2**40)
    fast = read_spans(url, everything, fingerprint)
    with Database.open(url).read() as conn:
        full = span_rows(conn, everything)
    assert fast is not None and sorted(fast) == sorted(full)
    assert {row[3] for row in fast} == {"leadership", "hands-on"}

    assert read_spans(url, everything, "other rules") is None  # re-classify first
    assert read_spans(f"sqlite:///{tmp_path / 'missing.db'}", everything, fingerprint) is None
    assert not (tmp_path / "missing.db").exists()
    assert read_spans("postgresql://nowhere/db", everything, fingerprint) is None
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite" * 100)
    assert read_spans(f"sqlite:///{junk}", everything, fingerprint) is None
    with sqlite3.connect(home.db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    assert read_spans(url, everything, fingerprint) is None  # an upgrade is due
