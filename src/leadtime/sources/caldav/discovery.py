"""Finding the event calendars at or under a CalDAV address.

The server says where the calendars are; it does not decide where the password goes. A
calendar it lists on another origin (another host or port, or ``http://`` under an
``https://`` address) is skipped with a warning naming it, and a principal or calendar home
on another origin is an error: the password is only ever sent to the origin typed. One
discovery keeps at most :data:`MAX_CALENDARS` calendars (with a warning), read as the
answer arrives.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from leadtime.secrets import mask_url
from leadtime.sources.caldav.address import CaldavAddress
from leadtime.sources.caldav.multistatus import DAV, DavResponse
from leadtime.sources.caldav.session import ELSEWHERE_HINT, Session, origin_of
from leadtime.sources.ics import ImportProblem
from leadtime.sources.network import MAX_BYTES

__all__ = ["MAX_CALENDARS", "Discovery", "RemoteCalendar", "discover"]

MAX_CALENDARS = 100  # calendars one discovery imports
_NAMED_SKIPS = 5  # calendars on other servers named one by one in the warnings
_NAMED_OTHERS = 20  # calendars named in the hint when --calendar found none
_CALDAV = "{urn:ietf:params:xml:ns:caldav}"


@dataclass(frozen=True)
class RemoteCalendar:
    """One calendar collection on a CalDAV server."""

    name: str  # the collection's last path segment: stable, unlike its display name
    url: str  # absolute http(s) URL of the collection, without user or password
    display_name: str | None
    address: CaldavAddress  # the account it was found under (user, scheme)

    @property
    def own_address(self) -> CaldavAddress:
        """The calendar's own address (same user, scheme and server as the account's)."""
        return CaldavAddress(
            self.address.scheme, self.address.user, self.address.host, urlsplit(self.url).path
        )


@dataclass(frozen=True)
class Discovery:
    """The calendars found (sorted by name) and what was skipped on the way."""

    calendars: tuple[RemoteCalendar, ...]
    problems: tuple[ImportProblem, ...]
    others: tuple[str, ...] = ()  # names of calendars ``pick`` left out (the first few)


_PROPFIND_CALENDARS = """<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:prop><d:resourcetype/><d:displayname/><c:supported-calendar-component-set/></d:prop>
</d:propfind>"""
_PRINCIPAL = """<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/></d:prop></d:propfind>"""
_HOME = """<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:prop><c:calendar-home-set/></d:prop>
</d:propfind>"""


def discover(
    address: CaldavAddress,
    password: str,
    *,
    timeout: float = 30.0,
    pick: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> Discovery:
    """The event calendars at or under ``address``.

    When the address is a calendar, that one; when it is a folder of calendars (a calendar
    home), those in it; otherwise (the server's root, the account's principal) the calendars
    in the account's calendar home, found through ``current-user-principal``. Task lists
    without events are left out; ``pick`` keeps only the calendar of that name or display
    name. Failures raise :class:`InputError` (exit 4), one line, the password masked.
    """
    session = Session(address, password, timeout, address.url, max_bytes)
    with session.errors():
        found = _Found(session, address.url, pick)
        found.read()
        if not found.any_calendar:
            principal = _href_prop(session, address.url, _PRINCIPAL, DAV + "current-user-principal")
            if principal is None:
                raise session.not_caldav("no current-user-principal")
            home = _href_prop(session, principal, _HOME, _CALDAV + "calendar-home-set")
            if home is None:
                raise session.not_caldav("no calendar-home-set")
            found = _Found(session, home, pick)
            found.read()
    kept = tuple(sorted(found.kept, key=lambda c: c.name))
    return Discovery(kept, found.problems(), tuple(sorted(found.others)))


def _href_prop(session: Session, url: str, body: str, tag: str) -> str | None:
    """The URL inside property ``tag`` of ``url`` (PROPFIND, depth 0), made absolute; an
    error when it is on another origin (the password would have to follow it)."""
    found: list[str] = []

    def each(response: DavResponse) -> None:
        prop = response.props.get(tag)
        if prop is None:
            return
        for href in prop.iter(DAV + "href"):
            if href.text and href.text.strip():
                found.append(href.text.strip())

    session.multistatus(url, "PROPFIND", body, 0, each)
    if not found:
        return None
    target = urljoin(url, found[0])
    if origin_of(target) != session.origin:
        raise session.fail(
            f"the account's calendars are at {session.elsewhere(target)}", hint=ELSEWHERE_HINT
        )
    return target


class _Found:
    """The calendars of one depth-1 PROPFIND, gathered as the answer arrives."""

    def __init__(self, session: Session, url: str, pick: str | None) -> None:
        self.session = session
        self.url = url
        self.pick = pick
        parts = urlsplit(url)
        self.own = parts.path.rstrip("/")
        self.root = f"{parts.scheme}://{parts.netloc}"  # where a path-only href lives
        self.kept: list[RemoteCalendar] = []
        self.itself: RemoteCalendar | None = None  # the address is a calendar itself
        self.elsewhere: list[tuple[str, str]] = []  # (name, URL) of calendars skipped
        self.skipped_elsewhere = 0
        self.seen = 0  # calendars this account listed (and pick chose)
        self.others: list[str] = []  # the first names pick left out

    @property
    def any_calendar(self) -> bool:
        return bool(self.kept or self.itself or self.skipped_elsewhere)

    def read(self) -> None:
        self.session.multistatus(self.url, "PROPFIND", _PROPFIND_CALENDARS, 1, self.each)
        if self.itself is not None:
            self.kept = [self.itself]

    def each(self, response: DavResponse) -> None:
        kinds = response.props.get(DAV + "resourcetype")
        if kinds is None or kinds.find(_CALDAV + "calendar") is None:
            return
        components = response.props.get(_CALDAV + "supported-calendar-component-set")
        if components is not None and len(components):
            names = {child.get("name", "").upper() for child in components}
            if "VEVENT" not in names:
                return  # a task list
        href = response.href
        if href.startswith("/") and not href.startswith("//"):  # a path: the same server
            full, path, here = self.root + href, href.partition("?")[0], True
        else:
            full = urljoin(self.url, href)
            path, here = urlsplit(full).path, origin_of(full) == self.session.origin
        full_already = self.itself is None and len(self.kept) >= MAX_CALENDARS
        if full_already and self.pick is None and here and path.rstrip("/") != self.own:
            self.seen += 1  # past the limit: counted, not kept
            return
        name = unquote(path.rstrip("/").rsplit("/", 1)[-1])
        display = response.text(DAV + "displayname")
        if self.pick and self.pick not in (name, display):
            if len(self.others) < _NAMED_OTHERS:
                self.others.append(name)
            return
        if not here:
            self.skipped_elsewhere += 1
            if len(self.elsewhere) < _NAMED_SKIPS:
                self.elsewhere.append((display or name, full))
            return
        calendar = RemoteCalendar(name, full, display, self.session.address)
        if path.rstrip("/") == self.own:
            self.itself = calendar
            return
        self.seen += 1
        if len(self.kept) < MAX_CALENDARS:
            self.kept.append(calendar)

    def problems(self) -> tuple[ImportProblem, ...]:
        where = mask_url(str(self.session.address))
        found = [
            ImportProblem(
                where,
                None,
                f"calendar '{name}' skipped: it is at {self.session.elsewhere(url)}, "
                "and the password is only sent to the server in the address",
            )
            for name, url in self.elsewhere
        ]
        more = self.skipped_elsewhere - len(self.elsewhere)
        if more > 0:
            found.append(
                ImportProblem(where, None, f"{more} more calendars on other servers skipped")
            )
        if self.itself is None and self.seen > MAX_CALENDARS:
            found.append(
                ImportProblem(
                    where,
                    None,
                    f"{self.seen} calendars found; only the first {MAX_CALENDARS} the server "
                    "listed are imported (import another with --calendar NAME)",
                )
            )
        return tuple(found)
