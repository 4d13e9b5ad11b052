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
import stat
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import IO, Any, Literal

from orglens.errors import InvalidWorkspace, Problem
from orglens.io import workbook
from orglens.io.workspace import OUTSIDE_FIX
from orglens.io.zipsafe import DIRECTORY_BYTES_PER_ENTRY, zip_directory_size
from orglens.workspace import validate

__all__ = ["Unpacked", "UploadLimits", "unpack"]

_MIB = 2**20
_CHUNK = _MIB
#: Entries this small are never refused for their compression ratio: a tiny file of one
#: repeated character compresses far, and harms no one.
_SMALL_ENTRY = _MIB
_MAX_NAME_CHARS = 1024
_MAX_PART_BYTES = 255  # the longest file name a file system takes
#: Archives orglens never opens: inside an upload they are a mistake, or a bomb for whatever
#: unpacks recursively later (a virus scanner, a backup indexer).
_ARCHIVES = (".zip", ".7z", ".rar", ".tar", ".tgz", ".tar.gz", ".tar.bz2", ".tar.xz")
#: What macOS and Windows add to an archive on their own; never unpacked.
_JUNK_FOLDERS = ("__macosx",)
_JUNK_FILES = (".ds_store", "thumbs.db", "desktop.ini")
_ZIP_FIX = "zip the workspace folder again (Explorer: Send to › Compressed folder; macOS: Compress)"
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
                workspace, files = _unzip(raw, shown, folder, limits)
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
    if name.isprintable() and len(name) <= _MAX_PART_BYTES:
        return name
    return repr(name[:_MAX_PART_BYTES])


def _kind(filename: str, shown: str) -> Literal["zip", "xlsx"]:
    lowered = filename.lower()
    if lowered.endswith(".zip"):
        return "zip"
    if lowered.endswith(".xlsx"):
        return "xlsx"
    if lowered.endswith((".xls", ".xlsm", ".xlsb", ".ods", ".numbers")):
        raise _refused(
            "the file is a spreadsheet, but not an .xlsx workbook",
            "save it as an Excel Workbook (.xlsx) and upload that",
            shown,
        )
    raise _refused("the file is neither a .zip archive nor an .xlsx workbook", _KIND_FIX, shown)


