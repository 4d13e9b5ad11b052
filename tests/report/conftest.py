"""Browser fixtures: open any HTML file in headless Chromium and see what it asked for.

``open_page(path)`` opens a file in a fresh browser context and returns an :class:`Opened`:
the Playwright page, every request the page made other than the file itself (each one
aborted, so nothing leaves the machine) and every console error and uncaught page error.
Both lists keep growing while the page lives (a script may fetch after ``load``).

The browser is the machine's Chromium (Debian's ``/usr/bin/chromium``, which ``make test``
installs), driven by Playwright for Python; Playwright's own browsers are never used
(``playwright install`` downloads one). Without a Chromium the tests skip, saying why; under
CI (``CI`` set), where ``make test`` has installed it, they fail instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

from orglens.report.pdf import find_chromium

if TYPE_CHECKING:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Error,
        Page,
        Route,
        ViewportSize,
    )

#: Where screenshots are kept (git-ignored): the test artifacts a reviewer looks at.
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
#: No network of the browser's own (updates, sync, first-run pings): a test sees only the page's.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
#: One size for every page, so that screenshots compare across runs.
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}


@dataclass(frozen=True)
class Opened:
    """A page opened by ``open_page``, and what it did."""

    page: Page
    #: Every URL the page requested other than the file itself (all were aborted).
    requests: list[str] = field(default_factory=list)
    #: Console messages of type ``error``, and ``pageerror: ...`` for uncaught exceptions; an
    #: aborted request adds ``Failed to load resource: net::ERR_FAILED`` here too.
    console_errors: list[str] = field(default_factory=list)

    def screenshot(self, name: str) -> Path:
        """Save a full-page screenshot as ``artifacts/<name>.png``; return its path."""
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def _chromium() -> Path | None:
    found = find_chromium()
    if found is None and Path("/usr/bin/chromium").is_file():
        return Path("/usr/bin/chromium")
    return found


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI: `make test` should have installed it)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium() -> Path:
    """The machine's Chromium (``ORGLENS_CHROMIUM``, else on ``PATH``, else /usr/bin)."""
    found = _chromium()
    if found is None:
        _unavailable("no Chromium on this machine: `make test` installs it (apt-get chromium)")
    return found


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[Browser]:
    """The machine's Chromium, headless, driven by Playwright (one for the whole session)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed: `make install-dev`")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[[Path], Opened]]:
    """``open_page(path) -> Opened``: a file in a fresh context, every request but its own
    recorded and aborted, console errors recorded; contexts close when the test ends."""
    contexts: list[BrowserContext] = []

    def open_(path: Path) -> Opened:
        url = Path(path).resolve().as_uri()
        context = browser.new_context(viewport=VIEWPORT)
        contexts.append(context)
        opened = Opened(context.new_page())

        def route(handled: Route) -> None:
            if handled.request.url.split("#")[0] == url:
                handled.continue_()
            else:
                opened.requests.append(handled.request.url)
                handled.abort()

        def console(message: ConsoleMessage) -> None:
            if message.type == "error":
                opened.console_errors.append(message.text)

        def page_error(error: Error) -> None:
            opened.console_errors.append(f"pageerror: {error}")

        opened.page.route("**/*", route)
        opened.page.on("console", console)
        opened.page.on("pageerror", page_error)
        opened.page.goto(url, wait_until="load")
        return opened

    yield open_
    for context in contexts:
        context.close()
