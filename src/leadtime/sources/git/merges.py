"""Which of the user's merge commits merge other people's work: reviewing, not coding.

A merge commit by the user counts as a merge of other people's work when every commit it
brings in (reachable from its other parents, not from its first parent; merge commits
among them aside) is by another author, and there is at least one. That covers GitHub's
"Merge pull request #N from …", GitLab's "Merge branch … into …" and plain ``git merge``
of a colleague's branch alike, whatever the subject says. Not counted:

* a merge that brings in a commit of the user's own (their branch, or a branch they
  worked on together): that is their work;
* a merge that brings the main line into a branch ("Merge branch 'main' into feature",
  GitHub's "Update branch"): its other parent lies on the first-parent line of the
  repository's default branch (``origin/HEAD``, or ``HEAD`` where there is none);
* a merge bringing in more than :data:`MAX_MERGED` commits: an integration of a long-lived
  line, not a review.

The commits brought in are found as git finds a merge base, over the history read once
with the user's commits (:func:`~leadtime.sources.git.repository.read_log`): a walk down
from both sides in topological order, which stops as soon as nothing reachable
from the merged side alone is left, so each merge costs the size of what it brought in
and of the main line since the branch left it.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from leadtime.sources.git.repository import History, Log, Repository, _git

__all__ = ["MAX_MERGED", "merges_of_others"]

MAX_MERGED = 1_000  # commits a merge may bring in and still be a review
_FIRST, _MERGED, _TAKEN = 1, 2, 4  # reachable from the first parent, from the merged
# parents; taken from the queue


def _merged_in(history: History, first: int, merged: Sequence[int], limit: int) -> list[int] | None:
    """Commits reachable from ``merged`` and not from ``first``; None past ``limit``.

    Commits are taken in topological order (their position in git's list, where every
    commit comes before its parents), so each is taken after every commit above it that
    the walk reached: its flags are final then. The walk stops when nothing reachable from
    ``merged`` alone is left.
    """
    flags: dict[int, int] = {}
    queue: list[int] = []
    merged_only = 0  # queued commits reachable, so far, from the merged side alone

    def paint(node: int, flag: int) -> None:
        nonlocal merged_only
        old = flags.get(node, 0)
        new = old | flag
        if new == old:
            return
        if old == 0:
            heapq.heappush(queue, node)
        merged_only += (new == _MERGED) - (old == _MERGED)
        flags[node] = new

    paint(first, _FIRST)
    for node in merged:
        paint(node, _MERGED)
    found: list[int] = []
    while queue and merged_only:
        node = heapq.heappop(queue)
        flag = flags[node]
        if flag == _MERGED:
            merged_only -= 1
            found.append(node)
            if len(found) > limit:
                return None
        flags[node] = flag | _TAKEN
        for parent in history.parents(node):
            paint(parent, flag)
    return found


def _first_parent_line(history: History, tip: str | None) -> set[int]:
    line: set[int] = set()
    node = history.node(tip) if tip else None
    while node is not None and node not in line:
        line.add(node)
        parents = history.parents(node)
        node = parents[0] if parents else None
    return line


def merges_of_others(repo: Repository, log: Log) -> frozenset[str]:
    """The shas of the user's merge commits in ``log`` that merge other people's work."""
    merges = [c for c in log.commits if c.merge]
    if not merges:
        return frozenset()
    history = log.history
    main_line = _first_parent_line(history, _default_tip(repo))
    found = set()
    for merge in merges:
        nodes = [history.node(p) for p in merge.parents]
        first, *others = [n for n in nodes if n is not None]
        if len(others) < len(nodes) - 1:
            continue  # a parent git could not list (a shallow clone's edge)
        if any(n in main_line for n in others):
            continue  # the main line merged into a branch
        brought = _merged_in(history, first, others, MAX_MERGED)
        if brought is None:
            continue
        work = [n for n in brought if len(history.parents(n)) < 2]  # merges in it aside
        if work and not any(history.mine(n) for n in work):
            found.add(merge.sha)
    return frozenset(found)


def _default_tip(repo: Repository) -> str | None:
    """The commit at the tip of the default branch: ``origin/HEAD``, else ``HEAD``."""
    for ref in ("refs/remotes/origin/HEAD", "HEAD"):
        command = ("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
        with _git(repo.git_dir, *command) as (out, finish):
            text = out.read().decode("ascii", "replace").strip()
            if not finish() and text:
                return text
    return None
