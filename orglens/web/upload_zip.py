"""An uploaded zip archive checked entry by entry, then unpacked within the upload's limits.

An upload comes from a stranger, so every way a zip archive can hurt a server is refused before
anything is written: an archive whose directory of entries is larger than its entries need, too
many entries, names that lead out of the folder (absolute, ``..``, drive letters, backslashes) or
hide control characters, symbolic links and other special entries, duplicate names, encrypted
entries, compression methods other than Deflate, archives inside the archive, and entries whose
declared sizes break the limits (:class:`~orglens.web.upload.UploadLimits`). :func:`unzip` then
inflates the entries in chunks, the limits held again on the bytes really written, never on the
sizes the archive declares.

Every refusal is an :class:`~orglens.errors.InvalidWorkspace` with one problem, naming the
upload and the entry at fault (:func:`refused`).
"""

from __future__ import annotations

import stat
import unicodedata
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from orglens.errors import InvalidWorkspace, Problem
from orglens.io.zipsafe import DIRECTORY_BYTES_PER_ENTRY, zip_directory_size

if TYPE_CHECKING:
    from orglens.web.upload import UploadLimits

__all__ = [
    "MAX_PART_BYTES",
    "check_directory",
    "name_problem",
    "readable_size",
    "refused",
    "unzip",
]

_MIB = 2**20
_CHUNK = _MIB
#: Entries this small are never refused for their compression ratio: a tiny file of one
#: repeated character compresses far, and harms no one.
_SMALL_ENTRY = _MIB
_MAX_NAME_CHARS = 1024
MAX_PART_BYTES = 255  # the longest file name a file system takes
#: Archives orglens never opens: inside an upload they are a mistake, or a bomb for whatever
#: unpacks recursively later (a virus scanner, a backup indexer).
_ARCHIVES = (".zip", ".7z", ".rar", ".tar", ".tgz", ".tar.gz", ".tar.bz2", ".tar.xz")
#: What macOS and Windows add to an archive on their own; never unpacked.
_JUNK_FOLDERS = ("__macosx",)
_JUNK_FILES = (".ds_store", "thumbs.db", "desktop.ini")
_ZIP_FIX = "zip the workspace folder again (Explorer: Send to › Compressed folder; macOS: Compress)"


def unzip(
    raw: Path, shown: str, folder: Path, limits: UploadLimits, default: str
) -> tuple[str, tuple[str, ...]]:
    """Check every entry of the zip at ``raw``, find the workspace in it and unpack that into
    ``folder``; the workspace's path inside ``folder`` and the files unpacked.

    ``shown`` is the upload's name as messages show it; ``default`` the folder a workspace at
    the root of the zip is unpacked into (a name safe to store).
    """
    most = limits.max_entries
    check_directory(raw, shown, most, f"zip only the workspace folder (at most {most:,} entries)")
    try:
        archive = zipfile.ZipFile(raw)
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise refused(f"the file is not a zip archive ({error})", _ZIP_FIX, shown) from None
    with archive:
        entries = _checked_entries(archive.infolist(), raw.stat().st_size, shown, limits)
        base, inside = _workspace_in([e.filename for e in entries if not e.is_dir()], shown)
        # A workspace at the root of the zip gets a folder named as the zip: its default name.
        prefix = "" if base else default + "/"
        chosen = [entry for entry in entries if entry.filename.startswith(base)]
        _extract(archive, chosen, folder, prefix, shown, limits)
    files = tuple(e.filename[len(base) :] for e in chosen if not e.is_dir())
    return (prefix + base + inside).rstrip("/"), files


def check_directory(path: Path, shown: str, entries: int, fix: str) -> None:
    """Refuse a zip whose directory of entries is larger than ``entries`` entries need.

    :class:`zipfile.ZipFile` reads the whole directory, and makes an object of every entry in
    it, before anyone can count them: a 100 MiB upload of nothing but directory would take
    gigabytes. Its size is read here from the archive's end record, as :mod:`zipfile` reads it.
    """
    size = zip_directory_size(path)
    if size is not None and size > entries * DIRECTORY_BYTES_PER_ENTRY:
        raise refused(
            f"the archive's list of entries takes {readable_size(size)}, more than {entries:,} "
            "entries need",
            fix,
            shown,
        )


