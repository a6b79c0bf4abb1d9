"""Incremental sync of one calendar: read it once, then ask only for what changed.

The caller keeps two things between runs: ``state`` (a small JSON-able dict) and
``objects`` (href -> (ETag, raw iCalendar bytes)). The first sync reads every event that
overlaps the window with one ``calendar-query``; later syncs ask for the changes since the
last WebDAV sync token (RFC 6578) where the server offers one, and otherwise compare the
collection's CTag and then the ETags of the window's objects. Changed objects are fetched
in one ``calendar-multiget``. The XML of the three reports is written here so that a
calendar of thousands of events costs one request, not one per event.

The sync-collection report goes out first with httpx (:meth:`Session.plain`), unless the
library is loaded already (the calendar was just discovered): when nothing changed, that
one request is the whole sync and the ``caldav`` library is never loaded.
The library takes over for everything else (fetching changes, an expired token, a server
that wants another authentication than basic).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape

from leadtime.sources.caldav.discovery import RemoteCalendar
from leadtime.sources.caldav.objects import Objects, RemoteObject
from leadtime.sources.caldav.session import PlainAnswer, Session, multistatus_props

__all__ = ["SyncBatch", "sync"]

_STATE_VERSION = 1


@dataclass(frozen=True)
class SyncBatch:
    """What changed on the server since the last sync.

    ``changed`` are new or modified objects, ``deleted`` the hrefs that are gone (or, after a
    full read, no longer in the window). ``state`` replaces the stored state. ``method`` says
    how the changes were found: ``"full"`` (first sync, a changed window, or an expired sync
    token), ``"sync-token"`` or ``"etag"``.
    """

    changed: tuple[RemoteObject, ...]
    deleted: tuple[str, ...]
    state: dict[str, Any]
    method: str
    requests: int = field(default=0, compare=False)  # HTTP requests this sync made

    @property
    def unchanged(self) -> bool:
        return not self.changed and not self.deleted

    def apply(self, objects: Objects) -> dict[str, tuple[str | None, bytes]]:
        """The stored objects updated with this batch (a new dict; ``objects`` is untouched)."""
        updated = {href: value for href, value in objects.items() if href not in self.deleted}
        for item in self.changed:
            updated[item.href] = (item.etag, item.data)
        return updated


_SYNC_TOKEN = """<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/">
  <d:prop><d:sync-token/><cs:getctag/></d:prop>
</d:propfind>"""

_QUERY = """<?xml version="1.0" encoding="utf-8"?>
<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:prop><d:getetag/>{data}</d:prop>
  <c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">
    <c:time-range start="{start}" end="{end}"/>
  </c:comp-filter></c:comp-filter></c:filter>
</c:calendar-query>"""

_MULTIGET = """<?xml version="1.0" encoding="utf-8"?>
<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:prop><d:getetag/><c:calendar-data/></d:prop>
  {hrefs}
</c:calendar-multiget>"""

_SYNC_COLLECTION = """<?xml version="1.0" encoding="utf-8"?>
<d:sync-collection xmlns:d="DAV:">
  <d:sync-token>{token}</d:sync-token>
  <d:sync-level>1</d:sync-level>
  <d:prop><d:getetag/></d:prop>
