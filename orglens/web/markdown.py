"""Comment bodies as safe HTML: a small Markdown subset over text that is always escaped.

:func:`render` turns the text of a comment into :class:`markupsafe.Markup`. The only markup in
the result is the tags written in this module (:data:`ALLOWED`); every character the author
typed reaches the page through :func:`markupsafe.escape`, so ``<script>``, ``<img onerror=...>``
and an entity typed as ``&lt;`` all show literally, as typed.

The subset
----------
- Paragraphs are separated by a blank line; every other line break is kept (``<br>``).
- ``**bold**``, ``*italic*`` and ``_italic_`` (``_`` not inside a word, so ``file_name_x``
  stays as typed), ``` ``inline code`` ```.
- Fenced code blocks between lines of three or more backticks; a fence left open runs to the
  end of the comment. A language word after the opening fence is shown as the block's first
  line (nothing the author typed disappears; nothing is highlighted).
- Bullet lists (lines starting with ``-`` or ``*`` and a space) and numbered lists (``1.`` or
  ``1)``), one level: an indented item belongs to the same list. A list continues over blank
  lines while the next line is an item of the same kind; a line after an item without a blank
  line continues that item.
- Quotes: lines starting with ``>``, nested up to :data:`MAX_QUOTE_DEPTH` (deeper ``>`` show
  as typed). A quote ends at the first line without ``>``, so a reply under a quote is not
  pulled into it.
- Links ``[text](URL)`` and bare URLs, only with the ``http`` or ``https`` scheme (any case),
  rendered ``<a href="..." rel="nofollow noopener noreferrer">``. A URL with another scheme
  (``javascript:``, ``data:``, ``vbscript:``), without a scheme (``//host``), or holding a
  space, a quote, ``<``, ``>``, a backtick, a backslash or an invisible or control character
  is shown as text. Trailing punctuation (``.``, ``,``, ``)`` without its ``(`` ...) ends a
  bare URL. A link never holds another link.

E-mail-like text (``anna@acme.se``) is shown as typed and not linked: it is the author's own
text, and the rule that an address is shown to its owner only is about the user's account, which
the pages never put in a body. Bidirectional overrides and isolates (U+202A–U+202E,
U+2066–U+2069), C0 and C1 control characters other than tab and newline, and lone surrogates are
shown as visible escapes (``\\u202e``, ``\\x1b``), as :func:`orglens.privacy.visible` writes
them, so text cannot be made to read in another order than it is stored ("Trojan Source").

Bodies longer than :data:`MAX_BODY` characters are refused by the pages; :func:`render` itself
takes any length. Every step runs in time linear in the text: each character is scanned a
bounded number of times and the few regular expressions cannot backtrack.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from markupsafe import Markup, escape

__all__ = ["ALLOWED", "MAX_BODY", "MAX_QUOTE_DEPTH", "render"]

#: The longest comment body, in characters, that the pages accept.
MAX_BODY: Final = 20_000

#: How many quotes may nest (``> > > x``); further ``>`` are shown as typed.
MAX_QUOTE_DEPTH: Final = 8

#: Every tag :func:`render` writes, with the attributes it may carry.
ALLOWED: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {
        "p": frozenset(),
        "br": frozenset(),
        "strong": frozenset(),
        "em": frozenset(),
        "code": frozenset(),
        "pre": frozenset(),
        "ul": frozenset(),
        "ol": frozenset({"start"}),
        "li": frozenset(),
        "blockquote": frozenset(),
        "a": frozenset({"href", "rel"}),
    }
)

_REL = "nofollow noopener noreferrer"


def _escape_form(code: int) -> str:
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


_INVISIBLE = [
    *(c for c in range(0x20) if c not in (0x09, 0x0A)),
    *range(0x7F, 0xA0),
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
    *range(0xD800, 0xE000),
]
_VISIBLE: Final = {code: _escape_form(code) for code in _INVISIBLE}


def _text(text: str) -> Markup:
    """The author's ``text`` as HTML: invisible characters shown, then escaped."""
    return escape(text.translate(_VISIBLE))


