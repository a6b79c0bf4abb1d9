"""Read a git repository's history into work sessions: hands-on evidence (SPEC §11).

The user's own commits (author e-mail in ``authors``, compared case-insensitively) on every
branch, tag, remote-tracking branch and detached HEAD are read with the ``git`` command
(``git log``), each commit once, by its *author* time. Commits no more than ``max_gap``
apart form one session, which starts ``first_commit`` before its first commit and ends at
its last commit, so a single commit makes a session of ``first_commit``. This is an
estimate of when the user was coding, not a record: it never sees the thinking before the
first commit or the work after the last one.

* A session lasts at most ``max_session`` (8 hours by default, from ``first_commit``
  before its first commit to its last): the commit that would make it longer starts the
  next one, so commits every hour around the clock make 8-hour sessions, never one entry
  of months. Sessions never overlap: one starts no earlier than the one before it ends.
* Merging other people's work is reviewing: the user's merge commits that bring in only
  other authors' commits (a pull request merged, see :mod:`.merges`) form sessions of
  their own, tagged ``merge-review`` (the default rules count them as
  ``leadership:review``); the user's own commits, merges of their own branches and merges
  of the main line into a branch stay in coding sessions.
* The repository is named after its origin (the last part of ``remote.origin.url``
  without ``.git``) where it has one, otherwise after its folder without ``.git``: a bare
  clone ``api.git`` of ``git@host:org/api.git`` is ``api``, titles read ``api: …`` and the
  source is ``git:api``.

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
  read fails with one clear error. git runs with every transport off (no lazy fetch of a
  partial clone, no promisor or submodule URL), no pager, hooks, fsmonitor, signature
  checks or password prompts, no mailmap and no system configuration, and with the
  repository-locating variables (``GIT_DIR``, ...) removed: a repository's own settings
  start no program (see :mod:`.repository`).
* Commit subjects are data: they are kept as written in titles (control characters
  included), never in problem text, where anything from the repository is escaped.
"""

from leadtime.sources.git.read import (
    DEFAULT_FIRST_COMMIT,
    DEFAULT_MAX_GAP,
    DEFAULT_MAX_SESSION,
    GitImport,
    read_git,
)
from leadtime.sources.git.repository import (
    HISTORY_END,
    HISTORY_START,
    Commit,
    GitSourceError,
    name_in_url,
    repository_name,
)
from leadtime.sources.git.sessions import MERGE_REVIEW_TAG, sessions

__all__ = [
    "DEFAULT_FIRST_COMMIT",
    "DEFAULT_MAX_GAP",
    "DEFAULT_MAX_SESSION",
    "HISTORY_END",
    "HISTORY_START",
    "MERGE_REVIEW_TAG",
    "Commit",
    "GitImport",
    "GitSourceError",
    "name_in_url",
    "read_git",
    "repository_name",
    "sessions",
]
