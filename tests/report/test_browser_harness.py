"""The browser harness sees what a page does: requests that would leave it, console errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Opened  # tests/report/conftest.py: the fixtures' types


def page(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "page.html"
    path.write_text(f"<!doctype html><html><body>{body}</body></html>", encoding="utf-8")
    return path


def test_a_request_that_would_leave_the_page_is_recorded_and_aborted(
    tmp_path: Path, open_page: Callable[[Path], Opened]
) -> None:
    opened = open_page(page(tmp_path, '<h1>Hi</h1><img src="https://example.com/x.png">'))
    assert opened.requests == ["https://example.com/x.png"]
    # aborted: the image never loaded (a loaded one would have a natural width)
    assert opened.page.eval_on_selector("img", "img => img.complete && img.naturalWidth") == 0
    assert opened.page.inner_text("h1") == "Hi"


def test_a_page_that_asks_for_nothing_records_no_request(
    tmp_path: Path, open_page: Callable[[Path], Opened]
) -> None:
    svg = '<svg width="10" height="10"><rect class="mark" width="5" height="5"/></svg>'
    opened = open_page(page(tmp_path, svg))
    assert opened.requests == []
    assert opened.console_errors == []
    assert opened.page.locator(".mark").count() == 1


def test_console_errors_and_uncaught_exceptions_are_recorded(
    tmp_path: Path, open_page: Callable[[Path], Opened]
) -> None:
    script = "<script>console.error('x'); console.log('fine')</script>"
    opened = open_page(page(tmp_path, script + "<script>throw new Error('boom')</script>"))
    assert sorted(opened.console_errors) == ["pageerror: boom", "x"]


def test_a_full_page_screenshot_is_kept_as_an_artifact(
    tmp_path: Path, open_page: Callable[[Path], Opened]
) -> None:
    tall = "".join(f"<p style='height:200px'>section {i}</p>" for i in range(10))
    shot = open_page(page(tmp_path, tall)).screenshot("harness-full-page")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    height = int.from_bytes(shot.read_bytes()[20:24], "big")  # the PNG header's height
    assert height > 2000  # the whole page, not the 900 px viewport
