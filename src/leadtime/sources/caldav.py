"""CalDAV calendars (RFC 4791): discover them, read them once, then ask only for what changed.

An address is ``caldav+https://USER@HOST/PATH/`` (``caldav+http://`` for a server on this
machine or the local network). The password is never part of it: it comes from
``LEADTIME_CALDAV_PASSWORD``, the system keyring (service ``leadtime:HOST``, user ``USER``,
when the optional ``keyring`` package is installed) or a prompt the caller supplies
(:func:`caldav_password`), and every error message masks it.

:func:`sync` is incremental. The caller keeps two things between runs: ``state`` (a small
JSON-able dict) and ``objects`` (href -> (ETag, raw iCalendar bytes)). The first sync reads
every event that overlaps the window with one ``calendar-query``; later syncs ask for the
changes since the last WebDAV sync token (RFC 6578) where the server offers one, and
otherwise compare the collection's CTag and then the ETags of the window's objects. Changed
objects are fetched in one ``calendar-multiget``. Feed the result to
:func:`leadtime.sources.ics.parse_calendar` with :func:`join_objects`.

Requests go through the ``caldav`` client library's :class:`caldav.DAVClient` (connection,
authentication, WebDAV sync); the XML of the three reports is written here so that a
calendar of thousands of events costs one request, not one per event.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urljoin, urlsplit
from xml.sax.saxutils import escape

from leadtime.errors import InputError, UsageError
from leadtime.secrets import mask_text, mask_url

if TYPE_CHECKING:
    from caldav.davclient import DAVClient

__all__ = [
    "PASSWORD_VARIABLE",
    "CaldavAddress",
    "RemoteCalendar",
    "RemoteObject",
    "SyncBatch",
    "caldav_password",
    "discover",
    "join_objects",
    "parse_caldav_address",
    "sync",
]

PASSWORD_VARIABLE = "LEADTIME_CALDAV_PASSWORD"
Objects = Mapping[str, tuple[str | None, bytes]]
_SCHEMES = {"caldav+https": "https", "caldav+http": "http"}
_STATE_VERSION = 1


# --------------------------------------------------------------------------- addresses


@dataclass(frozen=True)
class CaldavAddress:
    """Where a CalDAV account or calendar lives; ``str()`` gives the storable address."""

    scheme: str  # "https" or "http"
    user: str
    host: str  # host[:port]
    path: str  # starts and, for collections, ends with "/"

    @property
    def url(self) -> str:
        """The plain http(s) URL, without user or password."""
        return f"{self.scheme}://{self.host}{self.path}"

    def __str__(self) -> str:
        return f"caldav+{self.scheme}://{quote(self.user, safe='')}@{self.host}{self.path}"


def parse_caldav_address(text: str) -> CaldavAddress:
    """Read ``caldav+https://USER@HOST/PATH/`` (or ``caldav+http://``) into a CaldavAddress.

    The user may be an e-mail address (``jane@example.com@host`` or ``jane%40example.com@host``).
    An address with a password in it is refused (:class:`UsageError`, the password masked):
    leadtime stores the address, and passwords are never stored.
    """
    scheme, sep, rest = text.strip().partition("://")
    if not sep or scheme.lower() not in _SCHEMES:
        raise UsageError(
            f"not a CalDAV address: {mask_text(text)}",
            hint="write it as caldav+https://USER@HOST/PATH/",
        )
    authority, slash, path = rest.partition("/")
    userinfo, at, host = authority.rpartition("@")
    if ":" in userinfo:
        raise UsageError(
            f"the CalDAV address contains a password: {mask_text(text)}",
            hint=f"leave it out and set {PASSWORD_VARIABLE} or use the system keyring",
        )
    user = unquote(userinfo)
    if not at or not user:
        raise UsageError(
            f"the CalDAV address names no user: {mask_text(text)}",
            hint="write it as caldav+https://USER@HOST/PATH/",
        )
    if not host:
        raise UsageError(f"the CalDAV address names no server: {mask_text(text)}")
    path = "/" + path.split("?", 1)[0].split("#", 1)[0] if slash else "/"
    return CaldavAddress(_SCHEMES[scheme.lower()], user, host.lower(), path)


def _keyring_lookup(service: str, user: str) -> str | None:
    try:
        import keyring
    except ImportError:
        return None
    try:
        password = keyring.get_password(service, user)
    except Exception:  # no usable backend, a locked store: fall through to the prompt
        return None
    return password if isinstance(password, str) else None


def caldav_password(
    address: CaldavAddress,
    *,
    environ: Mapping[str, str],
    prompt: Callable[[str], str] | None,
    keyring_lookup: Callable[[str, str], str | None] = _keyring_lookup,
) -> str:
    """The password for ``address``: from the environment, the keyring, or a prompt.

    In order: ``environ["LEADTIME_CALDAV_PASSWORD"]``; the system keyring entry for service
    ``leadtime:HOST`` and the address's user (``keyring set leadtime:HOST USER``), when the
    ``keyring`` package is installed and has a backend; ``prompt(question)``, which the CLI
    passes only when standard input is a terminal. Otherwise :class:`InputError`.
    """
    password = environ.get(PASSWORD_VARIABLE)
    if password:
        return password
    password = keyring_lookup(f"leadtime:{address.host}", address.user)
    if password:
        return password
    if prompt is not None:
        password = prompt(f"CalDAV password for {address.user} at {address.host}: ")
        if password:
            return password
    raise InputError(
        f"no CalDAV password for {address.user} at {address.host}",
        hint=f"set {PASSWORD_VARIABLE}, or store it with: keyring set leadtime:{address.host} "
        f"{address.user}",
    )


def terminal_prompt(question: str) -> str:
    """A prompt for :func:`caldav_password` that does not echo (use it on a terminal only)."""
    return getpass.getpass(question)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class RemoteCalendar:
    """One calendar collection on a CalDAV server."""

    name: str  # the collection's last path segment: stable, unlike its display name
    url: str  # absolute http(s) URL of the collection, without user or password
    display_name: str | None
    address: CaldavAddress  # the account it was found under (user, scheme)


@dataclass(frozen=True)
class RemoteObject:
    """One calendar object resource: one VCALENDAR holding one event and its overrides."""

    href: str  # the server's path for it, e.g. /jane/work/abc.ics
    etag: str | None
    data: bytes


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


def join_objects(objects: Iterable[bytes]) -> bytes:
    """One VCALENDAR from many calendar objects, for one ``parse_calendar`` call.

    The calendar properties (VERSION, PRODID, X-WR-TIMEZONE, ...) are taken from the first
    object that has each; components are kept in order, and a VTIMEZONE shared by several
    objects is kept once (by TZID).
    """
    header: dict[str, list[str]] = {}
    zones: dict[str, list[str]] = {}
    components: list[list[str]] = []
    for data in objects:
        _split_object(data, header, zones, components)
    lines = ["BEGIN:VCALENDAR"]
    for prop in header.values():
        lines.extend(prop)
    for zone in zones.values():
        lines.extend(zone)
    for component in components:
        lines.extend(component)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _split_object(
    data: bytes,
    header: dict[str, list[str]],
    zones: dict[str, list[str]],
    components: list[list[str]],
) -> None:
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    depth = 0
    current: list[str] | None = None  # the component or calendar property being collected
    tzid: str | None = None
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line:
            continue
        upper = line.upper()
        if line[0] in " \t":  # a folded continuation of the previous line
            if current is not None:
                current.append(line)
            continue
        if upper.startswith("BEGIN:"):
            depth += 1
            if depth == 1:
                continue
            if depth == 2:
                current = [line]
                tzid = None
                continue
        elif upper.startswith("END:"):
            depth -= 1
            if depth == 1 and current is not None:
                current.append(line)
                if upper == "END:VTIMEZONE":
                    zones.setdefault(tzid or f"#{len(zones)}", current)
                else:
                    components.append(current)
                current = None
                continue
            if depth <= 0:
                current = None
                continue
        if depth == 1:
            name = upper.split(":", 1)[0].split(";", 1)[0]
            current = [line] if name not in header else None
            if current is not None:
                header[name] = current
            continue
        if depth >= 2 and current is not None:
            if depth == 2 and upper.startswith("TZID"):
                tzid = line.split(":", 1)[-1].strip()
            current.append(line)


# --------------------------------------------------------------------------- talking to the server


@dataclass
class _Session:
    """A DAVClient with its error translation: every failure is one masked InputError line."""

    address: CaldavAddress
    password: str
    timeout: float
    target: str  # the URL named in messages
    client: DAVClient | None = None
    requests: int = 0

    def secrets(self) -> list[str]:
        return [self.password, quote(self.password, safe="")]

    def fail(self, reason: str, hint: str | None = None) -> InputError:
        """One line naming the calendar; ``reason`` is leadtime's own text."""
        return InputError(f"CalDAV {mask_url(self.target)}: {reason}", hint=hint)

    def quoted(self, exc: BaseException) -> str:
        """The first line of a library's message, with the password and URLs masked."""
        text = str(exc).strip() or type(exc).__name__
        return mask_text(text.splitlines()[0][:200], self.secrets())

    def open(self) -> DAVClient:
        if self.client is None:
            from caldav.davclient import DAVClient

            self.client = DAVClient(
                url=self.address.url,
                username=self.address.user,
                password=self.password,
                timeout=self.timeout,  # type: ignore[arg-type]  # a float works; typed int
                enable_rfc6764=False,
                require_tls=False,
            )
        return self.client

    def request(self, url: str, method: str, body: str, depth: int | None) -> Any:
        client = self.open()
        headers = {"Content-Type": 'application/xml; charset="utf-8"'}
        if depth is not None:
            headers["Depth"] = str(depth)
        self.requests += 1
        response = client.request(url, method, body, headers)
        if response.status == 404:
            raise self.fail("not found (HTTP 404)", hint="check the path in the CalDAV address")
        if response.status in (401, 403):
            raise self._refused(response.status)
        if response.status != 207:
            raise self._not_caldav(f"HTTP {response.status} to {method}")
        return response

    def _refused(self, status: int) -> InputError:
        if status == 403:
            return self.fail(
                f"user {self.address.user} may not read this (HTTP 403)",
                hint="check the path in the CalDAV address",
            )
        return self.fail(
            f"wrong user name or password for {self.address.user} (HTTP {status})",
            hint=f"check the user name and the password ({PASSWORD_VARIABLE} or the keyring)",
        )

    def _not_caldav(self, reason: str) -> InputError:
        return self.fail(
            f"not a CalDAV server ({reason})",
            hint="use the server's CalDAV address, e.g. caldav+https://USER@HOST/dav/",
        )

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Translate the transport's and the library's exceptions into InputError."""
        from caldav.lib import error as dav_error

        transport = _transport_errors()
        try:
            yield
        except InputError:
            raise
        except dav_error.AuthorizationError as exc:
            raise self._refused(getattr(exc, "status", None) or 401) from exc
        except dav_error.NotFoundError as exc:
            raise self.fail("not found (HTTP 404)", hint="check the path") from exc
        except dav_error.DAVError as exc:
            raise self._not_caldav(self.quoted(exc)) from exc
        except transport.timeout as exc:
            raise self.fail(f"no answer within {self.timeout:g} s", hint="try again later") from exc
        except transport.connection as exc:
            raise self.fail(
                f"cannot connect ({_connection_reason(exc)})",
                hint="check the server address and your network connection",
            ) from exc
        except transport.other as exc:
            raise self.fail(self.quoted(exc)) from exc
        except (ValueError, SyntaxError) as exc:  # an answer that is not WebDAV XML
            raise self._not_caldav("the answer is not WebDAV XML") from exc


@dataclass(frozen=True)
class _TransportErrors:
    timeout: tuple[type[BaseException], ...]
    connection: tuple[type[BaseException], ...]
    other: tuple[type[BaseException], ...]


def _transport_errors() -> _TransportErrors:
    """The HTTP library's exceptions: caldav uses niquests when installed, else requests."""
    timeout: list[type[BaseException]] = [TimeoutError]
    connection: list[type[BaseException]] = [ConnectionError]
    other: list[type[BaseException]] = []
    for name in ("niquests", "requests"):
        try:
            module = __import__(f"{name}.exceptions", fromlist=["exceptions"])
        except ImportError:
            continue
        timeout.append(module.Timeout)
        connection.append(module.ConnectionError)
        other.append(module.RequestException)
    try:
        from lxml import etree

        other.append(etree.LxmlError)
    except ImportError:  # pragma: no cover - lxml comes with caldav
        pass
    return _TransportErrors(tuple(timeout), tuple(connection), tuple(other))


