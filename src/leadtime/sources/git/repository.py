"""Reading a repository with the ``git`` command: where it is, and the user's commits.

A repository is data, and so is its configuration: whoever made it chose its
``.git/config``, its hooks and its ``.mailmap``. git therefore runs (:func:`_command`)

* with the repository-locating variables (``GIT_DIR``, ...) and any configuration passed
  through the environment removed, so a hook's environment cannot point it elsewhere;
* with every transport off: ``GIT_NO_LAZY_FETCH=1`` (a partial clone's missing object is
  an error, not a fetch), ``GIT_ALLOW_PROTOCOL`` set to no protocol at all, and
  ``protocol.allow=never`` plus ``protocol.<name>.allow=never`` for each transport on the
  command line, where they outrank the repository's own ``protocol.ext.allow=always``;
  so no URL of a promisor remote or submodule (``ext::sh -c …``, ``remote.*.uploadpack``,
  ``core.sshCommand``) ever starts a program;
* with no pager, no hooks, no fsmonitor, no signature checks, no credential helper or
  password prompt, no optional locks, and without the system configuration;
* without the mailmap: commits are the user's by the address they were written with, so
  a ``.mailmap`` can neither hide the user's commits nor hand them someone else's.

Its output is read while it is written. Anything from the repository that goes into an
error is escaped (:func:`safe_text`).
"""

from __future__ import annotations

import os
import re
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
from urllib.parse import urlsplit

from leadtime.errors import InputError
from leadtime.sources import resolve_path

__all__ = [
    "HISTORY_END",
    "HISTORY_START",
    "Commit",
    "GitSourceError",
    "History",
    "Log",
    "Repository",
    "name_in_url",
    "open_repository",
    "read_log",
    "repository_name",
    "safe_text",
]

# The whole history: commits dated outside it cannot be read (git prints such dates as
# they are, or nothing), and an open end of a window stands for it.
HISTORY_START = datetime(1970, 1, 1, tzinfo=UTC)
HISTORY_END = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
# One line per commit: %s folds the subject's lines into one, so it never holds a newline.
LOG_FORMAT = "%H%x00%P%x00%ae%x00%at%x00%s"
# Every branch, tag, remote-tracking branch and HEAD; not stashes or notes.
REFS = ("--exclude=refs/notes/*", "--exclude=refs/stash", "--all")
# Variables removed from git's environment: those that would point it at another repository
# than the one asked for (as inside a hook, where GIT_DIR is set), configuration passed
# through the environment, and programs it could start to ask for a password or to connect.
_REMOVED_VARIABLES = frozenset(
    {
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_COMMON_DIR",
        "GIT_NAMESPACE",
        "GIT_PREFIX",
        "GIT_CONFIG_PARAMETERS",
        "GIT_CONFIG_COUNT",
        "GIT_ASKPASS",
        "SSH_ASKPASS",
        "GIT_SSH",
        "GIT_SSH_COMMAND",
        "GIT_PROXY_COMMAND",
        "GIT_EXTERNAL_DIFF",
    }
)
_REMOVED_PREFIXES = ("GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_")
# Variables set for every git call. git 2.39.5 (measured by the tests' hostile repository):
# GIT_NO_LAZY_FETCH alone stops the lazy fetch (the variable came with the 2.39.4 security
# release); so does GIT_ALLOW_PROTOCOL set to no protocol; GIT_PROTOCOL_FROM_USER=0 alone
# does not (the repository's protocol.ext.allow=always outranks it).
_SAFE_ENVIRONMENT = {
    "GIT_NO_LAZY_FETCH": "1",
    "GIT_ALLOW_PROTOCOL": "",  # a list of allowed transports that names none
    "GIT_PROTOCOL_FROM_USER": "0",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_PAGER": "cat",
    "PAGER": "cat",
    "LC_ALL": "C",
    "LANGUAGE": "C",
}
_TRANSPORTS = ("ext", "fd", "file", "git", "http", "https", "ssh")
# Settings on the command line outrank the repository's own. protocol.allow=never alone
# does not stop git 2.39 when the repository sets protocol.ext.allow=always; the setting
# per transport does.
_SETTINGS = (
    "protocol.allow=never",
    *(f"protocol.{name}.allow=never" for name in _TRANSPORTS),
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "core.askPass=",
    "credential.helper=",
    "log.showSignature=false",
    "log.mailmap=false",
    "mailmap.file=",
    "mailmap.blob=",
    "i18n.logOutputEncoding=UTF-8",
)


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
    parents: tuple[str, ...] = ()  # kept for merges only (two parents or more)

    @property
    def merge(self) -> bool:
        return len(self.parents) > 1