</d:sync-collection>"""


def _stamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("window bounds must be aware datetimes")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _path(href: str) -> str:
    """A server href as a path (servers answer with paths or with absolute URLs)."""
    return urlsplit(href).path if "://" in href else href


def sync(
    calendar: RemoteCalendar,
    password: str,
    *,
    state: Mapping[str, Any],
    objects: Objects,
    window: tuple[datetime, datetime],
    timeout: float = 30.0,
    library: bool | None = None,
) -> SyncBatch:
    """Read what changed in ``calendar`` since the sync that produced ``state``.

    ``state`` and ``objects`` are what the caller stored from the last sync (``{}`` and
    ``{}`` the first time); the window is ``(start, end)``, aware. The first sync, and any
    sync whose window differs from the stored one, reads every event that overlaps the
    window. Later syncs use the WebDAV sync token (RFC 6578) when the server gave one
    (changes anywhere in the calendar come back; ``parse_calendar`` keeps the window), and
    otherwise the collection's CTag and the window's ETags. An expired sync token falls back
    to a full read. Store :attr:`SyncBatch.state` and :meth:`SyncBatch.apply` afterwards.
    Failures raise :class:`InputError` (exit 4), one line, the password masked; nothing is
    returned then, so the stored state stays as it was.

    ``library`` chooses how the sync-collection report is sent: with httpx (``False``), or
    through the ``caldav`` library (``True``); by default with the library when it is
    loaded already, as after :func:`discover`, and otherwise with httpx, so that an
    unchanged calendar never loads it.
    """
    if library is None:
        library = "caldav.davclient" in sys.modules
    bounds = [_stamp(window[0]), _stamp(window[1])]
    session = Session(calendar.address, password, timeout, calendar.url)
    with session.errors():
        same_window = state.get("window") == bounds and state.get("version") == _STATE_VERSION
        token = state.get("sync_token")
        if same_window and isinstance(token, str) and token:
            batch = _by_token(session, calendar, token, state, objects, library=library)
            if batch is not None:
                return batch
        elif same_window and state.get("method") == "etag":
            return _by_etag(session, calendar, state, objects, bounds)
        return _full(session, calendar, objects, bounds)


def _collection_tags(session: Session, calendar: RemoteCalendar) -> tuple[str | None, str | None]:
    """The collection's (sync token, CTag); either is None when the server has none."""
    response = session.request(calendar.url, "PROPFIND", _SYNC_TOKEN, depth=0)
    token = ctag = None
    for props in multistatus_props(session, response).values():
        for element in props.values():
            text = (element.text or "").strip() or None
            if element.tag == "{DAV:}sync-token":
                token = token or text
            elif element.tag == "{http://calendarserver.org/ns/}getctag":
                ctag = ctag or text
    return token, ctag


def _objects_in(session: Session, response: Any) -> dict[str, tuple[str | None, bytes | None]]:
    """href -> (ETag, calendar data or None) from a multistatus with 200 propstats."""
    from caldav.elements import cdav, dav

    found: dict[str, tuple[str | None, bytes | None]] = {}
    for href, props in multistatus_props(session, response).items():
        etag_element = props.get(dav.GetEtag.tag)
        data_element = props.get(cdav.CalendarData.tag)
        etag = (etag_element.text or "").strip() or None if etag_element is not None else None
        data = None
        if data_element is not None and data_element.text:
            data = data_element.text.encode("utf-8")
        found[_path(href)] = (etag, data)
    return found


def _query(
    session: Session, calendar: RemoteCalendar, bounds: list[str], *, with_data: bool
) -> dict[str, tuple[str | None, bytes | None]]:
    body = _QUERY.format(
        data="<c:calendar-data/>" if with_data else "", start=bounds[0], end=bounds[1]
    )
    return _objects_in(session, session.request(calendar.url, "REPORT", body, depth=1))


def _multiget(session: Session, calendar: RemoteCalendar, hrefs: list[str]) -> list[RemoteObject]:
    if not hrefs:
        return []
    body = _MULTIGET.format(hrefs="".join(f"<d:href>{escape(h)}</d:href>" for h in hrefs))
    found = _objects_in(session, session.request(calendar.url, "REPORT", body, depth=None))
    return [RemoteObject(h, etag, data) for h, (etag, data) in found.items() if data is not None]


def _state(method: str, bounds: list[str], token: str | None, ctag: str | None) -> dict[str, Any]:
    return {
        "version": _STATE_VERSION,
        "method": method if method != "full" else ("sync-token" if token else "etag"),
        "window": bounds,
        "sync_token": token,
        "ctag": ctag,
    }


def _full(
    session: Session, calendar: RemoteCalendar, objects: Objects, bounds: list[str]
) -> SyncBatch:
    # The token is read first: a change made during the query comes back next time.
    token, ctag = _collection_tags(session, calendar)
    found = _query(session, calendar, bounds, with_data=True)
    missing = [h for h, (_, data) in found.items() if data is None]
    loaded = {o.href: o for o in _multiget(session, calendar, missing)}
    changed = []
    for href, (etag, data) in found.items():
        item = loaded.get(href) if data is None else RemoteObject(href, etag, data)
        if item is None:
            continue
        stored = objects.get(href)
        if stored is None or stored[1] != item.data or (etag and stored[0] != etag):
            changed.append(item)
    deleted = tuple(sorted(h for h in objects if h not in found))
    return SyncBatch(
        tuple(changed),
        deleted,
        _state("full", bounds, token, ctag),
        "full",
        session.requests,
    )


