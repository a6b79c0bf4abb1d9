"""Forming work sessions from commits, and the entry that stands for each session."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from leadtime.entry import Entry, Origin
from leadtime.sources.git.repository import Commit

__all__ = ["session_entry", "sessions"]

TITLE_LIMIT = 200
NOTE_SHAS = 20  # short shas listed in a note; a longer session ends the list with "…"
SHORT_SHA = 12
NO_SUBJECT = "(no subject)"


def sessions(commits: Sequence[Commit], max_gap: timedelta) -> list[tuple[Commit, ...]]:
    """Split commits ordered by time into runs whose neighbours are at most ``max_gap`` apart."""
    groups: list[tuple[Commit, ...]] = []
    current: list[Commit] = []
    for commit in commits:
        if current and commit.time - current[-1].time > max_gap:
            groups.append(tuple(current))
            current = []
        current.append(commit)
    if current:
        groups.append(tuple(current))
    return groups


def session_entry(group: Sequence[Commit], repo: str, name: str, first_commit: timedelta) -> Entry:
    """The entry of one session: from ``first_commit`` before its first commit to its last,
    keyed on the first commit's sha, titled with the subjects (each once)."""
    first, last = group[0], group[-1]
    subjects: list[str] = []
    for commit in group:
        subject = commit.subject.strip() or NO_SUBJECT
        if subject not in subjects:
            subjects.append(subject)
    shas = " ".join(c.sha[:SHORT_SHA] for c in group[:NOTE_SHAS])
    if len(group) > NOTE_SHAS:
        shas += " …"
    count = "1 commit" if len(group) == 1 else f"{len(group)} commits"
    tag = repo.replace(",", " ").strip()
    return Entry(
        start=first.time - first_commit,
        end=last.time,
        title=_shorten(f"{repo}: " + "; ".join(subjects), TITLE_LIMIT),
        origin=Origin.GIT,
        note=f"Estimated from {count}: {shas}",
        tags=(tag,) if tag else (),
        calendar=name,
        uid=first.sha,
        recurrence_id=None,
    )


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"
