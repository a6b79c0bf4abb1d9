"""Git history as hands-on evidence: sessions from real repositories made by git itself.

Every repository here is built in tmp_path with the ``git`` command, with author and
committer dates and addresses set explicitly; expected sessions are written by hand from
those dates (first commit - 30 min .. last commit, commits at most 120 min apart).
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import Run
from leadtime.entry import Origin
from leadtime.errors import ExitCode, InputError, UsageError
from leadtime.sources.git import (
    HISTORY_END,
    HISTORY_START,
    Commit,
    GitImport,
    GitSourceError,
    name_in_url,
    read_git,
    sessions,
)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command")

ME = "dana@example.com"
BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "git_bench.py"
ARI = "ari@example.com"
BO = "bo@example.org"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@dataclass
class Repo:
    path: Path

    def git(self, *args: str, when: str | None = None, email: str = ME) -> str:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        env.update(
            GIT_CONFIG_NOSYSTEM="1",
            GIT_CONFIG_GLOBAL=os.devnull,
            GIT_AUTHOR_NAME=email.split("@")[0],
            GIT_AUTHOR_EMAIL=email,
            GIT_COMMITTER_NAME="Committer",
            GIT_COMMITTER_EMAIL="committer@example.net",
        )
        if when is not None:
            env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
        result = subprocess.run(
            ["git", "-C", str(self.path), *args], env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    def commit(self, when: str, subject: str, email: str = ME) -> str:
        self.git("commit", "-q", "--allow-empty", "-m", subject, when=when, email=email)
        return self.git("rev-parse", "HEAD")


def new_repo(path: Path) -> Repo:
    path.mkdir(parents=True)
    repo = Repo(path)
    repo.git("init", "-q", "-b", "main")
    return repo


@dataclass
class History:
    repo: Repo
    shas: dict[str, str]


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> History:
    """Three authors, a feature branch merged back, a topic branch rebased (old copy kept)."""
    repo = new_repo(tmp_path_factory.mktemp("made") / "proj")
    s = {}
    s["c1"] = repo.commit("2026-03-02T09:00:00+00:00", "Add parser")
    s["c2"] = repo.commit("2026-03-02T09:40:00+00:00", "Fix typo", email=ARI)
    s["c3"] = repo.commit("2026-03-02T10:30:00+00:00", "Parse headers")
    repo.git("branch", "feature")
    s["c4"] = repo.commit("2026-03-02T14:00:00+00:00", "Handle errors", email="Dana@Example.COM")
    repo.git("checkout", "-q", "feature")
    s["f1"] = repo.commit("2026-03-02T15:30:00+00:00", "Start cache")
    # Berlin time: 10:00+01:00 is 09:00 UTC.
    s["f2"] = repo.commit("2026-03-03T10:00:00+01:00", "Cache eviction")
    repo.git("checkout", "-q", "-b", "topic", "main")
    s["t1"] = repo.commit("2026-03-04T11:00:00+00:00", "Spike retry")
    s["t2"] = repo.commit("2026-03-04T11:30:00+00:00", "Retry backoff")
    repo.git("branch", "topic-old")  # as a remote branch not yet updated would keep them
    repo.git("checkout", "-q", "main")
    s["m5"] = repo.commit("2026-03-04T12:00:00+00:00", "Bump version", email=BO)
    # The rebase rewrites the topic commits a day later; author dates stay.
    repo.git("rebase", "-q", "--keep-empty", "main", "topic", when="2026-03-05T08:00:00+00:00")
    s["t1new"] = repo.git("rev-parse", "topic~1")
    s["t2new"] = repo.git("rev-parse", "topic")
    repo.git("checkout", "-q", "main")
    repo.git(
        "merge", "-q", "--no-ff", "-m", "Merge branch 'feature'", "feature",
        when="2026-03-06T16:00:00+00:00",
    )  # fmt: skip
    s["merge"] = repo.git("rev-parse", "HEAD")
    return History(repo, s)


def copy_of(history: History, tmp_path: Path) -> Repo:
    target = tmp_path / "proj"
    shutil.copytree(history.repo.path, target, symlinks=True)
    return Repo(target)


def spans(result: GitImport) -> list[tuple[datetime, datetime, str]]:
    return [(e.start, e.end, e.title) for e in result.entries]


def expected_sessions(s: dict[str, str]) -> list[tuple[str, datetime, datetime, str, int]]:
    """(uid, start, end, title, commits) written from the dates chosen in the fixture."""
    return [
        (s["c1"], at("2026-03-02T08:30Z"), at("2026-03-02T10:30Z"),
         "proj: Add parser; Parse headers", 2),
        (s["c4"], at("2026-03-02T13:30Z"), at("2026-03-02T15:30Z"),
         "proj: Handle errors; Start cache", 2),
        (s["f2"], at("2026-03-03T08:30Z"), at("2026-03-03T09:00Z"), "proj: Cache eviction", 1),
        (min(s["t1"], s["t1new"]), at("2026-03-04T10:30Z"), at("2026-03-04T11:30Z"),
         "proj: Spike retry; Retry backoff", 2),
        (s["merge"], at("2026-03-06T15:30Z"), at("2026-03-06T16:00Z"),
         "proj: Merge branch 'feature'", 1),
    ]  # fmt: skip


# --------------------------------------------------------------------------- sessions


def test_sessions_follow_author_times_across_branches(history: History) -> None:
    result = read_git(history.repo.path, authors=[ME], name="git:proj")
    got = [(e.uid, e.start, e.end, e.title, int(e.note.split()[2])) for e in result.entries]
    assert got == expected_sessions(history.shas)
    # c1 c3 c4 f1 f2 t1 t2 merge: the rebased copies of t1 and t2 count once
    assert result.commits_read == 8
    assert result.repository == "proj"
    assert result.problems == ()
    assert result.window == (HISTORY_START, HISTORY_END)
    for entry in result.entries:
        assert entry.origin is Origin.GIT
        assert entry.calendar == "git:proj"
        assert entry.recurrence_id is None
        assert entry.tags == ("proj",)
        assert entry.start.tzinfo is UTC


def test_the_source_name_defaults_to_the_repository(history: History) -> None:
    result = read_git(history.repo.path, authors=[ME])
    assert {e.calendar for e in result.entries} == {"git:proj"}


def test_note_lists_the_commits_of_a_session(history: History) -> None:
    result = read_git(history.repo.path, authors=[ME], name="git:proj")
    s = history.shas
    assert result.entries[0].note == f"Estimated from 2 commits: {s['c1'][:12]} {s['c3'][:12]}"
    assert result.entries[2].note == f"Estimated from 1 commit: {s['f2'][:12]}"


def test_authors_match_in_any_case_and_several_addresses(history: History) -> None:
    result = read_git(history.repo.path, authors=["  DANA@example.com ", BO], name="git:proj")
    # Bo's 12:00 commit joins the rebased topic session (11:30 + 30 min).
    topic = result.entries[3]
    assert (topic.start, topic.end) == (at("2026-03-04T10:30Z"), at("2026-03-04T12:00Z"))
    assert topic.title == "proj: Spike retry; Retry backoff; Bump version"
    assert result.commits_read == 9


def test_gap_and_first_commit_are_settings(history: History) -> None:
    result = read_git(
        history.repo.path,
        authors=[ME],
        name="git:proj",
        max_gap=timedelta(minutes=60),
        first_commit=timedelta(minutes=10),
    )
    assert spans(result)[:3] == [
        (at("2026-03-02T08:50Z"), at("2026-03-02T09:00Z"), "proj: Add parser"),
        (at("2026-03-02T10:20Z"), at("2026-03-02T10:30Z"), "proj: Parse headers"),
        (at("2026-03-02T13:50Z"), at("2026-03-02T14:00Z"), "proj: Handle errors"),
    ]


def test_since_and_until_pick_sessions_by_start_and_set_the_window(history: History) -> None:
    since, until = at("2026-03-03T00:00Z"), at("2026-03-05T00:00Z")
    result = read_git(history.repo.path, authors=[ME], name="git:proj", since=since, until=until)
    assert [e.title for e in result.entries] == [
        "proj: Cache eviction",
        "proj: Spike retry; Retry backoff",
    ]
    assert result.window == (since, until)
    assert result.commits_read == 8  # sessions are always formed from the whole history


def test_an_empty_period_is_refused(history: History) -> None:
    with pytest.raises(UsageError):
        read_git(history.repo.path, authors=[ME], since=at("2026-03-05T00:00Z"),
                 until=at("2026-03-04T00:00Z"))  # fmt: skip


def test_progress_reaches_the_total(history: History) -> None:
    calls: list[tuple[int, int]] = []
    read_git(
        history.repo.path,
        authors=[ME],
        name="git:proj",
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls[-1] == (8, 8)


# --------------------------------------------------------------------------- re-reading


def test_reading_twice_gives_the_same_entries(history: History) -> None:
    first = read_git(history.repo.path, authors=[ME], name="git:proj")
    second = read_git(history.repo.path, authors=[ME], name="git:proj")
    assert first == second
    assert len({e.uid for e in first.entries}) == len(first.entries)


def test_a_new_commit_extends_its_session_under_the_same_key(
    history: History, tmp_path: Path
) -> None:
    repo = copy_of(history, tmp_path)
    before = read_git(repo.path, authors=[ME], name="git:proj")
    repo.commit("2026-03-06T17:10:00+00:00", "Fix merge fallout")
    after = read_git(repo.path, authors=[ME], name="git:proj")
    assert [e.uid for e in after.entries] == [e.uid for e in before.entries]
    assert after.entries[:4] == before.entries[:4]
    last = after.entries[4]
    assert (last.start, last.end) == (at("2026-03-06T15:30Z"), at("2026-03-06T17:10Z"))
    assert last.title == "proj: Merge branch 'feature'; Fix merge fallout"


def test_a_commit_before_the_first_one_gives_the_session_a_new_key(
    history: History, tmp_path: Path
) -> None:
    repo = copy_of(history, tmp_path)
    repo.git("checkout", "-q", "-b", "old-work", history.shas["c1"])
    early = repo.commit("2026-03-02T07:45:00+00:00", "Sketch parser")
    result = read_git(repo.path, authors=[ME], name="git:proj")
    first = result.entries[0]
    assert first.uid == early
    assert (first.start, first.end) == (at("2026-03-02T07:15Z"), at("2026-03-02T10:30Z"))
    assert first.title == "proj: Sketch parser; Add parser; Parse headers"
    later = expected_sessions(history.shas)[1:]
    assert [e.uid for e in result.entries[1:]] == [s[0] for s in later]


def test_stashes_are_not_work_sessions(history: History, tmp_path: Path) -> None:
    repo = copy_of(history, tmp_path)
    (repo.path / "scratch.txt").write_text("draft\n")
    repo.git("add", "scratch.txt")
    repo.git("stash", "-q", when="2026-03-09T12:00:00+00:00")
    result = read_git(repo.path, authors=[ME], name="git:proj")
    assert result.commits_read == 8


def test_title_is_shortened_with_an_ellipsis(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "long")
    subjects = [f"Step {i} " + "x" * 40 for i in range(8)]
    for minute, subject in enumerate(subjects):
        repo.commit(f"2026-05-04T10:{minute:02d}:00+00:00", subject)
    repo.commit("2026-05-04T10:09:00+00:00", subjects[0])  # a repeated subject shows once
    (entry,) = read_git(repo.path, authors=[ME], name="git:long").entries
    assert len(entry.title) == 200
    assert entry.title.startswith("long: Step 0 " + "x" * 40 + "; Step 1 ")
    assert entry.title.endswith("…")
    assert entry.title.count("Step 0") == 1
    assert entry.note.startswith("Estimated from 9 commits: ")


# --------------------------------------------------------------------------- repositories


def test_a_bare_clone_reads_like_its_origin(history: History, tmp_path: Path) -> None:
    bare = tmp_path / "proj.git"
    history.repo.git("clone", "-q", "--bare", str(history.repo.path), str(bare))
    result = read_git(bare, authors=[ME], name="git:proj")
    assert result.repository == "proj"
    assert [(e.uid, e.start, e.end, e.title) for e in result.entries] == [
        s[:4] for s in expected_sessions(history.shas)
    ]
    assert result.problems == ()


def test_a_shallow_clone_is_read_with_a_warning(history: History, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    source = history.repo.path.as_uri()
    history.repo.git("clone", "-q", "--depth", "1", source, str(clone))
    result = read_git(clone, authors=[ME], name="git:proj")
    # Only main's tip, the merge, is there; the clone is named after its origin.
    assert spans(result) == [
        (at("2026-03-06T15:30Z"), at("2026-03-06T16:00Z"), "proj: Merge branch 'feature'")
    ]
    (problem,) = result.problems
    assert problem.file == "proj"
    assert "shallow clone" in problem.reason


def test_a_subfolder_of_a_work_tree_reads_the_repository(history: History) -> None:
    sub = history.repo.path / "docs"
    sub.mkdir(exist_ok=True)
    result = read_git(sub, authors=[ME], name="git:proj")
    assert result.repository == "proj"
    assert len(result.entries) == 5


def test_git_environment_does_not_redirect_the_read(
    history: History, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = new_repo(tmp_path / "other")
    other.commit("2026-01-01T10:00:00+00:00", "Elsewhere")
    monkeypatch.setenv("GIT_DIR", str(other.path / ".git"))
    result = read_git(history.repo.path, authors=[ME], name="git:proj")
    assert len(result.entries) == 5


def test_a_folder_that_is_not_a_repository(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(GitSourceError) as caught:
        read_git(plain, authors=[ME], name="git:plain")
    assert caught.value.reason == "not-a-repository"
    assert caught.value.message == f"{plain} is not a git repository"
    assert caught.value.exit_code == ExitCode.INPUT
    assert isinstance(caught.value, InputError)


def test_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(GitSourceError) as caught:
        read_git(tmp_path / "nope", authors=[ME], name="git:nope")
    assert caught.value.reason == "not-a-repository"
    assert "does not exist" in caught.value.message


def test_an_empty_repository_has_no_sessions(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "empty")
    result = read_git(repo.path, authors=[ME], name="git:empty")
    assert result.entries == ()
    (problem,) = result.problems
    assert problem.reason == f"no commits at all (looked for {ME})"


def test_without_the_users_commits_the_problem_names_who_committed(history: History) -> None:
    result = read_git(history.repo.path, authors=["zed@example.com"], name="git:proj")
    assert result.entries == ()
    assert result.commits_read == 0
    (problem,) = result.problems
    assert problem.file == "proj"
    # Dana's ten commits as git lists them (the rebased copies too), then Ari's and Bo's one.
    assert problem.reason.startswith(
        "no commits by zed@example.com; most frequent authors: dana@example.com (10), "
    )
    assert "ari@example.com (1)" in problem.reason
    assert "bo@example.org (1)" in problem.reason


def test_no_author_is_an_input_error(history: History) -> None:
    with pytest.raises(GitSourceError) as caught:
        read_git(history.repo.path, authors=["  "], name="git:proj")
    assert caught.value.reason == "no-author"
    assert caught.value.exit_code == ExitCode.INPUT
    assert caught.value.hint is not None and "me" in caught.value.hint


def test_without_git_the_error_says_so(
    history: History, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(GitSourceError) as caught:
        read_git(history.repo.path, authors=[ME], name="git:proj")
    assert caught.value.reason == "git-missing"
    assert "git is not installed" in caught.value.message


def test_inside_the_git_folder_names_the_work_tree(history: History) -> None:
    result = read_git(history.repo.path / ".git", authors=[ME], name="git:proj")
    assert result.repository == "proj"


def test_commits_with_unusable_author_dates_are_reported(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "dates")
    kept = repo.commit("2026-04-01T09:00:00+00:00", "Normal")
    tree = repo.git("hash-object", "-t", "tree", "-w", os.devnull)
    shas = []
    # After year 9999, before 1970, and a date that overflows git's own integer.
    for stamp in ("253402300800", "-100", "99999999999999999999999"):
        raw = (
            f"tree {tree}\nauthor Dana <{ME}> {stamp} +0000\n"
            f"committer Dana <{ME}> 1775000000 +0000\n\nOdd date {stamp}\n"
        )
        sha = subprocess.run(
            ["git", "-C", str(repo.path), "hash-object", "-t", "commit", "-w", "--stdin"],
            input=raw, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        repo.git("update-ref", f"refs/heads/odd-{len(shas)}", sha)
        shas.append(sha)
    result = read_git(repo.path, authors=[ME], name="git:dates")
    assert [e.uid for e in result.entries] == [kept]
    assert result.commits_read == 1
    (problem,) = result.problems
    assert problem.uid == min(shas)
    assert problem.reason.startswith("3 commits with an author date before 1970")


@pytest.mark.parametrize(
    ("setting", "value"),
    [("max_gap", timedelta(minutes=-1)), ("first_commit", timedelta(hours=25))],
)
def test_session_settings_out_of_range(history: History, setting: str, value: timedelta) -> None:
    with pytest.raises(UsageError, match="0 to 24 hours"):
        read_git(history.repo.path, authors=[ME], name="git:proj", **{setting: value})


def test_a_generated_history_agrees_with_plain_git_log(tmp_path: Path) -> None:
    """The benchmark's repository (branches, merges, five authors), small: every commit of
    the user's that plain ``git log --all`` lists is in exactly one session."""
    spec = importlib.util.spec_from_file_location("git_bench", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    path = bench.make_repository(tmp_path, 600)
    listed = {sha: at for sha, _, at, _ in bench.git_log(path, bench.ME)}
    assert 100 < len(listed) < 600  # a share of the commits, on several branches
    result = read_git(path, authors=[bench.ME], name="git:bench")
    assert result.commits_read == len(listed)
    counts = [int(e.note.split()[2]) for e in result.entries]
    assert sum(counts) == len(listed)
    for entry in result.entries:
        first = datetime.fromtimestamp(listed[entry.uid], UTC)
        assert entry.start == first - timedelta(minutes=30)
    gap = timedelta(minutes=120)
    for before, after in itertools.pairwise(result.entries):
        assert after.start + timedelta(minutes=30) - before.end > gap


def test_an_address_in_someone_elses_commit_is_not_the_users(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "pair")
    repo.commit("2026-04-02T09:00:00+00:00", f"Pair with <{ME}>", email=ARI)
    repo.commit("2026-04-02T09:30:00+00:00", "Mine", email=f"x{ME}")
    result = read_git(repo.path, authors=[ME], name="git:pair")
    assert result.entries == ()
    assert result.commits_read == 0


# --------------------------------------------------------------------------- untrusted text


def test_control_characters_stay_in_titles_and_out_of_problems(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "odd")
    repo.commit("2026-04-01T09:00:00+00:00", "Fix \x1b[31mred\x07 output")
    repo.commit("2026-04-01T09:10:00+00:00", "Other", email="ev\x1b]0;pwn\x07il@example.com")
    mine = read_git(repo.path, authors=[ME], name="git:odd")
    assert [e.title for e in mine.entries] == ["odd: Fix \x1b[31mred\x07 output"]
    nobody = read_git(repo.path, authors=["zed@example.com"], name="git:odd")
    (problem,) = nobody.problems
    assert "\x1b" not in str(problem) and "\x07" not in str(problem)
    assert "ev\\x1b]0;pwn\\x07il@example.com (1)" in problem.reason


# --------------------------------------------------------------------------- the rule itself


def _commits(minutes: list[int]) -> list[Commit]:
    base = datetime(2026, 1, 5, 9, tzinfo=UTC)
    return [
        Commit(f"{i:040x}", ME, base + timedelta(minutes=m), f"c{i}")
        for i, m in enumerate(sorted(minutes))
    ]


@given(st.lists(st.integers(0, 2_000), max_size=40), st.integers(0, 300))
def test_sessions_split_exactly_at_gaps_longer_than_the_limit(minutes: list[int], gap: int) -> None:
    commits = _commits(minutes)
    limit = timedelta(minutes=gap)
    groups = sessions(commits, limit)
    assert [c for g in groups for c in g] == commits
    for group in groups:
        assert group
        assert all(b.time - a.time <= limit for a, b in itertools.pairwise(group))
    for before, after in itertools.pairwise(groups):
        assert after[0].time - before[-1].time > limit


def test_sessions_by_hand() -> None:
    commits = _commits([0, 120, 241, 300])
    assert [len(g) for g in sessions(commits, timedelta(minutes=120))] == [2, 2]


# --------------------------------------------------------------------------- session length


def test_a_session_lasts_at_most_max_session_and_the_next_one_follows(tmp_path: Path) -> None:
    """Commits 100 min apart never leave a gap of 120 min; 8 hours (from 30 min before the
    first commit) end a session all the same."""
    repo = new_repo(tmp_path / "steady")
    shas = [
        repo.commit(f"2026-05-04T{h:02d}:{m:02d}:00+00:00", f"Step {n}")
        for n, (h, m) in enumerate(divmod(100 * k, 60) for k in range(7))
    ]  # 00:00 01:40 03:20 05:00 06:40 08:20 10:00
    result = read_git(repo.path, authors=[ME], name="git:steady")
    got = [(e.uid, e.start, e.end, e.title) for e in result.entries]
    assert got == [
        (shas[0], at("2026-05-03T23:30Z"), at("2026-05-04T06:40Z"),
         "steady: Step 0; Step 1; Step 2; Step 3; Step 4"),
        # 08:20 would have made the first one 8 h 50 min long.
        (shas[5], at("2026-05-04T07:50Z"), at("2026-05-04T10:00Z"), "steady: Step 5; Step 6"),
    ]  # fmt: skip
    shorter = read_git(repo.path, authors=[ME], name="git:steady", max_session=timedelta(hours=3))
    assert [(e.start, e.end) for e in shorter.entries] == [
        (at("2026-05-03T23:30Z"), at("2026-05-04T01:40Z")),
        (at("2026-05-04T02:50Z"), at("2026-05-04T05:00Z")),
        (at("2026-05-04T06:10Z"), at("2026-05-04T08:20Z")),
        (at("2026-05-04T09:30Z"), at("2026-05-04T10:00Z")),
    ]


def test_the_longest_session_is_a_setting(tmp_path: Path, cli: Run) -> None:
    repo = new_repo(tmp_path / "steady")
    for k in range(7):  # every 100 min from 00:00 to 10:00
        h, m = divmod(100 * k, 60)
        repo.commit(f"2026-05-04T{h:02d}:{m:02d}:00+00:00", f"Step {k}")
    assert cli("config", "set", "git_max_session", "3h").exit_code == 0
    assert cli("import", "git", str(repo.path), "--author", ME).exit_code == 0
    found = json.loads(
        cli("ls", "--format", "json", "--from", "2026-05-03", "--to", "2026-05-05").stdout
    )
    assert sorted((e["start"], e["end"]) for e in found) == [
        ("2026-05-03T23:30:00Z", "2026-05-04T01:40:00Z"),
        ("2026-05-04T02:50:00Z", "2026-05-04T05:00:00Z"),
        ("2026-05-04T06:10:00Z", "2026-05-04T08:20:00Z"),
        ("2026-05-04T09:30:00Z", "2026-05-04T10:00:00Z"),
    ]


def test_sessions_never_overlap(tmp_path: Path) -> None:
    """With a gap of 10 min and 30 min before a first commit, the session of a commit 15 min
    after another starts where that one ends, not 15 min before it."""
    repo = new_repo(tmp_path / "close")
    repo.commit("2026-05-04T09:00:00+00:00", "A")
    repo.commit("2026-05-04T09:15:00+00:00", "B")
    result = read_git(repo.path, authors=[ME], name="git:close", max_gap=timedelta(minutes=10))
    assert [(e.start, e.end) for e in result.entries] == [
        (at("2026-05-04T08:30Z"), at("2026-05-04T09:00Z")),
        (at("2026-05-04T09:00Z"), at("2026-05-04T09:15Z")),
    ]


@given(
    st.lists(st.integers(0, 3_000), max_size=40),
    st.integers(0, 300),
    st.integers(0, 600),
    st.integers(0, 60),
    st.sets(st.integers(0, 39)),
)
def test_sessions_are_bounded_split_only_where_a_rule_says_and_of_one_kind(
    minutes: list[int], gap: int, length: int, lead: int, merged: set[int]
) -> None:
    commits = _commits(minutes)
    reviews = {c.sha for i, c in enumerate(commits) if i in merged}
    limit, longest, before = (timedelta(minutes=v) for v in (gap, length, lead))
    groups = sessions(commits, limit, max_length=longest, lead=before, reviews=reviews)
    assert [c for g in groups for c in g] == commits
    for group in groups:
        assert all(b.time - a.time <= limit for a, b in itertools.pairwise(group))
        if len(group) > 1:
            assert group[-1].time - group[0].time + before <= longest
        # Every commit is of the session's kind, but one at the instant of the one before.
        kinds = {b.sha in reviews for a, b in itertools.pairwise(group) if b.time > a.time}
        assert kinds <= {group[0].sha in reviews}
    for before_group, after_group in itertools.pairwise(groups):
        last, first = before_group[-1], after_group[0]
        assert (
            first.time - last.time > limit
            or first.time - before_group[0].time + before > longest
            or (first.sha in reviews) != (before_group[0].sha in reviews)
        )


class _Counted(str):
    """A subject that counts how often it is compared: a session's title must cost time
    linear in its commits, not quadratic."""

    comparisons = 0

    def strip(self, chars: str | None = None) -> str:
        return self

    def __eq__(self, other: object) -> bool:
        _Counted.comparisons += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def test_a_long_session_is_built_in_linear_time() -> None:
    from leadtime.sources.git.sessions import session_entry

    base = datetime(2026, 1, 5, 9, tzinfo=UTC)
    commits = [
        Commit(f"{i:040x}", ME, base + timedelta(seconds=i), _Counted(f"Change {i}"))
        for i in range(5_000)
    ]
    (group,) = sessions(commits, timedelta(minutes=120))
    _Counted.comparisons = 0
    entry = session_entry(group, "big", "git:big", timedelta(minutes=30))
    assert entry.title.startswith("big: Change 0; Change 1; ") and entry.title.endswith("…")
    assert entry.note.startswith("Estimated from 5000 commits: ")
    assert _Counted.comparisons <= 2 * len(commits)  # a list lookup made 12.5 million


@pytest.mark.slow
def test_fifty_thousand_commits_two_hours_apart_are_bounded_sessions(tmp_path: Path) -> None:
    """The reported case: 50,000 of the user's commits, 120 min apart, were one entry of
    694 days built in 14 s; they are 8-hour sessions of four commits each."""
    repo = new_repo(tmp_path / "busy")
    start = 1_767_225_600  # 2026-01-01 00:00 UTC
    stream = []
    for n in range(50_000):
        when = start + n * 7_200
        stream.append(
            f"commit refs/heads/main\nmark :{n + 1}\n"
            f"author Dana <{ME}> {when} +0000\ncommitter Dana <{ME}> {when} +0000\n"
            f"data {len(f'c{n}')}\nc{n}\n" + (f"from :{n}\n" if n else "") + "\n"
        )
    subprocess.run(
        ["git", "-C", str(repo.path), "fast-import", "--quiet"],
        input="".join(stream).encode(), check=True,
    )  # fmt: skip
    began = time.process_time()
    result = read_git(repo.path, authors=[ME], name="git:busy")
    spent = time.process_time() - began
    assert result.commits_read == 50_000
    assert len(result.entries) == 12_500
    assert {e.end - e.start for e in result.entries} == {timedelta(hours=6, minutes=30)}
    assert spent < 10  # 14 s of one session's title alone before


# --------------------------------------------------------------------------- merges of others' work


@pytest.fixture(scope="module")
def merges(tmp_path_factory: pytest.TempPathFactory) -> History:
    """Dana merges Ari's and Bo's pull requests on main, brings main into her own branch,
    then merges that branch; the team's commits are interleaved with hers."""
    repo = new_repo(tmp_path_factory.mktemp("merges") / "team")
    s = {}
    s["setup"] = repo.commit("2026-06-01T09:00:00+00:00", "Set up")
    repo.git("checkout", "-q", "-b", "ari/retry")
    repo.commit("2026-06-01T10:00:00+00:00", "Add retry", email=ARI)
    repo.commit("2026-06-01T10:30:00+00:00", "Test retry", email=ARI)
    repo.git("checkout", "-q", "-b", "bo/docs", "main")
    repo.commit("2026-06-01T11:00:00+00:00", "Write docs", email=BO)
    repo.git("checkout", "-q", "main")
    for key, branch, when, subject in (
        ("pr12", "ari/retry", "14:00", "Merge pull request #12 from ari/retry"),
        ("mr7", "bo/docs", "14:20", "Merge branch 'bo/docs' into 'main'"),
    ):
        repo.git("merge", "-q", "--no-ff", "-m", subject, branch,
                 when=f"2026-06-01T{when}:00+00:00")  # fmt: skip
        s[key] = repo.git("rev-parse", "HEAD")
    s["fix"] = repo.commit("2026-06-01T15:00:00+00:00", "Fix flaky test")
    repo.git("checkout", "-q", "-b", "dana/cache")
    s["cache"] = repo.commit("2026-06-01T16:00:00+00:00", "Cache")
    repo.git("checkout", "-q", "main")
    repo.commit("2026-06-01T16:30:00+00:00", "Bump deps", email=BO)
    repo.git("checkout", "-q", "dana/cache")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge branch 'main' into dana/cache", "main",
             when="2026-06-01T17:00:00+00:00")  # fmt: skip
    s["sync"] = repo.git("rev-parse", "HEAD")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge pull request #14 from dana/cache",
             "dana/cache", when="2026-06-01T17:30:00+00:00")  # fmt: skip
    s["pr14"] = repo.git("rev-parse", "HEAD")
    return History(repo, s)


