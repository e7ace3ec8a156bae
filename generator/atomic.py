"""Publish step: a finished tree replaces the published one in a single step.

`site/` and `docs/` are built in a hidden sibling folder (`.site-…`, `.docs-…`) and then
exchanged with the published folder by one `renameat2(RENAME_EXCHANGE)` system call, so at
every instant the path holds either the whole old tree or the whole new one (a kill between
two renames used to leave no `site/` at all).  Where the kernel or file system cannot
exchange (not Linux, some network file systems) two renames are used and the next build
restores the old tree if it was killed between them.  Leftovers of a killed build are removed
by the next build, under a lock so that two builds never remove each other's work.

`QINGDAN_FAULT` is a test hook (tests/test_atomic.py): `point:N` (points `publish-site`,
`publish-docs`, `write`) kills the process with
SIGKILL at the N-th passage through `fault(point)`, `point:N:enospc` raises "no space left
on device" there instead, `point:N:crash` an unexpected exception (the internal-error path).  Unset, `fault` does nothing.
"""
from __future__ import annotations

import ctypes
import errno
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

RENAME_EXCHANGE = 2
AT_FDCWD = -100
_passes: dict[str, int] = {}


def fault(point: str) -> None:
    """The test hook: die (or run out of space) at the N-th passage through `point`."""
    spec = os.environ.get("QINGDAN_FAULT", "")
    if not spec.startswith(point + ":"):
        return
    _, count, *action = spec.split(":")
    _passes[point] = _passes.get(point, 0) + 1
    if _passes[point] != int(count):
        return
    if action == ["enospc"]:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    if action == ["crash"]:
        raise RuntimeError(f"injected fault at {point}:{count}")
    os.kill(os.getpid(), signal.SIGKILL)


def _umask_mode(base: int) -> int:
    mask = os.umask(0)
    os.umask(mask)
    return base & ~mask


def write_file(path: Path, data: bytes) -> None:
    """Replace one file in one step, with the permissions a new file gets (0644 under the
    usual umask; tempfile alone would leave 0600), so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            fault("write")
            out.write(data)
        os.chmod(name, _umask_mode(0o666))
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def staging_dir(target: Path) -> Path:
    """A fresh hidden folder beside `target` (same file system, so it can be exchanged),
    readable like any published folder (mkdtemp alone makes it 0700)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    os.chmod(path, _umask_mode(0o777))
    return path


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False when the platform cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(staging: Path, target: Path) -> None:
    """Put the finished tree `staging` at `target` in one step and remove the old tree.

    Fault points (`publish-site`, `publish-docs`): before the swap, after it, and after each
    folder of the old tree removed."""
    point = f"publish-{target.name}"
    fault(point)
    if not os.path.lexists(target):
        os.rename(staging, target)
        fault(point)
        return
    if _exchange(staging, target):
        fault(point)
        remove_tree(staging, point)  # the old tree now
        return
    aside = target.parent / f".{target.name}-old-{staging.name.rsplit('-', 1)[-1]}"
    os.rename(target, aside)
    fault(point)
    os.rename(staging, target)
    fault(point)
    remove_tree(aside, point)


def remove_tree(path: Path, point: str = "") -> None:
    """Remove a tree bottom-up (with a fault point per folder: the kill test stops it half-way)."""
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
        return
    for folder, dirs, files in os.walk(path, topdown=False):
        for name in files:
            os.unlink(os.path.join(folder, name))
        for name in dirs:
            full = os.path.join(folder, name)
            os.unlink(full) if os.path.islink(full) else os.rmdir(full)
        if point:
            fault(point)
    os.rmdir(path)


def recover(target: Path) -> None:
    """Undo what a killed build left: restore the old tree if the two-rename fallback was
    stopped between its renames, then remove every staging or old folder of `target`."""
    leftovers = sorted(target.parent.glob(f".{target.name}-*"))
    if not os.path.lexists(target):
        old = [p for p in leftovers if p.name.startswith(f".{target.name}-old-")]
        if old:
            os.rename(old[-1], target)
            leftovers.remove(old[-1])
    for path in leftovers:
        remove_tree(path)


_held: dict[Path, int] = {}


@contextmanager
def locked(root: Path) -> Iterator[None]:
    """One build at a time in a project: the lock makes every `.site-…` folder found at the
    start a leftover of a dead build, safe to remove.  Re-entrant within one process."""
    import fcntl

    key = root.resolve()
    if _held.get(key):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    lock_dir = root / ".cache"
    lock_dir.mkdir(exist_ok=True)
    with open(lock_dir / "build.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise BuildBusy(str(root)) from exc
        _held[key] = 1
        try:
            yield
        finally:
            _held[key] = 0
            fcntl.flock(handle, fcntl.LOCK_UN)


class BuildBusy(Exception):
    """Another build holds the project's lock."""


def replace_tree(target: Path, files: dict[Path, bytes], generated: Callable[[Path], bool]) -> tuple[int, int]:
    """Write `files` (paths inside `target`) as a new tree and swap it in one step.

    Entries of the old tree for which `generated(relative path)` is false (docs/README.md)
    are carried over; files whose bytes are unchanged are hard-linked, not rewritten.
    Returns (files written, files removed).  On any error the staging folder is removed and
    `target` is untouched.
    """
    recover(target)
    staging = staging_dir(target)
    written = 0
    try:
        old: set[Path] = set()
        if target.is_dir():
            for path in sorted(target.rglob("*")):
                rel = path.relative_to(target)
                if not generated(rel):
                    _carry(path, staging / rel)
                elif path.is_file():
                    old.add(rel)
        for path, data in files.items():
            rel = path.relative_to(target)
            new = staging / rel
            new.parent.mkdir(parents=True, exist_ok=True)
            before = target / rel
            if rel in old and before.stat().st_size == len(data) and before.read_bytes() == data:
                _carry(before, new)
                continue
            fault("write")
            new.write_bytes(data)
            written += 1
        removed = len(old - {p.relative_to(target) for p in files})
        swap_in(staging, target)
    except BaseException:
        remove_tree(staging)
        raise
    return written, removed


def _carry(source: Path, dest: Path) -> None:
    if source.is_dir() and not source.is_symlink():
        dest.mkdir(parents=True, exist_ok=True)
        return
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, dest, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, dest, follow_symlinks=False)