@dataclass(frozen=True, slots=True)
class Repository:
    """A repository as git found it: where its git folder is, and its display name."""

    path: Path  # as given
    git_dir: Path
    name: str
    shallow: bool


class History:
    """Every commit of every ref, as git listed them (each before its parents): kept as
    the raw bytes git wrote, decoded only for the commits a walk visits (:mod:`.merges`)."""

    def __init__(self, wanted: frozenset[str]) -> None:
        self.wanted = wanted
        self.wanted_bytes = {address.encode() for address in wanted}
        self.index: dict[bytes, int] = {}  # sha -> position in git's topological order
        self.raw: list[tuple[bytes, bytes]] = []  # (parents, author e-mail) by position
        self._parents: dict[int, tuple[int, ...]] = {}

    def add(self, sha: bytes, parents: bytes, email: bytes) -> None:
        self.index[sha] = len(self.raw)
        self.raw.append((parents, email))

    def is_mine(self, email: bytes) -> bool:
        """Whether an author e-mail as git wrote it is one of the user's (any case)."""
        lower = email.lower()
        if lower in self.wanted_bytes:
            return True
        return not lower.isascii() and email.decode("utf-8", "replace").lower() in self.wanted

    def node(self, sha: str) -> int | None:
        return self.index.get(sha.encode("ascii", "replace"))

    def parents(self, node: int) -> tuple[int, ...]:
        """A commit's parents; one outside the history (a shallow clone's edge) is left out."""
        found = self._parents.get(node)
        if found is None:
            index = self.index
            found = tuple(index[p] for p in self.raw[node][0].split() if p in index)
            self._parents[node] = found
        return found

    def mine(self, node: int) -> bool:
        return self.is_mine(self.raw[node][1])


@dataclass(frozen=True, slots=True)
class Log:
    commits: list[Commit]  # the user's, each once, ordered by author time (then sha)
    others: Counter[str]  # commits per other author e-mail (for the hint)
    unreadable: list[str]  # shas of the user's commits whose author time cannot be used
    history: History  # every commit, for telling what a merge brought in


def read_log(repo: Repository, wanted: frozenset[str]) -> Log:
    """Read every commit of every ref once; keep the user's, and the shape of the history.

    One ``git log --all --topo-order`` lists every commit with its parents and author
    (keeping only the user's in git, ``--author``, saves no time in git: it still reads
    every commit). Lines are parsed as git writes them, so that git and Python work at the
    same time. The e-mail can hold no NUL or newline and ``%s`` no newline, so each line is
    one commit and its subject is all that follows the fourth NUL. An author is the user's
    when the e-mail equals one of ``wanted`` in any case.
    """
    history = History(wanted)
    seen: dict[tuple[str, int, str], str] = {}
    merges: dict[str, tuple[str, ...]] = {}  # sha -> parents, for the user's merge commits
    others: Counter[bytes] = Counter()
    unreadable: list[str] = []
    latest = int(HISTORY_END.timestamp())
    command = ("log", *REFS, "--topo-order", f"--format={LOG_FORMAT}")
    with _git(repo.git_dir, *command) as (out, finish):
        for line in out:
            parts = line.rstrip(b"\n").split(b"\x00", 4)
            if len(parts) != 5:
                continue
            raw_sha, raw_parents, raw_email, raw_at, raw_subject = parts
            history.add(raw_sha, raw_parents, raw_email)
            if not history.is_mine(raw_email):
                others[raw_email] += 1
                continue
            sha = raw_sha.decode("ascii", "replace")
            try:
                at = int(raw_at)
            except ValueError:
                at = -1
            if not 0 <= at < latest:  # git prints overflowing dates as they are, or nothing
                unreadable.append(sha)
                continue
            email = raw_email.decode("utf-8", "replace").lower()
            key = (email, at, raw_subject.decode("utf-8", "replace"))
            if key not in seen or sha < seen[key]:
                seen[key] = sha
            if b" " in raw_parents:
                merges[sha] = tuple(raw_parents.decode("ascii", "replace").split())
        failure = finish()
    if failure:
        raise _git_failure(repo.path, failure)
    commits = [
        Commit(sha, email, datetime.fromtimestamp(at, UTC), subject, merges.get(sha, ()))
        for (email, at, subject), sha in seen.items()
    ]
    commits.sort(key=lambda c: (c.time, c.sha))
    by_address: Counter[str] = Counter()
    if not commits:
        for raw, count in others.items():
            by_address[raw.decode("utf-8", "replace").lower()] += count
    return Log(commits, by_address, sorted(unreadable), history)