def test_merges_of_other_peoples_work_are_sessions_of_their_own(merges: History) -> None:
    result = read_git(merges.repo.path, authors=[ME], name="git:team")
    s = merges.shas
    got = [(e.uid, e.start, e.end, e.title, e.tags) for e in result.entries]
    assert got == [
        (s["setup"], at("2026-06-01T08:30Z"), at("2026-06-01T09:00Z"), "team: Set up",
         ("team",)),
        (s["pr12"], at("2026-06-01T13:30Z"), at("2026-06-01T14:20Z"),
         "team: Merge pull request #12 from ari/retry; Merge branch 'bo/docs' into 'main'",
         ("team", "merge-review")),
        # Her own commits, main merged into her branch, and her own pull request: coding,
        # starting where the merges end (14:30 would overlap them).
        (s["fix"], at("2026-06-01T14:30Z"), at("2026-06-01T17:30Z"),
         "team: Fix flaky test; Cache; Merge branch 'main' into dana/cache; "
         "Merge pull request #14 from dana/cache", ("team",)),
    ]  # fmt: skip
    assert result.entries[1].note == (
        f"Estimated from 2 commits merging other people's work: {s['pr12'][:12]} {s['mr7'][:12]}"
    )


def test_a_merge_of_shared_work_stays_coding(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "pair")
    repo.commit("2026-06-02T09:00:00+00:00", "Start")
    repo.git("checkout", "-q", "-b", "pair")
    repo.commit("2026-06-02T12:00:00+00:00", "Ari's half", email=ARI)
    repo.commit("2026-06-02T12:30:00+00:00", "Dana's half")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge pull request #3 from team/pair", "pair",
             when="2026-06-02T13:30:00+00:00")  # fmt: skip
    result = read_git(repo.path, authors=[ME], name="git:pair")
    assert [(e.title, e.tags) for e in result.entries] == [
        ("pair: Start", ("pair",)),
        ("pair: Dana's half; Merge pull request #3 from team/pair", ("pair",)),
    ]


