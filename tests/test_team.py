"""The team view against a real PostgreSQL server (started by the tests, see conftest).

The owner is a non-superuser role with CREATEROLE, as on a managed PostgreSQL; members
sign in with SCRAM passwords. Privacy is checked as a member would attack it: plain SQL
through psycopg (not leadtime's driver), over every relation and function of the schema
the member's role can reach according to the catalog.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
import pytest
from psycopg import sql

from conftest import ZONE, Home, Run

# NOW (conftest) is Friday 2026-11-20: the last complete week is 2026-W46 (Nov 9-15).
WEEK = "2026-W46"
MONDAY = "2026-11-09"
OWNER_PASSWORD = "owner-secret-Xq7"


@dataclass
class Server:
    host: str
    port: int
    database: str
    owner: str
    cli: Run
    tmp: Path

    def url(self, role: str) -> str:
        return f"postgresql://{role}@{self.host}:{self.port}/{self.database}"

    def connect(self, role: str, password: str | None = None) -> psycopg.Connection[Any]:
        """Plain psycopg, as any client a member might use."""
        return psycopg.connect(
            host=self.host, port=self.port, dbname=self.database, user=role,
            password=password, autocommit=True,
        )  # fmt: skip

    def admin(self) -> psycopg.Connection[Any]:
        """The server's superuser (trust), to look behind row-level security."""
        return psycopg.connect(host=self.host, port=self.port, dbname=self.database,
                               user="leadtime", autocommit=True)  # fmt: skip

    def role(self, name: str) -> str:
        """A role name unique on the server (roles are shared by all its databases)."""
        return f"{self.database}_{name}"

    def as_owner(self, *args: str, input: str | None = None) -> Any:
        env = {"LEADTIME_HOME": str(self.owner_home), "LEADTIME_TEAM_PASSWORD": OWNER_PASSWORD}
        return self.cli(*args, input=input, env=env)

    @property
    def owner_home(self) -> Path:
        return home_dir(self.tmp / "owner")


@dataclass
class Lead:
    """A member with a leadtime home of their own."""

    server: Server
    role: str
    password: str
    home: Path

    def run(self, *args: str, password: str | None = None, **env: str) -> Any:
        env = {"LEADTIME_HOME": str(self.home), **env}
        env["LEADTIME_TEAM_PASSWORD"] = self.password if password is None else password
        return self.server.cli(*args, env=env)

    def ok(self, *args: str) -> str:
        result = self.run(*args)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return str(result.stdout)

    def log(self, minutes: int, classified: str, day: str, at: str = "09:00") -> None:
        self.ok("log", f"work as {classified}", f"{minutes}m", "--at", f"{day} {at}",
                "--as", classified, "--yes")  # fmt: skip

    def connect(self) -> psycopg.Connection[Any]:
        return self.server.connect(self.role, self.password)


def home_dir(path: Path) -> Path:
    if not path.is_dir():
        path.mkdir(parents=True)
        (path / "config.toml").write_text(f'timezone = "{ZONE}"\n', encoding="utf-8")
    return path


@pytest.fixture
def server(pg_url: str, cli: Run, home: Home, tmp_path: Path) -> Iterator[Server]:
    """A fresh database and an owner role that may create roles and schemas there."""
    parts = urlsplit(pg_url.replace("postgresql+psycopg", "postgresql"))
    database = parts.path.lstrip("/")
    found = Server(parts.hostname or "127.0.0.1", parts.port or 5432, database, "", cli,
                   tmp_path)  # fmt: skip
    found.owner = found.role("owner")
    with found.admin() as admin:
        admin.execute(
            sql.SQL("CREATE ROLE {} LOGIN CREATEROLE PASSWORD {}").format(
                sql.Identifier(found.owner), sql.Literal(OWNER_PASSWORD)
            )
        )
        admin.execute(
            sql.SQL("GRANT CREATE ON DATABASE {} TO {}").format(
                sql.Identifier(database), sql.Identifier(found.owner)
            )
        )
    yield found


def init_team(server: Server, *extra: str) -> None:
    result = server.as_owner("team", "init", server.url(server.owner), *extra)
    assert result.exit_code == 0, result.stderr


def add_lead(server: Server, name: str) -> Lead:
    role, password = server.role(name), f"pw-{name}-4Kz9"
    result = server.as_owner("team", "add", role, "--password-stdin", input=password + "\n")
    assert result.exit_code == 0, result.stderr
    assert password not in result.stdout + result.stderr
    lead = Lead(server, role, password, home_dir(server.tmp / name))
    lead.ok("team", "join", server.url(role))
    return lead


