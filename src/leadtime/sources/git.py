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
  repository is read like any other.
* Commit subjects are data: they are kept as written in titles (control characters
  included), never in problem text, where anything from the repository is escaped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

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
PROGRESS_STEP = 1_000  # commits between two progress calls
# One line per commit: %s folds the subject's lines into one, so it never holds a newline.
LOG_FORMAT = "%H%x00%ae%x00%at%x00%s"
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
    name: str,
    max_gap: timedelta = DEFAULT_MAX_GAP,
    first_commit: timedelta = DEFAULT_FIRST_COMMIT,
    since: datetime | None = None,
    until: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> GitImport:
    """Read the sessions of ``authors`` in the repository at ``path``.

    ``name`` is the remembered source name (``git:leadtime``), stored as each entry's
    ``calendar``. ``progress(done, total)`` is called every thousand commits turned into sessions
    and once at the end.
    Raises :class:`GitSourceError` (an ``InputError``) when ``authors`` is empty, ``git``
    is missing, or ``path`` is not a repository that git can read.
    """
    wanted = _addresses(authors)
    if not wanted:
        raise GitSourceError(
            f"no author e-mail to look for in {_safe(str(path))}",
            hint='set me = ["you@example.com"] in config.toml, or pass --author',
            reason="no-author",
        )
    if max_gap < timedelta(0) or first_commit < timedelta(0):
        raise UsageError("the session gap and the first-commit time cannot be negative")
    for bound in (since, until):
        if bound is not None and bound.tzinfo is None:
            raise ValueError(f"since and until must be aware datetimes, got {bound!r}")
    window = (
        HISTORY_START if since is None else _utc(since),
        HISTORY_END if until is None else _utc(until),
    )
    repo = _open(path)
    commits, others = _read_log(repo, wanted)
    problems = []
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
        problems.append(_no_commits_problem(repo, wanted, others))
    groups = sessions(commits, max_gap)
    entries = []
    done = reported = 0
    for group in groups:
        done += len(group)
        entry = _session_entry(group, repo.name, name, first_commit)
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


def _git(repo_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
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
    command = [executable, *settings, "-C", str(repo_path), *args]
    try:
        # stderr goes to a file: with two pipes, subprocess polls in small reads, which
        # costs more than git itself on a large history.
        with tempfile.TemporaryFile() as errors:
            result = subprocess.run(
                command, stdout=subprocess.PIPE, stderr=errors, env=env, check=False
            )
            errors.seek(0)
            return subprocess.CompletedProcess(
                command, result.returncode, result.stdout, errors.read()
            )
    except OSError as error:
        raise GitSourceError(
            f"cannot run git: {_safe(str(error))}", reason="git-missing"
        ) from error


def _open(path: Path) -> _Repository:
    if not path.is_dir():
        what = "does not exist" if not path.exists() else "is not a folder"
        raise GitSourceError(
            f"{_safe(str(path))} {what}: it cannot be a git repository",
            reason="not-a-repository",
        )
    result = _git(
        path,
        "rev-parse",
        "--absolute-git-dir",
        "--is-bare-repository",
        "--is-shallow-repository",
        "--show-cdup",
    )
    if result.returncode != 0:
        raise _git_failure(path, result.stderr)
    lines = result.stdout.decode("utf-8", "replace").split("\n")
    git_dir = Path(lines[0])
    bare = lines[1] == "true"
    shallow = lines[2] == "true"
    if bare:
        label = git_dir.name.removesuffix(".git") or git_dir.name
    else:
        top = (path / lines[3]).resolve() if len(lines) > 3 else path.resolve()
        label = top.name
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


def _log(repo: _Repository, *args: str) -> bytes:
    result = _git(
        repo.git_dir, "log", "--exclude=refs/notes/*", "--exclude=refs/stash", "--all", *args
    )
    if result.returncode != 0:
        raise _git_failure(repo.path, result.stderr)
    return result.stdout


def _read_log(repo: _Repository, wanted: frozenset[str]) -> tuple[list[Commit], Counter[str]]:
    """The user's commits, each once, ordered by author time (then sha), and when there are
    none, how many commits each author e-mail has (for the hint).

    Every commit is read and filtered here: git's own ``--author`` filter costs more than
    it saves. The e-mail can hold no NUL or newline and ``%s`` no newline, so each line is
    one commit and its subject is all that follows the third NUL.
    """
    out = _log(repo, f"--format={LOG_FORMAT}").decode("utf-8", "replace")
    lines = [line.split("\x00", 3) for line in out.split("\n")]
    seen: dict[tuple[str, int, str], str] = {}
    for parts in lines:
        if len(parts) != 4 or parts[1].lower() not in wanted:
            continue
        sha, email, at, subject = parts
        try:
            key = (email.lower(), int(at), subject)
        except ValueError:
            continue
        if key not in seen or sha < seen[key]:
            seen[key] = sha
    others: Counter[str] = Counter()
    if not seen:
        others.update(parts[1].lower() for parts in lines if len(parts) == 4)
    commits = [
        Commit(sha, email, datetime.fromtimestamp(at, UTC), subject)
        for (email, at, subject), sha in seen.items()
    ]
    commits.sort(key=lambda c: (c.time, c.sha))
    return commits, others


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