def _checked_entries(
    entries: list[zipfile.ZipInfo], upload: int, shown: str, limits: UploadLimits
) -> list[zipfile.ZipInfo]:
    """The entries to unpack (not those macOS and Windows add), each checked."""
    if len(entries) > limits.max_entries:
        raise refused(
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
        raise refused(
            f"the zip inflates to {readable_size(inflated)}, more than the "
            f"{readable_size(limits.max_total_bytes)} a workspace may take",
            "leave out what orglens does not read (old logs, copies) and zip the folder again",
            shown,
        )
    if sum(entry.compress_size for entry in entries) > upload:
        raise refused(
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
    found = name_problem(name)
    if found is not None:
        raise refused(f"the entry {name!r} {found[0]}", found[1], shown)
    found = _kind_problem(entry)
    if found is not None:
        raise refused(f"the entry {name!r} {found[0]}", found[1], shown)
    if name.lower().endswith(_ARCHIVES):
        raise refused(
            f"the entry {name!r} is an archive inside the archive, which orglens never opens",
            "unpack it into the workspace folder (or leave it out) and zip the folder again",
            shown,
        )
    if entry.file_size > limits.max_entry_bytes:
        raise _too_large(name, entry.file_size, limits.max_entry_bytes, shown)
    if entry.file_size > _SMALL_ENTRY:
        _check_ratio(name, entry.file_size, entry.compress_size, limits.max_ratio, shown)


def name_problem(name: str) -> tuple[str, str] | None:
    """What is wrong with the entry name ``name`` and how to fix it, or ``None``.

    Examples
    --------
    >>> [name_problem(n) is None for n in ("acme/people.csv", "acme/", "Åsa/lön.csv")]
    [True, True, True]
    >>> [name_problem(n)[0][:12] for n in ("../etc/x", "/etc/x", "C:x", "a\\\\b", "a//b")]
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
    if any(len(part.encode()) > MAX_PART_BYTES for part in parts):
        return f"has a part longer than {MAX_PART_BYTES} bytes", renamed
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
            raise refused(
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
            raise refused(
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
    raise refused(
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
            raise refused(
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
        raise refused(
            f"the zip inflates to more than the {readable_size(limits.max_total_bytes)} a "
            "workspace may take",
            "leave out what orglens does not read (old logs, copies) and zip the folder again",
            shown,
        )
    if written > _SMALL_ENTRY:
        _check_ratio(entry.filename, written, entry.compress_size, limits.max_ratio, shown)


def _check_ratio(name: str, inflated: int, compressed: int, limit: int, shown: str) -> None:
    ratio = inflated / max(compressed, 1)
    if ratio > limit:
        raise refused(
            f"the entry {name!r} inflates {ratio:,.0f} times ({readable_size(compressed)} to "
            f"{readable_size(inflated)}), more than the {limit} times of a real file: a zip bomb",
            "zip the real workspace folder again",
            shown,
        )


def _too_large(name: str, size: int, limit: int, shown: str) -> InvalidWorkspace:
    return refused(
        f"the entry {name!r} inflates to {readable_size(size)}, more than the "
        f"{readable_size(limit)} of one file",
        "leave it out, or keep only the part orglens needs, and zip the folder again",
        shown,
    )


def refused(what: str, fix: str, shown: str) -> InvalidWorkspace:
    return InvalidWorkspace(Problem(what, fix, shown))


def readable_size(size: int) -> str:
    """``size`` in the unit a reader takes in at a glance.

    Examples
    --------
    >>> readable_size(2**31), readable_size(100 * 2**20), readable_size(4_100)
    ('2.0 GiB', '100.0 MiB', '4,100 bytes')
    """
    for unit, factor in (("GiB", 2**30), ("MiB", 2**20)):
        if size >= factor:
            return f"{size / factor:,.1f} {unit}"
    return f"{size:,} bytes"