def render(text: str) -> Markup:
    """A comment body as safe HTML, in the Markdown subset of this module.

    Examples
    --------
    >>> render("**Merge** them? See *the* `cost`.")
    Markup('<p><strong>Merge</strong> them? See <em>the</em> <code>cost</code>.</p>')
    >>> render("<script>alert(1)</script> &lt;")
    Markup('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp;lt;</p>')
    >>> print(render("[ok](https://a.se) [x](javascript:f())"))
    <p><a href="https://a.se" rel="nofollow noopener noreferrer">ok</a> [x](javascript:f())</p>
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return Markup("\n").join(_blocks(lines, 0))


# -- blocks -------------------------------------------------------------------------------------

_FENCE = re.compile(r"[ \t]*(`{3,})([^`]*)")
_QUOTE = re.compile(r"[ \t]*>[ \t]?")
_BULLET = re.compile(r"[ \t]*[-*][ \t]+(\S.*)")
_NUMBER = re.compile(r"[ \t]*(\d{1,9})[.)][ \t]+(\S.*)")


@dataclass(frozen=True, slots=True)
class _Item:
    ordered: bool
    number: int
    text: str


def _item(line: str) -> _Item | None:
    if match := _BULLET.fullmatch(line):
        return _Item(ordered=False, number=0, text=match[1].rstrip())
    if match := _NUMBER.fullmatch(line):
        return _Item(ordered=True, number=int(match[1]), text=match[2].rstrip())
    return None


def _is_quote(line: str, depth: int) -> bool:
    return depth < MAX_QUOTE_DEPTH and _QUOTE.match(line) is not None


def _starts_block(line: str, depth: int, *, in_paragraph: bool) -> bool:
    """Whether ``line`` ends the paragraph or list item before it and starts another block."""
    if _FENCE.fullmatch(line) or _is_quote(line, depth):
        return True
    if not in_paragraph:
        return False
    item = _item(line)
    # "2024. was a good year" inside a paragraph stays text: only "1." starts a numbered list
    return item is not None and (not item.ordered or item.number == 1)


def _blocks(lines: list[str], depth: int) -> list[Markup]:
    out: list[Markup] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif fence := _FENCE.fullmatch(line):
            i = _code_block(lines, i, len(fence[1]), fence[2].strip(), out)
        elif _is_quote(line, depth):
            i = _quote(lines, i, depth, out)
        elif item := _item(line):
            i = _list(lines, i, item, depth, out)
        else:
            i = _paragraph(lines, i, depth, out)
    return out


def _code_block(lines: list[str], i: int, ticks: int, info: str, out: list[Markup]) -> int:
    body = [info] if info else []
    i += 1
    while i < len(lines):
        closing = lines[i].strip()
        i += 1
        if len(closing) >= ticks and not closing.strip("`"):
            break
        body.append(lines[i - 1])
    else:  # left open: runs to the end of the comment, without the blank lines there
        while body and not body[-1].strip():
            body.pop()
    out.append(Markup("<pre><code>") + _text("\n".join(body)) + Markup("</code></pre>"))
    return i


def _quote(lines: list[str], i: int, depth: int, out: list[Markup]) -> int:
    inner: list[str] = []
    while i < len(lines) and (match := _QUOTE.match(lines[i])):
        inner.append(lines[i][match.end() :])
        i += 1
    blocks = _blocks(inner, depth + 1)
    body = Markup("\n") + Markup("\n").join(blocks) + Markup("\n") if blocks else Markup("")
    out.append(Markup("<blockquote>") + body + Markup("</blockquote>"))
    return i


def _list(lines: list[str], i: int, first: _Item, depth: int, out: list[Markup]) -> int:
    items = [[first.text]]
    i += 1
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            after = i
            while after < len(lines) and not lines[after].strip():
                after += 1
            following = _item(lines[after]) if after < len(lines) else None
            if following is None or following.ordered != first.ordered:
                break
            i = after
        elif (item := _item(line)) is not None:
            if item.ordered != first.ordered:
                break
            items.append([item.text])
            i += 1
        elif _starts_block(line, depth, in_paragraph=False):
            break
        else:
            items[-1].append(line.strip())
            i += 1
    if not first.ordered:
        opening, closing = Markup("<ul>"), Markup("</ul>")
    elif first.number == 1:
        opening, closing = Markup("<ol>"), Markup("</ol>")
    else:
        opening, closing = Markup('<ol start="{}">').format(first.number), Markup("</ol>")
    rows = [Markup("<li>") + _inline("\n".join(item)) + Markup("</li>") for item in items]
    out.append(Markup("\n").join([opening, *rows, closing]))
    return i


def _paragraph(lines: list[str], i: int, depth: int, out: list[Markup]) -> int:
    text = [lines[i].strip()]
    i += 1
    while (
        i < len(lines)
        and lines[i].strip()
        and not _starts_block(lines[i], depth, in_paragraph=True)
    ):
        text.append(lines[i].strip())
        i += 1
    out.append(Markup("<p>") + _inline("\n".join(text)) + Markup("</p>"))
    return i


# -- inline -------------------------------------------------------------------------------------

_SPECIAL = re.compile(r"[`*_\[\]\n]|https?://", re.IGNORECASE)
# what a URL may not hold; "[" and "]" also keep every link destination scan disjoint from the
# next one, which keeps many "](" in a row linear
_URL_STOP = frozenset("<>\"'`[]\\")
_TRAILING = frozenset(".,:;!?*_~")
_TAGS = {"*": ("<em>", "</em>"), "_": ("<em>", "</em>"), "**": ("<strong>", "</strong>")}


def _safe_url(url: str) -> bool:
    """Whether ``url`` may become an ``href``: http(s), something after ``://``, no odd char."""
    head = url[:8].lower()
    if head.startswith("http://"):
        scheme = 7
    elif head.startswith("https://"):
        scheme = 8
    else:
        return False
    return len(url) > scheme and all(
        char.isprintable() and not char.isspace() and char not in _URL_STOP for char in url
    )


