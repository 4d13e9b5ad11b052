"""Writing a file a user names: all of it or nothing, with the permissions their files get.

:func:`write_atomically` writes to a hidden temporary file in the target's folder and renames it
over the target at the end, so a reader never sees half a file and an existing target stays as
it was until then. The temporary file is removed on any error, on Ctrl-C and on SIGTERM (which
is turned into :class:`Terminated`, a :class:`KeyboardInterrupt`, while the file is written).
The written file gets the mode ``0666`` less the user's umask (``0644`` typically), as if the
user had created it. A target that cannot be written (a folder, a missing or read-only folder,
a full disk) is one :class:`OutputError` naming it and what to do.
"""

from __future__ import annotations

import errno
import os
import secrets
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from orglens.errors import OrglensError, Problem

__all__ = ["OutputError", "Terminated", "check_target", "write_atomically"]


class OutputError(OSError, OrglensError):
    """The file a user asked for cannot be written there; nothing was written."""

    def __init__(self, problem: Problem) -> None:
        self.problems = [problem]
        super().__init__(str(problem))


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived while a file was being written (the partial file is removed)."""


def check_target(path: Path) -> None:
    """Raise :class:`OutputError` when ``path`` is certainly not writable: a folder, in a folder
    that does not exist or is not a folder, or in a folder the user may not write in.

    Examples
    --------
    >>> import tempfile
    >>> check_target(Path(tempfile.mkdtemp()) / "events.parquet")
    >>> try:
    ...     check_target(Path(tempfile.mkdtemp()))
    ... except OutputError as error:
    ...     print(error.problems[0].what)
    is a folder
    """
    folder = path.parent
    if path.is_dir():
        example = path / f"events{path.suffix or '.parquet'}"
        raise OutputError(Problem("is a folder", f"name a file in it, e.g. {example}", str(path)))
    if not folder.exists():
        raise OutputError(
            Problem(
                f"the folder {str(folder)!r} does not exist",
                f"create it first (mkdir -p {folder}), or write to a folder that exists",
                str(path),
            )
        )
    if not folder.is_dir():
        raise OutputError(
            Problem(f"{str(folder)!r} is not a folder", "write to a file in a folder", str(path))
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(_not_writable(path, "permission denied"))


def write_atomically(path: str | os.PathLike[str], write: Callable[[Path], object]) -> Path:
    """Call ``write(temporary)`` and move the file it wrote to ``path``; return ``path``.

    On any error (and on Ctrl-C or SIGTERM) the temporary file is removed, ``path`` is left as
    it was, and the error is raised again; an :class:`OSError` becomes an :class:`OutputError`
    that says what to do.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "note.txt"
    >>> write_atomically(target, lambda temporary: temporary.write_text("hello")) == target
    True
    >>> oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    True
    """
    target = Path(path)
    check_target(target)
    temporary = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
    try:
        with _terminated_as_interrupt():
            write(temporary)
            os.chmod(temporary, 0o666 & ~_umask())
            os.replace(temporary, target)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError) and not isinstance(error, OrglensError):
            raise OutputError(_write_problem(error, target)) from None
        raise
    return target


def _umask() -> int:
    # The umask can only be read by setting it; set it back at once.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def _terminated_as_interrupt() -> Iterator[None]:
    """SIGTERM raises :class:`Terminated` in the block (a signal handler can only be set in the
    main thread; elsewhere the block runs as it is)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: FrameType | None) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _write_problem(error: OSError, path: Path) -> Problem:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return Problem(
            "the disk is full (nothing was written)",
            "free some space, or write the file to another disk",
            str(path),
        )
    if error.errno in (errno.EACCES, errno.EPERM):
        return _not_writable(path, "permission denied")
    if error.errno == errno.EROFS:
        return _not_writable(path, "read-only file system")
    if error.errno == errno.EISDIR:
        return Problem("is a folder", "name a file in it", str(path))
    reason = error.strerror or type(error).__name__
    return Problem(
        f"cannot be written ({reason}); nothing was written",
        "check the folder and the disk, or write the file elsewhere",
        str(path),
    )


def _not_writable(path: Path, reason: str) -> Problem:
    return Problem(
        f"cannot write in the folder {str(path.parent)!r} ({reason})",
        "write the file to a folder you can write in",
        str(path),
    )
