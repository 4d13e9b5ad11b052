"""Comment bodies render a small Markdown subset, and nothing the author types becomes markup."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from orglens.web.markdown import ALLOWED, MAX_BODY, MAX_QUOTE_DEPTH, render

#: Written out here rather than read from the module, so that a tag added there fails a test.
TAGS = {
    "p": set(),
    "br": set(),
    "strong": set(),
    "em": set(),
    "code": set(),
    "pre": set(),
    "ul": set(),
    "ol": {"start"},
    "li": set(),
    "blockquote": set(),
    "a": {"href", "rel"},
}
REL = "nofollow noopener noreferrer"
OUR_TAG = re.compile(r"</?(?:p|br|strong|em|code|pre|ul|ol|li|blockquote|a)(?: [^<>]*)?>")


def link(url: str, text: str | None = None) -> str:
    return f'<a href="{url}" rel="{REL}">{text or url}</a>'


class Page(HTMLParser):
    """The rendered HTML, parsed: its text, its links, and every way it breaks the rules."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.hrefs: list[str] = []
        self.problems: list[str] = []
        self.open: list[str] = []
        self.feed(html)
        self.close()
        if self.open:
            self.problems.append(f"left open: {self.open}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.problems.append(f"tag {tag!r}")
            return
        for name, value in attrs:
            if name not in TAGS[tag]:
                self.problems.append(f"attribute {name!r} on {tag!r}")
            if name == "href":
                self.check_href(value or "")
            if name == "rel" and value != REL:
                self.problems.append(f"rel {value!r}")
        if tag == "a" and "a" in self.open:
            self.problems.append("a link inside a link")
        if tag != "br":
            self.open.append(tag)

    def check_href(self, href: str) -> None:
        self.hrefs.append(href)
        if urlsplit(href).scheme.lower() not in {"http", "https"}:
            self.problems.append(f"href {href!r}")
        if any(char.isspace() or not char.isprintable() or char in "\"'<>`" for char in href):
            self.problems.append(f"odd character in href {href!r}")

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.problems.append(f"</{tag}> closes nothing open")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems.append(f"self-closing {tag!r}")

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.problems.append(f"comment {data!r}")

    def handle_decl(self, decl: str) -> None:
        self.problems.append(f"declaration {decl!r}")

    def handle_pi(self, data: str) -> None:
        self.problems.append(f"processing instruction {data!r}")

    def unknown_decl(self, data: str) -> None:
        self.problems.append(f"declaration {data!r}")


def assert_safe(html: Markup) -> Page:
    assert isinstance(html, Markup)
    page = Page(str(html))
    assert page.problems == []
    outside_our_tags = OUR_TAG.sub("", str(html))
    assert "<" not in outside_our_tags
    assert ">" not in outside_our_tags
    assert '"' not in outside_our_tags
    return page


# -- the subset, exactly ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("Merge sales and marketing", "<p>Merge sales and marketing</p>"),
        ("one\ntwo\n\nthree", "<p>one<br>\ntwo</p>\n<p>three</p>"),
        ("one\r\ntwo\rthree", "<p>one<br>\ntwo<br>\nthree</p>"),
        ("  indented  \n\n\n\n  after  ", "<p>indented</p>\n<p>after</p>"),
        ("", ""),
        (" \n\t\n", ""),
    ],
)
def test_paragraphs_are_separated_by_blank_lines_and_other_newlines_are_kept(
    text: str, html: str
) -> None:
    assert render(text) == html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("**bold** and *italic*", "<p><strong>bold</strong> and <em>italic</em></p>"),
        ("_italic_ too", "<p><em>italic</em> too</p>"),
        ("***both***", "<p><strong><em>both</em></strong></p>"),
        ("**bold *and italic***", "<p><strong>bold <em>and italic</em></strong></p>"),
        ("a `x < y` b", "<p>a <code>x &lt; y</code> b</p>"),
        ("``a ` b``", "<p><code>a ` b</code></p>"),
        ("` spaced `", "<p><code>spaced</code></p>"),
        ("file_name_here and snake_case", "<p>file_name_here and snake_case</p>"),
        ("2 * 3 * 4", "<p>2 * 3 * 4</p>"),
        ("**not closed", "<p>**not closed</p>"),
        ("`not closed", "<p>`not closed</p>"),
        ("*a **b* c**", "<p><em>a **b</em> c**</p>"),
        ("**** ruler", "<p>**** ruler</p>"),
        ("`**not bold**`", "<p><code>**not bold**</code></p>"),
        ("*across\nlines*", "<p><em>across<br>\nlines</em></p>"),
    ],
)
def test_bold_italic_and_inline_code(text: str, html: str) -> None:
    assert render(text) == html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("```\n<b>x</b>\n  **y**\n```", "<pre><code>&lt;b&gt;x&lt;/b&gt;\n  **y**</code></pre>"),
        (
            "```python\nprint(1)\n```\nafter",
            "<pre><code>python\nprint(1)</code></pre>\n<p>after</p>",
        ),
        ("````\n```\n````", "<pre><code>```</code></pre>"),
        ("text\n```\ncode", "<p>text</p>\n<pre><code>code</code></pre>"),
        ("```\nnever closed\n\n\n", "<pre><code>never closed</code></pre>"),
        ("```\n```", "<pre><code></code></pre>"),
    ],
)
def test_fenced_code_blocks_keep_their_text_and_run_to_the_end_when_left_open(
    text: str, html: str
) -> None:
    assert render(text) == html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        ("* one\n  - two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        ("- one\n\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        ("- one\ncontinued", "<ul>\n<li>one<br>\ncontinued</li>\n</ul>"),
        ("- one\n\nafter", "<ul>\n<li>one</li>\n</ul>\n<p>after</p>"),
        ("1. one\n2. two", "<ol>\n<li>one</li>\n<li>two</li>\n</ol>"),
        ("3) three\n4) four", '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>'),
        ("1. one\n- dot", "<ol>\n<li>one</li>\n</ol>\n<ul>\n<li>dot</li>\n</ul>"),
        ("before\n- item", "<p>before</p>\n<ul>\n<li>item</li>\n</ul>"),
        ("The year\n2024. was good", "<p>The year<br>\n2024. was good</p>"),
        ("-not a list\n*neither*", "<p>-not a list<br>\n<em>neither</em></p>"),
        ("- **bold** item", "<ul>\n<li><strong>bold</strong> item</li>\n</ul>"),
    ],
)
def test_bullet_and_numbered_lists(text: str, html: str) -> None:
    assert render(text) == html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
        (
            "> quoted\n> - item\nmy reply",
            "<blockquote>\n<p>quoted</p>\n<ul>\n<li>item</li>\n</ul>\n</blockquote>\n"
            "<p>my reply</p>",
        ),
        (
            ">> twice",
            "<blockquote>\n<blockquote>\n<p>twice</p>\n</blockquote>\n</blockquote>",
        ),
        (">", "<blockquote></blockquote>"),
        ("a > b", "<p>a &gt; b</p>"),
    ],
)
def test_quotes_nest_and_end_at_the_first_line_without_a_marker(text: str, html: str) -> None:
    assert render(text) == html


