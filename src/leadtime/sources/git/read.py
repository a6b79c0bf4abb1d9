"""Reading one repository's sessions: the settings, the window, and the problems noticed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from leadtime.entry import Entry
from leadtime.errors import UsageError
from leadtime.sources.git.merges import merges_of_others
from leadtime.sources.git.repository import (
    HISTORY_END,
    HISTORY_START,
    GitSourceError,
    Repository,
    open_repository,
    read_log,
    safe_text,
)
from leadtime.sources.git.sessions import session_entry, sessions
from leadtime.sources.ics import ImportProblem

__all__ = [
    "DEFAULT_FIRST_COMMIT",
    "DEFAULT_MAX_GAP",
    "DEFAULT_MAX_SESSION",
    "GitImport",
    "read_git",
]

DEFAULT_MAX_GAP = timedelta(minutes=120)
DEFAULT_FIRST_COMMIT = timedelta(minutes=30)
DEFAULT_MAX_SESSION = timedelta(hours=8)
MAX_SETTING = timedelta(hours=24)  # longest max_gap, first_commit or max_session that makes sense
PROGRESS_STEP = 1_000  # commits between two progress calls


@dataclass(frozen=True, slots=True)
class GitImport:
    """The sessions read from one repository, and what was noticed on the way."""

    entries: tuple[Entry, ...]  # one per session that starts inside ``window``
    commits_read: int  # the user's commits in the whole history, each counted once
    problems: tuple[ImportProblem, ...]
    repository: str  # display name: the work tree's folder, or the bare repository's
    window: tuple[datetime, datetime]  # sessions starting here that are not read are gone


def read_git(
    path: Path,
    *,
    authors: Sequence[str],
    name: str | None = None,
    max_gap: timedelta = DEFAULT_MAX_GAP,
    first_commit: timedelta = DEFAULT_FIRST_COMMIT,
    max_session: timedelta = DEFAULT_MAX_SESSION,
    since: datetime | None = None,
    until: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> GitImport:
    """Read the sessions of ``authors`` in the repository at ``path``.

    ``name`` is the remembered source name, stored as each entry's ``calendar``; by
    default ``git:`` and the repository's name (``git:leadtime``, see
    :func:`~leadtime.sources.git.repository.open_repository`). A session ends where the
    next commit is more than ``max_gap`` later, or would make it longer than
    ``max_session`` (counted from ``first_commit`` before its first commit); merges of
    other people's work form sessions of their own, tagged ``merge-review``; sessions
    never overlap. ``progress(done, total)`` is called every thousand commits turned into
    sessions and once at the end. Raises :class:`GitSourceError` (an ``InputError``) when
    ``authors`` is empty, ``git`` is missing, or ``path`` is not a repository that git can
    read, and ``UsageError`` when ``max_gap``, ``first_commit`` or ``max_session`` is not
    within 0 to 24 hours.
    """
    wanted = _addresses(authors)
    if not wanted:
        raise GitSourceError(
            f"no author e-mail to look for in {safe_text(str(path))}",
            hint='set me = ["you@example.com"] in config.toml, or pass --author',
            reason="no-author",
        )
    for setting, value in (
        ("gap between commits", max_gap),
        ("first-commit time", first_commit),
        ("longest session", max_session),
    ):
        if not timedelta(0) <= value <= MAX_SETTING:
            raise UsageError(f"the {setting} of git sessions must be 0 to 24 hours")
    for bound in (since, until):
        if bound is not None and bound.tzinfo is None:
            raise ValueError(f"since and until must be aware datetimes, got {bound!r}")
    window = (
        HISTORY_START if since is None else _utc(since),
        HISTORY_END if until is None else _utc(until),
    )
    if window[0] >= window[1]:
        raise UsageError("the start of the period must be before its end")
    repo = open_repository(path)
    log = read_log(repo, wanted)
    commits = log.commits
    problems = []
    if log.unreadable:
        count = len(log.unreadable)
        problems.append(
            ImportProblem(
                safe_text(repo.name),
                safe_text(log.unreadable[0]),
                f"{count} commit{'s' if count > 1 else ''} with an author date before 1970 "
                "or that cannot be read; not counted",
            )
        )
    if repo.shallow:
        problems.append(
            ImportProblem(
                safe_text(repo.name),
                None,
                "shallow clone: older history is missing, so early sessions are not read "
                "(git fetch --unshallow reads the rest)",
            )
        )
    if not commits:
        problems.append(_no_commits_problem(repo, wanted, log.others))
    reviews = merges_of_others(repo, log)
    groups = sessions(commits, max_gap, max_length=max_session, lead=first_commit, reviews=reviews)
    source = name or f"git:{repo.name}"
    entries = []
    done = reported = 0
    previous_end = None
    for group in groups:
        done += len(group)
        entry = session_entry(
            group, repo.name, source, first_commit,
            review=group[0].sha in reviews, not_before=previous_end,
        )  # fmt: skip
        previous_end = entry.end
        if window[0] <= entry.start < window[1]:
            entries.append(entry)
        if progress is not None and done - reported >= PROGRESS_STEP:
            progress(done, len(commits))
            reported = done
    if progress is not None:
        progress(len(commits), len(commits))
    return GitImport(tuple(entries), len(commits), tuple(problems), repo.name, window)


def _no_commits_problem(
    repo: Repository, wanted: frozenset[str], found: Counter[str]
) -> ImportProblem:
    looked = ", ".join(safe_text(a) for a in sorted(wanted))
    if not found:
        return ImportProblem(safe_text(repo.name), None, f"no commits at all (looked for {looked})")
    top = ", ".join(f"{safe_text(e)} ({n})" for e, n in found.most_common(3))
    return ImportProblem(
        safe_text(repo.name),
        None,
        f"no commits by {looked}; most frequent authors: {top} "
        "(add your address to me in config.toml, or pass --author)",
    )


def _addresses(authors: Iterable[str]) -> frozenset[str]:
    cleaned = set()
    for author in authors:
        address = author.strip().removeprefix("mailto:").strip("<>").strip().lower()
        if address:
            cleaned.add(address)
    return frozenset(cleaned)


def _utc(value: datetime) -> datetime:
    return datetime.fromtimestamp(value.timestamp(), UTC)
