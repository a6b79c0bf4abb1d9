"""Measure how fast the user's commits can be read from a 20,000-commit repository.

This chose how ``leadtime.sources.git`` reads a repository, and keeps checking the
contract's target (SPEC §9: ``import git`` of a 20,000-commit repository in at most 2 s and
at most 1.5x ``git log --all --format=...`` over it).

The repository is made once with ``git fast-import`` from a generated stream: 20,000
commits by five authors over about three years, on a main line and six branches, some of
them merged back. It is kept in the work directory and reused while its stream is the same.

Each candidate reads every commit of every ref (sha, author e-mail, author time, subject),
keeps those of one author and returns them; each figure is the median of ``--runs`` runs
after one warm-up run, timed alternately with the baseline
``git log --all --format=%H%x00%ae%x00%at%x00%s`` (its median is shown beside each ratio),
with the CPU time that Python and git used together (steadier than the wall clock on a
machine shared with other work):

* ``git log`` parsed: the ``git`` command through ``subprocess``, output parsed in Python;
* ``git log --author``: the same with git keeping only the author's commits;
* ``pygit2``: libgit2 bindings, a revision walk over every ref;
* ``GitPython``: ``Repo.iter_commits("--all")``;
* ``read_git``: leadtime's reader, in this process and in a fresh interpreter (start-up and
  imports included).

The cost of importing each library in a fresh interpreter is shown apart. A library that
is not installed is shown as n/a. Usage::

    .venv/bin/python benchmarks/git_bench.py [--runs N] [--commits N] [--json] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ME = "dana@example.com"
AUTHORS = (
    ("Dana Lead", ME, 0.30),
    ("Ari Dev", "ari@example.com", 0.25),
    ("Bo Dev", "bo@example.com", 0.20),
    ("Cy Dev", "cy@example.org", 0.15),
    ("Eve Bot", "bot@ci.example.com", 0.10),
)
FORMAT = "%H%x00%ae%x00%at%x00%s"
START = 1_672_560_000  # 2023-01-01 08:00 UTC
Record = tuple[str, str, int, str]  # sha, author e-mail, author time, subject


# --------------------------------------------------------------------------- the repository


def fast_import_stream(commits: int, seed: int = 11) -> Iterator[bytes]:
    """A ``git fast-import`` stream: a main line, six branches, merges, five authors."""
    rng = random.Random(seed)
    names = [a[:2] for a in AUTHORS]
    weights = [a[2] for a in AUTHORS]
    branches = 6
    on_branches = commits * 2 // 5  # 40% of the commits are on side branches
    per_branch = on_branches // branches
    main_count = commits - per_branch * branches
    moment = START
    mark = 0

    def commit(ref: str, parents: list[int], subject: str) -> bytes:
        nonlocal mark, moment
        mark += 1
        gap = rng.choice(
            (rng.randint(60, 5_400), rng.randint(60, 1_800), rng.randint(3_600, 86_400))
        )
        moment += gap
        name, email = names[rng.choices(range(len(names)), weights)[0]]
        message = f"{subject}\n\nGenerated commit {mark}.\n".encode()
        content = f"{mark} {rng.random()}\n".encode()
        lines = [
            f"commit {ref}",
            f"mark :{mark}",
            f"author {name} <{email}> {moment} +0100",
            f"committer {name} <{email}> {moment + rng.randint(0, 600)} +0100",
            f"data {len(message)}",
        ]
        head = "\n".join(lines).encode() + b"\n" + message
        tail = []
        if parents:
            tail.append(f"from :{parents[0]}")
            tail.extend(f"merge :{p}" for p in parents[1:])
        tail.append(f"M 644 inline src/file{mark % 50}.txt")
        tail.append(f"data {len(content)}")
        return head + ("\n".join(tail) + "\n").encode() + content + b"\n"

    main_tip = 0
    fork_every = main_count // (branches + 1)
    branch = 0
    for i in range(main_count):
        yield commit("refs/heads/main", [main_tip] if main_tip else [], f"Change main {i}")
        main_tip = mark
        if i and i % fork_every == 0 and branch < branches:
            branch += 1
            tip = main_tip
            for j in range(per_branch):
                yield commit(f"refs/heads/topic{branch}", [tip], f"Topic {branch} step {j}")
                tip = mark
            if branch % 2:  # every other branch is merged back into main
                yield commit("refs/heads/main", [main_tip, tip], f"Merge branch 'topic{branch}'")
                main_tip = mark
    yield f"reset refs/tags/v1.0\nfrom :{main_tip}\n\n".encode()


def make_repository(workdir: Path, commits: int) -> Path:
    stream = b"".join(fast_import_stream(commits))
    digest = hashlib.sha256(stream).hexdigest()[:16]
    repo = workdir / f"repo-{commits}"
    stamp = repo / ".bench-stream"
    if stamp.exists() and stamp.read_text() == digest:
        return repo
    shutil.rmtree(repo, ignore_errors=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "fast-import", "--quiet"], input=stream, check=True)
    stamp.write_text(digest)
    return repo


# --------------------------------------------------------------------------- the candidates


def baseline(repo: Path) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "log", "--all", f"--format={FORMAT}"],
        check=True,
        stdout=subprocess.PIPE,
    )


def _parse(out: bytes, author: str) -> list[Record]:
    records = []
    for line in out.decode("utf-8", "replace").split("\n"):
        if not line:
            continue
        sha, email, at, subject = line.split("\x00", 3)
        if email.lower() == author:
            records.append((sha, email, int(at), subject))
    return records


def git_log(repo: Path, author: str) -> list[Record]:
    cmd = ["git", "-C", str(repo), "log", "--all", f"--format={FORMAT}"]
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE).stdout
    return _parse(out, author)


def git_log_author(repo: Path, author: str) -> list[Record]:
    cmd = ["git", "-C", str(repo), "log", "--all", "-F", "-i", f"--author=<{author}>"]
    out = subprocess.run([*cmd, f"--format={FORMAT}"], check=True, stdout=subprocess.PIPE).stdout
    return _parse(out, author)


def with_pygit2(repo: Path, author: str) -> list[Record]:
    import pygit2

    r = pygit2.Repository(str(repo))
    walker = None
    for name in r.references:
        target = r.references[name].peel(pygit2.Commit).id
        if walker is None:
            walker = r.walk(target, pygit2.enums.SortMode.NONE)
        else:
            walker.push(target)
    records = []
    for c in walker or ():
        a = c.author
        if a.email.lower() == author:
            records.append((str(c.id), a.email, a.time, c.message.split("\n", 1)[0]))
    return records


def with_gitpython(repo: Path, author: str) -> list[Record]:
    import git

    r = git.Repo(str(repo))
    records = []
    for c in r.iter_commits("--all"):
        if c.author.email.lower() == author:
            records.append((c.hexsha, c.author.email, c.authored_date, c.summary))
    return records


def with_read_git(repo: Path, author: str) -> int:
    from leadtime.sources.git import read_git

    return len(read_git(repo, authors=[author], name="git:bench").entries)


def read_git_process(repo: Path, author: str) -> None:
    code = (
        "import sys; from pathlib import Path; from leadtime.sources.git import read_git; "
        "read_git(Path(sys.argv[1]), authors=[sys.argv[2]], name='git:bench')"
    )
    subprocess.run([sys.executable, "-c", code, str(repo), author], check=True)


def import_cost(module: str) -> float | None:
    """Seconds a fresh interpreter needs to import ``module``, less a bare start-up."""

    def run(code: str) -> float:
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
        return time.perf_counter() - began

    try:
        run(f"import {module}")
    except subprocess.CalledProcessError:
        return None
    bare = statistics.median(run("pass") for _ in range(5))
    return statistics.median(run(f"import {module}") for _ in range(5)) - bare


# --------------------------------------------------------------------------- timing


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (git, fresh interpreters)."""
    me, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def paired(fn: Callable[[], Any], base: Callable[[], Any], runs: int) -> dict[str, float]:
    """Median, fastest and slowest of ``fn``, and its ratio to ``base`` timed alternately
    with it (so that a busy machine slows both alike); one warm-up run each, not counted.
    The CPU time used (by Python and git together) is measured too: on a machine shared
    with other work it varies far less than the wall clock."""
    fn()
    base()
    times: list[float] = []
    base_times: list[float] = []
    cpu: list[float] = []
    base_cpu: list[float] = []
    for _ in range(runs):
        for target, record, record_cpu in ((base, base_times, base_cpu), (fn, times, cpu)):
            began, began_cpu = time.perf_counter(), cpu_seconds()
            target()
            record.append(time.perf_counter() - began)
            record_cpu.append(cpu_seconds() - began_cpu)
    median, base_median = statistics.median(times), statistics.median(base_times)
    return {
        "median_s": round(median, 4),
        "min_s": round(min(times), 4),
        "max_s": round(max(times), 4),
        "baseline_s": round(base_median, 4),
        "ratio": round(median / base_median, 2),
        "cpu_s": round(statistics.median(cpu), 4),
        "cpu_ratio": round(statistics.median(cpu) / statistics.median(base_cpu), 2),
    }


