"""Bytes to text: byte order marks, UTF-16 without one, cp1252, NUL bytes, line endings."""

from __future__ import annotations

import codecs

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _decode_text(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    if data.count(0) * 3 > len(data):  # UTF-16 without a byte order mark
        encoding = "utf-16-be" if data[:1] == b"\x00" else "utf-16-le"
        return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def decode(data: bytes) -> tuple[str, bool]:
    """Decoded, normalised text, and whether NUL characters had to be removed."""
    text = _decode_text(data)
    had_nul = "\x00" in text
    if had_nul:
        text = text.replace("\x00", "")
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\n", "\r\n"), had_nul


def decode_calendar_bytes(data: bytes) -> str:
    """Decode the raw bytes of a calendar file into text that icalendar can parse.

    A byte order mark (UTF-8, UTF-16, UTF-32) decides the encoding; otherwise UTF-8 is
    tried, then Windows-1252 / Latin-1. NUL characters are removed, and CR-only or mixed
    line endings become CRLF.
    """
    return decode(data)[0]


def has_calendar(text: str) -> bool:
    return "BEGIN:VCALENDAR" in text[:65_536].upper()
