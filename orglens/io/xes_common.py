"""What both XES readers share: the size of the blocks they read, and the refusal of DTDs.

Internal: :func:`orglens.io.xes.read_xes` is the public face. A DOCTYPE or entity declaration in
the first block of a file is refused here, before either parser sees the file; the expat reader
also refuses one hidden further in (:mod:`orglens.io.xes_expat`).
"""

from __future__ import annotations

import re

from orglens.errors import InvalidWorkspace, Problem

__all__ = ["DECLARATION_FIX", "READ_SIZE", "refuse_declarations"]

#: Bytes the XES readers read at a time.
READ_SIZE = 1 << 20
_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
#: The fix for a refused DOCTYPE or entity declaration.
DECLARATION_FIX = (
    "export the log again without a DOCTYPE: orglens does not read DTDs or entities, "
    "which can read local files or expand to gigabytes"
)


def refuse_declarations(head: bytes, source: str) -> None:
    """Raise :class:`~orglens.errors.InvalidWorkspace` if ``head`` declares a DOCTYPE or entity."""
    found = _DECLARATION.search(head)
    if found:
        line = head.count(b"\n", 0, found.start()) + 1
        what = found.group(1).decode().upper()
        raise InvalidWorkspace(
            Problem(f"the XES file declares a {what}", DECLARATION_FIX, source, line)
        )
