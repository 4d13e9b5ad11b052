"""What of a data set's text reaches an output: e-mail addresses masked, control characters shown.

Names, ids and cells come from files nobody here wrote. Before they reach a terminal, a CSV
file or a message, two things happen to them:

- **E-mail addresses are masked** (:func:`mask_email`, :func:`mask_emails`): ``anna@acme.se``
  becomes ``a***-541af66f@acme.se`` — the first letter, a short stable hash of the whole
  address and the domain. The same address always gets the same mask, and two addresses get
  different ones (``Anna@acme.se`` too: masking never merges what an analysis kept apart), so
  a graph of who hands work to whom still reads. The hash
  hides an address from a reader of the output; it does not protect against someone who
  guesses addresses and hashes them (it is not anonymisation).
- **Control characters are shown as escapes** (:func:`visible`): C0 controls (newline and tab
  included), DEL, C1 controls, and the bidirectional overrides and isolates U+202A–U+202E and
  U+2066–U+2069 become ``\\n``, ``\\t``, ``\\x1b``, ``\\x7f``, ``\\x9b`` or ``\\u202e``, as
  Python writes them in a string literal (a backslash of the text itself stays as it is). A
  terminal then never sees an escape sequence (clear screen, window title, hyperlink) or a
  right-to-left override from the data, and a value stays on one line.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

__all__ = ["looks_like_email", "mask_email", "mask_emails", "masked", "visible"]

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# An address starts where no address character precedes it: so a mask (whose local part holds
# "***") is never found again, and a quote or bracket around an address stays outside it.
_LOCAL = r"[\w.%+-]+"
_DOMAIN = r"[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}"
_IN_TEXT = re.compile(rf"(?<![\w.%+*-]){_LOCAL}@{_DOMAIN}(?![\w-])")
_WHOLE = re.compile(rf"{_LOCAL}@{_DOMAIN}")
_HASH_BYTES = 4  # 8 hex digits: 100,000 addresses of one domain share a mask at odds of 1 in 20


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    if match[0] in _NAMED:
        return _NAMED[match[0]]
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str, /) -> str:
    """``text`` with every control character and bidirectional override shown as an escape.

    Examples
    --------
    >>> visible("Karin Nyström [interim]")
    'Karin Nyström [interim]'
    >>> print(visible("\\x1b]0;owned\\x07Bo\\u202eEk\\nnext"))
    \\x1b]0;owned\\x07Bo\\u202eEk\\nnext
    """
    return _CONTROL.sub(_escape, text) if _CONTROL.search(text) else text


def looks_like_email(value: str, /) -> bool:
    """Whether ``value`` is an e-mail address (and nothing else).

    Examples
    --------
    >>> looks_like_email("Anna.Berg@acme.se"), looks_like_email("Anna Berg <anna@acme.se>")
    (True, False)
    """
    return _WHOLE.fullmatch(value) is not None


def mask_email(address: str, /) -> str:
    """The mask of an e-mail address: first letter, ``***-``, a stable hash, ``@domain``.

    A text that is no address (see :func:`looks_like_email`) is returned as it is.

    Examples
    --------
    >>> mask_email("anna.berg@acme.se")
    'a***-b9b8bdf5@acme.se'
    >>> mask_email("Anna.Berg@acme.se") == mask_email("anna.berg@acme.se")
    False
    >>> mask_email("Anna Berg")
    'Anna Berg'
    """
    if not looks_like_email(address):
        return address
    domain = address.rpartition("@")[2]
    digest = hashlib.blake2s(address.encode(), digest_size=_HASH_BYTES).hexdigest()
    return f"{address[0]}***-{digest}@{domain}"


def mask_emails(text: str, /) -> str:
    """``text`` with every e-mail address in it masked (see :func:`mask_email`).

    Examples
    --------
    >>> mask_emails("manager 'anna.berg@acme.se' is not a person id")
    "manager 'a***-b9b8bdf5@acme.se' is not a person id"
    >>> mask_emails(mask_emails("anna.berg@acme.se")) == mask_email("anna.berg@acme.se")
    True
    """
    if "@" not in text:
        return text
    return _IN_TEXT.sub(lambda match: mask_email(match[0]), text)


def masked(data: Any, /) -> Any:
    """A copy of JSON-ready ``data`` with the e-mail addresses in its texts and keys masked.

    Examples
    --------
    >>> masked({"edges": [{"source": "anna.berg@acme.se", "target": "Bo", "count": 2}]})
    {'edges': [{'source': 'a***-b9b8bdf5@acme.se', 'target': 'Bo', 'count': 2}]}
    """
    if isinstance(data, str):
        return mask_emails(data)
    if isinstance(data, dict):
        return {masked(key): masked(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [masked(item) for item in data]
    return data
