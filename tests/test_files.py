"""Files leadtime writes: private modes, atomic replacement, planted links, and every way a
write can fail (one InputError line naming the path, nothing left behind)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import Run
from leadtime import config
from leadtime.errors import ExitCode, InputError
from leadtime.files import WriteError, append_file, ensure_private_dir, write_file

ROOT = os.geteuid() == 0


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def listing(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def one_line_error(error: InputError, path: Path) -> str:
    message = error.message
    assert error.exit_code == ExitCode.INPUT
    assert "\n" not in message
    assert str(path) in message
    return message


@pytest.fixture
def umask_000() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def _mount_tmpfs(where: Path, options: str) -> bool:
    if not ROOT or shutil.which("mount") is None:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB file system, to fill up (needs root: tests and CI run as root)."""
    where = tmp_path / "small"
    where.mkdir()
    if not _mount_tmpfs(where, "size=64k,mode=0700"):
        pytest.skip("cannot mount a small tmpfs here (needs root and mount)")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.fixture
def read_only_fs(tmp_path: Path) -> Iterator[Path]:
    where = tmp_path / "ro"
    where.mkdir()
    if not _mount_tmpfs(where, "size=64k,mode=0700"):
        pytest.skip("cannot mount a tmpfs here (needs root and mount)")
    try:
        (where / "report.json").write_text("old\n")
        subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.fixture
def locked_dir(tmp_path: Path) -> Iterator[Path]:
    """A directory this process may not create files in: immutable for root, 0500 else."""
    where = tmp_path / "locked"
    where.mkdir()
    (where / "report.json").write_text("old\n")
    if ROOT:
        if shutil.which("chattr") is None:
            pytest.skip("chattr is not installed")
        done = subprocess.run(["chattr", "+i", str(where)], capture_output=True, check=False)
        if done.returncode != 0:
            pytest.skip("this file system has no immutable attribute")
        try:
            yield where
        finally:
            subprocess.run(["chattr", "-i", str(where)], check=False)
    else:
        where.chmod(0o500)
        try:
            yield where
        finally:
            where.chmod(0o700)


# --------------------------------------------------------------------------- happy paths


def test_write_replaces_the_file_whole_with_mode_0600(tmp_path: Path) -> None:
    target = tmp_path / "export.json"
    target.write_text("old contents that are longer than the new ones\n")
    target.chmod(0o644)
    write_file(target, '{"a": 1}\n')
    assert target.read_text() == '{"a": 1}\n'
    assert mode(target) == 0o600
    assert listing(tmp_path) == ["export.json"]


def test_bytes_are_written_as_given(tmp_path: Path) -> None:
    target = tmp_path / "chart.svg"
    write_file(target, b"<svg>\xc3\xa9</svg>")
    assert target.read_bytes() == b"<svg>\xc3\xa9</svg>"


def test_under_umask_000_directories_are_0700_and_files_0600(
    tmp_path: Path, umask_000: None
) -> None:
    home = tmp_path / "share" / "deeper" / "leadtime"
    ensure_private_dir(home)
    for directory in (tmp_path / "share", tmp_path / "share" / "deeper", home):
        assert mode(directory) == 0o700, directory
    write_file(home / "config.toml", "x = 1\n")
    assert mode(home / "config.toml") == 0o600


def test_a_public_file_gets_the_usual_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_file(tmp_path / "report.md", "# week\n", private=False)
    finally:
        os.umask(old)
    assert mode(tmp_path / "report.md") == 0o644


