"""Writing leadtime's files: private, atomic, and never through a link someone planted.

Every file leadtime writes (config.toml, rules.toml, exports, reports, JUnit, SVG, the step
summary) goes through here, so that:

- directories leadtime creates are 0700 and files 0600, whatever the umask;
- a write lands whole or not at all: a temporary file made exclusively (``mkstemp``: a
  random name, ``O_EXCL``) in the target directory, flushed, synced, then renamed over the
  target;
- leadtime's own files (the database with its ``-wal`` / ``-shm`` / ``-journal``
  companions, config.toml, rules.toml) are never overwritten by mistake (``protected``);
- every failure (a directory as the path, a missing parent, no permission, a read-only file
  system, a full disk, the file-size limit) is one ``InputError`` line naming the path, and
  no temporary file is left behind;
- only a regular file is ever replaced: a link at the path (planted, or the system's own
  ``/dev/stdout``), a device, a named pipe or a socket is refused, even with ``--force``
  and as root — never written through, never replaced.

Cheap to import: ``leadtime --help`` may load it through ``leadtime.config``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import tempfile
from collections.abc import Collection
from pathlib import Path

from leadtime.errors import InputError

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
DATABASE_COMPANIONS = ("-wal", "-shm", "-journal")

# errno -> (reason, what the user reads)
_REASONS: dict[int, tuple[str, str]] = {
    errno.EISDIR: ("directory", "it is a directory"),
    errno.ENOENT: ("missing-parent", "its directory does not exist"),
    errno.ENOTDIR: ("missing-parent", "a part of its directory is not a directory"),
    errno.EACCES: ("permission", "permission denied"),
    errno.EPERM: ("permission", "operation not permitted"),
    errno.EROFS: ("read-only", "the file system is read-only"),
    errno.ENOSPC: ("no-space", "no space left on the device"),
    errno.EDQUOT: ("no-space", "the disk quota is exceeded"),
    errno.EFBIG: ("too-large", "the file is larger than allowed (file-size limit)"),
    errno.ELOOP: ("link", "it is a symbolic link"),
    errno.ENAMETOOLONG: ("name", "the name is too long"),
}


class WriteError(InputError):
    """A file leadtime was asked to write cannot be written (exit 4).

    ``reason`` lets the caller complete the hint, e.g. ``"exists"`` -> "pass --force to
    replace it": one of exists, protected, directory, missing-parent, permission, read-only,
    no-space, too-large, link, name, not-a-file, os.
    """

    def __init__(self, message: str, hint: str | None = None, *, reason: str = "os") -> None:
        super().__init__(message, hint)
        self.reason = reason


def show_path(path: Path) -> str:
    """A path for a one-line message: control characters (a newline in a name) escaped."""
    text = str(path)
    if text.isprintable():
        return text
    return repr(text)[1:-1]


def os_reason(exc: OSError) -> str:
    """What went wrong, as the user reads it: "no space left on the device"."""
    return _REASONS.get(exc.errno or 0, ("os", exc.strerror or str(exc)))[1]


def _error(path: Path, exc: OSError, action: str = "write") -> WriteError:
    reason, text = _REASONS.get(exc.errno or 0, ("os", exc.strerror or str(exc)))
    return WriteError(f"cannot {action} {show_path(path)}: {text}", reason=reason)


def _ignore_file_size_signal() -> None:
    """Past RLIMIT_FSIZE the kernel sends SIGXFSZ, which kills the process by default;
    ignored, the write fails with EFBIG instead and becomes an ordinary error."""
    sigxfsz = getattr(signal, "SIGXFSZ", None)
    if sigxfsz is not None:
        with contextlib.suppress(ValueError, OSError):  # ValueError: not the main thread
            signal.signal(sigxfsz, signal.SIG_IGN)


# --------------------------------------------------------------------------- directories


def ensure_private_dir(path: Path) -> None:
    """Create ``path`` and every missing directory above it with mode 0700, whatever the
    umask; directories that already exist are left as they are."""
    path = Path(path)
    missing: list[Path] = []
    current = path
    try:
        while not current.is_dir():
            missing.append(current)
            if current.parent == current:
                break
            current = current.parent
    except OSError as exc:  # e.g. a parent this user may not search
        raise _error(current, exc, "create directory") from None
    for directory in reversed(missing):
        try:
            # mkdir's mode is masked by the umask, so never wider than 0700; the chmod then
            # makes it exactly 0700 (a umask of 0777 would leave it unusable).
            directory.mkdir(mode=PRIVATE_DIR_MODE)
        except FileExistsError:
            if directory.is_dir():
                continue  # made meanwhile by someone else: theirs, left alone
            raise WriteError(
                f"cannot create directory {show_path(directory)}: a file is in the way",
                reason="directory",
            ) from None
        except OSError as exc:
            raise _error(directory, exc, "create directory") from None
        try:
            directory.chmod(PRIVATE_DIR_MODE)
        except OSError as exc:
            raise _error(directory, exc, "create directory") from None


# --------------------------------------------------------------------------- files


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop of links: compare the path as given
        return path.absolute()


def _companions(path: Path) -> set[Path]:
    resolved = _resolved(Path(path))
    return {resolved, *(resolved.with_name(resolved.name + s) for s in DATABASE_COMPANIONS)}


def _check_protected(path: Path, protected: Collection[Path]) -> None:
    if not protected:
        return
    guarded: set[Path] = set()
    for item in protected:
        guarded |= _companions(Path(item))
    # The path as it will be renamed over (a link there is replaced) and where it points.
    candidates = {_resolved(path.parent) / path.name, _resolved(path)}
    if candidates & guarded:
        raise WriteError(
            f"refusing to write {show_path(path)}: it is one of leadtime's own files",
            hint="choose another file name",
            reason="protected",
        )


_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
)


def _check_replaceable(path: Path) -> None:
    """Only a regular file is ever replaced. A link is neither written through (a link
    planted in a shared directory) nor replaced (``--junit /dev/stdout --force`` as root
    would put a file where the system's link was), nor is a device, a named pipe or a
    socket (``-o /dev/null --force``)."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _error(path, exc) from None
    for test, kind in _KINDS:
        if test(mode):
            raise WriteError(
                f"refusing to write {show_path(path)}: it is {kind}, not a regular file",
                hint="give the name of a file",
                reason="link" if kind == "a symbolic link" else "not-a-file",
            )


def _exists_error(path: Path) -> WriteError:
    return WriteError(
        f"{show_path(path)} already exists", hint="choose another file name", reason="exists"
    )


def _file_mode(private: bool) -> int:
    if private:
        return PRIVATE_FILE_MODE
    # What open() would give a new file: 0666 less the umask (read without changing it).
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable; not every platform or file system can."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def write_file(
    path: Path,
    data: str | bytes,
    *,
    private: bool = True,
    replace: bool = True,
    protected: Collection[Path] = (),
) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically; mode 0600 when ``private``.

    The parent directory must exist (nothing is created outside it). Only a regular file
    is replaced: a link, a device, a named pipe or a socket at ``path`` is refused
    (``"link"``, ``"not-a-file"``), even when replacing is allowed. ``replace=False`` refuses an
    existing file (``WriteError.reason == "exists"``); a path that is one of ``protected``
    or their ``-wal``/``-shm``/``-journal`` companions is refused (``"protected"``).
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    _check_protected(path, protected)
    parent = path.parent
    try:
        is_dir, parent_is_dir = path.is_dir(), parent.is_dir()
    except OSError as exc:  # e.g. a parent this user may not search
        raise _error(path, exc) from None
    if is_dir:
        raise WriteError(
            f"cannot write {show_path(path)}: it is a directory",
            hint="give a file name",
            reason="directory",
        )
    _check_replaceable(path)
    if not replace and os.path.lexists(path):
        raise _exists_error(path)
    if not parent_is_dir:
        reason = "missing-parent" if not os.path.lexists(parent) else "directory"
        what = "does not exist" if reason == "missing-parent" else "is not a directory"
        raise WriteError(
            f"cannot write {show_path(path)}: the directory {show_path(parent)} {what}",
            reason=reason,
        )
    _ignore_file_size_signal()
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise _error(path, exc) from None
    tmp = Path(tmp_name)
    try:
        try:
            _write_all(fd, payload)
            os.fchmod(fd, _file_mode(private))
            os.fsync(fd)
        finally:
            os.close(fd)
        if replace:
            tmp.replace(path)
        else:
            _link_into_place(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, WriteError):
            raise
        if isinstance(exc, OSError):
            raise _error(path, exc) from None
        raise
    _fsync_directory(parent)