def available(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--commits", type=int, default=20_000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--workdir", type=Path, default=HERE / ".work")
    args = parser.parse_args(argv)
    if shutil.which("git") is None:
        print("git is not installed: the repository cannot be built", file=sys.stderr)
        return 1
    args.workdir.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    repo = make_repository(args.workdir, args.commits)
    built = time.perf_counter() - began

    candidates: dict[str, tuple[str | None, Callable[[], Any]]] = {
        "git log (parsed)": (None, lambda: git_log(repo, ME)),
        "git log --author (parsed)": (None, lambda: git_log_author(repo, ME)),
        "pygit2": ("pygit2", lambda: with_pygit2(repo, ME)),
        "GitPython": ("git", lambda: with_gitpython(repo, ME)),
        "read_git (in process)": ("leadtime", lambda: with_read_git(repo, ME)),
        "read_git (fresh process)": ("leadtime", lambda: read_git_process(repo, ME)),
    }
    counts = {
        "git log (parsed)": len(git_log(repo, ME)),
        "pygit2": len(with_pygit2(repo, ME)) if available("pygit2") else None,
        "GitPython": len(with_gitpython(repo, ME)) if available("git") else None,
    }
    figures: dict[str, Any] = {}
    for label, (module, fn) in candidates.items():
        if module is None or available(module):
            figures[label] = paired(fn, lambda: baseline(repo), args.runs)
        else:
            figures[label] = None
    imports = {m: import_cost(m) for m in ("pygit2", "git", "leadtime.sources.git")}

    result = {
        "commits": args.commits,
        "repository_built_s": round(built, 3),
        "my_commits": counts,
        "runs": args.runs,
        "figures": figures,
        "import_s": {k: None if v is None else round(v, 4) for k, v in imports.items()},
        "target": "read_git: <= 2 s and <= 1.5x the baseline",
        "git": subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip(),
        "cpus": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{args.commits} commits ({result['git']}), repository ready in {built:.2f} s")
    print(f"commits by {ME}: {counts}")
    print(f"{'candidate':28} {'median':>9} {'min':>9} {'max':>9} {'git log':>9} {'ratio':>7}"
          f" {'cpu':>8} {'cpu ratio':>9}")  # fmt: skip
    for label, fig in result["figures"].items():
        if fig is None:
            print(f"{label:28} {'n/a':>9}")
            continue
        print(f"{label:28} {fig['median_s']:9.4f} {fig['min_s']:9.4f} {fig['max_s']:9.4f}"
              f" {fig['baseline_s']:9.4f} {fig['ratio']:6.2f}x {fig['cpu_s']:8.4f}"
              f" {fig['cpu_ratio']:8.2f}x")  # fmt: skip
    for module, cost in result["import_s"].items():
        print(f"import {module}: {'n/a' if cost is None else f'{cost * 1000:.0f} ms'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