def test_existing_directories_are_left_alone(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    ensure_private_dir(shared / "leadtime")
    assert mode(shared) == 0o755
    assert mode(shared / "leadtime") == 0o700


def test_a_file_in_the_way_of_a_directory_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("not a directory")
    with pytest.raises(InputError) as exc:
        ensure_private_dir(tmp_path / "data" / "leadtime")
    assert "data" in exc.value.message
    assert (tmp_path / "data").read_text() == "not a directory"


def test_the_config_functions_create_missing_directories_privately(
    tmp_path: Path, umask_000: None
) -> None:
    target = tmp_path / "a" / "b" / "config.toml"
    config.write_private_file(target, 'timezone = "UTC"\n')
    assert target.read_text() == 'timezone = "UTC"\n'
    assert mode(target) == 0o600
    assert mode(tmp_path / "a") == 0o700 and mode(tmp_path / "a" / "b") == 0o700
    config.ensure_private_dir(tmp_path / "c")
    assert mode(tmp_path / "c") == 0o700


# --------------------------------------------------------------------------- planted links


def test_a_link_at_the_target_is_refused_never_written_through(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "rules.toml").symlink_to(victim)
    with pytest.raises(WriteError) as exc:
        write_file(shared / "rules.toml", "[[rule]]\n")
    assert exc.value.reason == "link"
    assert one_line_error(exc.value, shared / "rules.toml").endswith(
        "it is a symbolic link, not a regular file"
    )
    assert victim.read_text() == "precious\n"
    assert (shared / "rules.toml").is_symlink()
    assert listing(shared) == ["rules.toml"]


@pytest.mark.parametrize(
    "name", [".rules.toml.tmp", "rules.toml.tmp", ".rules.toml.swp", "rules.toml~"]
)
def test_links_at_likely_temporary_names_are_not_followed(tmp_path: Path, name: str) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / name).symlink_to(victim)
    write_file(shared / "rules.toml", "[[rule]]\n")
    assert victim.read_text() == "precious\n"
    assert (shared / name).is_symlink()
    assert listing(shared) == sorted([name, "rules.toml"])


def test_a_link_at_the_very_temporary_name_chosen_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Whoever guesses the random name still loses: the temporary file is created exclusively.
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / ".rules.toml.guessed.tmp").symlink_to(victim)
    monkeypatch.setattr(tempfile, "_get_candidate_names", lambda: iter(["guessed", "other"]))
    write_file(shared / "rules.toml", "[[rule]]\n")
    assert victim.read_text() == "precious\n"
    assert (shared / "rules.toml").read_text() == "[[rule]]\n"
    assert listing(shared) == [".rules.toml.guessed.tmp", "rules.toml"]


# --------------------------------------------------------------------------- refusals


def test_the_database_and_its_companions_are_protected(tmp_path: Path) -> None:
    db = tmp_path / "leadtime.db"
    db.write_bytes(b"SQLite format 3\x00")
    (tmp_path / "link.json").symlink_to(db)
    for target in (
        db,
        tmp_path / "leadtime.db-wal",
        tmp_path / "leadtime.db-shm",
        tmp_path / "leadtime.db-journal",
        tmp_path / "sub" / ".." / "leadtime.db",
        tmp_path / "link.json",
    ):
        (tmp_path / "sub").mkdir(exist_ok=True)
        with pytest.raises(WriteError) as exc:
            write_file(target, "{}", protected=[db])
        assert exc.value.reason == "protected"
        assert "leadtime's own files" in one_line_error(exc.value, target)
    assert db.read_bytes() == b"SQLite format 3\x00"
    assert listing(tmp_path) == ["leadtime.db", "link.json", "sub"]


def test_an_existing_file_is_kept_unless_replacing_is_allowed(tmp_path: Path) -> None:
    target = tmp_path / "backup.json"
    target.write_text("yesterday\n")
    with pytest.raises(WriteError) as exc:
        write_file(target, "today\n", replace=False)
    assert exc.value.reason == "exists"
    assert exc.value.exit_code == ExitCode.INPUT
    assert target.read_text() == "yesterday\n"
    assert listing(tmp_path) == ["backup.json"]

    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    with pytest.raises(WriteError) as exc:
        write_file(tmp_path / "dangling", "today\n", replace=False)
    assert exc.value.reason == "link"
    assert not (tmp_path / "nowhere").exists()

    write_file(tmp_path / "fresh.json", "today\n", replace=False)
    assert (tmp_path / "fresh.json").read_text() == "today\n"
    assert mode(tmp_path / "fresh.json") == 0o600
    assert listing(tmp_path) == ["backup.json", "dangling", "fresh.json"]