def _link_into_place(tmp: Path, path: Path) -> None:
    """Put ``tmp`` at ``path`` only if nothing is there, without a check-then-write race."""
    try:
        os.link(tmp, path, follow_symlinks=False)
    except FileExistsError:
        raise _exists_error(path) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        # No hard links on this file system: the next best thing is check, then rename.
        if os.path.lexists(path):
            raise _exists_error(path) from None
        tmp.replace(path)
        return
    tmp.unlink()


def append_file(path: Path, text: str) -> None:
    """Append ``text`` to ``path`` (e.g. ``$GITHUB_STEP_SUMMARY``): a new file is 0600, an
    existing one keeps its mode. A link at ``path`` is not followed. A failed append is
    undone (the file is cut back to its old length; a file it created is removed)."""
    path = Path(path)
    payload = text.encode("utf-8")
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    _ignore_file_size_signal()
    created = False
    try:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL | nofollow, 0o600)
            created = True
        except FileExistsError:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | nofollow)
    except OSError as exc:
        if exc.errno == errno.ELOOP or (exc.errno == errno.EISDIR and path.is_symlink()):
            raise WriteError(
                f"cannot append to {show_path(path)}: it is a symbolic link", reason="link"
            ) from None
        raise _error(path, exc, "append to") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) and not created:
            # A FIFO or a device (e.g. /dev/stdout) is fine to append to; nothing to undo.
            _write_all(fd, payload)
            return
        if created:
            os.fchmod(fd, PRIVATE_FILE_MODE)
        size = info.st_size
        try:
            _write_all(fd, payload)
            os.fsync(fd)
        except OSError as exc:
            with contextlib.suppress(OSError):
                if created:
                    path.unlink()
                else:
                    os.ftruncate(fd, size)
            raise _error(path, exc, "append to") from None
    except OSError as exc:
        raise _error(path, exc, "append to") from None
    finally:
        os.close(fd)