def test_quotes_deeper_than_the_limit_show_their_markers_as_typed() -> None:
    html = render(">" * (MAX_QUOTE_DEPTH + 2) + " deep")
    assert html.count("<blockquote>") == MAX_QUOTE_DEPTH
    assert "<p>&gt;&gt; deep</p>" in html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("[the deck](https://a.se/deck)", f"<p>{link('https://a.se/deck', 'the deck')}</p>"),
        ("see http://a.se/x?y=1&z=2", f"<p>see {link('http://a.se/x?y=1&amp;z=2')}</p>"),
        ("(see https://a.se/x).", f"<p>(see {link('https://a.se/x')}).</p>"),
        (
            "https://en.wikipedia.org/wiki/Span_(management), ok",
            f"<p>{link('https://en.wikipedia.org/wiki/Span_(management)')}, ok</p>",
        ),
        ("[*new* plan](http://a.se)", f"<p>{link('http://a.se', '<em>new</em> plan')}</p>"),
        ("[](http://a.se)", f"<p>{link('http://a.se')}</p>"),
        ("[x](HTTPS://A.se)", f"<p>{link('HTTPS://A.se', 'x')}</p>"),
        ("HtTp://a.se", f"<p>{link('HtTp://a.se')}</p>"),
        ("[http://a.se](http://b.se)", f"<p>{link('http://b.se', 'http://a.se')}</p>"),
        (
            "[[x](http://a.se)](http://b.se)",
            f"<p>[{link('http://a.se', 'x')}]({link('http://b.se')})</p>",
        ),
        ("**https://a.se**", f"<p><strong>{link('https://a.se')}</strong></p>"),
        ("[x] (http://a.se)", f"<p>[x] ({link('http://a.se')})</p>"),
        ('[x](http://a.se "title")', f"<p>[x]({link('http://a.se')} &#34;title&#34;)</p>"),
        ("xhttp://a.se http://", "<p>xhttp://a.se http://</p>"),
        ("`http://a.se`", "<p><code>http://a.se</code></p>"),
    ],
)
def test_http_and_https_links_and_bare_urls(text: str, html: str) -> None:
    assert render(text) == html