def test_merged_pull_requests_count_as_review_by_the_default_rules(
    merges: History, cli: Run
) -> None:
    done = cli("import", "git", str(merges.repo.path), "--author", ME)
    assert done.exit_code == 0, done.stderr
    found = json.loads(
        cli("ls", "--format", "json", "--from", "2026-06-01", "--to", "2026-06-02").stdout
    )
    assert sorted((e["title"].split(";")[0], e["category"], e["activity"]) for e in found) == [
        ("team: Fix flaky test", "hands-on", "coding"),
        ("team: Merge pull request #12 from ari/retry", "leadership", "review"),
        ("team: Set up", "hands-on", "coding"),
    ]


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("git@github.com:org/api.git", "api"),
        ("https://github.com/org/api", "api"),
        ("https://oauth2:s3cret-token@gitlab.example.com/group/sub/api.git/", "api"),
        ("ssh://git@host:2222/srv/api.git", "api"),
        ("/srv/git/api.git", "api"),
        ("file:///srv/api/.git", "api"),
        ("../api", "api"),
        ("https://dev.azure.com/org/project/_git/api", "api"),
        ("https://git.example.com/", None),
        ("ext::sh -c touch% /tmp/pwned% >&2", None),
        ("ext::sh -c touch% /tmp/x", None),
        ("persistent-https::https://host/org/api.git", "api"),
        ("git@host:org/\x1b[31mred.git", None),
        ("", None),
    ],
)
def test_the_name_in_a_remote_address(url: str, name: str | None) -> None:
    assert name_in_url(url) == name


