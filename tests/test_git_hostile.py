"""Hostile repositories: whatever a repository's configuration, hooks or .mailmap say,
reading it starts no program, asks for no password and hides none of the user's commits.

Each repository is built with real git in tmp_path. A "marker" is an executable script that
creates a file when it runs: a test passes only if that file never appears.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import Home, Run
from leadtime.errors import ExitCode, InputError
from leadtime.sources.git import GitImport, GitSourceError, read_git
from test_git_source import ME, Repo, new_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command")


def marker_script(tmp_path: Path) -> tuple[Path, Path]:
    """(an executable that creates a file when run, the file it creates)."""
    ran = tmp_path / "MARKER"
    script = tmp_path / "marker.sh"
    script.write_text(f"#!/bin/sh\ntouch '{ran}'\nexit 1\n", encoding="utf-8")
    script.chmod(0o755)
    return script, ran


def partial_clone(tmp_path: Path, url: str, **config: str) -> Repo:
    """A repository that says it is a partial clone of ``url`` and lacks one commit object,
    so that reading its history makes git want to fetch that object from ``url``."""
    repo = new_repo(tmp_path / "victim")
    first = repo.commit("2026-04-01T09:00:00+00:00", "First")
    repo.commit("2026-04-01T09:20:00+00:00", "Second")
    (repo.path / ".git" / "objects" / first[:2] / first[2:]).unlink()
    settings = {
        "core.repositoryformatversion": "1",
        "extensions.partialClone": "origin",
        "remote.origin.url": url,
        "remote.origin.promisor": "true",
        "remote.origin.fetch": "+refs/heads/*:refs/remotes/origin/*",
        **config,
    }
    for key, value in settings.items():
        repo.git("config", key, value)
    return repo


def hostile_repositories(tmp_path: Path, script: Path) -> dict[str, Repo]:
    return {
        # The reported case: an ext:: remote runs its command line.
        "ext-promisor": partial_clone(
            tmp_path / "ext", f"ext::{script}", **{"protocol.ext.allow": "always"}
        ),
        # file:// runs the upload-pack program the remote names.
        "uploadpack": partial_clone(
            tmp_path / "file",
            (tmp_path / "elsewhere").as_uri(),
            **{"remote.origin.uploadpack": str(script), "protocol.file.allow": "always"},
        ),
        # ssh:// runs core.sshCommand.
        "ssh-command": partial_clone(
            tmp_path / "ssh",
            "ssh://git.example.invalid/repo.git",
            **{"core.sshCommand": str(script), "protocol.ssh.allow": "always"},
        ),
        # Programs a work tree's own settings name.
        "fsmonitor-pager-hooks": _configured(
            tmp_path / "settings",
            **{
                "core.fsmonitor": str(script),
                "core.pager": str(script),
                "core.hooksPath": str(script.parent),
                "gpg.program": str(script),
                "log.showSignature": "true",
                "credential.helper": str(script),
                "core.askPass": str(script),
            },
        ),
    }


def _configured(path: Path, **config: str) -> Repo:
    repo = new_repo(path)
    repo.commit("2026-04-01T09:00:00+00:00", "Only")
    for key, value in config.items():
        repo.git("config", key, value)
    for hook in ("post-checkout", "pre-commit", "reference-transaction", "post-index-change"):
        target = Path(config.get("core.hooksPath", path)) / hook
        if not target.exists():
            target.symlink_to(config["core.pager"])
    return repo


@pytest.mark.parametrize(
    "case", ["ext-promisor", "uploadpack", "ssh-command", "fsmonitor-pager-hooks"]
)
def test_a_hostile_repository_runs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    script, ran = marker_script(tmp_path)
    repo = hostile_repositories(tmp_path, script)[case]
    # Whatever the user's environment offers git to ask for a password with.
    monkeypatch.setenv("GIT_ASKPASS", str(script))
    monkeypatch.setenv("SSH_ASKPASS", str(script))
    monkeypatch.setenv("GIT_TERMINAL_PROMPT", "1")
    try:
        outcome: object = read_git(repo.path, authors=[ME], name="git:victim")
    except GitSourceError as error:
        outcome = error
    assert not ran.exists(), f"{case}: the repository ran a program"
    if isinstance(outcome, GitSourceError):
        assert outcome.exit_code == ExitCode.INPUT
        assert "objects are missing" in outcome.message
        assert outcome.hint is not None and "never fetches" in outcome.hint
    else:
        assert case == "fsmonitor-pager-hooks"
        assert isinstance(outcome, GitImport)
        assert [e.title for e in outcome.entries] == ["settings: Only"]


def test_a_hostile_repository_is_one_error_line_in_a_real_process(
    tmp_path: Path, proc: Run, home: Home
) -> None:
    script, ran = marker_script(tmp_path)
    repo = partial_clone(tmp_path, f"ext::{script}", **{"protocol.ext.allow": "always"})
    result = proc("import", "git", str(repo.path), "--author", ME, env={"PAGER": str(script)})
    assert result.exit_code == ExitCode.INPUT
    (line, hint) = result.stderr.splitlines()
    assert line.startswith(f"error: git cannot read {repo.path}: objects are missing")
    assert hint.startswith("hint: ")
    assert not ran.exists()
    assert proc("calendars", "--format", "json").stdout.strip() == "[]"


def test_the_system_configuration_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIT_CONFIG_NOSYSTEM: a system-wide setting (here, through GIT_CONFIG_SYSTEM, which
    git reads only when the system configuration is) cannot switch the mailmap back on."""
    repo = new_repo(tmp_path / "sys")
    repo.commit("2026-04-01T09:00:00+00:00", "Mine")
    mailmap = tmp_path / "mailmap"
    mailmap.write_text(f"Someone Else <else@example.org> <{ME}>\n", encoding="utf-8")
    system = tmp_path / "system-gitconfig"
    system.write_text(f"[mailmap]\n\tfile = {mailmap}\n[log]\n\tmailmap = true\n")
    monkeypatch.setenv("GIT_CONFIG_SYSTEM", str(system))
    assert [e.title for e in read_git(repo.path, authors=[ME]).entries] == ["sys: Mine"]


