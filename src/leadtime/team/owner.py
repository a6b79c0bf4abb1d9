"""What the team's owner does: create or upgrade the schema, add and remove members.

The owner is the role that owns the ``leadtime_team`` schema (whoever ran ``team init``
first). It owns the tables and the report function, so it must be a role no member can
become: ``team init`` refuses to go on if ``leadtime_member`` may act as it, and ``team
add`` refuses a role that could act as it, or that skips row-level security (a superuser,
BYPASSRLS), since either could read every member's rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

from leadtime.errors import InputError, UsageError
from leadtime.passwords import Prompt
from leadtime.team.db import Session, TeamError
from leadtime.team.records import MemberChange
from leadtime.team.schema import (
    HEAD,
    INIT_LOCK,
    MEMBER_ROLE,
    MIN_GROUP_CEILING,
    MIN_GROUP_FLOOR,
    PUBLISH_LOCK,
    REVISIONS,
    SCHEMA,
    VERSION_TABLE,
)

__all__ = ["Initialised", "add_member", "init_team", "remove_member"]

_MAX_NAME = 63  # bytes: PostgreSQL's NAMEDATALEN - 1


@dataclass(frozen=True)
class Initialised:
    team: str
    before: str | None  # the revision found (None: a new team)
    after: str
    min_group: int
    owner: str


def init_team(session: Session, min_group: int | None) -> Initialised:
    """Create the team schema, or upgrade it to this program's revision; set the minimum
    group when given (a new team starts with 5). All in one transaction: a failure leaves
    the database as it was."""
    from sqlalchemy import create_engine
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.pool import StaticPool

    if min_group is not None and not MIN_GROUP_FLOOR <= min_group <= MIN_GROUP_CEILING:
        raise UsageError(
            f"--min-group must be {MIN_GROUP_FLOOR} to {MIN_GROUP_CEILING}, not {min_group}",
            hint="a smaller group would show single members' numbers",
        )
    # Alembic runs on SQLAlchemy: give it this very connection, and run every statement
    # of the command inside the one transaction SQLAlchemy begins on it.
    engine = create_engine(
        "postgresql+psycopg2://", creator=lambda: session.raw, poolclass=StaticPool
    )
    try:
        with engine.connect() as conn, conn.begin():
            done = _init(session, conn, min_group)
    except DBAPIError as exc:
        raise session.error(exc.orig if exc.orig is not None else exc) from None
    return done


def _init(session: Session, conn: Any, min_group: int | None) -> Initialised:
    session.rows("SELECT pg_advisory_xact_lock(%s)", (INIT_LOCK,))
    owner = str(session.value("SELECT current_user"))
    if session.value(
        "SELECT pg_has_role(%s, current_user, 'MEMBER') FROM pg_roles WHERE rolname = %s",
        (MEMBER_ROLE, MEMBER_ROLE),
    ):
        raise TeamError(
            f"members of {MEMBER_ROLE} can act as {owner}: they could read every row",
            reason="refused",
            hint=f"run team init as a role that {MEMBER_ROLE} is not a member of",
        )
    before = _revision(session, owner)
    if before not in (None, *REVISIONS):
        raise TeamError(
            f"the team at {session.display} was set up by a newer leadtime (schema {before})",
            reason="newer",
            hint="upgrade leadtime (pipx upgrade leadtime); nothing was changed",
        )
    session.rows(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    if before != HEAD:
        from alembic import command
        from alembic.config import Config

        config = Config()
        location = resources.files("leadtime.team") / "migrations"
        config.set_main_option("script_location", str(location))
        config.attributes["connection"] = conn
        command.upgrade(config, HEAD)
    if min_group is not None:
        session.rows(f"UPDATE {SCHEMA}.settings SET min_group = %s", (min_group,))
    chosen = int(session.value(f"SELECT min_group FROM {SCHEMA}.settings"))
    return Initialised(session.display, before, HEAD, chosen, owner)


def _revision(session: Session, me: str) -> str | None:
    """The revision of an existing team schema (None: no schema yet); refuse a schema
    that is not a leadtime team, or that another role owns."""
    found = session.rows(
        "SELECT n.nspowner::regrole::text, pg_has_role(current_user, n.nspowner, 'USAGE'), "
        "EXISTS (SELECT FROM pg_class c WHERE c.relnamespace = n.oid AND c.relname = %s) "
        "FROM pg_namespace n WHERE n.nspname = %s",
        (VERSION_TABLE, SCHEMA),
    )
    if not found:
        return None
    schema_owner, mine, versioned = found[0]
    if not mine:
        raise TeamError(
            f"the team at {session.display} belongs to {schema_owner}, not {me}",
            reason="not-owner",
            hint=f"run it as {schema_owner}",
        )
    if not versioned:
        raise TeamError(
            f"the schema {SCHEMA} at {session.display} exists but is not a leadtime team",
            reason="refused",
            hint="drop or rename it, or use another database",
        )
    revision = session.value(f"SELECT version_num FROM {SCHEMA}.alembic_version")
    return None if revision is None else str(revision)


def _owner_only(session: Session) -> str:
    """This role's name, once it is known to own the team (else TeamError)."""
    session.check_schema()
    me, mine, owner = session.rows(
        "SELECT current_user, pg_has_role(current_user, nspowner, 'USAGE'), "
        "nspowner::regrole::text FROM pg_namespace WHERE nspname = %s",
        (SCHEMA,),
    )[0]
    if not mine:
        raise TeamError(
            f"only the team's owner ({owner}) adds and removes members, not {me}",
            reason="not-owner",
            hint="run it with the owner's address: --url postgresql://OWNER@HOST/DB",
        )
    return str(me)


