"""``orglens report``: one offline HTML file, every section and chart, both languages."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

import orglens
from orglens.cli import app
from orglens.report.document import SECTIONS, report_html, write_report

if TYPE_CHECKING:
    from conftest import Opened

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo"
GOLDEN = Path(__file__).resolve().parent / "golden"
#: The charts every report shows (the designs' org charts come on top, one per design).
CHARTS = (
    "tradeoffs",
    "org",
    "spans",
    "layers",
    "journey",
    "funnel",
    "handoffs",
    "coordination",
    "brand",
    "ownership",
    "segments",
    "scorecard",
)


@pytest.fixture(scope="module")
def demo() -> orglens.Workspace:
    return orglens.Workspace.open(DEMO)


@pytest.fixture(scope="module")
def pages(demo: orglens.Workspace, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("report")
    return {
        lang: write_report(demo, folder / f"demo-{lang}.html", lang=lang) for lang in ("en", "sv")
    }


class _Structure(HTMLParser):
    """The page's element tree without its text: tags, ids, classes and chart names, and each
    SVG only as its number of marks — what a golden file keeps so that layout changes show."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.depth = 0
        self.in_svg = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if self.in_svg:
            self.in_svg += tag != "title" and tag not in _VOID
            return
        label = tag + "".join(
            f"#{found['id']}"
            if key == "id"
            else f".{'.'.join(str(found[key]).split())}"
            if key == "class"
            else f"[{key}={found[key]}]"
            for key in ("id", "class", "data-chart", "data-marks", "lang")
            if found.get(key)
        )
        self.lines.append("  " * self.depth + label)
        if tag == "svg":
            self.in_svg = 1
        elif tag not in _VOID:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.in_svg:
            self.in_svg -= tag != "title"
            return
        if tag not in _VOID:
            self.depth -= 1


_VOID = {"meta", "br", "img", "hr", "input", "link"}


def structure(page: str) -> str:
    parser = _Structure()
    parser.feed(page)
    return "\n".join(parser.lines) + "\n"


def test_the_report_is_one_offline_file_with_every_section_and_chart(
    pages: dict[str, Path], demo: orglens.Workspace
) -> None:
    page = pages["en"].read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "default-src 'none'" in page
    assert re.findall(r'<section id="([a-z]+)"', page) == list(SECTIONS)
    shown = re.findall(r'data-chart="([a-z_]+)"', page)
    assert set(shown) >= set(CHARTS) - {"org"}
    assert sorted(name for name in shown if name.startswith("org_")) == sorted(
        ["org_today", *[f"org_{score.name}" for score in demo.compare().scenarios][1:]]
    )
    assert pages["en"].stat().st_size < 5_000_000


def test_the_swedish_report_speaks_swedish(pages: dict[str, Path]) -> None:
    page = pages["sv"].read_text(encoding="utf-8")
    assert '<html lang="sv">' in page
    assert "Rekommendationen" in page and "The recommendation" not in page
    assert re.search(r"\d\u00a0\d{3}", page) or re.search(r"\d,\d", page)


def test_the_report_structure_is_unchanged(pages: dict[str, Path]) -> None:
    """A golden file of the page's element tree; to accept an intended change, run with
    ``ORGLENS_UPDATE_GOLDEN=1`` and review the diff."""
    found = structure(pages["en"].read_text(encoding="utf-8"))
    golden = GOLDEN / "demo_report_structure.txt"
    if os.environ.get("ORGLENS_UPDATE_GOLDEN"):
        golden.write_text(found, encoding="utf-8")
    assert found == golden.read_text(encoding="utf-8")


def test_names_and_emails_from_the_data_are_text_never_markup(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text(
        "id,manager_id,unit,name\n"
        "ceo,,Management,<script>alert(1)</script>\n"
        "s1,ceo,<b>Sales</b>,anna.berg@acme.se\n"
        "m1,ceo,Marketing,Bo \u202eEk\n",
        encoding="utf-8",
    )
    page = report_html(orglens.Workspace.open(tmp_path))
    assert "<script>" not in page and "<b>Sales</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "anna.berg@acme.se" not in page
    assert "\u202e" not in page


def test_the_command_writes_the_report_and_refuses_what_it_cannot_do(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "r.html"
    done = runner.invoke(app, ["report", str(DEMO), "-o", str(out), "--lang", "sv"])
    assert done.exit_code == 0, done.output
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    wrong = runner.invoke(
        app, ["report", str(DEMO), "-o", str(tmp_path / "x.html"), "--lang", "de"]
    )
    assert wrong.exit_code == 2 and "'de'" in wrong.output and "Traceback" not in wrong.output
    unknown = runner.invoke(
        app, ["report", str(DEMO), "-o", str(tmp_path / "y.html"), "--scenario", "nope"]
    )
    assert unknown.exit_code == 2 and "'nope'" in unknown.output
    assert not (tmp_path / "x.html").exists() and not (tmp_path / "y.html").exists()


def test_a_chart_is_an_object_a_notebook_shows_and_a_user_saves(
    demo: orglens.Workspace, tmp_path: Path
) -> None:
    chart = demo.compare().chart("tradeoffs")
    assert "<svg" in chart._repr_html_()
    saved = chart.save(tmp_path / "tradeoffs.svg")
    assert saved.read_text(encoding="utf-8").startswith("<svg")
    assert "Rekommendationen" in (demo.compare(lang="sv")._repr_html_() or "")
    assert "The recommendation" in (demo.compare()._repr_html_() or "")


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_the_report_opens_in_a_browser_with_no_request_and_no_error(
    pages: dict[str, Path], open_page: Callable[[Path], Opened], lang: str
) -> None:
    opened = open_page(pages[lang])
    page = opened.page
    for section in SECTIONS:
        assert page.locator(f"section#{section}").is_visible()
    figures = page.locator("figure.chart")
    assert figures.count() >= len(CHARTS)
    for index in range(figures.count()):
        figure = figures.nth(index)
        expected = int(figure.get_attribute("data-marks") or "0")
        assert figure.locator("svg .mark").count() == expected
        if expected:
            assert figure.locator("svg").is_visible()
    opened.screenshot(f"report-demo-{lang}")
    assert opened.requests == []
    assert opened.console_errors == []


def test_the_report_prints_to_pdf_with_a_headless_chromium(tmp_path: Path, chromium: Path) -> None:
    out = tmp_path / "report.pdf"
    done = CliRunner().invoke(
        app,
        ["report", str(DEMO), "-o", str(out), "--format", "pdf"],
        env={"ORGLENS_CHROMIUM": str(chromium)},
    )
    assert done.exit_code == 0, done.output
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    # print CSS: every section starts a page
    assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data)) >= len(SECTIONS)


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_the_printed_report_shows_every_section_without_the_folded_tables(
    pages: dict[str, Path], open_page: Callable[[Path], Opened], lang: str
) -> None:
    opened = open_page(pages[lang])
    opened.page.emulate_media(media="print")
    assert not opened.page.locator("nav").is_visible()
    for section in SECTIONS:
        assert opened.page.locator(f"section#{section} h2").is_visible()