# --------------------------------------------------------------------------- .mailmap


def test_a_mailmap_hides_none_of_the_users_commits(tmp_path: Path) -> None:
    """A bare clone reads the .mailmap of its HEAD; one that maps the user's address to
    someone else's must not make their commits disappear (nor, before, produce "no commits
    by dana@…; most frequent authors: dana@… (2)")."""
    work = new_repo(tmp_path / "mapped")
    work.commit("2026-04-01T09:00:00+00:00", "Mine")
    (work.path / ".mailmap").write_text(f"Someone Else <else@example.org> <{ME}>\n")
    work.git("add", ".mailmap")
    work.git("commit", "-q", "-m", "Add mailmap", when="2026-04-01T09:10:00+00:00")
    bare = tmp_path / "mapped.git"
    work.git("clone", "-q", "--bare", str(work.path), str(bare))
    result = read_git(bare, authors=[ME])
    assert [e.title for e in result.entries] == ["mapped: Mine; Add mailmap"]
    assert result.problems == ()
    # ... and the address it maps to gets none of them.
    other = read_git(bare, authors=["else@example.org"])
    assert other.entries == ()
    (problem,) = other.problems
    assert problem.reason.startswith(
        f"no commits by else@example.org; most frequent authors: {ME} (2)"
    )


def test_a_mailmap_gives_the_user_no_one_elses_commits(tmp_path: Path) -> None:
    work = new_repo(tmp_path / "claim")
    work.commit("2026-04-01T09:00:00+00:00", "Ari's work", email="ari@example.com")
    (work.path / ".mailmap").write_text(f"Dana <{ME}> <ari@example.com>\n")
    work.git("add", ".mailmap")
    work.git("commit", "-q", "-m", "Add mailmap", when="2026-04-01T09:10:00+00:00")
    bare = tmp_path / "claim.git"
    work.git("clone", "-q", "--bare", str(work.path), str(bare))
    assert [e.title for e in read_git(bare, authors=[ME]).entries] == ["claim: Add mailmap"]


# --------------------------------------------------------------------------- symbolic links


@pytest.mark.parametrize("kind", ["git", "file"])
def test_a_loop_of_symbolic_links_is_one_error_line(
    home: Home, proc: Run, tmp_path: Path, kind: str
) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to("loop")
    args = ("git", str(loop), "--author", ME) if kind == "git" else (str(loop),)
    result = proc("import", *args)
    assert result.exit_code == ExitCode.INPUT, result.stderr
    assert result.stderr.splitlines()[0] == f"error: {loop}: a loop of symbolic links"
    assert "Traceback" not in result.stderr
    assert proc("calendars", "--format", "json").stdout.strip() == "[]"


def test_a_loop_of_symbolic_links_is_not_a_repository(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(InputError) as caught:
        read_git(tmp_path / "a", authors=[ME])
    assert caught.value.message == f"{tmp_path / 'a'}: a loop of symbolic links"
    assert caught.value.exit_code == ExitCode.INPUT
