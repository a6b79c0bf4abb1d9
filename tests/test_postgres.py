"""The same behaviour on PostgreSQL, for teams. Runs when LEADTIME_TEST_POSTGRES_URL is set,
e.g. postgresql+psycopg://lead:lead@127.0.0.1/leadtime_test (the tables in it are dropped)."""

from __future__ import annotations

import json
import os

import pytest

from conftest import REPO, Home, Run

URL = os.environ.get("LEADTIME_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not URL, reason="LEADTIME_TEST_POSTGRES_URL is not set")


@pytest.fixture
def pg(home: Home) -> str:
    from sqlalchemy import create_engine, text

    assert URL
    engine = create_engine(URL)
    with engine.begin() as conn:
        for table in ("entries", "timer", "meta", "calendars", "alembic_version"):
            conn.execute(text(f"DROP TABLE IF EXISTS {table}"))
    engine.dispose()
    home.config.write_text('timezone = "Europe/Berlin"\nme = ["dana@example.com"]\n')
    return URL


def test_postgres_gives_the_same_report_as_sqlite(cli: Run, home: Home, pg: str) -> None:
    example = str(REPO / "examples" / "tech-lead.ics")
    reports = []
    for db in (pg, f"sqlite:///{home.path / 'side.db'}"):
        assert cli("--db", db, "log", "Code review", "30m").exit_code == 0
        assert cli("--db", db, "import", example).exit_code == 0
        again = cli("--db", db, "import", example)
        assert "0 added, 0 updated, 0 removed, 238 unchanged" in again.stdout
        reports.append(json.loads(cli("--db", db, "report", "--format", "json").stdout))
    assert reports[0] == reports[1]
    assert cli("--db", pg, "check").exit_code == 0
