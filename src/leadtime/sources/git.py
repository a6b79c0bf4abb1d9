"""Read a git repository's history into work sessions: hands-on evidence (SPEC §11).

The user's own commits (author e-mail in ``authors``, compared case-insensitively) on every
branch, tag, remote-tracking branch and detached HEAD are read with the ``git`` command
(``git log``), each commit once, by its *author* time. Commits no more than ``max_gap``
apart form one session, which starts ``first_commit`` before its first commit and ends at
its last commit, so a single commit makes a session of ``first_commit``. This is an
estimate of when the user was coding, not a record: it never sees the thinking before the
first commit or the work after the last one.

Decisions a user can notice:

* Stashes (``refs/stash``) and notes (``refs/notes/*``) are not read: they are not commits
  of the project's history, and a stash adds a second, mechanical commit.
* A commit that appears twice, as after a rebase or a cherry-pick while the old branch is
  still around, has the same author, author time and subject in both copies: it counts
  once, under the smaller sha.
* Each session is keyed on the full sha of its first commit (``Entry.uid``). Re-reading an
  unchanged repository gives the same keys; a commit that joins or extends a session
  changes that session's end, title and note, not its key. A commit that lands *before* a
  session's first commit (a rebase, an old branch fetched late) makes a new first commit:
  the session gets a new key, so the store's sync removes the old entry and adds the new one
  (its classification comes from the rules again; a manual one is lost).
* Sessions are always formed from the whole history, so that ``since`` / ``until`` never
  cut a session in two; a session belongs to the window in which it starts.
* ``window`` is ``since`` .. ``until``; an open end is the start of 1970 or the end of year
  9999, because the whole history was read there and any session missing from it is gone.
* A shallow clone is read as it is, with a problem saying that history is missing. A bare
  repository is read like any other; a folder inside a work tree reads that work tree's
  repository, as git does.
* A commit of the user's whose author date is before 1970 or cannot be read is left out
  and reported in one problem line; the rest is read.
* The ``git`` command does the reading: measured on a 20,000-commit repository
  (``benchmarks/git_bench.py``), it is as fast as pygit2 without a compiled dependency or
  its import time, and several times faster than GitPython. Without ``git`` on PATH the
  read fails with one clear error. git runs with the repository-locating variables
  (``GIT_DIR``, ...) removed, so a hook's environment cannot point it elsewhere, and with
  no pager and no signature checks, so a repository's own settings start no program.
* Commit subjects are data: they are kept as written in titles (control characters
  included), never in problem text, where anything from the repository is escaped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

from leadtime.entry import Entry, Origin
from leadtime.errors import InputError, UsageError
from leadtime.sources.ics import ImportProblem

__all__ = [
    "DEFAULT_FIRST_COMMIT",
    "DEFAULT_MAX_GAP",
    "Commit",
    "GitImport",
    "GitSourceError",
    "read_git",
    "sessions",
]

DEFAULT_MAX_GAP = timedelta(minutes=120)
DEFAULT_FIRST_COMMIT = timedelta(minutes=30)
HISTORY_START = datetime(1970, 1, 1, tzinfo=UTC)
HISTORY_END = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
TITLE_LIMIT = 200
NOTE_SHAS = 20  # short shas listed in a note; a longer session ends the list with "…"
SHORT_SHA = 12
NO_SUBJECT = "(no subject)"
MAX_SETTING = timedelta(hours=24)  # longest max_gap or first_commit that makes sense
PROGRESS_STEP = 1_000  # commits between two progress calls
# One line per commit: %s folds the subject's lines into one, so it never holds a newline.
LOG_FORMAT = "%H%x00%ae%x00%at%x00%s"
# Every branch, tag, remote-tracking branch and HEAD; not stashes or notes.
REFS = ("--exclude=refs/notes/*", "--exclude=refs/stash", "--all")
# Variables that would point git at another repository than the one asked for (as inside
# a hook, where GIT_DIR is set).
_LOCATION_VARIABLES = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
)
# Settings that would change what ``git log`` prints with our format.
_SETTINGS = ("log.showSignature=false", "i18n.logOutputEncoding=UTF-8", "core.pager=cat")


class GitSourceError(InputError):
    """A repository that cannot be read; ``reason`` is a short stable code for callers."""

    def __init__(self, message: str, hint: str | None = None, *, reason: str) -> None:
        super().__init__(message, hint)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    email: str  # lower case
    time: datetime  # author time, UTC
    subject: str


@dataclass(frozen=True, slots=True)
class GitImport:
    """The sessions read from one repository, and what was noticed on the way."""

    entries: tuple[Entry, ...]  # one per session that starts inside ``window``
    commits_read: int  # the user's commits in the whole history, each counted once
    problems: tuple[ImportProblem, ...]
    repository: str  # display name: the work tree's folder, or the bare repository's
    window: tuple[datetime, datetime]  # sessions starting here that are not read are gone


@dataclass(frozen=True, slots=True)
class _Repository:
    path: Path  # as given
    git_dir: Path
    name: str
    shallow: bool


def read_git(
    path: Path,
    *,
    authors: Sequence[str],
    name: str | None = None,
    max_gap: timedelta = DEFAULT_MAX_GAP,
    first_commit: timedelta = DEFAULT_FIRST_COMMIT,
    since: datetime | None = None,
    until: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> GitImport:
    """Read the sessions of ``authors`` in the repository at ``path``.

    ``name`` is the remembered source name, stored as each entry's ``calendar``; by
    default ``git:`` and the repository's display name (``git:leadtime``).
    ``progress(done, total)`` is called every thousand commits turned into sessions and
    once at the end. Raises :class:`GitSourceError` (an ``InputError``) when ``authors``
    is empty, ``git`` is missing, or ``path`` is not a repository that git can read, and
    ``UsageError`` when ``max_gap`` or ``first_commit`` is not within 0 to 24 hours.
    """
    wanted = _addresses(authors)
    if not wanted:
        raise GitSourceError(
            f"no author e-mail to look for in {_safe(str(path))}",
            hint='set me = ["you@example.com"] in config.toml, or pass --author',
            reason="no-author",
        )
    for setting, value in (("gap between commits", max_gap), ("first-commit time", first_commit)):
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
    repo = _open(path)
    log = _read_log(repo, wanted)
    commits = log.commits
    problems = []
    if log.unreadable:
        count = len(log.unreadable)
        problems.append(
            ImportProblem(
                _safe(repo.name),
                _safe(log.unreadable[0]),
                f"{count} commit{'s' if count > 1 else ''} with an author date before 1970 "
                "or that cannot be read; not counted",
            )
        )
    if repo.shallow:
        problems.append(
            ImportProblem(
                _safe(repo.name),
                None,
                "shallow clone: older history is missing, so early sessions are not read "
                "(git fetch --unshallow reads the rest)",
            )
        )
    if not commits:
        problems.append(_no_commits_problem(repo, wanted, log.others))
    groups = sessions(commits, max_gap)
    source = name or f"git:{repo.name}"
    entries = []
    done = reported = 0
    for group in groups:
        done += len(group)
        entry = _session_entry(group, repo.name, source, first_commit)
        if window[0] <= entry.start < window[1]:
            entries.append(entry)
        if progress is not None and done - reported >= PROGRESS_STEP:
            progress(done, len(commits))
            reported = done
    if progress is not None:
        progress(len(commits), len(commits))
    return GitImport(tuple(entries), len(commits), tuple(problems), repo.name, window)


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


# --------------------------------------------------------------------------- entries


def _session_entry(group: Sequence[Commit], repo: str, name: str, first_commit: timedelta) -> Entry:
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


# --------------------------------------------------------------------------- git


def _command(repo_path: Path, *args: str) -> tuple[list[str], dict[str, str]]:
    executable = shutil.which("git")
    if executable is None:
        raise GitSourceError(
            "git is not installed (or not on PATH): git repositories cannot be read",
            hint="install git (https://git-scm.com/downloads) and try again",
            reason="git-missing",
        )
    env = {k: v for k, v in os.environ.items() if k not in _LOCATION_VARIABLES}
    env.update(LC_ALL="C", LANGUAGE="C", GIT_TERMINAL_PROMPT="0", GIT_PAGER="cat")
    settings = [part for setting in _SETTINGS for part in ("-c", setting)]
    return [executable, *settings, "-C", str(repo_path), *args], env


@contextmanager
def _git(repo_path: Path, *args: str) -> Iterator[tuple[IO[bytes], Callable[[], bytes]]]:
    """Run git; yield its output as a stream (read while git is still writing) and a
    function that waits for git and returns its error text, empty when it succeeded.

    Errors go to a file rather than a second pipe: with two pipes, reading means polling
    in small pieces, which costs more than git itself on a large history.
    """
    command, env = _command(repo_path, *args)
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=errors, env=env, bufsize=1 << 16
            )
        except OSError as error:
            raise GitSourceError(
                f"cannot run git: {_safe(str(error))}", reason="git-missing"
            ) from error
        stdout = process.stdout
        assert stdout is not None

        def finish() -> bytes:
            stdout.close()
            if process.wait() == 0:
                return b""
            errors.seek(0)
            return errors.read() or f"git exited with {process.returncode}".encode()

        try:
            yield stdout, finish
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            stdout.close()


def _open(path: Path) -> _Repository:
    if not path.is_dir():
        what = "does not exist" if not path.exists() else "is not a folder"
        raise GitSourceError(
            f"{_safe(str(path))} {what}: it cannot be a git repository",
            reason="not-a-repository",
        )
    args = ("--absolute-git-dir", "--is-bare-repository", "--is-shallow-repository")
    with _git(path, "rev-parse", *args, "--show-cdup") as (out, finish):
        text = out.read()
        failure = finish()
    if failure:
        raise _git_failure(path, failure)
    lines = [os.fsdecode(line) for line in text.split(b"\n")]
    git_dir = Path(lines[0])
    bare = lines[1] == "true"
    shallow = lines[2] == "true"
    here = path.resolve()
    if bare:
        label = git_dir.name.removesuffix(".git") or git_dir.name
    elif here == git_dir or git_dir in here.parents:  # inside the .git folder of a work tree
        label = git_dir.parent.name
    else:
        label = (here / lines[3]).resolve().name if len(lines) > 3 else here.name
    return _Repository(path, git_dir, label or str(path), shallow)


def _git_failure(path: Path, stderr: bytes) -> GitSourceError:
    text = stderr.decode("utf-8", "replace").strip()
    first = text.split("\n", 1)[0].removeprefix("fatal: ").strip()
    where = _safe(str(path))
    if "not a git repository" in text:
        return GitSourceError(
            f"{where} is not a git repository",
            hint="give the folder of a clone (or a bare repository)",
            reason="not-a-repository",
        )
    if "dubious ownership" in text:
        return GitSourceError(
            f"git refuses to read {where}: it belongs to another user",
            hint=f"if you trust it: git config --global --add safe.directory {where}",
            reason="unsafe-repository",
        )
    return GitSourceError(
        f"git cannot read {where}: {_safe(first) or 'unknown error'}", reason="git-failed"
    )


@dataclass(frozen=True, slots=True)
class _Log:
    commits: list[Commit]  # the user's, each once, ordered by author time (then sha)
    others: Counter[str]  # commits per other author e-mail (for the hint)
    unreadable: list[str]  # shas of the user's commits whose author time cannot be used


def _read_log(repo: _Repository, wanted: frozenset[str]) -> _Log:
    """Read every commit of every ref once and keep the user's.

    git keeps the commits whose author line holds ``<address>`` (a fixed string, in any
    ASCII case): formatting only those saves a third of git's time. The exact comparison
    here drops a rare false match (an address written in an author's name). Lines are
    parsed as git writes them, so that git and Python work at the same time. The e-mail can
    hold no NUL or newline and ``%s`` no newline, so each line is one commit and its subject
    is all that follows the third NUL. Only when the user has no commits at all is the
    history read again, for the authors it does have.
    """
    wanted_bytes = {address.encode() for address in wanted}
    seen: dict[tuple[str, int, str], str] = {}
    unreadable: list[str] = []
    latest = int(HISTORY_END.timestamp())
    mine = [f"--author=<{address}>" for address in sorted(wanted)]
    select = ("--fixed-strings", "--regexp-ignore-case", *mine)
    with _git(repo.git_dir, "log", *REFS, *select, f"--format={LOG_FORMAT}") as (out, finish):
        for line in out:
            parts = line.rstrip(b"\n").split(b"\x00", 3)
            if len(parts) != 4:
                continue
            raw_sha, raw_email, raw_at, raw_subject = parts
            email = raw_email.lower()
            if email not in wanted_bytes and (
                email.isascii() or raw_email.decode("utf-8", "replace").lower() not in wanted
            ):
                continue
            sha = raw_sha.decode("ascii", "replace")
            try:
                at = int(raw_at)
            except ValueError:
                at = -1
            if not 0 <= at < latest:  # git prints overflowing dates as they are, or nothing
                unreadable.append(sha)
                continue
            key = (email.decode("utf-8", "replace"), at, raw_subject.decode("utf-8", "replace"))
            if key not in seen or sha < seen[key]:
                seen[key] = sha
        failure = finish()
    if failure:
        raise _git_failure(repo.path, failure)
    commits = [
        Commit(sha, email, datetime.fromtimestamp(at, UTC), subject)
        for (email, at, subject), sha in seen.items()
    ]
    commits.sort(key=lambda c: (c.time, c.sha))
    others = Counter(_author_addresses(repo)) if not commits else Counter[str]()
    return _Log(commits, others, sorted(unreadable))


def _author_addresses(repo: _Repository) -> list[str]:
    with _git(repo.git_dir, "log", *REFS, "--format=%ae") as (out, finish):
        lines = out.read().split(b"\n")
        failure = finish()
    if failure:
        raise _git_failure(repo.path, failure)
    return [line.decode("utf-8", "replace").lower() for line in lines if line]


def _no_commits_problem(
    repo: _Repository, wanted: frozenset[str], found: Counter[str]
) -> ImportProblem:
    looked = ", ".join(_safe(a) for a in sorted(wanted))
    if not found:
        return ImportProblem(_safe(repo.name), None, f"no commits at all (looked for {looked})")
    top = ", ".join(f"{_safe(e)} ({n})" for e, n in found.most_common(3))
    return ImportProblem(
        _safe(repo.name),
        None,
        f"no commits by {looked}; most frequent authors: {top} "
        "(add your address to me in config.toml, or pass --author)",
    )


# --------------------------------------------------------------------------- helpers


def _addresses(authors: Iterable[str]) -> frozenset[str]:
    cleaned = set()
    for author in authors:
        address = author.strip().removeprefix("mailto:").strip("<>").strip().lower()
        if address:
            cleaned.add(address)
    return frozenset(cleaned)


def _utc(value: datetime) -> datetime:
    return datetime.fromtimestamp(value.timestamp(), UTC)


def _safe(text: str) -> str:
    """Text from the repository or the command line, fit for one line of an error."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
