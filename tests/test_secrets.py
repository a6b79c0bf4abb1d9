"""Secrets in feed addresses: masked for display, never part of a default calendar name."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Run
from leadtime.secrets import default_name, looks_secret, mask_text, mask_url

# Realistic shapes of the secret addresses calendar services hand out (the tokens are made up).
GOOGLE_TOKEN = "3f9a1c0b2d4e6f8a9b7c5d3e1f0a2b4c"
GOOGLE = f"https://calendar.google.com/calendar/ical/jane.doe%40example.com/private-{GOOGLE_TOKEN}/basic.ics"
GOOGLE_GROUP_ID = "c_9k2m4n6p8r0t1v3x5z7b9d1f3h%40group.calendar.google.com"
GOOGLE_GROUP = f"https://calendar.google.com/calendar/ical/{GOOGLE_GROUP_ID}/private-0a1b2c3d4e5f60718293a4b5c6d7e8f9/basic.ics"
OUTLOOK_ID = "0f5e2b1a9c8d4e7f8a6b5c4d3e2f1a0b"
OUTLOOK_TOKEN = "d6f1e7c0a9b84d2f9e3c5a7b1d0e2f4c5371982605843721940"
OUTLOOK = f"https://outlook.office365.com/owa/calendar/{OUTLOOK_ID}@contoso.com/{OUTLOOK_TOKEN}/calendar.ics"
ICLOUD_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Nqz8Wv1Yk2Xr9Lm3Np4Qs5Tu6Vw7Xy8Za9Bc0De1Fg2Hi3Jk4Lm5No6"
ICLOUD = f"webcal://p52-caldav.icloud.com/published/2/{ICLOUD_TOKEN}"
FASTMAIL_TOKEN = "v1-3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e"
FASTMAIL = f"https://user.fm/calendar/{FASTMAIL_TOKEN}/Work.ics"
NEXTCLOUD_TOKEN = "YBE4N2TBHHJN7XKQ"
NEXTCLOUD = f"https://cloud.example.com/remote.php/dav/public-calendars/{NEXTCLOUD_TOKEN}?export"


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        (
            GOOGLE,
            "https://calendar.google.com/calendar/ical/jane.doe%40example.com/private-…/basic.ics",
        ),
        (
            GOOGLE_GROUP,
            "https://calendar.google.com/calendar/ical/…%40group.calendar.google.com/private-…/basic.ics",
        ),
        (OUTLOOK, "https://outlook.office365.com/owa/calendar/…@contoso.com/…/calendar.ics"),
        (ICLOUD, "webcal://p52-caldav.icloud.com/published/2/…"),
        (FASTMAIL, "https://user.fm/calendar/…/Work.ics"),
        (NEXTCLOUD, "https://cloud.example.com/remote.php/dav/public-calendars/…?export"),
        (
            "https://cloud.example.com/index.php/apps/calendar/p/kD7sP2qX9mN4bR6t",
            "https://cloud.example.com/index.php/apps/calendar/p/…",
        ),
    ],
)
def test_service_feed_tokens_are_masked(url: str, masked: str) -> None:
    assert mask_url(url) == masked


def test_user_info_password_is_masked_and_the_user_kept() -> None:
    url = "caldav+https://jane:hunter2-correct-horse@caldav.fastmail.com/dav/calendars/user/"
    assert mask_url(url) == "caldav+https://jane:…@caldav.fastmail.com/dav/calendars/user/"


def test_every_query_value_and_the_fragment_are_masked() -> None:
    url = "https://example.com/feeds/team.ics?user=jane&authtoken=s3cr3t&lang=en#key"
    assert mask_url(url) == "https://example.com/feeds/team.ics?user=…&authtoken=…&lang=…#…"


def test_readable_paths_stay_readable() -> None:
    url = "https://example.com/team/engineering-leadership-calendar/Holidays_2026-11.ics"
    assert mask_url(url) == url
    assert mask_url("/home/jane/Downloads/calendar.ics") == "/home/jane/Downloads/calendar.ics"


@pytest.mark.parametrize(
    "segment",
    ["basic.ics", "calendar.ics", "2026", "team-offsites-2026", "jane.doe@example.com", "Work"],
)
def test_names_are_not_secrets(segment: str) -> None:
    assert not looks_secret(segment)


@pytest.mark.parametrize(
    "segment", [GOOGLE_TOKEN, OUTLOOK_TOKEN, ICLOUD_TOKEN, FASTMAIL_TOKEN, NEXTCLOUD_TOKEN]
)
def test_tokens_are_secrets(segment: str) -> None:
    assert looks_secret(segment)


def test_no_masked_output_contains_a_token() -> None:
    for url, token in [
        (GOOGLE, GOOGLE_TOKEN),
        (OUTLOOK, OUTLOOK_TOKEN),
        (ICLOUD, ICLOUD_TOKEN),
        (FASTMAIL, FASTMAIL_TOKEN),
        (NEXTCLOUD, NEXTCLOUD_TOKEN),
    ]:
        assert token not in mask_url(url)
        assert token not in default_name(url)


def test_mask_text_hides_known_secrets_and_any_url() -> None:
    text = f"Traceback: HTTPError for url {GOOGLE} (password hunter2 rejected); retrying {OUTLOOK}."
    masked = mask_text(text, ["hunter2"])
    assert "hunter2" not in masked
    assert GOOGLE_TOKEN not in masked and OUTLOOK_TOKEN not in masked
    assert "private-…/basic.ics" in masked
    assert "password … rejected" in masked


def test_mask_text_masks_a_known_url_whole_even_when_quoted_unusually() -> None:
    secret = "https://example.com/cal?k=abc"
    assert mask_text(f"<{secret}>", [secret]) == "<https://example.com/cal?k=…>"


def test_default_names_keep_two_google_feeds_apart() -> None:
    other = GOOGLE.replace("jane.doe", "team.calendar").replace(GOOGLE_TOKEN, "9" * 32)
    assert default_name(GOOGLE).startswith("jane.doe@example.com-")
    assert default_name(other).startswith("team.calendar@example.com-")
    same_user_two_tokens = GOOGLE.replace(GOOGLE_TOKEN, "a" * 32)
    assert default_name(same_user_two_tokens) != default_name(GOOGLE)


def test_default_name_is_stable_and_webcal_equals_https() -> None:
    assert default_name(ICLOUD) == default_name(ICLOUD)
    assert default_name(ICLOUD) == default_name(ICLOUD.replace("webcal://", "https://"))
    name = default_name(ICLOUD)
    host, _, digest = name.rpartition("-")
    assert host == "p52-caldav.icloud.com"
    assert len(digest) == 6 and all(c in "0123456789abcdef" for c in digest)


def test_default_name_of_a_random_calendar_id_falls_back_to_the_host() -> None:
    assert default_name(GOOGLE_GROUP).startswith("calendar.google.com-")


# --------------------------------------------------------------------------- database URLs

DB_PASSWORD = "Xk9/pQ2mZ"


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        # SQLAlchemy reads the password up to the "@": a "/" in it does not end it.
        (f"postgresql+psycopg://lead2:{DB_PASSWORD}@db.internal:5432/leadtime",
         "postgresql+psycopg://lead2:…@db.internal:5432/leadtime"),
        ("postgresql+psycopg://lead2:a#b?c@db.internal/leadtime",
         "postgresql+psycopg://lead2:…@db.internal/leadtime"),
        ("postgresql://lead2:p@ss@db.internal/leadtime", "postgresql://lead2:…@db.internal/leadtime"),
        # libpq takes a password in the query too; settings of the connection stay readable.
        ("postgresql+psycopg://lead2@db.internal/leadtime?password=hunter22&sslmode=require",
         "postgresql+psycopg://lead2@db.internal/leadtime?password=…&sslmode=require"),
        ("postgresql+psycopg:///leadtime?host=/run/postgresql&user=lead2&sslpassword=k3y",
         "postgresql+psycopg:///leadtime?host=/run/postgresql&user=lead2&sslpassword=…"),
        ("sqlite:////home/dana/.local/share/leadtime/leadtime.db?mode=ro",
         "sqlite:////home/dana/.local/share/leadtime/leadtime.db?mode=ro"),
        # A web address keeps its port and a path with an "@" in it.
        ("https://cal.example.com:8443/dav/jane@example.com/work.ics",
         "https://cal.example.com:8443/dav/jane@example.com/work.ics"),
        ("caldav+https://jane:pa/ss@cal.example.com/dav/", "caldav+https://jane:…@cal.example.com/dav/"),
    ],
)  # fmt: skip
def test_database_passwords_are_masked_whatever_they_hold(url: str, masked: str) -> None:
    assert mask_url(url) == masked


def test_a_database_url_quoted_in_a_message_is_masked() -> None:
    text = f"could not parse 'postgresql+psycopg://lead2:{DB_PASSWORD}@db.internal/lt' (bad)"
    assert mask_text(text) == "could not parse 'postgresql+psycopg://lead2:…@db.internal/lt' (bad)"


def test_the_database_password_is_never_printed(cli: Run, proc: Run, tmp_path: Path) -> None:
    """config show, a database error and --debug's traceback, on both command paths."""
    url = f"postgresql+psycopg://lead2:{DB_PASSWORD}@127.0.0.1:1/lt?password=qu3ry-s3cret"
    runs = [
        cli("--db", url, "config", "show"),
        cli("--db", url, "config", "show", "--json"),
        cli("--db", url, "ls"),  # the Typer path
        proc("--db", url, "log", "x", "5m"),  # the quick path
        proc("--debug", "--db", url, "ls"),
        proc("--db", url, "--debug", "status"),
    ]
    for result in runs:
        printed = result.stdout + result.stderr
        assert "pQ2mZ" not in printed and "qu3ry" not in printed, printed
    assert "lead2:…@127.0.0.1:1/lt" in runs[0].stdout
    assert runs[2].exit_code == 4 and runs[2].stderr.startswith(
        "error: postgresql+psycopg://lead2:…@"
    )
