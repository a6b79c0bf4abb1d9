"""A new database gets the newest schema directly; it must be the database the migrations
give, and an old database must still be upgraded by them."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from leadtime.store import Store
from leadtime.store.alchemy import migrate_file, upgrade
from leadtime.store.schema import HEAD, REVISIONS


def shape(path: Path) -> tuple[list[tuple[object, ...]], list[str], list[tuple[object, ...]]]:
    """Everything a database is made of: its schema objects (in no order: Alembic's batch
    mode re-creates a table's indexes in an order of its own), its content, and the
    settings kept in the file."""
    with closing(sqlite3.connect(path)) as db:
        master = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")
        settings = [
            db.execute(f"PRAGMA {name}").fetchone()
            for name in ("user_version", "application_id", "journal_mode", "page_size")
        ]
        return master.fetchall(), sorted(db.iterdump()), settings


def by_migrations(path: Path) -> Path:
    path.touch()
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA journal_mode = WAL")
    migrate_file(str(path), str(path))
    return path


def test_a_new_file_is_the_database_the_migrations_make(tmp_path: Path) -> None:
    migrated = by_migrations(tmp_path / "migrated.db")
    Store.open(f"sqlite:///{tmp_path / 'new.db'}").close()
    made, expected = shape(tmp_path / "new.db"), shape(migrated)
    with closing(sqlite3.connect(migrated)) as db:
        wanted = [r[0] for r in db.execute("SELECT sql FROM sqlite_master WHERE sql NOT NULL")]
    assert made == expected, f"store/fresh.py's SCHEMA should be (in any order): {wanted!r}"
    assert f"INSERT INTO \"alembic_version\" VALUES('{HEAD}');" in made[1]


def test_a_first_command_loads_neither_sqlalchemy_nor_alembic(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from leadtime.store import Store\n"
        "Store.open(sys.argv[1]).close()\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic'))\n"
        "print(','.join(heavy) or 'none')\n"
    )
    url = f"sqlite:///{tmp_path / 'home' / 'leadtime.db'}"
    done = subprocess.run(
        [sys.executable, "-c", script, url], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "none"
    assert (tmp_path / "home" / "leadtime.db").stat().st_size > 0


def test_an_old_database_is_still_upgraded_by_the_migrations(tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    old = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{old}")
    with engine.begin() as conn:
        upgrade(conn, REVISIONS[0])
    engine.dispose()
    Store.open(f"sqlite:///{old}").close()
    upgraded, expected = shape(old), shape(by_migrations(tmp_path / "migrated.db"))
    assert upgraded[0] == expected[0]  # the same tables, columns and indexes
    assert upgraded[1] == expected[1]


def test_a_file_another_application_began_is_not_given_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "theirs.db"
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE notes (body TEXT)")
        db.commit()
    done = subprocess.run(
        [sys.executable, "-m", "leadtime", "--db", f"sqlite:///{path}", "ls"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 4
    assert done.stderr.startswith("error:") and "not leadtime's" in done.stderr
    with closing(sqlite3.connect(path)) as db:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master")]
    assert names == ["notes"]
