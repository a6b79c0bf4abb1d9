"""What went wrong while reading a calendar: one :class:`ImportProblem` per thing."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

# Invisible characters that reorder text on a terminal (Trojan Source); never in a message.
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def printable(text: str) -> str:
    """``text`` with every control character replaced by U+FFFD.

    Calendar titles, UIDs and file names are untrusted: an ESC sequence, a BEL or an
    OSC 8 hyperlink in a problem message would act on the user's terminal.
    """
    if text.isprintable():
        return text
    return "".join(
        "\ufffd" if unicodedata.category(c) == "Cc" or c in _BIDI_CONTROLS else c for c in text
    )


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """Something in a calendar file that could not be read as written.

    Every field is free of control characters (see :func:`printable`), so the problem
    can be printed as it is.
    """

    file: str
    uid: str | None
    reason: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "file", printable(self.file))
        if self.uid is not None:
            object.__setattr__(self, "uid", printable(self.uid))
        object.__setattr__(self, "reason", printable(self.reason))

    def __str__(self) -> str:
        where = f"{self.file}: {self.uid}" if self.uid else self.file
        return f"{where}: {self.reason}"


@dataclass(slots=True)
class Report:
    """The problems of one file, in the order they were found."""

    label: str
    problems: list[ImportProblem] = field(default_factory=list)

    def add(self, uid: str | None, reason: str) -> None:
        self.problems.append(ImportProblem(self.label, uid, reason))