@pytest.mark.parametrize(
    "text",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x](vbscript:msgbox(1))",
        "[x](//evil.example/x)",
        "[x](ftp://a.se)",
        "[x](mailto:anna@acme.se)",
        "[x](http:)",
        "[x](http://)",
    ],
)
def test_a_link_to_anything_but_a_plain_http_url_is_shown_as_text(text: str) -> None:
    html = render(text)
    assert "<a " not in html
    assert assert_safe(html).text[0].startswith("[x](")


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<<script>script>alert(1)<</script>/script>",
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        '<a href="javascript:alert(1)">x</a>',
        "<svg/onload=alert(1)>",
        '<iframe src="javascript:alert(1)"></iframe>',
        "<style>*{display:none}</style>",
        "<!-- comment --><![CDATA[x]]><?php echo 1 ?><!DOCTYPE html>",
        '"><script>alert(1)</script>',
        "'';!--\"<XSS>=&{()}",
        "<b>unclosed <i>nested <u>tags",
        "</p></li></ul></blockquote></pre></code></a>",
        "<p onclick=alert(1)>**x**</p>",
        '[x](http://a" onmouseover="alert(1))',
        "[x](http://a' onmouseover='alert(1))",
        '[x](http://a"onmouseover="alert(1)")',
        "[x](https://a.se/<script>)",
        "[<img src=x onerror=alert(1)>](http://a.se)",
        '[x](http://a.se)"onclick="alert(1)',
        'http://a.se/"><script>alert(1)</script>',
        "https://a.se/'onmouseover='alert(1)'",
        "http://a.se/<svg/onload=alert(1)>",
        "```\n<script>alert(1)</script>\n",
        "`<script>alert(1)</script>`",
        "> <script>\n> - <img onerror=x>\n> ```\n> </blockquote>",
        "- <li onclick=x>\n1. </ol><script>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&#60;script&#62;alert(1)&#60;/script&#62;",
        "&#x3C;img src=x onerror=alert(1)&#x3E;",
        "&amp;lt;&quot;&apos;&#0;&#x0;&nbsp;",
        "\x00<script>\x00",
        "*<script>*alert(1)**</script>**",
        "[**x](http://a.se)**",
        "_[x_](http://a.se)",
        "[x`](http://a.se)`",
        "[x](http://a.se/(<script>))",
    ],
)
def test_hostile_markup_is_shown_as_text(text: str) -> None:
    page = assert_safe(render(text))
    for word in ("script", "onerror", "onmouseover", "onload", "onclick"):
        assert "".join(page.text).count(word) == text.count(word)


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("[x](https://a.se/\u202eexe.txt)", f"<p>[x]({link('https://a.se/')}\\u202eexe.txt)</p>"),
        ("[x](http://a.se/\x00)", f"<p>[x]({link('http://a.se/')}\\x00)</p>"),
        ("[x](http://a.se/\\x)", f"<p>[x]({link('http://a.se/')}\\x)</p>"),
        ('http://a.se/"x', f"<p>{link('http://a.se/')}&#34;x</p>"),
    ],
)
def test_an_invisible_character_quote_or_backslash_ends_a_url(text: str, html: str) -> None:
    assert render(text) == html


