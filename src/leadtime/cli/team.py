"""``leadtime team``: share weekly aggregates with other leads on a PostgreSQL database."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Any

import typer

from leadtime.cli.options import say, workspace
from leadtime.errors import UsageError
from leadtime.passwords import Prompt
from leadtime.team.schema import MIN_GROUP_CEILING, MIN_GROUP_DEFAULT, MIN_GROUP_FLOOR
from leadtime.text import safe

team_app = typer.Typer(
    help="Share your weekly split with a team of leads, privately, on PostgreSQL.\n\n"
    "Only aggregates leave this machine (minutes per category and activity, the verdict), "
    "and the database shows no number for a week with fewer publishers than the minimum "
    "group.\n\n"
    "Examples:\n\n  leadtime team join postgresql://dana@db.example.com/leads\n\n"
    "  leadtime team publish --weeks 12\n\n  leadtime team report",
    no_args_is_help=True,
)


class TeamFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


def _prompt() -> Prompt | None:
    """Ask for a password on a terminal; elsewhere there is no one to ask."""
    if not sys.stdin.isatty():
        return None
    from leadtime.passwords import terminal_prompt

    return terminal_prompt


def _new_password(question: str) -> str:
    """A new role's password, typed twice without echo."""
    from leadtime.passwords import terminal_prompt

    first = terminal_prompt(question)
    if first != terminal_prompt("again: "):
        raise UsageError("the two passwords differ; nothing was changed")
    return first


def _stdin_password() -> str:
    text = sys.stdin.read()
    password = text[:-1] if text.endswith("\n") else text
    password = password[:-1] if password.endswith("\r") else password
    if not password:
        raise UsageError("--password-stdin: standard input is empty")
    return password


def _confirm(question: str, command: str) -> bool:
    if not sys.stdin.isatty():
        raise UsageError(f"{command} asks first; nothing was changed", hint="add --yes")
    return typer.confirm(safe(question), default=False)


def _url_option() -> Any:
    return typer.Option(
        None,
        "--url",
        metavar="URL",
        help="The owner's address (default: the one 'team init' remembered).",
    )


def _weeks_option() -> Any:
    return typer.Option(
        None, "--weeks", metavar="N", min=1, max=520, help="The last N complete weeks (4)."
    )


@team_app.command("init")
def init(
    ctx: typer.Context,
    url: str = typer.Argument(..., metavar="URL", help="postgresql://OWNER@HOST/DATABASE"),
    min_group: int | None = typer.Option(
        None,
        "--min-group",
        metavar="N",
        min=MIN_GROUP_FLOOR,
        max=MIN_GROUP_CEILING,
        help=f"Fewest publishers a week needs to show numbers (new team: {MIN_GROUP_DEFAULT}).",
    ),
) -> None:
    """Create the team on a PostgreSQL database (once, as its owner); run again to upgrade.

    Creates the leadtime_team schema, the leadtime_member group role, row-level security
    and the report function; remembers the address (never the password) for team add and
    team remove.

    Examples:

      leadtime team init postgresql://admin@db.example.com/leads

      leadtime team init postgresql://admin@db.example.com/leads --min-group 7
    """
    from leadtime.app import team as app

    done = app.init_team(workspace(ctx, refresh=False), url, min_group, _prompt())
    if done.before is None:
        verb = "created"
    else:
        verb = "upgraded" if done.before != done.after else "checked"
    say(
        safe(
            f"{verb} the team at {done.team} (schema {done.after}, owner {done.owner}, "
            f"minimum group {done.min_group})",
            newlines=False,
        )
    )


@team_app.command("add")
def add(
    ctx: typer.Context,
    role: str = typer.Argument(..., metavar="ROLE", help="An existing role, or a new one."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="A new role's password from standard input."
    ),
    url: str | None = _url_option(),
) -> None:
    """Add a member (the owner): grant leadtime_member to ROLE, creating it if needed.

    A new login role's password comes from standard input (--password-stdin) or is asked
    on a terminal; it is sent only as a SCRAM verifier, never echoed, printed or stored.

    Examples:

      leadtime team add dana

      printf '%s' "$PASSWORD" | leadtime team add lee --password-stdin
    """
    from leadtime.app import team as app

    password = _stdin_password() if password_stdin else None
    ask = _new_password if password is None and sys.stdin.isatty() else None
    done = app.add_member(workspace(ctx, refresh=False), role, password, url, _prompt(), ask)
    if done.created:
        text = f"created the login role {role} and added it to the team at {done.team}"
    elif done.granted:
        text = f"added {role} to the team at {done.team}"
    else:
        text = f"{role} is a member of the team at {done.team} already"
    say(safe(text, newlines=False))