def _connection_reason(exc: BaseException) -> str:
    """A short reason for a failed connection (the libraries' own messages run long)."""
    text = str(exc).lower()
    for marker, reason in (
        ("refused", "connection refused"),
        ("name or service not known", "unknown host"),
        ("nodename nor servname", "unknown host"),
        ("name resolution", "unknown host"),
        ("certificate", "TLS certificate not trusted"),
        ("ssl", "TLS handshake failed"),
        ("reset", "connection reset"),
    ):
        if marker in text:
            return reason
    return "network error"


# --------------------------------------------------------------------------- discovery

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
    session = _Session(address, password, timeout, address.url)
    with session.errors():
        found = _calendars_under(session, address.url)
        if found is None:
            base = f"{address.scheme}://{address.host}/"
            principal = _href_prop(session, address.url, _PRINCIPAL, "{DAV:}current-user-principal")
            if principal is None:
                raise session._not_caldav("no current-user-principal")
            home = _href_prop(
                session, urljoin(base, principal), _HOME, f"{{{_CALDAV_NS}}}calendar-home-set"
            )
            if home is None:
                raise session._not_caldav("no calendar-home-set")
            found = _calendars_under(session, urljoin(base, home)) or []
    return sorted(found, key=lambda c: c.name)


_CALDAV_NS = "urn:ietf:params:xml:ns:caldav"
_PRINCIPAL = """<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/></d:prop></d:propfind>"""
_HOME = """<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:prop><c:calendar-home-set/></d:prop>
</d:propfind>"""