@pytest.fixture
def team(server: Server) -> Server:
    init_team(server)
    return server


def rows_of(conn: psycopg.Connection[Any], query: Any, params: Any = ()) -> list[tuple[Any, ...]]:
    return conn.execute(query, params).fetchall()


# --------------------------------------------------------------------------- the owner


def test_the_owner_creates_the_team_and_three_member_roles(server: Server) -> None:
    first = server.as_owner("team", "init", server.url(server.owner))
    assert first.exit_code == 0, first.stderr
    assert "created the team" in first.stdout and "minimum group 5" in first.stdout
    again = server.as_owner("team", "init", server.url(server.owner), "--min-group", "7")
    assert again.exit_code == 0, again.stderr
    assert "checked the team" in again.stdout and "minimum group 7" in again.stdout
    config = (server.owner_home / "config.toml").read_text()
    assert f'team_owner = "{server.url(server.owner)}"' in config
    assert OWNER_PASSWORD not in config

    leads = [add_lead(server, name) for name in ("a", "b", "c")]
    with server.admin() as admin:
        found = rows_of(
            admin,
            "SELECT r.rolname, r.rolcanlogin, r.rolsuper, "
            "pg_has_role(r.oid, 'leadtime_member', 'MEMBER'), a.rolpassword "
            "FROM pg_roles r JOIN pg_authid a ON a.oid = r.oid WHERE r.rolname = ANY(%s) "
            "ORDER BY 1",
            ([lead.role for lead in leads],),
        )
        assert rows_of(admin, "SELECT min_group FROM leadtime_team.settings") == [(7,)]
    assert [row[0] for row in found] == [lead.role for lead in leads]
    for _name, login, superuser, member, stored in found:
        assert login and not superuser and member
        assert stored.startswith("SCRAM-SHA-256$")  # the server got a verifier only
    for lead in leads:  # each signs in with its own password
        with lead.connect() as conn:
            assert rows_of(conn, "SELECT current_user") == [(lead.role,)]


def test_adding_an_existing_role_grants_membership_and_never_changes_its_password(
    team: Server,
) -> None:
    role = team.role("existing")
    with team.admin() as admin:
        admin.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD 'old-pw'").format(sql.Identifier(role))
        )
    refused = team.as_owner("team", "add", role, "--password-stdin", input="new-pw\n")
    assert refused.exit_code == 2 and "does not change its password" in refused.stderr
    added = team.as_owner("team", "add", role)
    assert added.exit_code == 0 and f"added {role}" in added.stdout
    again = team.as_owner("team", "add", role)
    assert again.exit_code == 0 and "already" in again.stdout
    with team.connect(role, "old-pw") as conn:
        assert rows_of(conn, "SELECT pg_has_role(current_user, 'leadtime_member', 'MEMBER')") == [
            (True,)
        ]


def test_a_role_that_could_read_every_row_is_not_added(team: Server) -> None:
    strong, deputy = team.role("strong"), team.role("deputy")
    with team.admin() as admin:
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN BYPASSRLS").format(sql.Identifier(strong)))
        admin.execute(
            sql.SQL("CREATE ROLE {} LOGIN IN ROLE {}").format(
                sql.Identifier(deputy), sql.Identifier(team.owner)
            )
        )
    for role in (strong, deputy):
        result = team.as_owner("team", "add", role)
        assert result.exit_code == 4, result.stdout
        assert "could read every member's rows" in result.stderr
    owner = team.as_owner("team", "add", team.owner)
    assert owner.exit_code == 2 and "owner" in owner.stderr
    with team.admin() as admin:
        assert rows_of(
            admin,
            "SELECT count(*) FROM pg_roles WHERE rolname = ANY(%s) "
            "AND pg_has_role(oid, 'leadtime_member', 'MEMBER') AND NOT rolsuper",
            ([strong, deputy],),
        ) == [(0,)]


def test_a_new_role_without_a_password_is_refused_off_a_terminal(team: Server) -> None:
    result = team.as_owner("team", "add", team.role("nopass"))
    assert result.exit_code == 2 and "needs a password" in result.stderr
    with team.admin() as admin:
        assert rows_of(
            admin, "SELECT count(*) FROM pg_roles WHERE rolname = %s", (team.role("nopass"),)
        ) == [(0,)]