@team_app.command("remove")
def remove(
    ctx: typer.Context,
    role: str = typer.Argument(..., metavar="ROLE"),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask."),
    url: str | None = _url_option(),
) -> None:
    """Remove a member (the owner): delete every week ROLE published, revoke its membership.

    The login role itself stays (DROP ROLE removes it).

    Example:

      leadtime team remove dana --yes
    """
    from leadtime.app import team as app

    ws = workspace(ctx, refresh=False)
    if not yes and not _confirm(
        f"Delete every week {role} published and remove it?", "team remove"
    ):
        say("nothing changed")
        return
    done = app.remove_member(ws, role, url, _prompt())
    weeks = f"{done.rows} published week{'s' if done.rows != 1 else ''}"
    revoked = "revoked its membership" if done.revoked else "it was no member any more"
    say(safe(f"removed {role} from the team at {done.team}: deleted {weeks}, {revoked}"))


@team_app.command("join")
def join(
    ctx: typer.Context,
    url: str = typer.Argument(..., metavar="URL", help="postgresql://ROLE@HOST/DATABASE"),
) -> None:
    """Join a team as your role: checks the address, then remembers it (not the password).

    The password comes from LEADTIME_TEAM_PASSWORD, the system keyring (service
    leadtime-team:HOST, user ROLE) or a prompt on a terminal.

    Example:

      leadtime team join postgresql://dana@db.example.com/leads
    """
    from leadtime.app import team as app
    from leadtime.cli.options import note

    done = app.join_team(workspace(ctx, refresh=False), url, _prompt())
    if done.previous:
        note(safe(f"what you published to {done.previous} stays there ('team leave' first "
                  "deletes it)", newlines=False))  # fmt: skip
    say(safe(f"joined the team at {done.team}; share your weeks with: leadtime team publish"))


@team_app.command("leave")
def leave(
    ctx: typer.Context,
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask."),
) -> None:
    """Delete every week you published to the team, and forget the team.

    Example:

      leadtime team leave --yes
    """
    from leadtime.app import team as app

    ws = workspace(ctx, refresh=False)
    if not yes and not _confirm(
        "Delete every week you published and leave the team?", "team leave"
    ):
        say("nothing changed")
        return
    done = app.leave_team(ws, _prompt())
    weeks = f"{done.rows} published week{'s' if done.rows != 1 else ''}"
    say(safe(f"left the team at {done.team}: deleted {weeks}", newlines=False))


@team_app.command("publish")
def publish(
    ctx: typer.Context,
    weeks: int | None = _weeks_option(),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Print the JSON that would be sent; send nothing."
    ),
) -> None:
    """Send your complete weeks' aggregates to the team; a week sent again replaces itself.

    Sent per week: minutes per category and per activity, and the verdict. Never titles,
    notes, tags, times of day, calendars or sources. Weeks without enough data to judge
    are left out.

    Examples:

      leadtime team publish --dry-run

      leadtime team publish --weeks 12
    """
    from leadtime.app import team as app
    from leadtime.cli.options import note
    from leadtime.render.team import published_text

    result = app.publish(workspace(ctx), weeks, dry_run=dry_run, prompt=_prompt())
    if dry_run:
        say(app.document_text(result.document))
        note(published_text(result))
        return
    say(published_text(result))


@team_app.command("report")
def report(
    ctx: typer.Context,
    weeks: int | None = _weeks_option(),
    fmt: TeamFormat = typer.Option(
        TeamFormat.table, "--format", "-f", help="table, json or markdown."
    ),
) -> None:
    """The team's weeks: leads, median share (25th-75th percentile), verdicts, activity mix,
    and your own week beside them. A week with too few publishers shows no numbers.

    Examples:

      leadtime team report

      leadtime team report --weeks 12 --format json
    """
    from leadtime.app import team as app
    from leadtime.render import team as render

    result = app.team_report(workspace(ctx, refresh=False), weeks, _prompt())
    if fmt is TeamFormat.json:
        say(render.team_json(result))
    elif fmt is TeamFormat.markdown:
        typer.echo(render.team_markdown(result), nl=False)
    else:
        typer.echo(render.team_table(result), nl=False)


def register(cli: typer.Typer) -> None:
    cli.add_typer(team_app, name="team", rich_help_panel="Team")