def _props(session: _Session, response: Any) -> dict[str, dict[str, Any]]:
    """href -> {property tag: element} for the properties a multistatus found (status 200)."""
    root = response.tree
    if root is None:
        raise session._not_caldav("the answer is not WebDAV XML")
    found: dict[str, dict[str, Any]] = {}
    for item in root.iter("{DAV:}response"):
        href = item.find("{DAV:}href")
        if href is None or not href.text:
            continue
        props: dict[str, Any] = {}
        for propstat in item.iter("{DAV:}propstat"):
            status = propstat.find("{DAV:}status")
            if status is not None and " 200" not in (status.text or ""):
                continue
            for prop in propstat.iter("{DAV:}prop"):
                for element in prop:
                    props[element.tag] = element
        found[unquote(href.text.strip())] = props
    return found


def _href_prop(session: _Session, url: str, body: str, tag: str) -> str | None:
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


def _calendars_under(session: _Session, url: str) -> list[RemoteCalendar] | None:
    """Calendars at ``url`` (depth 1); None when neither it nor its children are calendars."""
    from caldav.elements import cdav, dav

    response = session.request(url, "PROPFIND", _PROPFIND_CALENDARS, depth=1)
    calendars = []
    base = f"{session.address.scheme}://{session.address.host}"
    results = _props(session, response)
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


