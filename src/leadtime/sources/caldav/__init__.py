"""CalDAV calendars (RFC 4791): discover them, read them once, then ask only for what changed.

An address is ``caldav+https://USER@HOST/PATH/`` (``caldav+http://`` for a server on this
machine or the local network). The password is never part of it: it comes from
``LEADTIME_CALDAV_PASSWORD``, the system keyring (service ``leadtime:HOST``, user ``USER``,
when the optional ``keyring`` package is installed) or a prompt the caller supplies
(:func:`caldav_password`), and every error message masks it. It is sent only to the origin
(scheme, host, port) of that address: a calendar the server lists elsewhere is skipped with
a warning.

:func:`sync` is incremental. The caller keeps two things between runs: ``state`` (a small
JSON-able dict) and ``objects`` (href -> (ETag, raw iCalendar bytes)). The first sync reads
every event that overlaps the window with one ``calendar-query``; later syncs ask for the
changes since the last WebDAV sync token (RFC 6578) where the server offers one, and
otherwise compare the collection's CTag and then the ETags of the window's objects. Changed
objects are fetched in one ``calendar-multiget``. Feed the result to
:func:`leadtime.sources.ics.parse_calendar` with :func:`join_objects`.

The package reads top to bottom: :mod:`.address` (addresses, the password),
:mod:`.objects` (calendar objects, :func:`join_objects`), :mod:`.multistatus` (WebDAV
answers read as they arrive), :mod:`.session` (requests over leadtime's one HTTP client,
:mod:`leadtime.sources.network`; errors), :mod:`.discovery` (:func:`discover`) and
:mod:`.sync` (:func:`sync`, :class:`SyncBatch`). Importing it loads no HTTP library.
"""

from leadtime.sources.caldav.address import (
    PASSWORD_VARIABLE,
    CaldavAddress,
    caldav_password,
    parse_caldav_address,
    terminal_prompt,
)
from leadtime.sources.caldav.discovery import MAX_CALENDARS, Discovery, RemoteCalendar, discover
from leadtime.sources.caldav.objects import Objects, RemoteObject, join_objects
from leadtime.sources.caldav.sync import SyncBatch, sync

__all__ = [
    "MAX_CALENDARS",
    "PASSWORD_VARIABLE",
    "CaldavAddress",
    "Discovery",
    "Objects",
    "RemoteCalendar",
    "RemoteObject",
    "SyncBatch",
    "caldav_password",
    "discover",
    "join_objects",
    "parse_caldav_address",
    "sync",
    "terminal_prompt",
]
