"""The storage schema is declared once, in the SQLModel tables of ``store/models.py``: the
migrations build exactly it on every backend, and the store's SQL column lists are its
columns. Every origin and every kind of source fits it on PostgreSQL, which enforces the
lengths SQLite ignores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from leadtime.entry import Entry, Origin, SourceKind
from leadtime.store import (
    EntryFilter,
    SourceInfo,
    Store,
    add_entries,
    list_entries,
    list_sources,
    remember_source,
)

NOW = datetime(2026, 11, 20, 17, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'leadtime.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(url: str) -> Iterator[Store]:
    opened = Store.open(url)
    yield opened
    opened.close()


def test_the_migrations_build_exactly_the_declared_tables(store: Store, url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine
    from sqlmodel import SQLModel

    import leadtime.store.models  # noqa: F401  (declares the tables)

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "compare_server_default": False}
            )
            differences = compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_the_stores_column_lists_are_the_declared_columns() -> None:
    from leadtime.store.entries import COLUMNS
    from leadtime.store.models import EntryRow
    from leadtime.store.schema import FEATURE_COLUMNS, SPAN_COLUMNS

    declared = [column.name for column in EntryRow.__table__.columns]  # type: ignore[attr-defined]
    assert sorted(COLUMNS) == sorted(declared)
    for listed in (SPAN_COLUMNS, FEATURE_COLUMNS):
        assert {c.strip().removesuffix("_ts") for c in listed.split(",")} <= {
            c.removesuffix("_ts") for c in declared
        }


def test_every_origin_and_every_kind_of_source_is_stored(store: Store) -> None:
    start = NOW - timedelta(days=1)
    entries = [
        Entry(
            start=start + timedelta(hours=i), end=start + timedelta(hours=i, minutes=30),
            title=f"{origin.value} entry", origin=origin,
            calendar=None if origin in (Origin.LOG, Origin.TIMER) else f"{origin.value}-cal",
            uid=None if origin in (Origin.LOG, Origin.TIMER) else f"uid-{i}",
        )
        for i, origin in enumerate(Origin)
    ]  # fmt: skip
    with store.write() as conn:
        add_entries(conn, entries, NOW)
        for kind in SourceKind:
            remember_source(
                conn,
                SourceInfo(f"{kind.value}-source", kind.value, f"{kind.value}:somewhere", NOW,
                           1, 1, 0, {}),
            )  # fmt: skip
    with store.read() as conn:
        stored = list_entries(conn, EntryFilter())
        sources = list_sources(conn)
    assert sorted(e.origin.value for e in stored) == sorted(o.value for o in Origin)
    assert sorted(s.kind for s in sources) == sorted(k.value for k in SourceKind)
