"""``leadtime team``: share weekly aggregates with a group of leads on a PostgreSQL
database, and read the team's numbers beside your own.

What is published comes from the personal report itself (:func:`report_for` and its JSON
week records, :func:`week_json`): for each complete week that has enough data to judge,
the minutes per category, the minutes per activity and the verdict. Nothing else leaves the
machine: no title, note, tag, time of day, calendar or source. The database does the rest:
see :mod:`leadtime.team`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from leadtime.app.periods import Period, mondays
from leadtime.app.workspace import Workspace
from leadtime.config import write_setting
from leadtime.errors import InputError, LeadtimeError
from leadtime.jsonout import dumps
from leadtime.passwords import Prompt
from leadtime.reports.numbers import Verdict
from leadtime.secrets import mask_url
from leadtime.team.address import TeamAddress, parse_team_address
from leadtime.team.records import MemberChange, Published, TeamReport

if TYPE_CHECKING:
    from leadtime.team.db import Session
    from leadtime.team.owner import Initialised

__all__ = [
    "DEFAULT_WEEKS",
    "PUBLISHED_KEYS",
    "AutoPublished",
    "Joined",
    "add_member",
    "document_text",
    "init_team",
    "join_team",
    "leave_team",
    "publish",
    "publish_after_import",
    "remove_member",
    "team_report",
]

DEFAULT_WEEKS = 4  # publish and report: the last 4 complete weeks, as report's default
# The keys of a personal JSON week record that are published; nothing else is.
PUBLISHED_KEYS = ("week", "minutes", "activities", "verdict")


def _session(ws: Workspace, address: TeamAddress, prompt: Prompt | None) -> Session:
    from leadtime.team.db import open_session

    return open_session(address, environ=ws.environ, prompt=prompt)


def _joined(ws: Workspace) -> TeamAddress:
    if not ws.settings.team:
        raise InputError(
            "this machine has not joined a team",
            hint="join one with: leadtime team join postgresql://ROLE@HOST/DATABASE",
        )
    return parse_team_address(ws.settings.team)


def _owned(ws: Workspace, url: str | None) -> TeamAddress:
    if url:
        return parse_team_address(url)
    if not ws.settings.team_owner:
        raise InputError(
            "no team set up from this machine",
            hint="give the owner's address with --url, or set it up: leadtime team init URL",
        )
    return parse_team_address(ws.settings.team_owner)


# --------------------------------------------------------------------------- the owner


def init_team(ws: Workspace, url: str, min_group: int | None, prompt: Prompt | None) -> Initialised:
    """Create the team schema (or upgrade it) as the address's role, which becomes the
    team's owner, and remember the address for ``team add`` and ``team remove``."""
    from leadtime.team.owner import init_team as init

    address = parse_team_address(url)
    ws.settings  # noqa: B018  (a bad config.toml fails before the server is touched)
    with _session(ws, address, prompt) as session:
        done = init(session, min_group)
    write_setting(ws.paths.config_file, "team_owner", str(address))
    return done


def add_member(
    ws: Workspace,
    role: str,
    password: str | None,
    url: str | None,
    prompt: Prompt | None,
    ask: Prompt | None = None,
) -> MemberChange:
    """The owner adds ``role`` to the team; a new role gets ``password``, or what ``ask``
    answers when there is none (the CLI asks on a terminal only)."""
    from leadtime.team.owner import add_member as add

    with _session(ws, _owned(ws, url), prompt) as session:
        return add(session, role, password, ask)


def remove_member(ws: Workspace, role: str, url: str | None, prompt: Prompt | None) -> MemberChange:
    """The owner removes ``role``: its published weeks are deleted, its membership revoked."""
    from leadtime.team.owner import remove_member as remove

    with _session(ws, _owned(ws, url), prompt) as session:
        return remove(session, role)


# --------------------------------------------------------------------------- a member


@dataclass(frozen=True)
class Joined:
    team: str  # masked
    previous: str | None  # the masked address of the team this machine was in before


