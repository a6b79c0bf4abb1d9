"""The rules commands, re-classification on rule changes, and bad rules files (exit 3)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from conftest import Home, Run

VENDOR_RULE = """
[[rule]]
name = "vendor-calls"
category = "other"
activity = "vendor"
title = ["vendor"]
"""


def categories(cli: Run) -> dict[str, tuple[str, str | None, str | None]]:
    found = json.loads(cli("ls", "--format", "json").stdout)
    return {e["title"]: (e["category"], e["activity"], e["decided_by"]) for e in found}


def test_changing_the_rules_reclassifies_stored_entries(cli: Run, home: Home) -> None:
    cli("log", "Vendor call: Acme", "1h", "--at", "10:00")
    cli("log", "Code review of the billing PR", "30m", "--at", "11:00")
    assert categories(cli)["Vendor call: Acme"][2] != "vendor-calls"  # no rule, or a guess
    home.rules.write_text(VENDOR_RULE)
    result = cli("ls", "--format", "json")
    assert "1 entries re-classified" in result.stderr
    after = categories(cli)
    assert after["Vendor call: Acme"] == ("other", "vendor", "vendor-calls")
    assert after["Code review of the billing PR"][0] == "leadership"
    assert "re-classified" not in cli("ls").stderr  # only once


def test_a_rule_change_reclassifies_by_notes_lengths_and_weekdays(cli: Run, home: Home) -> None:
    """Re-classification reads every column a rule looks at, and only those."""
    cli("log", "Sync", "20m", "--at", "2026-11-16 10:00", "--note", "hiring loop")  # Monday
    cli("log", "Sync", "20m", "--at", "2026-11-15 10:00")  # Sunday
    cli("log", "Sync", "50m", "--at", "2026-11-17 10:00")  # Tuesday
    cli("log", "Sync", "20m", "--at", "2026-11-18 10:00", "--tag", "deep")  # Wednesday
    home.rules.write_text(
        "use_default_rules = false\n"
        '[[rule]]\nname = "hiring"\ncategory = "leadership"\ndescription = ["hiring"]\n'
        '[[rule]]\nname = "sunday"\ncategory = "other"\nweekday = ["sun"]\n'
        '[[rule]]\nname = "long"\ncategory = "leadership"\nduration = ">= 45m"\n'
        '[[rule]]\nname = "deep"\ncategory = "hands-on"\ntags = ["deep"]\n',
        encoding="utf-8",
    )
    found = json.loads(cli("ls", "--from", "2026-11-15", "--format", "json").stdout)
    assert [(e["start"][:10], e["decided_by"]) for e in found] == [
        ("2026-11-15", "sunday"),
        ("2026-11-16", "hiring"),
        ("2026-11-17", "long"),
        ("2026-11-18", "deep"),
    ]


def test_manual_classification_survives_rule_changes(cli: Run, home: Home) -> None:
    cli("log", "Vendor call: Acme", "1h", "--at", "10:00", "--as", "leadership:alignment")
    home.rules.write_text(VENDOR_RULE)
    assert categories(cli)["Vendor call: Acme"] == ("leadership", "alignment", "manual")


def test_rules_option_for_one_run(cli: Run, home: Home, tmp_path) -> None:
    cli("log", "Vendor call: Acme", "1h", "--at", "10:00")
    one_off = tmp_path / "try.toml"
    one_off.write_text(VENDOR_RULE)
    found = json.loads(cli("--rules", str(one_off), "ls", "--format", "json").stdout)
    assert found[0]["category"] == "other"
    missing = cli("--rules", str(tmp_path / "nope.toml"), "ls")
    assert missing.exit_code == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[[rule]]\nname = "a"\ncategory = "other"\ntitel = ["x"]\n',
            "rule #1 \"a\": unknown key 'titel'",
        ),
        (
            '[[rule]]\nname = "a"\ncategory = "meetings"\ntitle = ["x"]\n',
            "unknown category 'meetings'",
        ),
        ('[[rule]]\nname = "a"\ncategory = "other"\ntitle_regex = "(unclosed"\n', "title_regex"),
        ('[[rule]]\nname = "a"\ncategory = "other"\nattendees = ["many"]\n', "attendees"),
        (
            '[[rule]]\nname = "a"\ncategory = "other"\ntitle = ["x"]\n'
            '[[rule]]\nname = "a"\ncategory = "other"\ntitle = ["y"]\n',
            'rule #2 "a"',
        ),
        ("[[rule]\nname = 'a'\n", "line 1"),
    ],
    ids=["unknown-key", "unknown-category", "bad-regex", "wrong-type", "duplicate", "toml-syntax"],
)
def test_bad_rules_file_exit_3_and_nothing_reclassified(
    cli: Run, home: Home, text: str, expected: str
) -> None:
    cli("log", "Vendor call: Acme", "1h", "--at", "10:00")
    with sqlite3.connect(home.db) as conn:
        before = conn.execute("SELECT id, category, decided_by, updated_ts FROM entries").fetchall()
        fingerprint = conn.execute("SELECT value FROM meta").fetchall()
    home.rules.write_text(text)
    for args in (("ls",), ("rules", "check"), ("log", "Another", "30m")):
        result = cli(*args)
        assert result.exit_code == 3, (args, result.stderr)
        assert result.stderr.startswith(f"error: {home.rules}"), result.stderr
        assert expected in result.stderr
    with sqlite3.connect(home.db) as conn:
        assert (
            conn.execute("SELECT id, category, decided_by, updated_ts FROM entries").fetchall()
            == before
        )
        assert conn.execute("SELECT value FROM meta").fetchall() == fingerprint


def test_rules_check_a_named_file(cli: Run, tmp_path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(VENDOR_RULE)
    result = cli("rules", "check", str(good))
    assert result.exit_code == 0 and "ok, 1 rules of yours" in result.stdout
    assert cli("rules", "check", str(tmp_path / "missing.toml")).exit_code == 3


def test_rules_init_writes_a_valid_private_starter(cli: Run, home: Home) -> None:
    assert cli("rules", "init").exit_code == 0
    assert home.rules.stat().st_mode & 0o777 == 0o600
    assert cli("rules", "check").exit_code == 0
    again = cli("rules", "init")
    assert again.exit_code == 4 and "--force" in again.stderr


def test_rules_show_lists_user_rules_first(cli: Run, home: Home) -> None:
    home.rules.write_text(VENDOR_RULE)
    lines = cli("rules", "show").stdout.splitlines()
    first_rule = next(line for line in lines if line.strip().startswith("1 "))
    assert "vendor-calls" in first_rule and "other:vendor" in first_rule


def test_rules_explain_text_and_entry(cli: Run) -> None:
    text = cli("rules", "explain", "Interview debrief").stdout
    assert "decided by rule #" in text and '"hiring"' in text and "leadership:hiring" in text
    assert 'because title\'s head is "debrief"' in text
    cli("log", "Interview debrief", "30m", "--as", "other")
    (entry,) = json.loads(cli("ls", "--format", "json").stdout)
    by_id = cli("rules", "explain", entry["id"]).stdout
    assert "decided by you: other" in by_id and "the rules alone would say" in by_id
    nothing = cli("rules", "explain", "Zxqv plorbu").stdout
    assert "no rule matched; the learned tier abstains" in nothing
    assert nothing.rstrip().splitlines()[-2].endswith("): unclassified")


def test_rules_coverage_names_titles_and_suggests_rules(cli: Run) -> None:
    cli("log", "Zxqv plorbu", "2h", "--at", "mon 10:00")
    cli("log", "Zxqv plorbu", "1h", "--at", "tue 10:00")
    cli("log", "Code review of the billing PR", "1h", "--at", "wed 10:00")
    out = cli("rules", "coverage").stdout
    assert "unclassified: 3h of 4h (75.0%) in 1 distinct titles" in out
    assert "Zxqv plorbu" in out and "[[rule]]" in out


def test_example_calendar_report_follows_a_rule_change(cli: Run, home: Home) -> None:
    from conftest import REPO

    # The learned tier off: the vendor call is then the one title no rule decides.
    home.config.write_text(
        'timezone = "Europe/Berlin"\nme = ["dana@example.com"]\nlearned = "off"\n'
    )
    assert cli("import", str(REPO / "examples" / "tech-lead.ics")).exit_code == 0

    def week46() -> dict:
        out = cli("report", "--week", "2026-W46", "--format", "json").stdout
        return json.loads(out)["weeks"][0]

    before = week46()
    assert before["minutes"]["unclassified"] == 37.5  # the vendor call, shared with another
    assert before["verdict"] == "on-target"
    home.rules.write_text(
        '[[rule]]\nname = "vendors-and-budgets"\ncategory = "leadership"\n'
        'activity = "alignment"\ntitle = ["vendor", "budget"]\n'
    )
    after = week46()
    assert after["minutes"]["unclassified"] == 0.0
    assert after["minutes"]["leadership"] == before["minutes"]["leadership"] + 37.5
    assert after["leadership_share"] > before["leadership_share"]