def _by_token(
    session: Session,
    calendar: RemoteCalendar,
    token: str,
    state: Mapping[str, Any],
    objects: Objects,
    *,
    library: bool,
) -> SyncBatch | None:
    """Changes since ``token``; None when the server no longer accepts it (read everything)."""
    body = _SYNC_COLLECTION.format(token=escape(token))
    if library:
        root = _report_by_library(session, calendar, body)
        return None if root is None else _changes(session, calendar, token, state, objects, root)
    answer = session.plain(calendar.url, "REPORT", body, depth=0)
    if answer.status == 207:
        root = _tree(session, answer)
    elif _expired(answer.status, answer.body):
        return None
    elif answer.status == 404:
        raise session.fail("not found (HTTP 404)", hint="the calendar may have been removed")
    elif answer.status == 403:
        raise session.refused(403)
    else:  # another authentication, a redirect, an odd server: the library knows its ways
        root = _report_by_library(session, calendar, body)
        if root is None:
            return None
    return _changes(session, calendar, token, state, objects, root)


def _expired(status: int, body: bytes) -> bool:
    # RFC 6578 §3.2: an expired token is a 403 with the DAV:valid-sync-token precondition;
    # some servers answer 409 or 410.
    return status in (409, 410) or (status == 403 and b"valid-sync-token" in body)


def _tree(session: Session, answer: PlainAnswer) -> Any:
    """The root element of a multistatus body (parsed without loading the library)."""
    from xml.etree import ElementTree

    try:
        return ElementTree.fromstring(answer.body)
    except ElementTree.ParseError as exc:
        raise session.not_caldav("the answer to sync-collection is not WebDAV XML") from exc


def _report_by_library(session: Session, calendar: RemoteCalendar, body: str) -> Any | None:
    """The sync-collection report through the ``caldav`` library: its root element, or None
    when the token has expired."""
    from caldav.lib import error as dav_error

    session.requests += 1
    try:
        response = session.open().request(
            calendar.url, "REPORT", body, {"Depth": "0", "Content-Type": "application/xml"}
        )
    except dav_error.AuthorizationError as exc:
        if any("valid-sync-token" in str(p) for p in exc.preconditions):
            return None
        raise
    if response.status in (409, 410) or "valid-sync-token" in str(response.raw or ""):
        return None
    if response.status == 404:
        raise session.fail("not found (HTTP 404)", hint="the calendar may have been removed")
    if response.status != 207:
        raise session.not_caldav(f"HTTP {response.status} to sync-collection")
    root = response.tree
    if root is None:
        raise session.not_caldav("the answer to sync-collection is not WebDAV XML")
    return root


def _changes(
    session: Session,
    calendar: RemoteCalendar,
    token: str,
    state: Mapping[str, Any],
    objects: Objects,
    root: Any,
) -> SyncBatch:
    """The batch a sync-collection answer describes; changed objects are fetched."""
    changed_hrefs: list[str] = []
    deleted: list[str] = []
    new_token = token
    own = urlsplit(calendar.url).path.rstrip("/")
    for element in root.iter("{DAV:}sync-token"):
        new_token = (element.text or "").strip() or token
    for item in root.iter("{DAV:}response"):
        href_element = item.find("{DAV:}href")
        if href_element is None or not href_element.text:
            continue
        href = _path(unquote(href_element.text.strip()))
        status = item.find("{DAV:}status")
        if status is not None and " 404" in (status.text or ""):
            if href in objects:
                deleted.append(href)
            continue
        if href.rstrip("/") == own:
            continue  # the collection itself
        etag_element = item.find(".//{DAV:}getetag")
        etag = (etag_element.text or "").strip() if etag_element is not None else None
        stored = objects.get(href)
        if stored is not None and etag and stored[0] == etag:
            continue  # our own view is already current
        changed_hrefs.append(href)
    changed = _multiget(session, calendar, changed_hrefs)
    fetched = {o.href for o in changed}
    deleted.extend(h for h in changed_hrefs if h not in fetched and h in objects)
    new_state = dict(state)
    new_state.update(sync_token=new_token, method="sync-token")
    return SyncBatch(
        tuple(changed), tuple(sorted(set(deleted))), new_state, "sync-token", session.requests
    )


def _by_etag(
    session: Session,
    calendar: RemoteCalendar,
    state: Mapping[str, Any],
    objects: Objects,
    bounds: list[str],
) -> SyncBatch:
    _token, ctag = _collection_tags(session, calendar)
    if ctag and ctag == state.get("ctag"):
        return SyncBatch((), (), dict(state), "etag", session.requests)
    listed = _query(session, calendar, bounds, with_data=False)
    wanted = [h for h, (etag, _) in listed.items() if h not in objects or objects[h][0] != etag]
    changed = _multiget(session, calendar, wanted)
    deleted = tuple(sorted(h for h in objects if h not in listed))
    new_state = _state("etag", bounds, None, ctag)
    return SyncBatch(tuple(changed), deleted, new_state, "etag", session.requests)
