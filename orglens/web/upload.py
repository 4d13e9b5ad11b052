"""An uploaded workspace unpacked safely into a fresh folder, then validated.

:func:`unpack` takes what a browser sent, a ``.zip`` of a workspace folder or one ``.xlsx``
workbook, and writes it into a new folder beside its final place; the caller renames that folder
into place when it is happy with it. An upload comes from a stranger, so every way a zip archive
can hurt a server is refused before anything is written: an upload past its size, an archive
whose directory of entries is larger than its entries need, too many entries, names that lead
out of the folder (absolute, ``..``, drive letters, backslashes) or hide control characters,
symbolic links and other special entries, duplicate names, encrypted entries, compression
methods other than Deflate, archives inside the archive, and entries whose declared sizes break
the limits (:class:`UploadLimits`). The entries are then inflated in chunks, the limits held
again on the bytes really written, never on the sizes the archive declares.

The workspace is then checked by :func:`orglens.workspace.validate`, with the messages of
``orglens validate``, and with files outside the upload refused (``events: path:`` may not leave
it). A workbook is read within the limits of :mod:`orglens.io.workbook`, which checks its
parts before it is opened, and YAML and XML are read by orglens's own guarded readers.

Every refusal is an :class:`~orglens.errors.InvalidWorkspace` carrying its problems, each
``FILE[:LINE]: what is wrong — how to fix it``, and leaves nothing behind on disk.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import IO, Any, Literal

from orglens.errors import InvalidWorkspace, Problem
from orglens.io import workbook
from orglens.io.workspace import OUTSIDE_FIX
from orglens.web.upload_zip import (
    MAX_PART_BYTES,
    check_directory,
    name_problem,
    readable_size,
    refused,
    unzip,
)
from orglens.workspace import validate

__all__ = ["Unpacked", "UploadLimits", "unpack"]

_MIB = 2**20
_CHUNK = _MIB
_KIND_FIX = "upload a .zip of the workspace folder (the one with people.csv), or one .xlsx workbook"


@dataclass(frozen=True, slots=True, kw_only=True)
class UploadLimits:
    """How much an upload may hold; past any limit it is refused before it is stored.

    Parameters
    ----------
    max_upload_bytes
        The file as sent (100 MiB, as :class:`orglens.web.config.WebConfig`): a workspace zip
        whose event log inflates to a gigabyte of CSV is about a tenth of that.
    max_entries
        Entries of a zip, folders included (1,000): a workspace has about ten tables, a few
        scenario files and a log.
    max_entry_bytes
        What one entry may inflate to (1 GiB, the most orglens inflates an event log to).
    max_total_bytes
        What all entries together may inflate to (2 GiB): the disk one version may take.
    max_ratio
        How many times an entry over 1 MiB may inflate (100, as a workbook's parts: CSV logs
        inflate about 8 times, XES about 25, a zip bomb of zeros a thousand).

    Examples
    --------
    >>> UploadLimits(max_upload_bytes=10 * 2**20).max_entries
    1000
    """

    max_upload_bytes: int = 100 * _MIB
    max_entries: int = 1_000
    max_entry_bytes: int = 1024 * _MIB
    max_total_bytes: int = 2048 * _MIB
    max_ratio: int = 100

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if value <= 0:
                raise ValueError(f"UploadLimits.{name} must be positive, not {value!r}")

    def to_dict(self) -> dict[str, int]:
        """The limits by name."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Unpacked:
    """An upload unpacked into ``folder`` and found valid.

    ``folder`` is new, beside the ``into`` given to :func:`unpack`: rename it to ``into`` to
    keep it, or remove it. ``workspace`` is the path inside ``folder`` to open with
    :meth:`orglens.Workspace.open` (a folder, or a workbook). ``files`` are the files
    unpacked, relative to the folder that holds the workspace's files (the frame of the files
    problems name). ``filename`` is the name as uploaded, ``size`` and ``sha256`` those of the
    bytes uploaded.
    """

    folder: Path
    workspace: str
    kind: Literal["zip", "xlsx"]
    filename: str
    size: int
    sha256: str
    files: tuple[str, ...]

    @property
    def path(self) -> Path:
        """The workspace to open: ``folder / workspace``."""
        return self.folder / self.workspace

    def to_dict(self) -> dict[str, Any]:
        """``{"folder", "workspace", "kind", "filename", "size", "sha256", "files"}``."""
        return {
            "folder": str(self.folder),
            "workspace": self.workspace,
            "kind": self.kind,
            "filename": self.filename,
            "size": self.size,
            "sha256": self.sha256,
            "files": list(self.files),
        }