def open_repository(path: Path) -> Repository:
    """The repository at ``path`` (a work tree, a folder in one, its ``.git``, or a bare
    repository), named after its origin (:func:`name_in_url`) where it has one, otherwise
    after its folder (without ``.git``)."""
    if not path.is_dir():
        if path.is_symlink():
            resolve_path(path)  # a loop of links says so
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
        folder = git_dir.name
    elif here == git_dir or git_dir in here.parents:  # inside the .git folder of a work tree
        folder = git_dir.parent.name
    else:
        folder = (here / lines[3]).resolve().name if len(lines) > 3 else here.name
    folder = folder.removesuffix(".git") or folder
    with _git(git_dir, "config", "--get", "remote.origin.url") as (out, finish):
        origin = out.read()
        finish()  # no origin: git exits with 1, and the folder names the repository
    name = name_in_url(os.fsdecode(origin).strip()) if origin else None
    return Repository(path, git_dir, name or folder or str(path), shallow)


# A name taken from a remote's address: a file name, nothing a terminal or a shell could
# read otherwise.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def name_in_url(url: str) -> str | None:
    """The repository name in a remote's address: its last path part without ``.git``.

    ``git@github.com:org/api.git``, ``https://host/org/api``, ``ssh://host/srv/api.git/``,
    ``/srv/git/api.git`` and ``file:///srv/api/.git`` all name ``api``. None when the
    address names none that is a plain file name (a bare host, an ``ext::`` command line,
    whatever follows ``ext::`` or ``fd::``).
    Credentials in the address never reach the name: only the last path part is kept.
    """
    text = url.strip()
    helper, sep, address = text.partition("::")  # <transport>::<address>
    if sep:
        if helper.lower() in ("ext", "fd"):  # a command line or a file descriptor
            return None
        text = address
    if "://" in text:
        text = urlsplit(text).path
    elif ":" in text.split("/", 1)[0]:  # scp-like: [user@]host:path
        text = text.split(":", 1)[1]
    parts = [part for part in text.split("/") if part and part != ".git"]
    if not parts:
        return None
    name = parts[-1].removesuffix(".git")
    return name if _NAME.fullmatch(name) else None


def repository_name(path: Path) -> str:
    """The name of the repository at ``path`` (see :func:`open_repository`); for a path git
    cannot read, its folder's name without ``.git`` (reading it will say what is wrong)."""
    try:
        return open_repository(path).name
    except GitSourceError:
        folder = resolve_path(path).name
        return folder.removesuffix(".git") or folder or "repository"


def _git_failure(path: Path, stderr: bytes) -> GitSourceError:
    text = stderr.decode("utf-8", "replace").strip()
    lines = text.split("\n")
    first = next(
        (line for prefix in ("fatal: ", "error: ") for line in lines if line.startswith(prefix)),
        lines[0],
    )
    first = first.removeprefix("fatal: ").removeprefix("error: ").strip()
    where = safe_text(str(path))
    if "lazy fetching disabled" in text:
        return GitSourceError(
            f"git cannot read {where}: objects are missing ({safe_text(first)})",
            hint="a partial or damaged clone: leadtime never fetches, so that a repository's "
            "configuration starts no program; fetch in it yourself if you trust its remote",
            reason="git-failed",
        )
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
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in _REMOVED_VARIABLES and not k.startswith(_REMOVED_PREFIXES)
    }
    env.update(_SAFE_ENVIRONMENT)
    settings = [part for setting in _SETTINGS for part in ("-c", setting)]
    return [executable, "--no-pager", *settings, "-C", str(repo_path), *args], env


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
