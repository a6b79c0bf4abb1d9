"""Importing from a CalDAV server: discover the calendars under an address, then sync each
one, fetching only what changed since the last sync.

A remembered calendar imported again by its own address (a bare ``leadtime import``, or
its address as SOURCE) is not discovered again: the address remembered is the collection,
so the sync starts at once (one request when nothing changed)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import unquote

from leadtime.app.sources import Planned, Progress, parameters_of, parsed_plan, unchanged_plan
from leadtime.app.workspace import Workspace
from leadtime.errors import InputError

if TYPE_CHECKING:
    from leadtime.sources.caldav import CaldavAddress, RemoteCalendar
    from leadtime.sources.ics import ImportProblem


def read_caldav(
    ws: Workspace,
    source: str,
    name: str,
    me: tuple[str, ...],
    window: tuple[datetime, datetime],
    pick: str | None,
    progress: Progress | None,
    prompt: Callable[[str], str] | None,
) -> list[Planned]:
    """A plan per calendar under the address ``source`` (``pick``, by name or display name,
    chooses one). A remembered calendar (``name``) is synced under its own name; a new one
    is named after the server's calendar. What discovery skipped (calendars on another
    server, past the limit) comes as warnings with the first plan."""
    from leadtime.secrets import mask_url
    from leadtime.sources.caldav import caldav_password, discover, parse_caldav_address
    from leadtime.store import list_sources

    address = parse_caldav_address(source)
    password = caldav_password(address, environ=ws.environ, prompt=prompt)
    timeout = ws.settings.network_timeout
    calendars = _remembered(ws, address, name)
    problems: tuple[ImportProblem, ...] = ()
    if not calendars:
        found = discover(address, password, timeout=timeout, pick=None if name else pick)
        calendars, problems = list(found.calendars), found.problems
        if not calendars:
            shown = mask_url(str(address))
            if problems:
                raise InputError(f"no calendar under {shown} can be read: {problems[0].reason}")
            if pick and not name:
                others = ", ".join(found.others) or "none"
                raise InputError(f"no calendar '{pick}' under {shown}", hint=f"found: {others}")
    parameters = parameters_of(ws, me, window)
    with ws.database.read() as conn:
        by_source = {info.source: info.name for info in list_sources(conn)}
    plans = []
    for remote in calendars:
        here = str(remote.own_address)
        calendar = (
            name or by_source.get(here) or (pick if pick and len(calendars) == 1 else remote.name)
        )
        plans.append(
            _sync_one(ws, remote, here, calendar, password, me, window, parameters, progress)
        )
    if problems and plans:
        plans[0] = replace(plans[0], problems=problems + plans[0].problems)
    return plans


def _sync_one(
    ws: Workspace,
    remote: RemoteCalendar,
    here: str,
    calendar: str,
    password: str,
    me: tuple[str, ...],
    window: tuple[datetime, datetime],
    parameters: str,
    progress: Progress | None,
) -> Planned:
    """The plan of one calendar: synced from what was stored, parsed when it changed."""
    from leadtime.secrets import mask_url
    from leadtime.sources.caldav import join_objects, sync
    from leadtime.store import get_objects, get_source

    with ws.database.read() as conn:
        known = get_source(conn, calendar)
        current = known is not None and known.source == here
        objects = get_objects(conn, calendar) if current else {}
    previous = known.state if known is not None and current else {}
    if previous.get("parameters") != parameters:
        previous, objects = {}, {}  # read everything again, as for a new calendar
    batch = sync(
        remote,
        password,
        state=previous.get("caldav", {}),
        objects=objects,
        window=window,
        timeout=ws.settings.network_timeout,
    )
    state = {"parameters": parameters, "window_end": window[1].isoformat(), "caldav": batch.state}
    if batch.unchanged and known is not None and current and objects:
        return unchanged_plan(known, here, calendar, window, state)
    objects = batch.apply(objects)
    if not objects:
        return Planned("caldav", here, calendar, (), window, (), 0, state=state, objects={})
    data = join_objects(data for _etag, data in objects.values())
    return parsed_plan(
        ws, "caldav", here, calendar, data, mask_url(here), me, window, progress, state, objects
    )


def _remembered(ws: Workspace, address: CaldavAddress, name: str) -> list[RemoteCalendar]:
    """The calendar ``name`` when ``address`` is the collection it was synced from (so no
    discovery is needed); otherwise nothing."""
    from leadtime.sources.caldav import RemoteCalendar
    from leadtime.store import get_source

    if not name:
        return []
    with ws.database.read() as conn:
        known = get_source(conn, name)
    if known is None or known.kind != "caldav" or known.source != str(address):
        return []
    if not known.state.get("caldav"):  # never synced to the end: find it as the first time
        return []
    last = unquote(address.path.rstrip("/").rsplit("/", 1)[-1])
    return [RemoteCalendar(last, address.url, None, address)]