def unpack(
    data: IO[bytes] | str | os.PathLike[str],
    filename: str,
    into: str | os.PathLike[str],
    *,
    limits: UploadLimits = UploadLimits(),
) -> Unpacked:
    """Unpack the upload ``data`` (called ``filename`` by the browser) beside ``into``, and
    validate it.

    Parameters
    ----------
    data
        The uploaded bytes: a binary stream, read from where it stands and left open, or the
        path of a file.
    filename
        The name the upload came with; its ending says what it is (``.zip`` or ``.xlsx``).
    into
        Where the workspace will live. Nothing is written there: the upload goes to a new
        folder beside it (its parent is created if needed), returned as
        :attr:`Unpacked.folder`.
    limits
        How much the upload may hold.

    Returns
    -------
    Unpacked
        Where the workspace is, and what was uploaded.

    Raises
    ------
    InvalidWorkspace
        When the upload is refused (one problem naming the upload, and the entry at fault), or
        when the workspace in it does not validate (every problem, each naming its file,
        relative to the workspace, and line). Nothing is left on disk, whatever is raised.

    Examples
    --------
    >>> import io, tempfile, zipfile
    >>> sent = io.BytesIO()
    >>> with zipfile.ZipFile(sent, "w") as archive:
    ...     archive.writestr("acme/people.csv", "id,manager_id,unit\\nceo,,Management\\n")
    >>> data = Path(tempfile.mkdtemp())
    >>> _ = sent.seek(0)
    >>> unpacked = unpack(sent, "acme.zip", data / "v1")
    >>> unpacked.workspace, unpacked.files
    ('acme', ('people.csv',))
    >>> unpacked.folder.rename(data / "v1").name
    'v1'
    >>> _ = sent.seek(0)
    >>> tiny = UploadLimits(max_upload_bytes=100)
    >>> unpack(sent, "acme.zip", data / "v2", limits=tiny)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    orglens.errors.InvalidWorkspace: acme.zip: the upload is larger than 100 bytes — ...
    >>> sorted(path.name for path in data.iterdir())
    ['v1']
    >>> shutil.rmtree(data)
    """
    shown = _shown(filename)
    kind = _kind(filename, shown)
    into = Path(into)
    into.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{into.name}.", suffix=".upload", dir=into.parent))
    files: tuple[str, ...]
    try:
        if kind == "xlsx":
            name = _stored_name(shown, ".xlsx", "workbook.xlsx")
            size, sha256 = _receive(data, folder / name, shown, limits.max_upload_bytes)
            _check_workbook(folder / name, shown)
            workspace, files = name, (name,)
        else:
            with _scratch_file(into.parent) as raw:
                size, sha256 = _receive(data, raw, shown, limits.max_upload_bytes)
                default = _stored_name(shown.rsplit(".", 1)[0], "", "workspace")
                workspace, files = unzip(raw, shown, folder, limits, default)
        problems = validate(folder / workspace)
        if problems:
            base = folder / workspace
            base = base if base.is_dir() else base.parent
            raise InvalidWorkspace([_as_uploaded(found, base, folder) for found in problems])
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Unpacked(folder, workspace, kind, filename, size, sha256, files)


def _as_uploaded(problem: Problem, base: Path, folder: Path) -> Problem:
    """``problem`` as its uploader should read it: files named from the workspace's folder
    ``base``, never by where the server keeps the upload (``folder``), and a file outside the
    upload refused without a way around.

    Examples
    --------
    >>> folder = Path("/srv/data/.v1.x.upload")
    >>> missing = Problem("does not exist", "check", f"{folder}/acme/logs/x.csv")
    >>> print(_as_uploaded(missing, folder / "acme", folder))
    logs/x.csv: does not exist — check
    >>> outside = Problem("events path '/etc/x' leads outside the workspace, to '/etc/x'",
    ...                   OUTSIDE_FIX, "orglens.yaml", 3)
    >>> print(_as_uploaded(outside, folder / "acme", folder))  # doctest: +ELLIPSIS
    orglens.yaml:3: events path '/etc/x' leads outside the workspace — put the file inside...
    """
    what, fix, file = problem.what, problem.fix, problem.file
    if fix == OUTSIDE_FIX:
        what = what.split(", to ", 1)[0]
        fix = "put the file inside the workspace folder and name it from there (events: log.csv)"
    roots = dict.fromkeys(str(path) for root in (base, folder) for path in (root, root.resolve()))
    for root in roots:
        what = what.replace(root + os.sep, "").replace(root, ".")
        if file is not None and file.startswith(root + os.sep):
            file = file[len(root) + 1 :]
    return replace(problem, what=what, fix=fix, file=file)


