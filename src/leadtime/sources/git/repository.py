"""Reading a repository with the ``git`` command: where it is, and the user's commits.

git runs with the repository-locating variables (``GIT_DIR``, ...) removed, so a hook's
environment cannot point it elsewhere, and with no pager and no signature checks, so a
repository's own settings start no program. Its output is read while it is written.
Anything from the repository that goes into an error is escaped (:func:`safe_text`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from leadtime.errors import InputError

__all__ = [
    "HISTORY_END",
    "HISTORY_START",
    "Commit",
    "GitSourceError",
    "Log",
    "Repository",
    "open_repository",
    "read_log",
    "safe_text",
]

# The whole history: commits dated outside it cannot be read (git prints such dates as
# they are, or nothing), and an open end of a window stands for it.
HISTORY_START = datetime(1970, 1, 1, tzinfo=UTC)
HISTORY_END = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
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
    """One of the user's commits, as read from ``git log``."""

    sha: str
    email: str  # lower case
    time: datetime  # author time, UTC
    subject: str


@dataclass(frozen=True, slots=True)
class Repository:
    """A repository as git found it: where its git folder is, and its display name."""

    path: Path  # as given
    git_dir: Path
    name: str
    shallow: bool


@dataclass(frozen=True, slots=True)
class Log:
    commits: list[Commit]  # the user's, each once, ordered by author time (then sha)
    others: Counter[str]  # commits per other author e-mail (for the hint)
    unreadable: list[str]  # shas of the user's commits whose author time cannot be used


def read_log(repo: Repository, wanted: frozenset[str]) -> Log:
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
    return Log(commits, others, sorted(unreadable))


def _author_addresses(repo: Repository) -> list[str]:
    with _git(repo.git_dir, "log", *REFS, "--format=%ae") as (out, finish):
        lines = out.read().split(b"\n")
        failure = finish()
    if failure:
        raise _git_failure(repo.path, failure)
    return [line.decode("utf-8", "replace").lower() for line in lines if line]


def open_repository(path: Path) -> Repository:
    if not path.is_dir():
        what = "does not exist" if not path.exists() else "is not a folder"
        raise GitSourceError(
            f"{safe_text(str(path))} {what}: it cannot be a git repository",
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
    return Repository(path, git_dir, label or str(path), shallow)


def _git_failure(path: Path, stderr: bytes) -> GitSourceError:
    text = stderr.decode("utf-8", "replace").strip()
    first = text.split("\n", 1)[0].removeprefix("fatal: ").strip()
    where = safe_text(str(path))
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
        f"git cannot read {where}: {safe_text(first) or 'unknown error'}", reason="git-failed"
    )


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
                f"cannot run git: {safe_text(str(error))}", reason="git-missing"
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


def safe_text(text: str) -> str:
    """Text from the repository or the command line, fit for one line of an error."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