# --------------------------------------------------------------------------- sync

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
    """
    bounds = [_stamp(window[0]), _stamp(window[1])]
    session = _Session(calendar.address, password, timeout, calendar.url)
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


def _collection_tags(session: _Session, calendar: RemoteCalendar) -> tuple[str | None, str | None]:
    """The collection's (sync token, CTag); either is None when the server has none."""
    response = session.request(calendar.url, "PROPFIND", _SYNC_TOKEN, depth=0)
    token = ctag = None
    for props in _props(session, response).values():
        for element in props.values():
            text = (element.text or "").strip() or None
            if element.tag == "{DAV:}sync-token":
                token = token or text
            elif element.tag == "{http://calendarserver.org/ns/}getctag":
                ctag = ctag or text
    return token, ctag


def _objects_in(session: _Session, response: Any) -> dict[str, tuple[str | None, bytes | None]]:
    """href -> (ETag, calendar data or None) from a multistatus with 200 propstats."""
    from caldav.elements import cdav, dav

    found: dict[str, tuple[str | None, bytes | None]] = {}
    for href, props in _props(session, response).items():
        etag_element = props.get(dav.GetEtag.tag)
        data_element = props.get(cdav.CalendarData.tag)
        etag = (etag_element.text or "").strip() or None if etag_element is not None else None
        data = None
        if data_element is not None and data_element.text:
            data = data_element.text.encode("utf-8")
        found[_path(href)] = (etag, data)
    return found