def join_team(ws: Workspace, url: str, prompt: Prompt | None) -> Joined:
    """Check that the address's role may use the team there, then remember the address
    (never the password)."""
    from leadtime.team.db import TeamError

    address = parse_team_address(url)
    before = ws.settings.team
    with _session(ws, address, prompt) as session:
        session.check_schema()
        if not session.is_member():
            raise TeamError(
                f"{address.role} is not a member of the team at {session.display}",
                reason="not-member",
                hint=f"ask the team's owner to run: leadtime team add {address.role}",
            )
    write_setting(ws.paths.config_file, "team", str(address))
    previous = mask_url(before) if before and before != str(address) else None
    return Joined(mask_url(str(address)), previous)


def leave_team(ws: Workspace, prompt: Prompt | None) -> MemberChange:
    """Delete every week this role published, then forget the team."""
    from leadtime.team.member import delete_own_rows

    address = _joined(ws)
    with _session(ws, address, prompt) as session:
        session.check_schema()
        deleted = delete_own_rows(session)
        session.commit()
    write_setting(ws.paths.config_file, "team", None)
    return MemberChange(mask_url(str(address)), address.role, rows=deleted)


def document_text(document: dict[str, Any]) -> str:
    """The JSON text that is sent and that ``--dry-run`` prints: one and the same."""
    return dumps(document)


def _document(ws: Workspace, weeks: int | None) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The weeks to publish, as the personal report's own JSON week records cut down to
    :data:`PUBLISHED_KEYS`; and the complete weeks left out for want of data."""
    from leadtime.app.reporting import report_for
    from leadtime.clock import iso_label
    from leadtime.render.formats import week_json

    chosen = mondays(ws, Period(weeks=weeks or DEFAULT_WEEKS), default=DEFAULT_WEEKS,
                     complete_only=True)  # fmt: skip
    report = report_for(ws, chosen)
    published, skipped = [], []
    for record in report.weeks:
        if not record.complete:  # never the week in progress
            continue
        if record.verdict is Verdict.NOT_ENOUGH_DATA:
            skipped.append(record.week)
            continue
        data = week_json(record)
        published.append({key: data[key] for key in PUBLISHED_KEYS})
    document = {"from": iso_label(chosen[0]), "to": iso_label(chosen[-1]), "weeks": published}
    return document, tuple(skipped)


def publish(ws: Workspace, weeks: int | None, *, dry_run: bool, prompt: Prompt | None) -> Published:
    """Publish the last ``weeks`` complete weeks (default 4) to the joined team; each
    replaces what was published for it before. ``dry_run``: only say what would be sent
    (no team needed, nothing sent)."""
    from leadtime.team import member

    document, skipped = _document(ws, weeks)
    if dry_run:
        shown = mask_url(ws.settings.team) if ws.settings.team else None
        return Published(shown, document, skipped, dry_run=True)
    address = _joined(ws)
    with _session(ws, address, prompt) as session:
        session.check_schema()
        member.publish(session, document_text(document))
        session.commit()
        return Published(session.display, document, skipped, dry_run=False)


@dataclass(frozen=True)
class AutoPublished:
    """What the publish after an import did: published, or why not (the import landed)."""

    published: Published | None
    failure: str | None


def publish_after_import(ws: Workspace, prompt: Prompt | None) -> AutoPublished | None:
    """With ``team_publish = auto``: publish the default weeks after an import. A failure
    is reported, not raised: the import has landed whatever the team database says."""
    if ws.settings.team_publish != "auto":
        return None
    if not ws.settings.team:
        return AutoPublished(None, "team_publish is auto, but this machine has not joined a team")
    try:
        return AutoPublished(publish(ws, None, dry_run=False, prompt=prompt), None)
    except LeadtimeError as exc:
        return AutoPublished(None, exc.message + (f" ({exc.hint})" if exc.hint else ""))


def team_report(ws: Workspace, weeks: int | None, prompt: Prompt | None) -> TeamReport:
    """The team's last ``weeks`` complete weeks (default 4), with your own beside them."""
    from leadtime.team.member import read_report

    chosen = mondays(ws, Period(weeks=weeks or DEFAULT_WEEKS), default=DEFAULT_WEEKS,
                     complete_only=True)  # fmt: skip
    address = _joined(ws)
    with _session(ws, address, prompt) as session:
        session.check_schema()
        min_group, found = read_report(session, chosen[0], chosen[-1])
        return TeamReport(session.display, min_group, tuple(found))