def test_init_refuses_what_would_break_the_owners_privacy(server: Server) -> None:
    with server.admin() as admin:  # a schema of the same name that is not a team
        admin.execute(sql.SQL("CREATE SCHEMA leadtime_team AUTHORIZATION {}").format(
            sql.Identifier(server.owner)))  # fmt: skip
    foreign = one_error(server.as_owner("team", "init", server.url(server.owner)))
    assert "exists but is not a leadtime team" in foreign
    with server.admin() as admin:
        admin.execute("DROP SCHEMA leadtime_team")
        admin.execute(  # as another team on this server may have made it
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'leadtime_member') "
            "THEN CREATE ROLE leadtime_member NOLOGIN; END IF; END $$"
        )
        admin.execute(sql.SQL("GRANT {} TO leadtime_member").format(
            sql.Identifier(server.owner)))  # fmt: skip
    refused = one_error(server.as_owner("team", "init", server.url(server.owner)))
    assert "members of leadtime_member can act as" in refused
    with server.admin() as admin:
        assert rows_of(admin, "SELECT count(*) FROM pg_namespace WHERE nspname = %s",
                       ("leadtime_team",)) == [(0,)]  # nothing half-written  # fmt: skip
        admin.execute(sql.SQL("REVOKE {} FROM leadtime_member").format(
            sql.Identifier(server.owner)))  # fmt: skip
    init_team(server)
    other = server.role("other_admin")
    with server.admin() as admin:
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN CREATEROLE PASSWORD 'other-pw'").format(
            sql.Identifier(other)))  # fmt: skip
    result = server.cli("team", "init", server.url(other),
                        env={"LEADTIME_HOME": str(home_dir(server.tmp / "other")),
                             "LEADTIME_TEAM_PASSWORD": "other-pw"})  # fmt: skip
    assert f"belongs to {server.owner}, not {other}" in one_error(result)


def test_the_minimum_group_is_never_below_three(team: Server) -> None:
    usage = team.as_owner("team", "init", team.url(team.owner), "--min-group", "2")
    assert usage.exit_code == 2
    with (
        team.connect(team.owner, OWNER_PASSWORD) as owner,
        pytest.raises(psycopg.errors.CheckViolation),
    ):
        owner.execute("UPDATE leadtime_team.settings SET min_group = 2")


# --------------------------------------------------------------------------- privacy


def publish_week(lead: Lead, leadership: int, hands_on: int, extra: dict[str, int]) -> None:
    """One week (2026-W46) of entries: leadership as review, hands-on as bugfix, and
    ``extra`` minutes of leadership per further activity; then publish it."""
    lead.log(leadership, "leadership:review", MONDAY, "08:00")
    lead.log(hands_on, "hands-on:bugfix", "2026-11-10", "08:00")
    for offset, (activity, minutes) in enumerate(sorted(extra.items())):
        lead.log(minutes, f"leadership:{activity}", "2026-11-11", f"{8 + 3 * offset:02d}:00")
    lead.ok("team", "publish", "--weeks", "1")


# Each lead's week: (leadership as review, hands-on as bugfix, further leadership).
WEEKS = {
    "a": (600, 240, {"1:1": 60}),
    "b": (300, 300, {"1:1": 30, "hiring": 120}),
    "c": (720, 120, {"1:1": 90}),
    "d": (480, 240, {"1:1": 45}),
    "e": (510, 180, {"1:1": 30}),
}