def _check_role_name(role: str, me: str) -> None:
    if not role or len(role.encode("utf-8")) > _MAX_NAME or "\x00" in role:
        raise UsageError(f"'{role}' is not a PostgreSQL role name (1 to 63 bytes)")
    if role.startswith("pg_") or role in (MEMBER_ROLE, "public"):
        raise UsageError(f"'{role}' is reserved", hint="choose another role name")
    if role == me:
        raise UsageError(
            f"'{role}' is the team's owner, which can read every member's rows",
            hint="publish your own numbers as a member role: leadtime team add NAME",
        )


def add_member(
    session: Session, role: str, password: str | None, ask: Prompt | None = None
) -> MemberChange:
    """Grant ``leadtime_member`` to an existing role, or create a login role with
    ``password`` (or, without one, what ``ask`` answers), sent to the server only as its
    SCRAM verifier."""
    from psycopg2 import sql

    me = _owner_only(session)
    _check_role_name(role, me)
    found = session.rows(
        "SELECT rolsuper, rolbypassrls, pg_has_role(oid, current_user, 'MEMBER'), "
        "pg_has_role(oid, %s, 'MEMBER') FROM pg_roles WHERE rolname = %s",
        (MEMBER_ROLE, role),
    )
    name = sql.Identifier(role)
    if not found:
        if password is None and ask is not None:
            password = ask(f"password for the new role {role}: ") or None
        if password is None:
            raise UsageError(
                f"there is no role '{role}' yet, and a new one needs a password",
                hint="give it on standard input with --password-stdin, or run this on a "
                "terminal to be asked",
            )
        verifier = _scram_verifier(session, role, password)
        statement = sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
            name, sql.Literal(verifier), sql.Identifier(MEMBER_ROLE)
        )
        session.rows(statement.as_string(session.raw))
        session.commit()
        return MemberChange(session.display, role, created=True, granted=True)
    superuser, bypass, acts_as_owner, member = found[0]
    if password is not None:
        raise UsageError(
            f"the role '{role}' exists already; leadtime does not change its password",
            hint="leave out --password-stdin to add it as it is (ALTER ROLE changes passwords)",
        )
    if superuser or bypass:
        raise TeamError(
            f"'{role}' is a superuser or bypasses row-level security: it could read every "
            "member's rows",
            reason="refused",
            hint="add a role without SUPERUSER and BYPASSRLS",
        )
    if acts_as_owner:
        raise TeamError(
            f"'{role}' can act as the team's owner ({me}): it could read every member's rows",
            reason="refused",
            hint=f"add a role that is not a member of {me}",
        )
    if not member:
        statement = sql.SQL("GRANT {} TO {}").format(sql.Identifier(MEMBER_ROLE), name)
        session.rows(statement.as_string(session.raw))
        session.commit()
    return MemberChange(session.display, role, granted=not member)


def _scram_verifier(session: Session, role: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of the password, made here (libpq's
    PQencryptPasswordConn), so that the password itself never reaches the server or its
    statement log."""
    from psycopg2.extensions import encrypt_password

    with session.errors():
        verifier: Any = encrypt_password(password, role, session.raw, "scram-sha-256")
    return str(verifier)


def remove_member(session: Session, role: str) -> MemberChange:
    """Delete every week ``role`` published and revoke its membership; the login role
    itself stays (``DROP ROLE`` removes it)."""
    from psycopg2 import sql

    me = _owner_only(session)
    if role == me:
        raise UsageError(f"'{role}' is the team's owner, not a member")
    member = bool(
        session.value(
            "SELECT pg_has_role(oid, %s, 'MEMBER') AND NOT rolsuper FROM pg_roles "
            "WHERE rolname = %s",
            (MEMBER_ROLE, role),
        )
    )
    with session.errors(), session.raw.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (PUBLISH_LOCK,))
        cursor.execute(f"DELETE FROM {SCHEMA}.weeks WHERE member = %s", (role,))
        deleted = int(cursor.rowcount)
    if not member and not deleted:
        raise InputError(
            f"'{role}' is not a member of the team at {session.display}",
            hint="nothing was changed",
        )
    if member:
        statement = sql.SQL("REVOKE {} FROM {}").format(
            sql.Identifier(MEMBER_ROLE), sql.Identifier(role)
        )
        session.rows(statement.as_string(session.raw))
    session.commit()
    return MemberChange(session.display, role, revoked=member, rows=deleted)
