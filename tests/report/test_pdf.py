"""``html_to_pdf`` prints an HTML file with the machine's Chromium, or says how to get one."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from orglens.errors import UsageError
from orglens.report.pdf import CHROMIUM_ENV, html_to_pdf

HTML = """<!doctype html><html lang="sv"><head><meta charset="utf-8">
<style>@page { size: A4; margin: 15mm } .next { break-before: page }</style></head>
<body><h1>Rapport för ledningen</h1><p>1 234,5 kr</p><p class="next">Sida två</p></body></html>
"""


def pages(pdf: bytes) -> int:
    """The page objects of a PDF (``/Type /Page``, not ``/Pages``)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "report.html"
    path.write_text(HTML, encoding="utf-8")
    return path


def script(tmp_path: Path, body: str) -> Path:
    """An executable stand-in for Chromium."""
    path = tmp_path / "fake-chromium"
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_a_small_html_file_becomes_a_pdf_with_its_pages(
    report: Path, tmp_path: Path, chromium: Path
) -> None:
    out = html_to_pdf(report, tmp_path / "report.pdf", environ={CHROMIUM_ENV: str(chromium)})
    assert out == tmp_path / "report.pdf"
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert pages(pdf) == 2  # the print CSS's page break is kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.pdf"]


def test_without_chromium_the_error_says_how_to_get_one(report: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError) as raised:
        html_to_pdf(report, tmp_path / "report.pdf", environ={"PATH": str(tmp_path)})
    message = str(raised.value)
    assert "no Chromium found" in message
    assert "apt-get install chromium" in message
    assert "--format html" in message
    assert not (tmp_path / "report.pdf").exists()


def test_a_chromium_named_in_the_environment_that_is_not_there_is_an_error(
    report: Path, tmp_path: Path
) -> None:
    environ = {"PATH": "", CHROMIUM_ENV: str(tmp_path / "nowhere")}
    with pytest.raises(UsageError, match=f"{CHROMIUM_ENV}=.*nowhere.* is not an executable"):
        html_to_pdf(report, tmp_path / "report.pdf", environ=environ)


def test_a_failed_print_keeps_the_old_pdf_and_leaves_no_scratch_file(
    report: Path, tmp_path: Path
) -> None:
    old = tmp_path / "report.pdf"
    old.write_bytes(b"%PDF- the previous report")
    failing = script(tmp_path, "echo 'cannot open display' >&2; exit 3")
    with pytest.raises(UsageError, match=r"exit status 3: cannot open display"):
        html_to_pdf(report, old, environ={"PATH": "", CHROMIUM_ENV: str(failing)})
    assert old.read_bytes() == b"%PDF- the previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "fake-chromium",
        "report.html",
        "report.pdf",
    ]


def test_a_chromium_that_hangs_is_stopped_at_the_timeout(report: Path, tmp_path: Path) -> None:
    hanging = script(tmp_path, "sleep 30")
    with pytest.raises(UsageError, match=r"did not finish printing within 0.5 s"):
        html_to_pdf(
            report,
            tmp_path / "report.pdf",
            timeout=0.5,
            environ={"PATH": "", CHROMIUM_ENV: str(hanging)},
        )
    assert not (tmp_path / "report.pdf").exists()


def test_a_missing_html_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such HTML file"):
        html_to_pdf(tmp_path / "absent.html", tmp_path / "report.pdf")
