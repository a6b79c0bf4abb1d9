"""Reading a WebDAV multistatus answer (RFC 4918 §13) as it arrives, one response at a time.

A calendar-query answer holds every event of a calendar, a discovery answer every calendar
of an account: neither is held whole. :class:`MultistatusReader` is fed the body chunk by
chunk and hands each ``DAV:response`` to a callback as soon as it is complete, as a small
:class:`DavResponse`; memory stays at one response, plus what the callback keeps.

The XML is the server's, so it is read with expat and nothing more: a document type
declaration (where entity expansion, the "billion laughs", and external entities live) is
refused, as is nesting deeper than any WebDAV answer needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

__all__ = ["DAV", "DavResponse", "MultistatusReader", "NotMultistatus"]

DAV = "{DAV:}"
MAX_DEPTH = 64


class NotMultistatus(ValueError):
    """The answer is not a WebDAV multistatus document that leadtime will read."""


@dataclass
class DavResponse:
    """One ``DAV:response``: its href (unquoted), its own status line if it has one, and
    the properties found with a 200 status, by tag (``{DAV:}getetag`` ...)."""

    href: str
    status: str | None
    props: dict[str, Element] = field(default_factory=dict)

    def text(self, tag: str) -> str | None:
        """A property's text, stripped; None when it is missing or empty."""
        element = self.props.get(tag)
        if element is None:
            return None
        return (element.text or "").strip() or None


class MultistatusReader:
    """Feed it the body in chunks (:meth:`feed`), then :meth:`close`; ``each`` gets every
    response; ``sync_token`` is the document's ``DAV:sync-token`` (RFC 6578), if any."""

    def __init__(self, each: Callable[[DavResponse], None]) -> None:
        self.each = each
        self.sync_token: str | None = None
        self._depth = 0
        self._builder: TreeBuilder | None = None
        self._token: list[str] | None = None
        parser = expat.ParserCreate(namespace_separator="}")
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._entity
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._data
        self._parser = parser

    def feed(self, data: bytes) -> None:
        try:
            self._parser.Parse(data, False)
        except expat.ExpatError as exc:
            raise NotMultistatus(f"not WebDAV XML ({exc})") from None

    def close(self) -> None:
        """The end of the body: NotMultistatus when the document is not complete."""
        try:
            self._parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise NotMultistatus(f"not WebDAV XML ({exc})") from None

    # expat's handlers

    def _doctype(self, *args: Any) -> None:
        raise NotMultistatus("a document type declaration, which WebDAV answers never need")

    def _entity(self, *args: Any) -> None:
        raise NotMultistatus("an entity declaration, which WebDAV answers never need")

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        tag = _tag(name)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise NotMultistatus(f"nested more than {MAX_DEPTH} elements deep")
        if self._depth == 1:
            if tag != DAV + "multistatus":
                raise NotMultistatus(f"a {_local(tag)} document, not a multistatus")
            return
        if self._depth == 2:
            if tag == DAV + "response":
                self._builder = TreeBuilder()
            elif tag == DAV + "sync-token":
                self._token = []
        if self._builder is not None:
            self._builder.start(tag, {_tag(k): v for k, v in attributes.items()})

    def _end(self, name: str) -> None:
        builder = self._builder
        if builder is not None:
            builder.end(_tag(name))
            if self._depth == 2:
                self._builder = None
                self.each(_response(builder.close()))
        elif self._depth == 2 and self._token is not None:
            self.sync_token = "".join(self._token).strip() or None
            self._token = None
        self._depth -= 1

    def _data(self, text: str) -> None:
        if self._builder is not None:
            self._builder.data(text)
        elif self._token is not None:
            self._token.append(text)


def _tag(name: str) -> str:
    """expat's ``namespace}local`` as ElementTree's ``{namespace}local``."""
    return "{" + name if "}" in name else name


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _response(element: Element) -> DavResponse:
    href = element.find(DAV + "href")
    status = element.find(DAV + "status")
    found = DavResponse(
        unquote((href.text or "").strip()) if href is not None else "",
        (status.text or "").strip() if status is not None else None,
    )
    for propstat in element.findall(DAV + "propstat"):
        code = propstat.find(DAV + "status")
        if code is not None and " 200" not in (code.text or ""):
            continue
        for prop in propstat.findall(DAV + "prop"):
            for child in prop:
                found.props[child.tag] = child
    return found