def test_entities_the_author_types_show_literally() -> None:
    assert render("&lt;b&gt; &amp; &#39;") == "<p>&amp;lt;b&amp;gt; &amp;amp; &amp;#39;</p>"
    assert "".join(Page(render("&lt;b&gt;")).text) == "&lt;b&gt;"


def test_email_like_text_is_shown_as_typed_and_not_linked() -> None:
    assert render("ask anna.berg@acme.se") == "<p>ask anna.berg@acme.se</p>"


def test_bidirectional_controls_are_shown_as_visible_escapes() -> None:
    text = "admin\u202e\u2066txt.exe\u2069"
    assert render(text) == "<p>admin\\u202e\\u2066txt.exe\\u2069</p>"
    assert render("```\nx = 1 \u202e# y\n```") == "<pre><code>x = 1 \\u202e# y</code></pre>"


def test_control_characters_are_shown_as_visible_escapes_but_tabs_stay() -> None:
    assert render("a\x1b[2Jb\x00c\x85d\te") == "<p>a\\x1b[2Jb\\x00c\\x85d\te</p>"


def test_a_lone_surrogate_becomes_an_escape_so_the_page_still_encodes() -> None:
    html = render("a\ud800b")
    assert html == "<p>a\\ud800b</p>"
    html.encode("utf-8")


def test_the_body_limit_is_a_constant_for_the_pages() -> None:
    assert MAX_BODY == 20_000
    assert dict(ALLOWED) == {tag: frozenset(attributes) for tag, attributes in TAGS.items()}


# -- linear time --------------------------------------------------------------------------------

SIZE = 100_000


@pytest.mark.parametrize(
    "unit",
    [
        "*",
        "*a",
        "a*",
        "_a",
        "**a*",
        "*_",
        "[",
        "]",
        "[](",
        "[a](",
        "[a](http://a.se",
        "](",
        "(",
        "`",
        "` ``",
        "http://",
        "ahttp://",
        "http://a.se/(",
        "http://a.se/)",
        ">",
        "> ",
        "- ",
        "-\n",
        "1. a\n",
        "```\n",
        "\n",
        "a\n",
        "&",
        "<",
        "\u202e",
    ],
)
def test_a_hundred_thousand_characters_of_one_pattern_render(unit: str) -> None:
    text = (unit * (SIZE // len(unit) + 1))[:SIZE]
    assert len(text) == SIZE
    page = assert_safe(render(text))
    assert Counter(char for char in text if char.isalpha()) <= shown(page)


def test_backtick_runs_of_every_length_render() -> None:
    text = " ".join("`" * length for length in range(1, 450))
    assert len(text) > SIZE
    assert_safe(render(text))


def test_deeply_nested_brackets_and_emphasis_render() -> None:
    text = "[*_" * (SIZE // 6) + "](http://a.se)" + "_*]" * (SIZE // 6)
    assert_safe(render(text))


# -- any text -----------------------------------------------------------------------------------

PIECES = st.sampled_from(
    [
        *("**", "*", "_", "`", "```", "[", "]", "](", "(", ")", "\\", ">", "> ", "- ", "* "),
        *("1. ", "3) ", "\n", "\n\n", " ", "\t", "\r", "<", "&", "&lt;", '"', "'", "#"),
        *("http://", "https://a.se/x", "javascript:", "a", "B", "é", "ß", "\u202e", "\x00"),
        *("<script>", "onerror=", "@"),
    ]
)
MARKDOWNISH = st.lists(PIECES | st.text(max_size=4), max_size=60).map("".join)


def shown(page: Page) -> Counter[str]:
    return Counter(char for char in "".join(page.text) + "".join(page.hrefs) if char.isalpha())


@settings(max_examples=300)
@given(MARKDOWNISH)
def test_any_markdownish_text_renders_only_allowed_markup_and_keeps_every_letter(
    text: str,
) -> None:
    page = assert_safe(render(text))
    assert Counter(char for char in text if char.isalpha()) <= shown(page)


@given(st.text())
def test_any_text_renders_only_allowed_markup_and_keeps_every_letter(text: str) -> None:
    page = assert_safe(render(text))
    assert Counter(char for char in text if char.isalpha()) <= shown(page)