def test_a_member_reads_no_other_members_rows_through_any_relation_or_function(
    team: Server,
) -> None:
    a, b, _c = (add_lead(team, name) for name in ("a", "b", "c"))
    publish_week(a, *WEEKS["a"])
    publish_week(b, *WEEKS["b"])
    with team.admin() as admin:
        admin.execute("ANALYZE leadtime_team.weeks")
        admin.execute("ANALYZE leadtime_team.activities")
        assert rows_of(admin, "SELECT count(*) FROM leadtime_team.weeks WHERE member = %s",
                       (b.role,)) == [(1,)]  # fmt: skip

    with a.connect() as conn:
        relations = rows_of(
            conn,
            "SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname = 'leadtime_team' "
            "AND c.relkind IN ('r', 'v', 'm', 'f', 'p') AND (has_table_privilege(c.oid, "
            "'SELECT') OR EXISTS (SELECT FROM pg_attribute t WHERE t.attrelid = c.oid AND "
            "t.attnum > 0 AND has_column_privilege(c.oid, t.attnum, 'SELECT'))) ORDER BY 1",
        )
        names = [name for (name,) in relations]
        assert names == [
            "leadtime_team.activities",
            "leadtime_team.alembic_version",
            "leadtime_team.settings",
            "leadtime_team.weeks",
        ]
        seen = []
        for name in names:
            seen += rows_of(conn, sql.SQL("SELECT * FROM {}").format(sql.SQL(name)))
        text = repr(seen)
        assert b.role not in text and "hiring" not in text and "300.0" not in text
        own = rows_of(conn, "SELECT member, leadership FROM leadtime_team.weeks")
        assert own == [(a.role, 660.0)]  # review 600 + 1:1 60: row-level security, not emptiness

        functions = rows_of(
            conn,
            "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'leadtime_team' AND has_function_privilege(p.oid, 'EXECUTE') "
            "ORDER BY 1",
        )
        assert functions == [("monday_of",), ("publish",), ("report",)]
        report = rows_of(conn, "SELECT * FROM leadtime_team.report(%s, %s)",
                         ("2026-10-01", "2026-11-30"))  # fmt: skip
        assert report and all(row[2:] == (None,) * 9 for row in report)  # two publishers
        assert b.role not in repr(report)

        # The planner's statistics of the tables stay hidden too.
        assert rows_of(conn, "SELECT * FROM pg_stats WHERE schemaname = 'leadtime_team'") == []

        # B's row can neither be changed nor deleted; no row can be written as B.
        changed = conn.execute("UPDATE leadtime_team.weeks SET leadership = 1 WHERE member = %s",
                               (b.role,))  # fmt: skip
        assert changed.rowcount == 0
        assert conn.execute("DELETE FROM leadtime_team.weeks WHERE member <> current_user"
                            ).rowcount == 0  # fmt: skip
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO leadtime_team.weeks VALUES (%s, %s, 1, 1, 0, 0, 'on-target')",
                (b.role, "2026-11-02"),
            )
        for statement in (
            "TRUNCATE leadtime_team.weeks",
            "ALTER TABLE leadtime_team.weeks DISABLE ROW LEVEL SECURITY",
            "CREATE TABLE leadtime_team.mine (x int)",
            "UPDATE leadtime_team.settings SET min_group = 3",
            f'SET ROLE "{team.owner}"',
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
        # As the group role itself no shared rows can be made either.
        conn.execute("SET ROLE leadtime_member")
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute(
                "INSERT INTO leadtime_team.weeks VALUES (DEFAULT, %s, 1, 1, 0, 0, 'on-target')",
                ("2026-11-02",),
            )
    with team.admin() as admin:
        assert rows_of(admin, "SELECT leadership FROM leadtime_team.weeks WHERE member = %s",
                       (b.role,)) == [(450.0,)]  # fmt: skip


def percentile(values: list[float], fraction: float) -> float:
    """Linear interpolation between the closest ranks (as PostgreSQL's percentile_cont)."""
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def one_decimal(value: float) -> float:
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def week_of(report: str) -> dict[str, Any]:
    weeks = json.loads(report)["weeks"]
    assert [w["week"] for w in weeks] == [WEEK]
    return dict(weeks[0])


def test_four_publishers_show_no_numbers_to_anyone_and_five_the_hand_computed_ones(
    team: Server,
) -> None:
    leads = {name: add_lead(team, name) for name in WEEKS}
    for name in "abcd":
        publish_week(leads[name], *WEEKS[name])

    for lead in leads.values():  # the four publishers, and the one who has not published
        seen = week_of(lead.ok("team", "report", "--weeks", "1", "--format", "json"))
        assert seen["suppressed"] is True
        assert set(seen) == {"week", "start", "end", "suppressed", "you"}
    table = leads["a"].ok("team", "report", "--weeks", "1")
    assert "fewer than 5 leads" in table
    with team.connect(team.owner, OWNER_PASSWORD) as owner:  # the function, even for the owner
        query = "SELECT leads, median_share, minutes FROM leadtime_team.report(%s, %s)"
        assert rows_of(owner, query, (MONDAY, MONDAY)) == [(None, None, None)]

    publish_week(leads["e"], *WEEKS["e"])
    assert_totals_recount(team)
    seen = week_of(leads["a"].ok("team", "report", "--weeks", "1", "--format", "json"))

    # By hand: shares, verdicts against 70 +- 5 (a share shown as 75.0% passes), means.
    leadership = {n: r + sum(extra.values()) for n, (r, _h, extra) in WEEKS.items()}
    hands_on = {n: h for n, (_r, h, _e) in WEEKS.items()}
    shares = [leadership[n] / (leadership[n] + hands_on[n]) for n in WEEKS]
    shown = [one_decimal(100 * s) for s in shares]
    assert shown == [73.3, 60.0, 87.1, 68.6, 75.0]  # a b c d e
    assert seen["suppressed"] is False and seen["leads"] == 5
    assert seen["median_share"] == one_decimal(100 * percentile(shares, 0.5)) == 73.3
    assert seen["p25_share"] == one_decimal(100 * percentile(shares, 0.25)) == 68.6
    assert seen["p75_share"] == one_decimal(100 * percentile(shares, 0.75)) == 75.0
    assert (seen["on_target"], seen["too_hands_on"], seen["too_hands_off"]) == (3, 1, 1)
    assert seen["minutes"] == {
        "leadership": one_decimal(sum(leadership.values()) / 5),
        "hands-on": one_decimal(sum(hands_on.values()) / 5),
    }  # nobody has other or unclassified time: those categories have no number
    assert seen["activities"] == {
        "leadership": {
            "review": one_decimal(sum(r for r, _h, _e in WEEKS.values()) / 5),
            "1:1": one_decimal(sum(e["1:1"] for _r, _h, e in WEEKS.values()) / 5),
        },  # "hiring": one lead only, so never shown
        "hands-on": {"bugfix": one_decimal(sum(hands_on.values()) / 5)},
    }
    assert seen["you"] == {"share": 73.3, "verdict": "on-target"}

    with leads["b"].connect() as conn:  # the function's own numbers, unrounded
        row = rows_of(conn, "SELECT leads, p25_share, median_share, p75_share "
                            "FROM leadtime_team.report(%s, %s)", (MONDAY, MONDAY))[0]  # fmt: skip
    expected = (5, percentile(shares, 0.25), percentile(shares, 0.5), percentile(shares, 0.75))
    assert row == pytest.approx(expected, rel=1e-12)


def test_a_larger_minimum_group_holds_back_a_week_of_five(team: Server) -> None:
    leads = [add_lead(team, name) for name in WEEKS]
    for lead in leads:
        publish_week(lead, *WEEKS[lead.home.name])
    init_team(team, "--min-group", "6")
    seen = json.loads(leads[0].ok("team", "report", "--weeks", "1", "--format", "json"))
    assert seen["min_group"] == 6 and seen["weeks"][0]["suppressed"] is True


# --------------------------------------------------------------------------- publishing


def own_rows(lead: Lead) -> dict[str, Any]:
    """What landed for ``lead``, read back as the member, in the published JSON's shape."""
    with lead.connect() as conn:
        weeks = rows_of(conn, "SELECT to_char(week, 'IYYY-\"W\"IW'), leadership, hands_on, "
                              "other, unclassified, verdict FROM leadtime_team.weeks "
                              "ORDER BY week")  # fmt: skip
        activities = rows_of(conn, "SELECT to_char(week, 'IYYY-\"W\"IW'), category, activity, "
                                   "minutes FROM leadtime_team.activities")  # fmt: skip
    found = []
    for label, lead_m, hands_m, other_m, unclassified_m, verdict in weeks:
        mix: dict[str, dict[str, float]] = {}
        for week, category, activity, minutes in activities:
            if week == label:
                mix.setdefault(category, {})[activity] = minutes
        found.append({
            "week": label,
            "minutes": {"leadership": lead_m, "hands-on": hands_m, "other": other_m,
                        "unclassified": unclassified_m},
            "activities": mix,
            "verdict": verdict,
        })  # fmt: skip
    return {"weeks": found}


def test_publish_dry_run_prints_exactly_what_lands(team: Server) -> None:
    lead = add_lead(team, "a")
    lead.log(300, "leadership:review", "2026-11-02")
    lead.log(90, "hands-on:spike", "2026-11-03")
    lead.log(60, "other", "2026-11-04")
    lead.log(600, "leadership:1:1", MONDAY)
    lead.log(200, "hands-on:bugfix", "2026-11-10")
    lead.log(30, "leadership:review", "2026-10-28")  # 2026-W44: not enough data to judge

    dry = lead.run("team", "publish", "--weeks", "3", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    sent = json.loads(dry.stdout)
    assert "not enough data to judge: 2026-W44" in dry.stderr
    assert (sent["from"], sent["to"]) == ("2026-W44", WEEK)
    assert [w["week"] for w in sent["weeks"]] == ["2026-W45", WEEK]
    assert own_rows(lead) == {"weeks": []}  # a dry run sends nothing

    published = lead.ok("team", "publish", "--weeks", "3")
    assert "published 2 weeks of 2026-W44..2026-W46" in published
    assert own_rows(lead) == {"weeks": sent["weeks"]}
    # Nothing but the week, the minutes per category and activity, and the verdict.
    assert all(set(w) == {"week", "minutes", "activities", "verdict"} for w in sent["weeks"])
    assert sent["weeks"][0]["minutes"] == {"leadership": 300.0, "hands-on": 90.0,
                                           "other": 60.0, "unclassified": 0.0}  # fmt: skip
    assert sent["weeks"][0]["activities"] == {
        "leadership": {"review": 300.0}, "hands-on": {"spike": 90.0}, "other": {"(none)": 60.0}
    }  # fmt: skip


def test_the_dry_run_needs_no_team_and_sends_no_text_of_an_entry(server: Server) -> None:
    lead = Lead(server, "nobody", "", home_dir(server.tmp / "solo"))
    lead.ok("log", "Secret 1:1 with Mallory about the reorg", "2h", "--at", f"{MONDAY} 09:00",
            "--tag", "confidential", "--note", "do not share")  # fmt: skip
    lead.ok("log", "Fix bug in payroll-service", "3h", "--at", f"{MONDAY} 13:00")
    result = lead.run("team", "publish", "--weeks", "1", "--dry-run")
    assert result.exit_code == 0, result.stderr
    for secret in ("Mallory", "reorg", "confidential", "do not share", "payroll", "09:00", "13:00",
                   "log", "Europe"):  # fmt: skip
        assert secret not in result.stdout
    assert json.loads(result.stdout)["weeks"][0]["week"] == WEEK


def test_publishing_again_replaces_and_never_duplicates(team: Server) -> None:
    lead = add_lead(team, "a")
    lead.log(300, "leadership:hiring", MONDAY)
    lead.log(200, "hands-on:bugfix", "2026-11-10")
    lead.ok("team", "publish", "--weeks", "2")
    lead.ok("team", "publish", "--weeks", "2")
    first = own_rows(lead)
    assert [w["week"] for w in first["weeks"]] == [WEEK]

    lead.ok("rm", "--yes", *entry_ids(lead, "hiring"))
    lead.log(240, "leadership:review", MONDAY)
    lead.ok("team", "publish", "--weeks", "1")
    again = own_rows(lead)
    assert [w["week"] for w in again["weeks"]] == [WEEK]
    assert again["weeks"][0]["activities"] == {"leadership": {"review": 240.0},
                                               "hands-on": {"bugfix": 200.0}}  # fmt: skip
    with team.admin() as admin:
        assert rows_of(admin, "SELECT count(*) FROM leadtime_team.weeks WHERE member = %s",
                       (lead.role,)) == [(1,)]  # fmt: skip
    assert_totals_recount(team)

    # A week that no longer has enough data is taken back when its range is published.
    lead.ok("rm", "--yes", *entry_ids(lead, "review"))
    lead.ok("team", "publish", "--weeks", "1")
    assert own_rows(lead) == {"weeks": []}
    assert_totals_recount(team)


def assert_totals_recount(server: Server) -> None:
    """The activity totals the database keeps for the report equal a recount of the rows."""
    with server.admin() as admin:
        kept = rows_of(admin, "SELECT week, category, activity, minutes, leads, entries "
                              "FROM leadtime_team.activity_totals ORDER BY 1, 2, 3")  # fmt: skip
        counted = rows_of(
            admin,
            "SELECT week, category, activity, sum(minutes::numeric), "
            "count(*) FILTER (WHERE minutes > 0), count(*) FROM leadtime_team.activities "
            "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        )
    assert kept == counted


def entry_ids(lead: Lead, word: str) -> list[str]:
    listed = lead.ok("ls", "--week", WEEK, "--format", "json")
    return [e["id"] for e in json.loads(listed) if word in e["title"]]


# --------------------------------------------------------------------------- leaving


def test_leave_deletes_every_row_of_the_member_and_forgets_the_team(team: Server) -> None:
    lead, other = add_lead(team, "a"), add_lead(team, "b")
    publish_week(lead, *WEEKS["a"])
    publish_week(other, *WEEKS["b"])
    left = lead.run("team", "leave", "--yes")
    assert left.exit_code == 0, left.stderr
    assert "deleted 1 published week" in left.stdout
    with team.admin() as admin:
        for table in ("weeks", "activities"):
            query = sql.SQL("SELECT member, count(*) FROM leadtime_team.{} GROUP BY 1").format(
                sql.Identifier(table)
            )
            assert dict(rows_of(admin, query)).keys() == {other.role}
    assert "team =" not in (lead.home / "config.toml").read_text()
    assert_totals_recount(team)
    again = lead.run("team", "report")
    assert again.exit_code == 4 and "has not joined a team" in again.stderr


def test_leave_asks_first_and_off_a_terminal_changes_nothing(team: Server) -> None:
    lead = add_lead(team, "a")
    publish_week(lead, *WEEKS["a"])
    result = lead.run("team", "leave")
    assert result.exit_code == 2 and "nothing was changed" in result.stderr
    assert own_rows(lead)["weeks"]


def test_remove_deletes_the_members_rows_and_membership(team: Server) -> None:
    lead, other = add_lead(team, "a"), add_lead(team, "b")
    publish_week(lead, *WEEKS["a"])
    publish_week(other, *WEEKS["b"])
    removed = team.as_owner("team", "remove", lead.role, "--yes")
    assert removed.exit_code == 0, removed.stderr
    assert "deleted 1 published week, revoked its membership" in removed.stdout
    with team.admin() as admin:
        for table in ("weeks", "activities"):
            query = sql.SQL("SELECT DISTINCT member FROM leadtime_team.{}").format(
                sql.Identifier(table)
            )
            assert rows_of(admin, query) == [(other.role,)]
    assert_totals_recount(team)
    refused = lead.run("team", "publish")
    assert refused.exit_code == 4
    assert f"{lead.role} is not a member of the team" in refused.stderr
    unknown = team.as_owner("team", "remove", team.role("ghost"), "--yes")
    assert unknown.exit_code == 4 and "not a member" in unknown.stderr


def test_only_the_owner_adds_and_removes(team: Server) -> None:
    lead = add_lead(team, "a")
    result = lead.run("team", "add", team.role("z"), "--url", team.url(lead.role))
    assert result.exit_code == 4 and "only the team's owner" in result.stderr


# --------------------------------------------------------------------------- failures


def one_error(result: Any, code: int = 4) -> str:
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert lines and lines[0].startswith("error: ") and len(lines) <= 2, lines
    assert "Traceback" not in result.stderr
    return str(lines[0])


def test_a_wrong_password_is_one_masked_line_and_changes_nothing(team: Server, proc: Run) -> None:
    lead = add_lead(team, "a")
    wrong = "Wr0ng-and-s3cret"
    config = (lead.home / "config.toml").read_text()
    for args in (("team", "publish"), ("team", "report"), ("team", "leave", "--yes")):
        line = one_error(lead.run(*args, password=wrong))
        assert "refused the password of" in line and wrong not in line
    env = {"LEADTIME_HOME": str(lead.home), "LEADTIME_TEAM_PASSWORD": wrong}
    debug = proc("--debug", "team", "report", env=env)
    assert debug.exit_code == 4 and "refused the password" in debug.stderr
    assert wrong not in debug.stdout + debug.stderr
    joined = Lead(team, lead.role, wrong, home_dir(team.tmp / "elsewhere"))
    one_error(joined.run("team", "join", team.url(lead.role)))
    assert "team" not in (joined.home / "config.toml").read_text()  # nothing remembered
    assert (lead.home / "config.toml").read_text() == config


def test_no_password_anywhere_off_a_terminal_says_where_one_comes_from(team: Server) -> None:
    lead = add_lead(team, "a")
    result = team.cli("team", "report", env={"LEADTIME_HOME": str(lead.home)})
    line = one_error(result)
    assert f"no team password for {lead.role}" in line
    assert "LEADTIME_TEAM_PASSWORD" in result.stderr


def test_a_server_that_is_down_is_one_line(tmp_path: Path, cli: Run) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    home = home_dir(tmp_path / "down")
    result = cli("team", "join", f"postgresql://dana@127.0.0.1:{port}/leads",
                 env={"LEADTIME_HOME": str(home), "LEADTIME_TEAM_PASSWORD": "pw-x9"})  # fmt: skip
    line = one_error(result)
    assert "cannot reach the team database at postgresql://dana@127.0.0.1" in line
    assert "pw-x9" not in result.stderr


def test_no_team_schema_and_no_membership_are_one_line_each(server: Server) -> None:
    role = server.role("plain")
    with server.admin() as admin:
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD 'plain-pw'").format(
            sql.Identifier(role)))  # fmt: skip
    lead = Lead(server, role, "plain-pw", home_dir(server.tmp / "plain"))
    line = one_error(lead.run("team", "join", server.url(role)))
    assert "there is no leadtime team at" in line
    assert "team init" in lead.run("team", "join", server.url(role)).stderr
    init_team(server)
    line = one_error(lead.run("team", "join", server.url(role)))
    assert f"{role} is not a member of the team" in line
    assert "team =" not in (lead.home / "config.toml").read_text()


def test_a_newer_or_older_team_schema_is_refused(
    team: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead = add_lead(team, "a")
    with team.admin() as admin:
        admin.execute("UPDATE leadtime_team.alembic_version SET version_num = 'team_9999'")
    line = one_error(lead.run("team", "report"))
    assert "set up by a newer leadtime (schema team_9999)" in line
    newer = team.as_owner("team", "init", team.url(team.owner))
    assert "newer leadtime" in one_error(newer)
    with team.admin() as admin:
        admin.execute("UPDATE leadtime_team.alembic_version SET version_num = 'team_0001'")

    from leadtime.team import db

    monkeypatch.setattr(db, "REVISIONS", ("team_0001", "team_0002"))
    monkeypatch.setattr(db, "HEAD", "team_0002")
    line = one_error(lead.run("team", "publish"))
    assert "has an older schema (team_0001) than this leadtime (team_0002)" in line
    assert own_rows(lead) == {"weeks": []}


def test_a_password_in_the_address_is_refused_and_masked(tmp_path: Path, cli: Run) -> None:
    home = home_dir(tmp_path / "lead")
    result = cli("team", "join", "postgresql://dana:hunter2@db.example.com/leads",
                 env={"LEADTIME_HOME": str(home)})  # fmt: skip
    line = one_error(result, code=2)
    assert "contains a password" in line and "hunter2" not in result.stderr


# --------------------------------------------------------------------------- after import


def write_calendar(path: Path) -> Path:
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        + "".join(
            f"BEGIN:VEVENT\r\nUID:review-{day}@test\r\nDTSTAMP:20261101T000000Z\r\n"
            f"DTSTART:202611{day:02d}T090000Z\r\nDTEND:202611{day:02d}T150000Z\r\n"
            "SUMMARY:Code review\r\nEND:VEVENT\r\n"
            for day in (9, 10, 11)
        )
        + "END:VCALENDAR\r\n",
        encoding="utf-8",
    )
    return path


def test_team_publish_auto_publishes_after_each_import(team: Server) -> None:
    lead = add_lead(team, "a")
    lead.log(120, "hands-on:bugfix", "2026-11-12")
    lead.ok("config", "set", "team_publish", "auto")
    calendar = write_calendar(lead.home / "work.ics")
    out = lead.ok("import", str(calendar))
    assert "published 1 week of 2026-W43..2026-W46 to postgresql://" in out
    assert [w["week"] for w in own_rows(lead)["weeks"]] == [WEEK]

    # The team down or the password wrong: the import still lands, with a warning.
    lead.ok("team", "leave", "--yes")
    lead.ok("team", "join", team.url(lead.role))
    result = lead.run("import", str(calendar), password="wrong-pw-1")
    assert result.exit_code == 0, result.stderr
    assert "warning: the import landed, but nothing was published" in result.stderr
    assert "wrong-pw-1" not in result.stderr
    assert own_rows(lead) == {"weeks": []}


def test_publish_is_off_by_default_after_an_import(team: Server) -> None:
    lead = add_lead(team, "a")
    calendar = write_calendar(lead.home / "work.ics")
    out = lead.ok("import", str(calendar))
    assert "published" not in out
    assert own_rows(lead) == {"weeks": []}


def test_a_suppressed_week_in_the_table_and_markdown(team: Server) -> None:
    lead = add_lead(team, "a")
    publish_week(lead, *WEEKS["a"])
    table = lead.ok("team", "report", "--weeks", "2")
    assert re.search(r"2026-W46\s+fewer than 5 leads\s+73\.3% on target", table), table
    markdown = lead.ok("team", "report", "--weeks", "2", "--format", "markdown")
    assert "| 2026-W46 | fewer than 5 leads | | | | | | 73.3% on target |" in markdown
    assert "| 2026-W45 | fewer than 5 leads | | | | | | - |" in markdown
