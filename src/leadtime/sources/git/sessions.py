"""Forming work sessions from commits, and the entry that stands for each session."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from leadtime.entry import Entry, Origin
from leadtime.sources.git.repository import Commit

__all__ = ["MERGE_REVIEW_TAG", "session_entry", "sessions"]

TITLE_LIMIT = 200
NOTE_SHAS = 20  # short shas listed in a note; a longer session ends the list with "…"
SHORT_SHA = 12
NO_SUBJECT = "(no subject)"
MERGE_REVIEW_TAG = "merge-review"  # sessions made of merges of other people's work


def sessions(
    commits: Sequence[Commit],
    max_gap: timedelta,
    *,
    max_length: timedelta | None = None,
    lead: timedelta = timedelta(0),
    reviews: Collection[str] = (),
) -> list[tuple[Commit, ...]]:
    """Split commits ordered by time into sessions, in one pass.

    A session is a run of commits whose neighbours are at most ``max_gap`` apart, all of
    one kind: merges of other people's work (shas in ``reviews``) or the user's own work.
    It lasts, from ``lead`` before its first commit to its last, at most ``max_length``:
    the commit that would make it longer starts the next one. A commit at the very instant
    of the one before it stays in its session, whatever its kind.
    """
    groups: list[tuple[Commit, ...]] = []
    current: list[Commit] = []
    review = False
    for commit in commits:
        if current:
            later = commit.time > current[-1].time
            if (
                commit.time - current[-1].time > max_gap
                or (later and (commit.sha in reviews) != review)
                or (max_length is not None and commit.time - current[0].time + lead > max_length)
            ):
                groups.append(tuple(current))
                current = []
        if not current:
            review = commit.sha in reviews
        current.append(commit)
    if current:
        groups.append(tuple(current))
    return groups


def session_entry(
    group: Sequence[Commit],
    repo: str,
    name: str,
    first_commit: timedelta,
    *,
    review: bool = False,
    not_before: datetime | None = None,
) -> Entry:
    """The entry of one session: from ``first_commit`` before its first commit (but not
    before ``not_before``, the end of the session before it) to its last, keyed on the
    first commit's sha, titled with the subjects (each once). A session of merges of other
    people's work (``review``) is tagged ``merge-review`` besides the repository."""
    first, last = group[0], group[-1]
    title = _title(repo, group)
    shas = " ".join(c.sha[:SHORT_SHA] for c in group[:NOTE_SHAS])
    if len(group) > NOTE_SHAS:
        shas += " …"
    count = "1 commit" if len(group) == 1 else f"{len(group)} commits"
    if review:
        count += " merging other people's work"
    tag = repo.replace(",", " ").strip()
    tags = tuple(t for t in (tag, MERGE_REVIEW_TAG if review else "") if t)
    start = first.time - first_commit
    if not_before is not None and not_before > start:
        start = not_before
    return Entry(
        start=start,
        end=last.time,
        title=title,
        origin=Origin.GIT,
        note=f"Estimated from {count}: {shas}",
        tags=tags,
        calendar=name,
        uid=first.sha,
        recurrence_id=None,
    )


def _title(repo: str, group: Sequence[Commit]) -> str:
    """``repo: subject; subject; …`` with each subject once, shortened to TITLE_LIMIT with
    an ellipsis; subjects past the limit are not looked at."""
    text = f"{repo}: "
    seen: set[str] = set()
    for commit in group:
        subject = commit.subject.strip() or NO_SUBJECT
        if subject in seen:
            continue
        text += ("; " if seen else "") + subject
        seen.add(subject)
        if len(text) > TITLE_LIMIT:
            return text[: TITLE_LIMIT - 1].rstrip() + "…"
    return text