def _query(
    session: _Session, calendar: RemoteCalendar, bounds: list[str], *, with_data: bool
) -> dict[str, tuple[str | None, bytes | None]]:
    body = _QUERY.format(
        data="<c:calendar-data/>" if with_data else "", start=bounds[0], end=bounds[1]
    )
    return _objects_in(session, session.request(calendar.url, "REPORT", body, depth=1))


def _multiget(session: _Session, calendar: RemoteCalendar, hrefs: list[str]) -> list[RemoteObject]:
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
    session: _Session, calendar: RemoteCalendar, objects: Objects, bounds: list[str]
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
    session: _Session,
    calendar: RemoteCalendar,
    token: str,
    state: Mapping[str, Any],
    objects: Objects,
) -> SyncBatch | None:
    """Changes since ``token``; None when the server no longer accepts it (read everything)."""
    from caldav.lib import error as dav_error

    body = _SYNC_COLLECTION.format(token=escape(token))
    session.requests += 1
    try:
        response = session.open().request(
            calendar.url, "REPORT", body, {"Depth": "0", "Content-Type": "application/xml"}
        )
    except dav_error.AuthorizationError as exc:
        # RFC 6578 §3.2: an expired token is a 403 with the DAV:valid-sync-token precondition.
        if any("valid-sync-token" in str(p) for p in exc.preconditions):
            return None
        raise
    if response.status in (409, 410) or "valid-sync-token" in str(response.raw or ""):
        return None
    if response.status == 404:
        raise session.fail("not found (HTTP 404)", hint="the calendar may have been removed")
    if response.status != 207:
        raise session._not_caldav(f"HTTP {response.status} to sync-collection")
    from caldav.elements import dav

    changed_hrefs: list[str] = []
    deleted: list[str] = []
    new_token = token
    root = response.tree
    if root is None:
        raise session._not_caldav("the answer to sync-collection is not WebDAV XML")
    for element in root.iter("{DAV:}sync-token"):
        new_token = (element.text or "").strip() or token
    for item in root.iter(dav.Response.tag):
        href_element = item.find(dav.Href.tag)
        if href_element is None or not href_element.text:
            continue
        href = _path(unquote(href_element.text.strip()))
        status = item.find(dav.Status.tag)
        if status is not None and " 404" in (status.text or ""):
            if href in objects:
                deleted.append(href)
            continue
        if href.rstrip("/") == urlsplit(calendar.url).path.rstrip("/"):
            continue  # the collection itself
        etag_element = item.find(f".//{dav.GetEtag.tag}")
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
    session: _Session,
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