def _stored_name(shown: str, suffix: str, default: str) -> str:
    """The name a file is stored under: the uploaded one when it is safe, else ``default``.

    Examples
    --------
    >>> _stored_name("Nordljus AB.xlsx", ".xlsx", "x.xlsx"), _stored_name("..", "", "x")
    ('Nordljus AB.xlsx', 'x')
    """
    safe = _name_problem(shown) is None and not shown.startswith(".") and "/" not in shown
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
                raise _refused(
                    f"the upload is larger than {_size(limit)}",
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
        raise _refused(
            "the workbook is protected by a password, or an old .xls renamed .xlsx",
            "remove the password (File › Info › Protect Workbook) and save it as .xlsx",
            shown,
        )
    parts = workbook.MAX_WORKBOOK_PARTS
    _check_directory(path, shown, parts, f"save the workbook again, with at most {parts:,} parts")


# -- the zip archive -------------------------------------------------------------------------


def _unzip(
    raw: Path, shown: str, folder: Path, limits: UploadLimits
) -> tuple[str, tuple[str, ...]]:
    """Check every entry of the zip at ``raw``, find the workspace in it and unpack that into
    ``folder``; the workspace's path inside ``folder`` and the files unpacked."""
    most = limits.max_entries
    _check_directory(raw, shown, most, f"zip only the workspace folder (at most {most:,} entries)")
    try:
        archive = zipfile.ZipFile(raw)
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise _refused(f"the file is not a zip archive ({error})", _ZIP_FIX, shown) from None
    with archive:
        entries = _checked_entries(archive.infolist(), raw.stat().st_size, shown, limits)
        base, inside = _workspace_in([e.filename for e in entries if not e.is_dir()], shown)
        # A workspace at the root of the zip gets a folder named as the zip: its default name.
        prefix = "" if base else _stored_name(shown.rsplit(".", 1)[0], "", "workspace") + "/"
        chosen = [entry for entry in entries if entry.filename.startswith(base)]
        _extract(archive, chosen, folder, prefix, shown, limits)
    files = tuple(e.filename[len(base) :] for e in chosen if not e.is_dir())
    return (prefix + base + inside).rstrip("/"), files


def _check_directory(path: Path, shown: str, entries: int, fix: str) -> None:
    """Refuse a zip whose directory of entries is larger than ``entries`` entries need.

    :class:`zipfile.ZipFile` reads the whole directory, and makes an object of every entry in
    it, before anyone can count them: a 100 MiB upload of nothing but directory would take
    gigabytes. Its size is read here from the archive's end record, as :mod:`zipfile` reads it.
    """
    size = zip_directory_size(path)
    if size is not None and size > entries * DIRECTORY_BYTES_PER_ENTRY:
        raise _refused(
            f"the archive's list of entries takes {_size(size)}, more than {entries:,} "
            "entries need",
            fix,
            shown,
        )


def _checked_entries(
    entries: list[zipfile.ZipInfo], upload: int, shown: str, limits: UploadLimits
) -> list[zipfile.ZipInfo]:
    """The entries to unpack (not those macOS and Windows add), each checked."""
    if len(entries) > limits.max_entries:
        raise _refused(
            f"the zip has {len(entries):,} entries, more than the {limits.max_entries:,} "
            "of a workspace",
            "zip only the workspace folder: its tables, orglens.yaml, scenarios and event log",
            shown,
        )
    kept = [entry for entry in entries if not _is_junk(entry.filename)]
    for entry in kept:
        _check_entry(entry, shown, limits)
    _check_names(kept, shown)
    inflated = sum(entry.file_size for entry in kept)
    if inflated > limits.max_total_bytes:
        raise _refused(
            f"the zip inflates to {_size(inflated)}, more than the "
            f"{_size(limits.max_total_bytes)} a workspace may take",
            "leave out what orglens does not read (old logs, copies) and zip the folder again",
            shown,
        )
    if sum(entry.compress_size for entry in entries) > upload:
        raise _refused(
            "the zip's entries claim more bytes than the upload holds: they overlap, as in a "
            "zip bomb, or the file is damaged",
            _ZIP_FIX,
            shown,
        )
    return kept


def _is_junk(name: str) -> bool:
    """Whether ``name`` is what a desktop adds on its own (``__MACOSX/``, ``.DS_Store``).

    Examples
    --------
    >>> _is_junk("__MACOSX/acme/._people.csv"), _is_junk("acme/.DS_Store"), _is_junk("a/b")
    (True, True, False)
    """
    parts = name.lower().split("/")
    return parts[0] in _JUNK_FOLDERS or parts[-1] in _JUNK_FILES


def _check_entry(entry: zipfile.ZipInfo, shown: str, limits: UploadLimits) -> None:
    name = entry.filename
    found = _name_problem(name)
    if found is not None:
        raise _refused(f"the entry {name!r} {found[0]}", found[1], shown)
    found = _kind_problem(entry)
    if found is not None:
        raise _refused(f"the entry {name!r} {found[0]}", found[1], shown)
    if name.lower().endswith(_ARCHIVES):
        raise _refused(
            f"the entry {name!r} is an archive inside the archive, which orglens never opens",
            "unpack it into the workspace folder (or leave it out) and zip the folder again",
            shown,
        )
    if entry.file_size > limits.max_entry_bytes:
        raise _too_large(name, entry.file_size, limits.max_entry_bytes, shown)
    if entry.file_size > _SMALL_ENTRY:
        _check_ratio(name, entry.file_size, entry.compress_size, limits.max_ratio, shown)


def _name_problem(name: str) -> tuple[str, str] | None:
    """What is wrong with the entry name ``name`` and how to fix it, or ``None``.

    Examples
    --------
    >>> [_name_problem(n) is None for n in ("acme/people.csv", "acme/", "Åsa/lön.csv")]
    [True, True, True]
    >>> [_name_problem(n)[0][:12] for n in ("../etc/x", "/etc/x", "C:x", "a\\\\b", "a//b")]
    ['leads out of', 'is an absolu', 'names a driv', 'holds a back', 'has an empty']
    """
    renamed = "rename it (or leave it out) and zip the folder again"
    if "\\" in name:
        return (
            "holds a backslash, which some tools write for folders and others read as '..\\'",
            "zip the folder with another tool (Explorer: Send to › Compressed folder, 7-Zip)",
        )
    if name.startswith("/"):
        return "is an absolute path, leading out of the folder", _ZIP_FIX
    if len(name) > 1 and name[1] == ":" and name[0].isascii() and name[0].isalpha():
        return "names a drive, leading out of the folder", _ZIP_FIX
    if not name.isprintable():
        return "holds a control or invisible character", renamed
    if len(name) > _MAX_NAME_CHARS:
        return f"is longer than {_MAX_NAME_CHARS:,} characters", renamed
    parts = name.removesuffix("/").split("/")
    if ".." in parts:
        return "leads out of the folder ('..')", _ZIP_FIX
    if any(part in ("", ".") for part in parts):
        return "has an empty or '.' part", _ZIP_FIX
    if any(len(part.encode()) > _MAX_PART_BYTES for part in parts):
        return f"has a part longer than {_MAX_PART_BYTES} bytes", renamed
    return None


def _kind_problem(entry: zipfile.ZipInfo) -> tuple[str, str] | None:
    """What is wrong with what the entry is (a link, a device, encrypted...), or ``None``."""
    mode = entry.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if stat.S_ISLNK(mode):
        return "is a symbolic link", "put the file itself in the folder and zip it again"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "is a device, pipe or socket, not a file", "leave it out and zip the folder again"
    dos_folder = bool(entry.external_attr & 0x10)
    if (kind == stat.S_IFDIR or dos_folder) != entry.is_dir():
        return "is marked both as a folder and as a file", _ZIP_FIX
    if entry.flag_bits & 0x41:
        return "is encrypted", "zip the folder again without a password"
    if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return (
            f"is compressed with method {entry.compress_type}, not Deflate",
            "zip the folder again with the usual Deflate method (the default of every tool)",
        )
    return None


def _check_names(entries: list[zipfile.ZipInfo], shown: str) -> None:
    """Refuse two entries of one name, in any case or Unicode form (as most file systems and
    orglens's file lookup see them), and a file named as a folder another entry is in."""
    seen: dict[str, str] = {}
    folders: dict[str, str] = {}
    for entry in entries:
        key = unicodedata.normalize("NFC", entry.filename.removesuffix("/")).casefold()
        if key in seen and not (entry.is_dir() and seen[key].endswith("/")):
            raise _refused(
                f"the entries {seen[key]!r} and {entry.filename!r} have the same name",
                "keep one of them and zip the folder again",
                shown,
            )
        seen[key] = entry.filename
        parts = key.split("/")
        for depth in range(1, len(parts)):
            folders.setdefault("/".join(parts[:depth]), entry.filename)
    for key, name in seen.items():
        if not name.endswith("/") and key in folders:
            raise _refused(
                f"the entry {name!r} is a file, but {folders[key]!r} is inside it",
                "rename the file and zip the folder again",
                shown,
            )


def _workspace_in(names: list[str], shown: str) -> tuple[str, str]:
    """The folder of the zip holding the workspace (``""`` or ``"top/"``) and, inside it, the
    workspace (``""`` for the folder itself, or its one workbook).

    The root is looked at first, then the zip's one top folder: people.csv first, then a lone
    workbook.

    Examples
    --------
    >>> _workspace_in(["acme/people.csv", "acme/scenarios/a.yaml"], "acme.zip")
    ('acme/', '')
    >>> _workspace_in(["People.csv", "notes.txt"], "x.zip"), _workspace_in(["a/b.xlsx"], "x.zip")
    (('', ''), ('a/', 'b.xlsx'))
    """
    tops = {name.split("/", 1)[0] for name in names if "/" in name}
    bases = ["", *(f"{top}/" for top in tops if len(tops) == 1)]
    here = {base: [n[len(base) :] for n in names if n.startswith(base)] for base in bases}
    for base in bases:
        if any(name.lower() == "people.csv" for name in here[base]):
            return base, ""
    for base in bases:
        books = [n for n in here[base] if "/" not in n and n.lower().endswith(".xlsx")]
        if len(books) == 1:
            return base, books[0]
    listed = ", ".join(repr(name) for name in sorted(names)[:5]) or "nothing"
    raise _refused(
        f"the zip has no people.csv, nor one .xlsx workbook, at its root or in its one top "
        f"folder (it holds {listed}{', ...' if len(names) > 5 else ''})",
        "zip the workspace folder itself (the one with people.csv)",
        shown,
    )


def _extract(
    archive: zipfile.ZipFile,
    entries: list[zipfile.ZipInfo],
    folder: Path,
    prefix: str,
    shown: str,
    limits: UploadLimits,
) -> None:
    """Inflate ``entries`` into ``folder / prefix``, in chunks, holding the limits on the bytes
    really written (an archive may declare sizes it does not keep to)."""
    total = 0
    for entry in entries:
        target = folder / (prefix + entry.filename)
        if entry.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        try:
            with archive.open(entry) as source, target.open("xb") as out:
                while chunk := source.read(_CHUNK):
                    written += len(chunk)
                    total += len(chunk)
                    _check_written(entry, written, total, shown, limits)
                    out.write(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise _refused(
                f"the entry {entry.filename!r} cannot be unpacked ({error})",
                "the zip is damaged: " + _ZIP_FIX,
                shown,
            ) from None


def _check_written(
    entry: zipfile.ZipInfo, written: int, total: int, shown: str, limits: UploadLimits
) -> None:
    if written > limits.max_entry_bytes:
        raise _too_large(entry.filename, written, limits.max_entry_bytes, shown)
    if total > limits.max_total_bytes:
        raise _refused(
            f"the zip inflates to more than the {_size(limits.max_total_bytes)} a workspace "
            "may take",
            "leave out what orglens does not read (old logs, copies) and zip the folder again",
            shown,
        )
    if written > _SMALL_ENTRY:
        _check_ratio(entry.filename, written, entry.compress_size, limits.max_ratio, shown)


def _check_ratio(name: str, inflated: int, compressed: int, limit: int, shown: str) -> None:
    ratio = inflated / max(compressed, 1)
    if ratio > limit:
        raise _refused(
            f"the entry {name!r} inflates {ratio:,.0f} times ({_size(compressed)} to "
            f"{_size(inflated)}), more than the {limit} times of a real file: a zip bomb",
            "zip the real workspace folder again",
            shown,
        )


def _too_large(name: str, size: int, limit: int, shown: str) -> InvalidWorkspace:
    return _refused(
        f"the entry {name!r} inflates to {_size(size)}, more than the {_size(limit)} of one file",
        "leave it out, or keep only the part orglens needs, and zip the folder again",
        shown,
    )


def _refused(what: str, fix: str, shown: str) -> InvalidWorkspace:
    return InvalidWorkspace(Problem(what, fix, shown))


def _size(size: int) -> str:
    """``size`` in the unit a reader takes in at a glance.

    Examples
    --------
    >>> _size(2**31), _size(100 * 2**20), _size(4_100)
    ('2.0 GiB', '100.0 MiB', '4,100 bytes')
    """
    for unit, factor in (("GiB", 2**30), ("MiB", 2**20)):
        if size >= factor:
            return f"{size / factor:,.1f} {unit}"
    return f"{size:,} bytes"
