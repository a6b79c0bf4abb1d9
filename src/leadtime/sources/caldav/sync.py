"""Reading a calendar's events, and later only what changed since.

The caller keeps two things between runs: ``state`` (a small JSON-able dict) and
``objects`` (href -> (ETag, raw iCalendar bytes)). The first sync reads every event that
overlaps the window with one ``calendar-query``; later syncs ask for the changes since the
last WebDAV sync token (RFC 6578) where the server offers one, and otherwise compare the
collection's CTag and then the ETags of the window's objects. Changed objects are fetched
in one ``calendar-multiget``. The XML of the three reports is written here so that a
calendar of thousands of events costs one request, not one per event; the answers are read
as they arrive (:mod:`.multistatus`). An unchanged calendar with a sync token is one
request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from leadtime.sources.caldav.discovery import RemoteCalendar
from leadtime.sources.caldav.multistatus import DAV, DavResponse
from leadtime.sources.caldav.objects import Objects, RemoteObject
from leadtime.sources.caldav.session import Session
from leadtime.sources.network import MAX_BYTES

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
    max_bytes: int = MAX_BYTES,
) -> SyncBatch:
    """Read what changed in ``calendar`` since the sync that produced ``state``.

    ``state`` and ``objects`` are what the caller stored from the last sync (``{}`` and
    ``{}`` the first time); the window is ``(start, end)``, aware. The first sync, and any
    sync whose window differs from the stored one, reads every event that overlaps the
    window. Later syncs use the WebDAV sync token (RFC 6578) when the server gave one
    (changes anywhere in the calendar come back; ``parse_calendar`` keeps the window), and
    otherwise the collection's CTag and the window's ETags. An expired sync token falls back
    to a full read. Store :attr:`SyncBatch.state` and :meth:`SyncBatch.apply` afterwards.
    Each request has ``timeout`` seconds in all and an answer of at most ``max_bytes``.
    Failures raise :class:`InputError` (exit 4), one line, the password masked; nothing is
    returned then, so the stored state stays as it was.
    """
    bounds = [_stamp(window[0]), _stamp(window[1])]
    session = Session(calendar.address, password, timeout, calendar.url, max_bytes)
    with session.errors():
        same_window = state.get("window") == bounds and state.get("version") == _STATE_VERSION
        token = state.get("sync_token")
        if same_window and isinstance(token, str) and token:
            batch = _by_token(session, calendar, token, state, objects)
            if batch is not None:
                return batch
        elif same_window and state.get("method") == "etag":
            return _by_etag(session, calendar, state, objects, bounds)
        return _full(session, calendar, objects, bounds)


_GONE = "the calendar may have been removed"


def _collection_tags(session: Session, calendar: RemoteCalendar) -> tuple[str | None, str | None]:
    """The collection's (sync token, CTag); either is None when the server has none."""
    found: dict[str, str | None] = {"token": None, "ctag": None}

    def each(response: DavResponse) -> None:
        found["token"] = found["token"] or response.text(DAV + "sync-token")
        found["ctag"] = found["ctag"] or response.text(_CTAG)

    session.multistatus(calendar.url, "PROPFIND", _SYNC_TOKEN, 0, each, missing=_GONE)
    return found["token"], found["ctag"]


_CTAG = "{http://calendarserver.org/ns/}getctag"
_DATA = "{urn:ietf:params:xml:ns:caldav}calendar-data"


def _objects_in(
    session: Session, calendar: RemoteCalendar, body: str, depth: int | None
) -> dict[str, tuple[str | None, bytes | None]]:
    """href -> (ETag, calendar data or None) from a REPORT's 200 propstats."""
    found: dict[str, tuple[str | None, bytes | None]] = {}

    def each(response: DavResponse) -> None:
        element = response.props.get(_DATA)
        data = element.text.encode("utf-8") if element is not None and element.text else None
        found[_path(response.href)] = (response.text(DAV + "getetag"), data)

    session.multistatus(calendar.url, "REPORT", body, depth, each, missing=_GONE)
    return found


def _query(
    session: Session, calendar: RemoteCalendar, bounds: list[str], *, with_data: bool
) -> dict[str, tuple[str | None, bytes | None]]:
    body = _QUERY.format(
        data="<c:calendar-data/>" if with_data else "", start=bounds[0], end=bounds[1]
    )
    return _objects_in(session, calendar, body, 1)


def _multiget(session: Session, calendar: RemoteCalendar, hrefs: list[str]) -> list[RemoteObject]:
    if not hrefs:
        return []
    body = _MULTIGET.format(hrefs="".join(f"<d:href>{escape(h)}</d:href>" for h in hrefs))
    found = _objects_in(session, calendar, body, None)
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
) -> SyncBatch | None:
    """Changes since ``token``; None when the server no longer accepts it (read everything)."""
    changed_hrefs: list[str] = []
    deleted: list[str] = []
    own = urlsplit(calendar.url).path.rstrip("/")

    def each(response: DavResponse) -> None:
        if not response.href:
            return
        href = _path(response.href)
        if response.status is not None and " 404" in response.status:
            if href in objects:
                deleted.append(href)
            return
        if href.rstrip("/") == own:
            return  # the collection itself
        etag = response.text(DAV + "getetag")
        stored = objects.get(href)
        if stored is not None and etag and stored[0] == etag:
            return  # our own view is already current
        changed_hrefs.append(href)

    body = _SYNC_COLLECTION.format(token=escape(token))
    reply = session.send(calendar.url, "REPORT", body, 0, each)
    if reply.status != 207:
        if _expired(reply.status, reply.body):
            return None
        raise session.unexpected(reply.status, "sync-collection", _GONE)
    changed = _multiget(session, calendar, changed_hrefs)
    fetched = {o.href for o in changed}
    deleted.extend(h for h in changed_hrefs if h not in fetched and h in objects)
    new_state = dict(state)
    new_state.update(sync_token=reply.sync_token or token, method="sync-token")
    return SyncBatch(
        tuple(changed), tuple(sorted(set(deleted))), new_state, "sync-token", session.requests
    )


def _expired(status: int, body: bytes) -> bool:
    # RFC 6578 §3.2: an expired token is a 403 with the DAV:valid-sync-token precondition;
    # some servers answer 409 or 410.
    return status in (409, 410) or (status == 403 and b"valid-sync-token" in body)


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
