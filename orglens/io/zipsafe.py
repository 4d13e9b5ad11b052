"""Checks of a zip archive that must come before :mod:`zipfile` opens it.

:class:`zipfile.ZipFile` reads the whole central directory, and makes an object of every entry
in it, before anyone can count the entries: a file of nothing but directory would take
gigabytes of memory. Its size is read here from the archive's end record, as zipfile finds it.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DIRECTORY_BYTES_PER_ENTRY", "zip_directory_size"]

#: Directory bytes an entry may take (its fixed 46-byte header, a name, extra fields and a
#: comment): generous for real files, tiny against a directory that fills a whole archive.
DIRECTORY_BYTES_PER_ENTRY = 2048


def zip_directory_size(path: Path) -> int | None:
    """The size of the central directory the zip at ``path`` declares (the larger of its end
    record's and its zip64 end record's); ``None`` when it has no end record.

    The end record is found as :mod:`zipfile` finds it: at the very end, else the last one in
    the 64 KiB a comment may take; a zip64 end record lies right before its locator.
    """
    record, locator, zip64 = 22, 20, 56
    window = record + 0xFFFF
    with path.open("rb") as handle:
        end = handle.seek(0, os.SEEK_END)
        handle.seek(max(0, end - window - locator - zip64))
        tail = handle.read()
    at = len(tail) - record
    if at < 0:
        return None
    if not (tail[at : at + 4] == b"PK\x05\x06" and tail[-2:] == b"\0\0"):
        at = tail.rfind(b"PK\x05\x06", max(0, len(tail) - window))
        if at < 0 or len(tail) - at < record:
            return None
    size = int.from_bytes(tail[at + 12 : at + 16], "little")
    found = at - locator
    if found >= zip64 and tail[found : found + 4] == b"PK\x06\x07":
        extended = tail[found - zip64 : found]
        if extended[:4] == b"PK\x06\x06":
            size = max(size, int.from_bytes(extended[40:48], "little"))
    return size