# -- the upload as a file ----------------------------------------------------------------------


def _shown(filename: str) -> str:
    """The upload's name as messages show it: its last part (some browsers send a whole
    path), quoted with escapes when it holds characters a reader could not see.

    Examples
    --------
    >>> _shown("C:\\\\Users\\\\ada\\\\acme.zip"), _shown("evil\\n.zip"), _shown("")
    ('acme.zip', "'evil\\\\n.zip'", 'upload')
    """
    name = filename.replace("\\", "/").rsplit("/", 1)[-1] or "upload"
    if name.isprintable() and len(name) <= MAX_PART_BYTES:
        return name
    return repr(name[:MAX_PART_BYTES])


def _kind(filename: str, shown: str) -> Literal["zip", "xlsx"]:
    lowered = filename.lower()
    if lowered.endswith(".zip"):
        return "zip"
    if lowered.endswith(".xlsx"):
        return "xlsx"
    if lowered.endswith((".xls", ".xlsm", ".xlsb", ".ods", ".numbers")):
        raise refused(
            "the file is a spreadsheet, but not an .xlsx workbook",
            "save it as an Excel Workbook (.xlsx) and upload that",
            shown,
        )
    raise refused("the file is neither a .zip archive nor an .xlsx workbook", _KIND_FIX, shown)


def _stored_name(shown: str, suffix: str, default: str) -> str:
    """The name a file is stored under: the uploaded one when it is safe, else ``default``.

    Examples
    --------
    >>> _stored_name("Nordljus AB.xlsx", ".xlsx", "x.xlsx"), _stored_name("..", "", "x")
    ('Nordljus AB.xlsx', 'x')
    """
    safe = name_problem(shown) is None and not shown.startswith(".") and "/" not in shown
    return shown if safe and shown.lower().endswith(suffix) else default


@contextmanager
def _scratch_file(folder: Path) -> Iterator[Path]:
    """A new empty file in ``folder``, removed afterwards whatever happens."""
    handle, name = tempfile.mkstemp(prefix=".upload-", suffix=".part", dir=folder)
    os.close(handle)
    try:
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


def _receive(
    data: IO[bytes] | str | os.PathLike[str], target: Path, shown: str, limit: int
) -> tuple[int, str]:
    """Copy the upload to ``target`` in chunks, refused as soon as it passes ``limit`` bytes;
    its size and SHA-256."""
    digest = hashlib.sha256()
    size = 0
    with _readable(data) as source, target.open("wb") as out:
        while chunk := source.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise refused(
                    f"the upload is larger than {readable_size(limit)}",
                    "leave out what orglens does not read (old logs, pictures) and upload "
                    "again, or ask the server's administrator for a higher upload limit",
                    shown,
                )
            digest.update(chunk)
            out.write(chunk)
    return size, digest.hexdigest()


@contextmanager
def _readable(data: IO[bytes] | str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    if isinstance(data, str | os.PathLike):
        with open(data, "rb") as opened:
            yield opened
    else:
        yield data


def _check_workbook(path: Path, shown: str) -> None:
    """Refuse a workbook that is no zip archive, or whose directory of parts is larger than
    :data:`orglens.io.workbook.MAX_WORKBOOK_PARTS` parts need (its sizes are checked by
    :func:`orglens.io.workbook.read_workbook` before it is opened)."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise refused(
            "the workbook is protected by a password, or an old .xls renamed .xlsx",
            "remove the password (File › Info › Protect Workbook) and save it as .xlsx",
            shown,
        )
    parts = workbook.MAX_WORKBOOK_PARTS
    check_directory(path, shown, parts, f"save the workbook again, with at most {parts:,} parts")
