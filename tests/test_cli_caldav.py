"""``leadtime import caldav+http://...`` against a real Radicale server started by the tests:
the synced entries and the report equal a file import of the same calendar, later syncs
carry exactly the server's changes, and the password never leaves the environment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Home, Run
from test_caldav import (  # the Radicale server and its helpers
    CORPUS,
    EVENT,
    PASSWORD,
    USER,
    _client,
    _make_calendar,
    _put_all,
    needs_corpus,
    radicale,  # noqa: F401  (a fixture)
    split_by_uid,
)

CALENDAR = "pimutils_khal/mult_uids_and_recuid_no_order.ics"


def address(base: str, cal_id: str) -> str:
    return base.replace("http://", f"caldav+http://{USER}@") + f"/{USER}/{cal_id}/"


def entries(cli: Run, *args: str) -> list[dict]:
    result = cli("ls", "--format", "json", "--from", "2010-01-01", "--to", "2027-12-31", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def comparable(found: list[dict]) -> list[tuple]:
    keys = ("start", "end", "title", "uid", "recurrence_id", "category", "excluded")
    return sorted(tuple(e[k] for k in keys) for e in found)


@needs_corpus
def test_a_synced_calendar_equals_a_file_import(
    radicale: str,  # noqa: F811
    cli: Run,
    home: Home,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = (CORPUS / CALENDAR).read_bytes()
    _make_calendar(radicale, "khal", "khal")
    _put_all(radicale, "khal", split_by_uid(original))
    monkeypatch.setenv("LEADTIME_CALDAV_PASSWORD", PASSWORD)
    synced = cli("import", address(radicale, "khal"))
    assert synced.exit_code == 0, synced.stderr
    assert PASSWORD not in synced.stdout + synced.stderr
    from_server = entries(cli, "--calendar", "khal")
    copy = tmp_path / "khal-file.ics"
    copy.write_bytes(original)
    assert cli("import", str(copy), "--calendar", "file").exit_code == 0
    from_file = entries(cli, "--calendar", "file")
    assert from_server and comparable(from_server) == comparable(from_file)
    weeks = ("--from", "2014-01-01", "--to", "2014-12-31", "--format", "json")
    by_server = json.loads(cli("report", "--calendar", "khal", *weeks).stdout)
    by_file = json.loads(cli("report", "--calendar", "file", *weeks).stdout)
    assert by_server["weeks"] == by_file["weeks"]
    listed = json.loads(cli("calendars", "--format", "json").stdout)
    assert {c["name"]: c["kind"] for c in listed} == {"khal": "caldav", "file": "ics"}
    assert all(PASSWORD not in json.dumps(c) for c in listed)
    assert PASSWORD.encode() not in home.db.read_bytes()


def test_later_syncs_carry_exactly_the_changes(
    radicale: str,  # noqa: F811
    cli: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = _make_calendar(radicale, "team", "Team")
    for n in range(4):
        start, end = f"2026111{n}T100000Z", f"2026111{n}T110000Z"
        server.save_event(EVENT.format(uid=f"ev{n}", start=start, end=end, title=f"Sync {n}"))
    monkeypatch.setenv("LEADTIME_CALDAV_PASSWORD", PASSWORD)
    first = cli("import", address(radicale, "team"))
    assert first.exit_code == 0, first.stderr
    assert "4 added" in first.stdout
    again = cli("import")  # remembered: a bare import syncs it again
    assert again.exit_code == 0 and "unchanged" in again.stdout, again.stdout

    hrefs = {o.url.path.rsplit("/", 1)[1]: o for o in server.events()}
    moved = hrefs["ev1.ics"]
    moved.load()
    moved.data = moved.data.replace("SUMMARY:Sync 1", "SUMMARY:Design review")
    moved.save()
    server.save_event(
        EVENT.format(uid="ev9", start="20261119T100000Z", end="20261119T110000Z", title="New")
    )
    _client(radicale).request(str(hrefs["ev3.ics"].url), "DELETE")

    later = cli("import")
    assert later.exit_code == 0, later.stderr
    assert "1 added, 1 updated, 1 removed, 2 unchanged" in later.stdout
    titles = sorted(e["title"] for e in entries(cli, "--calendar", "team"))
    assert titles == ["Design review", "New", "Sync 0", "Sync 2"]


def test_a_wrong_password_writes_nothing(
    radicale: str,  # noqa: F811
    cli: Run,
    home: Home,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _make_calendar(radicale, "locked", "Locked")
    monkeypatch.setenv("LEADTIME_CALDAV_PASSWORD", "not-the-password")
    result = cli("import", address(radicale, "locked"))
    assert result.exit_code == 4
    assert result.stderr.startswith("error:") and "not-the-password" not in result.stderr
    assert json.loads(cli("calendars", "--format", "json").stdout) == []
