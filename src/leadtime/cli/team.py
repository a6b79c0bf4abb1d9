"""``leadtime team``: share weekly aggregates with other leads on a PostgreSQL database.

The commands' options are declared in :mod:`leadtime.cli.spec`; these are their bodies.
"""

from __future__ import annotations

import sys

from leadtime.app.workspace import Workspace
from leadtime.cli.out import confirm, note, say
from leadtime.errors import UsageError
from leadtime.passwords import Prompt
from leadtime.text import safe


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


def _asked(question: str, command: str) -> bool:
    """Whether the user agrees; off a terminal nobody can, and nothing changes."""
    if not sys.stdin.isatty():
        raise UsageError(f"{command} asks first; nothing was changed", hint="add --yes")
    return confirm(safe(question), default=False)


def init(ws: Workspace, *, url: str, min_group: int | None) -> None:
    from leadtime.app import team as app

    done = app.init_team(ws, url, min_group, _prompt())
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


def add(ws: Workspace, *, role: str, password_stdin: bool, url: str | None) -> None:
    from leadtime.app import team as app

    password = _stdin_password() if password_stdin else None
    ask = _new_password if password is None and sys.stdin.isatty() else None
    done = app.add_member(ws, role, password, url, _prompt(), ask)
    if done.created:
        text = f"created the login role {role} and added it to the team at {done.team}"
    elif done.granted:
        text = f"added {role} to the team at {done.team}"
    else:
        text = f"{role} is a member of the team at {done.team} already"
    say(safe(text, newlines=False))


def remove(ws: Workspace, *, role: str, yes: bool, url: str | None) -> None:
    from leadtime.app import team as app

    question = f"Delete every week {role} published and remove it?"
    if not yes and not _asked(question, "team remove"):
        say("nothing changed")
        return
    done = app.remove_member(ws, role, url, _prompt())
    weeks = f"{done.rows} published week{'s' if done.rows != 1 else ''}"
    revoked = "revoked its membership" if done.revoked else "it was no member any more"
    say(safe(f"removed {role} from the team at {done.team}: deleted {weeks}, {revoked}"))


def join(ws: Workspace, *, url: str) -> None:
    from leadtime.app import team as app

    done = app.join_team(ws, url, _prompt())
    if done.previous:
        note(safe(f"what you published to {done.previous} stays there ('team leave' first "
                  "deletes it)", newlines=False))  # fmt: skip
    say(safe(f"joined the team at {done.team}; share your weeks with: leadtime team publish"))


def leave(ws: Workspace, *, yes: bool) -> None:
    from leadtime.app import team as app

    if not yes and not _asked("Delete every week you published and leave the team?", "team leave"):
        say("nothing changed")
        return
    done = app.leave_team(ws, _prompt())
    weeks = f"{done.rows} published week{'s' if done.rows != 1 else ''}"
    say(safe(f"left the team at {done.team}: deleted {weeks}", newlines=False))


def publish(ws: Workspace, *, weeks: int | None, dry_run: bool) -> None:
    from leadtime.app import team as app
    from leadtime.render.team import published_text

    result = app.publish(ws, weeks, dry_run=dry_run, prompt=_prompt())
    if dry_run:
        say(app.document_text(result.document))
        note(published_text(result))
        return
    say(published_text(result))


def report(ws: Workspace, *, weeks: int | None, format: str) -> None:
    from leadtime.app import team as app
    from leadtime.render import team as render

    result = app.team_report(ws, weeks, _prompt())
    if format == "json":
        say(render.team_json(result))
    elif format == "markdown":
        say(render.team_markdown(result), end="")
    else:
        say(render.team_table(result), end="")
