"""Finding the event calendars at or under a CalDAV address."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from leadtime.sources.caldav.address import CaldavAddress
from leadtime.sources.caldav.session import Session, multistatus_props

__all__ = ["RemoteCalendar", "discover"]


@dataclass(frozen=True)
class RemoteCalendar:
    """One calendar collection on a CalDAV server."""

    name: str  # the collection's last path segment: stable, unlike its display name
    url: str  # absolute http(s) URL of the collection, without user or password
    display_name: str | None
    address: CaldavAddress  # the account it was found under (user, scheme)


_PROPFIND_CALENDARS = """<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:prop><d:resourcetype/><d:displayname/><c:supported-calendar-component-set/></d:prop>
</d:propfind>"""


def discover(
    address: CaldavAddress, password: str, *, timeout: float = 30.0
) -> list[RemoteCalendar]:
    """The event calendars at or under ``address``, sorted by name.

    When the address is a calendar, that one; when it is a folder of calendars (a calendar
    home), those in it; otherwise (the server's root, the account's principal) the calendars
    in the account's calendar home, found through ``current-user-principal``. Task lists
    without events are left out. Failures raise :class:`InputError` (exit 4), one line,
    the password masked.
    """
    session = Session(address, password, timeout, address.url)
    with session.errors():
        found = _calendars_under(session, address.url)
        if found is None:
            base = f"{address.scheme}://{address.host}/"
            principal = _href_prop(session, address.url, _PRINCIPAL, "{DAV:}current-user-principal")
            if principal is None:
                raise session.not_caldav("no current-user-principal")
            home = _href_prop(
                session, urljoin(base, principal), _HOME, f"{{{_CALDAV_NS}}}calendar-home-set"
            )
            if home is None:
                raise session.not_caldav("no calendar-home-set")
            found = _calendars_under(session, urljoin(base, home)) or []
    return sorted(found, key=lambda c: c.name)


_CALDAV_NS = "urn:ietf:params:xml:ns:caldav"
_PRINCIPAL = """<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/></d:prop></d:propfind>"""
_HOME = """<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:prop><c:calendar-home-set/></d:prop>
</d:propfind>"""


def _href_prop(session: Session, url: str, body: str, tag: str) -> str | None:
    """The href inside property ``tag`` of ``url`` (PROPFIND, depth 0)."""
    response = session.request(url, "PROPFIND", body, depth=0)
    root = response.tree
    if root is None:
        return None
    for prop in root.iter(tag):
        for href in prop.iter("{DAV:}href"):
            if href.text and href.text.strip():
                return str(href.text.strip())
    return None


def _calendars_under(session: Session, url: str) -> list[RemoteCalendar] | None:
    """Calendars at ``url`` (depth 1); None when neither it nor its children are calendars."""
    from caldav.elements import cdav, dav

    response = session.request(url, "PROPFIND", _PROPFIND_CALENDARS, depth=1)
    calendars = []
    base = f"{session.address.scheme}://{session.address.host}"
    results = multistatus_props(session, response)
    own = urlsplit(url).path.rstrip("/")
    for href, props in results.items():
        kinds = props.get(dav.ResourceType.tag)
        if kinds is None or kinds.find(cdav.Calendar.tag) is None:
            continue
        components = props.get(cdav.SupportedCalendarComponentSet.tag)
        if components is not None and len(components):
            names = {child.get("name", "").upper() for child in components}
            if "VEVENT" not in names:
                continue
        full = urljoin(base + "/", href)
        path = urlsplit(full).path
        name = unquote(path.rstrip("/").rsplit("/", 1)[-1])
        shown = props.get(dav.DisplayName.tag)
        display = shown.text if shown is not None and shown.text else None
        calendar = RemoteCalendar(name, full, display, session.address)
        if path.rstrip("/") == own:
            return [calendar]  # the address itself is a calendar
        calendars.append(calendar)
    return calendars or None