def test_repositories_are_named_after_their_origin(
    history: History, tmp_path: Path, cli: Run
) -> None:
    """``import git …/mirror.git`` of a bare clone of ``proj`` is ``git:proj``; a bare
    repository with no origin is named after its folder without ``.git``; a work tree after
    its origin's address; a remote address that names no file falls back to the folder."""
    mirror = tmp_path / "mirror.git"
    history.repo.git("clone", "-q", "--bare", str(history.repo.path), str(mirror))
    lone = tmp_path / "tools.git"
    history.repo.git("clone", "-q", "--bare", str(history.repo.path), str(lone))
    Repo(lone).git("remote", "remove", "origin")
    checkout = tmp_path / "checkout"
    history.repo.git("clone", "-q", str(history.repo.path), str(checkout))
    Repo(checkout).git("remote", "set-url", "origin", "git@github.com:org/web.git")
    odd = tmp_path / "odd"
    history.repo.git("clone", "-q", str(history.repo.path), str(odd))
    Repo(odd).git("remote", "set-url", "origin", "ext::sh -c touch% /tmp/x")
    for path, name in ((mirror, "proj"), (lone, "tools"), (checkout, "web"), (odd, "odd")):
        done = cli("import", "git", str(path), "--author", ME)
        assert done.exit_code == 0, done.stderr
        assert done.stdout.startswith(f"imported 'git:{name}' from git {path}: "), done.stdout
    listed = json.loads(cli("calendars", "--format", "json").stdout)
    assert sorted(c["name"] for c in listed) == ["git:odd", "git:proj", "git:tools", "git:web"]
    period = ("--from", "2026-03-01", "--to", "2026-03-08")
    web = json.loads(cli("ls", "--format", "json", *period, "--calendar", "git:web").stdout)
    assert {e["title"].split(":")[0] for e in web} == {"web"}