def test_a_directory_as_the_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        write_file(tmp_path, "{}")
    assert "directory" in one_line_error(exc.value, tmp_path)
    assert listing(tmp_path) == []


def test_a_missing_parent_is_an_input_error_and_is_not_created(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "report.json"
    with pytest.raises(InputError) as exc:
        write_file(target, "{}")
    assert "does not exist" in one_line_error(exc.value, target)
    assert listing(tmp_path) == []


def test_a_name_with_a_newline_stays_one_line(tmp_path: Path) -> None:
    target = tmp_path / "evil\nerror: fake" / "x.json"
    with pytest.raises(InputError) as exc:
        write_file(target, "{}")
    assert "\n" not in exc.value.message
    assert "evil\\nerror: fake" in exc.value.message


# --------------------------------------------------------------------------- failing disks


def test_no_permission_is_an_input_error_and_leaves_nothing(locked_dir: Path) -> None:
    for target in (locked_dir / "report.json", locked_dir / "new.json"):
        with pytest.raises(WriteError) as exc:
            write_file(target, "{}")
        assert exc.value.reason == "permission"
        one_line_error(exc.value, target)
    assert listing(locked_dir) == ["report.json"]
    assert (locked_dir / "report.json").read_text() == "old\n"


def test_a_read_only_file_system_is_an_input_error(read_only_fs: Path) -> None:
    target = read_only_fs / "report.json"
    with pytest.raises(WriteError) as exc:
        write_file(target, "{}")
    assert exc.value.reason == "read-only"
    assert "read-only" in one_line_error(exc.value, target)
    assert listing(read_only_fs) == ["report.json"]
    assert target.read_text() == "old\n"


def test_a_full_disk_is_an_input_error_and_keeps_the_old_file(small_fs: Path) -> None:
    target = small_fs / "export.json"
    target.write_text("old\n")
    with pytest.raises(WriteError) as exc:
        write_file(target, "x" * 200_000)
    assert exc.value.reason == "no-space"
    assert "no space" in one_line_error(exc.value, target)
    assert target.read_text() == "old\n"
    assert listing(small_fs) == ["export.json"]


FSIZE_SCRIPT = """
import resource, sys
from pathlib import Path
from leadtime.files import WriteError, write_file, append_file
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
target = Path(sys.argv[1])
for write in (write_file, append_file):
    try:
        write(target, "x" * 100_000)
    except WriteError as exc:
        print(exc.reason, exc.message, sep="|")
"""


def test_the_file_size_limit_is_an_input_error_not_a_killed_process(tmp_path: Path) -> None:
    target = tmp_path / "big.json"
    target.write_text("old\n")
    done = subprocess.run(
        [sys.executable, "-c", FSIZE_SCRIPT, str(target)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, (done.returncode, done.stderr)
    lines = done.stdout.splitlines()
    assert len(lines) == 2
    for line in lines:
        reason, message = line.split("|", 1)
        assert reason == "too-large"
        assert str(target) in message
    assert target.read_text() == "old\n"
    assert listing(tmp_path) == ["big.json"]


# --------------------------------------------------------------------------- appending


def test_append_creates_a_private_file_and_appends(tmp_path: Path, umask_000: None) -> None:
    summary = tmp_path / "summary.md"
    append_file(summary, "# week 47\n")
    append_file(summary, "71% leadership\n")
    assert summary.read_text() == "# week 47\n71% leadership\n"
    assert mode(summary) == 0o600


def test_append_keeps_an_existing_files_mode(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("runner text\n")
    summary.chmod(0o664)
    append_file(summary, "leadtime text\n")
    assert summary.read_text() == "runner text\nleadtime text\n"
    assert mode(summary) == 0o664


def test_append_does_not_follow_a_planted_link(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    (tmp_path / "summary.md").symlink_to(victim)
    with pytest.raises(WriteError) as exc:
        append_file(tmp_path / "summary.md", "text\n")
    assert exc.value.reason == "link"
    assert victim.read_text() == "precious\n"


def test_append_to_a_directory_or_missing_parent_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        append_file(tmp_path, "text\n")
    one_line_error(exc.value, tmp_path)
    target = tmp_path / "missing" / "summary.md"
    with pytest.raises(InputError) as exc:
        append_file(target, "text\n")
    one_line_error(exc.value, target)
    assert listing(tmp_path) == []


def test_a_failed_append_is_undone(small_fs: Path) -> None:
    summary = small_fs / "summary.md"
    summary.write_text("runner text\n")
    with pytest.raises(WriteError) as exc:
        append_file(summary, "x" * 200_000)
    assert exc.value.reason == "no-space"
    assert summary.read_text() == "runner text\n"
    fresh = small_fs / "fresh.md"
    with pytest.raises(WriteError):
        append_file(fresh, "x" * 200_000)
    assert listing(small_fs) == ["summary.md"]


def test_a_loop_of_links_is_refused_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    db = tmp_path / "leadtime.db"
    with pytest.raises(WriteError) as exc:
        write_file(tmp_path / "a", "{}\n", protected=[db])  # refused, as any link
    one_line_error(exc.value, tmp_path / "a")
    assert (tmp_path / "a").is_symlink() and (tmp_path / "b").is_symlink()
    with pytest.raises(WriteError) as exc:
        write_file(tmp_path / "b" / "x.json", "{}\n")
    one_line_error(exc.value, tmp_path / "b" / "x.json")


def test_concurrent_writers_leave_one_whole_version(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    target = tmp_path / "rules.toml"
    versions = [f"# version {n}\n" + f"{n}" * 200_000 + "\n" for n in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda text: write_file(target, text), versions))
    assert target.read_text() in versions
    assert listing(tmp_path) == ["rules.toml"]


# --------------------------------------------------------------------------- not a file


def _special(kind: str, path: Path) -> Path:
    if kind == "device":  # what /dev/null is: a character device (1, 3)
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    elif kind == "fifo":
        os.mkfifo(path)
    else:  # a link as /dev/stdout is one, to where the output goes
        path.symlink_to(path.parent / "output.txt")
        (path.parent / "output.txt").write_text("what the command printed\n")
    return path


@pytest.mark.parametrize("kind", ["device", "fifo", "link"])
@pytest.mark.parametrize(
    "args",
    [("export", "-o", "{}", "--force"), ("check", "--week", "2026-W47", "--junit", "{}", "--force"),
     ("report", "--week", "2026-W47", "--svg", "{}", "--force")],
    ids=lambda args: args[0],
)  # fmt: skip
def test_force_never_replaces_anything_but_a_regular_file(
    cli: Run, tmp_path: Path, kind: str, args: tuple[str, ...]
) -> None:
    if kind == "device" and os.geteuid() != 0:
        pytest.skip("only root can make a device node (and only root could replace one)")
    target = _special(kind, tmp_path / "target")
    before = target.lstat()
    result = cli(*(arg.format(target) for arg in args))
    assert result.exit_code == 4, result.stderr
    what = {"device": "a character device", "fifo": "a named pipe", "link": "a symbolic link"}
    assert result.stderr == (
        f"error: refusing to write {target}: it is {what[kind]}, not a regular file\n"
        "hint: give the name of a file\n"
    )
    after = target.lstat()
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == sorted(
        ["target", *(["output.txt"] if kind == "link" else [])]
    )


def test_the_rules_file_given_with_rules_is_one_of_leadtimes_own(cli: Run, tmp_path: Path) -> None:
    rules = tmp_path / "team-rules.toml"
    text = '[[rule]]\nname = "x"\ncategory = "other"\ntitle = ["lunch"]\n'
    rules.write_text(text)
    for args in (("export", "-o", str(rules), "--force"),
                 ("check", "--week", "2026-W47", "--junit", str(rules), "--force")):  # fmt: skip
        result = cli("--rules", str(rules), *args)
        assert result.exit_code == 4, result.stderr
        assert "it is one of leadtime's own files" in result.stderr
    assert rules.read_text() == text