def _link(url: str) -> Markup:
    return Markup('<a href="{}" rel="{}">').format(url, _REL)


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


@dataclass(slots=True)
class _Open:
    """An opener waiting for its closer: ``*``, ``**``, ``_``, ``[``, or a ``[`` given up."""

    kind: str
    piece: int  # index of its literal text in the pieces, replaced by a tag when it closes
    at: int = 0  # for "[": where it is in the text


class _Inline:
    """One pass over a paragraph's text, left to right, with a stack of openers.

    Emphasis closes the nearest opener of its kind and turns the openers above it into text,
    so tags always nest; an opener cannot be closed from inside a ``[`` that may still become a
    link (one count of open emphasis per ``[``). Code spans find their closing run of backticks
    through a pointer per run length that only moves forward.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.pieces: list[str] = []  # Markup for our tags, plain str for the author's text
        self.stack: list[_Open] = []
        self.brackets: list[_Open] = []
        self.counts: list[dict[str, int]] = [dict.fromkeys(_TAGS, 0)]
        self.inactive = 0  # brackets[:inactive] may no longer become links (a link formed)
        self.autolinks: list[int] = []  # piece of each bare URL's <a>, in order
        self.runs: dict[int, list[int]] = {}
        for match in re.finditer("`+", text):
            self.runs.setdefault(len(match[0]), []).append(match.start())
        self.next_run: dict[int, int] = {}
        self.handlers: dict[str, Callable[[int], int]] = {
            "`": self.code,
            "*": self.emphasis,
            "_": self.emphasis,
            "[": self.open_bracket,
            "]": self.close_bracket,
            "\n": self.line_break,
        }

    def render(self) -> Markup:
        text, i = self.text, 0
        while (match := _SPECIAL.search(text, i)) is not None:
            j = match.start()
            if j > i:
                self.pieces.append(text[i:j])
            i = self.handlers.get(text[j], self.bare_url)(j)
        if i < len(text):
            self.pieces.append(text[i:])
        return Markup("").join(p if isinstance(p, Markup) else _text(p) for p in self.pieces)

    def line_break(self, j: int) -> int:
        self.pieces.append(Markup("<br>\n"))
        return j + 1

    def run_end(self, j: int) -> int:
        end = j
        while end < len(self.text) and self.text[end] == self.text[j]:
            end += 1
        return end

    def code(self, j: int) -> int:
        end = self.run_end(j)
        size = end - j
        starts = self.runs.get(size, [])
        k = self.next_run.get(size, 0)
        while k < len(starts) and starts[k] < end:
            k += 1
        self.next_run[size] = k
        if k == len(starts):
            self.pieces.append(self.text[j:end])
            return end
        content = self.text[end : starts[k]].replace("\n", " ")
        if len(content) > 2 and content[0] == content[-1] == " " and content.strip(" "):
            content = content[1:-1]
        self.pieces += [Markup("<code>"), content, Markup("</code>")]
        return starts[k] + size

    def emphasis(self, j: int) -> int:
        text = self.text
        end = self.run_end(j)
        char, size = text[j], end - j
        if size > 3 or (char == "_" and size > 1):
            self.pieces.append(text[j:end])
            return end
        before = text[j - 1] if j else " "
        after = text[end] if end < len(text) else " "
        left = not after.isspace() and (
            not _is_punctuation(after) or before.isspace() or _is_punctuation(before)
        )
        right = not before.isspace() and (
            not _is_punctuation(before) or after.isspace() or _is_punctuation(after)
        )
        if char == "*":
            can_open, can_close = left, right
        else:
            can_open = left and (not right or _is_punctuation(before))
            can_close = right and (not left or _is_punctuation(after))
        kinds = {1: [char], 2: ["**"], 3: ["**", "*"]}[size]  # as openers, outer first
        if can_close:
            unclosed = [kind for kind in reversed(kinds) if not self.close(kind)]
            kinds = unclosed[::-1]
        for kind in kinds:
            if can_open:
                self.stack.append(_Open(kind, len(self.pieces)))
                self.counts[-1][kind] += 1
            self.pieces.append(kind)
        return end

    def close(self, kind: str) -> bool:
        counts = self.counts[-1]
        if not counts[kind]:
            return False
        opener = self.stack.pop()
        while opener.kind != kind:
            if opener.kind in counts:  # crosses the closer: stays text
                counts[opener.kind] -= 1
            opener = self.stack.pop()
        counts[kind] -= 1
        opening, closing = _TAGS[kind]
        self.pieces[opener.piece] = Markup(opening)
        self.pieces.append(Markup(closing))
        return True

    def open_bracket(self, j: int) -> int:
        opener = _Open("[", len(self.pieces), j)
        self.stack.append(opener)
        self.brackets.append(opener)
        self.counts.append(dict.fromkeys(_TAGS, 0))
        self.pieces.append("[")
        return j + 1

    def close_bracket(self, j: int) -> int:
        self.pieces.append("]")
        if not self.brackets:
            return j + 1
        if len(self.brackets) <= self.inactive or (end := self.destination(j)) is None:
            self.give_up_bracket()
            return j + 1
        url = self.text[j + 2 : end]
        if not _safe_url(url):
            self.give_up_bracket()
            return j + 1
        self.pieces.pop()
        opener = self.brackets.pop()
        self.counts.pop()
        while self.stack.pop() is not opener:
            pass  # emphasis left open inside the link text stays text
        self.inactive = len(self.brackets)
        while self.autolinks and self.autolinks[-1] > opener.piece:
            start = self.autolinks.pop()
            self.pieces[start] = self.pieces[start + 2] = ""
        if not self.text[opener.at + 1 : j].strip():
            del self.pieces[opener.piece + 1 :]
            self.pieces.append(url)
        self.pieces[opener.piece] = _link(url)
        self.pieces.append(Markup("</a>"))
        return end + 1

    def give_up_bracket(self) -> None:
        opener = self.brackets.pop()
        opener.kind = "gone"
        inner = self.counts.pop()
        for kind, count in inner.items():
            self.counts[-1][kind] += count
        self.inactive = min(self.inactive, len(self.brackets))

    def destination(self, j: int) -> int | None:
        """The index of the ``)`` ending ``(URL)`` right after the ``]`` at ``j``, if any."""
        text = self.text
        if not text.startswith("(", j + 1):
            return None
        depth = 1
        for k in range(j + 2, len(text)):
            char = text[k]
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
                if not depth:
                    return k
            elif char.isspace() or char in _URL_STOP or not char.isprintable():
                return None
        return None

    def bare_url(self, j: int) -> int:
        text = self.text
        if j and text[j - 1].isalnum():  # "xhttp://" is no URL
            self.pieces.append(text[j])
            return j + 1
        end = j
        while end < len(text) and (char := text[end]).isprintable() and not char.isspace():
            if char in _URL_STOP:
                break
            end += 1
        opened, closed = text.count("(", j, end), text.count(")", j, end)
        while end > j:
            char = text[end - 1]
            if char in _TRAILING:
                end -= 1
            elif char == ")" and closed > opened:
                closed -= 1
                end -= 1
            else:
                break
        url = text[j:end]
        if not _safe_url(url):
            self.pieces.append(text[j])
            return j + 1
        self.autolinks.append(len(self.pieces))
        self.pieces += [_link(url), url, Markup("</a>")]
        return end


def _inline(text: str) -> Markup:
    return _Inline(text).render()
