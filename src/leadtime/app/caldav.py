"""Importing from a CalDAV server: discover the calendars under an address, then sync each
one, fetching only what changed since the last sync.

A remembered calendar imported again by its own address (a bare ``leadtime import``, or
its address as SOURCE) is not discovered again: the address remembered is the collection,
so the sync starts at once (one request when nothing changed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from leadtime.app.sources import Planned, Progress, parameters_of, parsed_plan, unchanged_plan
from leadtime.app.workspace import Workspace
from leadtime.errors import InputError

if TYPE_CHECKING:
    from leadtime.sources.caldav import CaldavAddress, RemoteCalendar


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
    is named after the server's calendar."""
    from leadtime.secrets import mask_url
    from leadtime.sources.caldav import (
        CaldavAddress,
        caldav_password,
        discover,
        join_objects,
        parse_caldav_address,
        sync,
    )
    from leadtime.store import get_objects, get_source, list_sources

    address = parse_caldav_address(source)
    password = caldav_password(address, environ=ws.environ, prompt=prompt)
    calendars = _remembered(ws, address, name) or discover(address, password)
    if pick and not name:
        chosen = [c for c in calendars if pick in (c.name, c.display_name)]
        if not chosen:
            found = ", ".join(c.name for c in calendars) or "none"
            raise InputError(
                f"no calendar '{pick}' under {mask_url(str(address))}", hint=f"found: {found}"
            )
        calendars = chosen
    parameters = parameters_of(ws, me, window)
    with ws.database.read() as conn:
        by_source = {info.source: info.name for info in list_sources(conn)}
    plans = []
    for remote in calendars:
        here = str(
            CaldavAddress(address.scheme, address.user, address.host, urlsplit(remote.url).path)
        )
        calendar = (
            name or by_source.get(here) or (pick if pick and len(calendars) == 1 else remote.name)
        )
        with ws.database.read() as conn:
            known = get_source(conn, calendar)
            current = known is not None and known.source == here
            objects = get_objects(conn, calendar) if current else {}
        previous = known.state if known is not None and current else {}
        if previous.get("parameters") != parameters:
            previous, objects = {}, {}  # read everything again, as for a new calendar
        batch = sync(
            remote, password, state=previous.get("caldav", {}), objects=objects, window=window
        )
        state = {
            "parameters": parameters,
            "window_end": window[1].isoformat(),
            "caldav": batch.state,
        }
        if batch.unchanged and known is not None and current and objects:
            plans.append(unchanged_plan(known, here, calendar, window, state))
            continue
        objects = batch.apply(objects)
        label = mask_url(here)
        if objects:
            data = join_objects(data for _etag, data in objects.values())
            plans.append(
                parsed_plan(
                    ws, "caldav", here, calendar, data, label, me, window, progress, state, objects
                )
            )
        else:
            plans.append(
                Planned("caldav", here, calendar, (), window, (), 0, state=state, objects={})
            )
    return plans


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
