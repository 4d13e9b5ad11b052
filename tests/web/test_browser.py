"""The web workspace in a real browser: Debian's headless Chromium, driven by Playwright, against
the real ``orglens serve`` in a subprocess (a SQLite file in a temporary folder).

One server and one workspace serve the whole module: its owner, Astrid, signs up, creates the
workspace and uploads the demo through the forms (:func:`nordljus`); Bo joins it as a commenter
by an invitation link (:func:`bo`). Each test then adds the people it needs. Every page visited
is kept as a full-page screenshot in ``tests/web/artifacts/`` (look at them), and every test
ends with no console error and no dialog in any browser it used: an injected script would
raise one, and the Content Security Policy reports what it blocks as a console error.

The browser is the machine's Chromium (``/usr/bin/chromium``, which ``make test`` installs),
never one of Playwright's own (``playwright install`` downloads one). Without a Chromium the
tests skip, saying why; under CI (``CI`` set) they fail instead. Playwright's sync API allows
one instance per thread and the report's tests keep theirs for the whole session, so this
module drives its own from a thread of its own (:func:`on_browser_thread`).
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, ParamSpec, TypeVar

import pytest
from samples_data import demo_zip, distinct_demo_zip, people_cost_figures, written_numbers
from server import Server, running_server

from orglens.i18n import t, using
from orglens.io import load
from orglens.report.charts_budget import money
from orglens.report.pdf import find_chromium

if TYPE_CHECKING:
    from playwright.sync_api import (
        APIResponse,
        Browser,
        BrowserContext,
        ConsoleMessage,
        Dialog,
        Error,
        Locator,
        Page,
        Playwright,
        ViewportSize,
    )

P = ParamSpec("P")
R = TypeVar("R")

#: Where screenshots are kept: the test artifacts a reviewer looks at.
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
#: Milliseconds a page may take (the comparison computes every design of the demo).
PAGE_TIMEOUT_MS = 60_000
PASSWORD = "correct horse battery"
#: What a hostile commenter writes: shown as text, never run.
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(1)>"
JSON = {"accept": "application/json"}


# -- the browser: the machine's Chromium (the pattern of tests/report/conftest.py) -------------

#: The one thread this module's Playwright lives in (its objects answer in that thread only).
_BROWSER_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playwright")


def on_browser_thread(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run in the browser's thread (its exceptions, skips and failures raised
    here): every test and fixture of this module that touches a page is."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        return _BROWSER_THREAD.submit(function, *args, **kwargs).result()

    return run


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI: `make test` should have installed it)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium() -> Path:
    """The machine's Chromium (``ORGLENS_CHROMIUM``, else on ``PATH``, else /usr/bin)."""
    found = find_chromium()
    if found is None and Path("/usr/bin/chromium").is_file():
        found = Path("/usr/bin/chromium")
    if found is None:
        _unavailable("no Chromium on this machine: `make test` installs it (apt-get chromium)")
    return found


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Browser]:
    """The machine's Chromium, headless, driven by Playwright."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed: `make install-dev`")

    @on_browser_thread
    def launch() -> tuple[Playwright, Browser]:
        playwright = sync_playwright().start()
        try:
            return playwright, playwright.chromium.launch(
                executable_path=str(chromium), args=CHROMIUM_ARGS
            )
        except BaseException:
            playwright.stop()
            raise

    @on_browser_thread
    def close(playwright: Playwright, launched: Browser) -> None:
        try:
            launched.close()
        finally:
            playwright.stop()

    playwright, launched = launch()
    try:
        yield launched
    finally:
        close(playwright, launched)


# -- people: a browser context each, with what their page did -----------------------------------


@dataclass
class Person:
    """Someone at their own browser (a context of their own: their own cookies)."""

    name: str
    email: str
    context: BrowserContext
    page: Page
    #: Console messages of type ``error``, and ``pageerror: ...`` for uncaught exceptions.
    console_errors: list[str] = field(default_factory=list)
    #: The message of every dialog (``alert``, ``confirm``...) a page opened.
    dialogs: list[str] = field(default_factory=list)

    def open(self, path: str) -> Page:
        """Go to ``path`` of the server and wait for the page to load."""
        answer = self.page.goto(path, wait_until="load")
        assert answer is not None and answer.ok, f"{path}: {answer and answer.status}"
        return self.page

    def submit(self, form: Locator) -> Page:
        """Press the submit button of ``form`` and wait for the page it leads to."""
        with self.page.expect_navigation(wait_until="load"):
            form.locator("button[type=submit]").first.click()
        return self.page

    def shot(self, name: str) -> Path:
        """Save a full-page screenshot as ``artifacts/web-<name>.png``."""
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"web-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def text(self) -> str:
        """Every text of the page (hidden ones and SVG titles too), as one string."""
        found: str = self.page.evaluate("document.body.textContent")
        return found

    def csrf(self) -> str:
        """The CSRF token of this browser (the cookie every form sends back)."""
        return next(c["value"] for c in self.context.cookies() if c["name"] == "orglens_csrf")

    def post(self, path: str, **kwargs: Any) -> APIResponse:
        """A request with this browser's cookies, as a hand-made form would send it."""
        return self.context.request.post(path, max_redirects=0, **kwargs)

    def assert_clean(self) -> None:
        assert self.console_errors == [], f"{self.name}: console errors {self.console_errors}"
        assert self.dialogs == [], f"{self.name}: dialogs {self.dialogs}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The real server, on a SQLite file of its own."""
    folder = tmp_path_factory.mktemp("browser")
    with running_server(folder / "data", f"sqlite:///{folder / 'data' / 'orglens.db'}") as server:
        yield server


@pytest.fixture(scope="module")
def person(browser: Browser, site: Server) -> Iterator[Callable[[str], Person]]:
    """``person("Astrid Owner")``: a new browser context of someone not signed up yet."""
    contexts: list[BrowserContext] = []

    def new(name: str) -> Person:
        context = browser.new_context(viewport=VIEWPORT, base_url=site.url)
        context.set_default_timeout(PAGE_TIMEOUT_MS)
        contexts.append(context)
        email = f"{name.lower().replace(' ', '.')}.private@example.com"
        someone = Person(name, email, context, context.new_page())

        def console(message: ConsoleMessage) -> None:
            if message.type == "error":
                where = message.location.get("url", "")
                # Chromium asks for /favicon.ico on its own, whatever the page says (the site
                # has none): not the page's doing.
                if not where.endswith("/favicon.ico"):
                    someone.console_errors.append(f"{message.text} ({where})")

        def page_error(error: Error) -> None:
            someone.console_errors.append(f"pageerror: {error}")

        def dialog(opened: Dialog) -> None:
            someone.dialogs.append(opened.message)
            opened.dismiss()

        someone.page.on("console", console)
        someone.page.on("pageerror", page_error)
        someone.page.on("dialog", dialog)
        return someone

    yield new

    @on_browser_thread
    def close() -> None:
        for context in contexts:
            context.close()

    close()


def sign_up(someone: Person, *, lang: str = "en") -> None:
    """Fill the sign-up form the page shows (``/signup``, or the one an invitation led to)."""
    page = someone.page
    if "/signup" not in page.url:
        someone.open("/signup")
    form = page.locator('form[action="/signup"]')
    form.locator('input[name="name"]').fill(someone.name)
    form.locator('input[name="email"]').fill(someone.email)
    form.locator('input[name="password"]').fill(PASSWORD)
    form.locator('select[name="lang"]').select_option(lang)
    someone.submit(form)


def invitation_link(owner: Person, ws: int, role: str) -> str:
    """An invitation link made on the members page for ``role``."""
    owner.open(f"/w/{ws}/members")
    form = owner.page.locator(f'form[action="/w/{ws}/invitations"]')
    form.locator('select[name="role"]').select_option(role)
    owner.submit(form)
    link = owner.page.locator("section.notice input.wide").input_value()
    assert link.startswith(f"{owner.page.url.split('/w/')[0]}/invite/"), link
    return link


def joined(someone: Person, link: str) -> int:
    """``someone`` follows the invitation ``link``, signs up from it and joins; the workspace."""
    someone.open(link)
    main = someone.page.locator("main")
    with someone.page.expect_navigation(wait_until="load"):
        main.locator('a[href^="/signup"]').click()
    sign_up(someone)
    assert someone.page.url == link  # back to the invitation, signed in
    someone.submit(main.locator("form"))
    found = re.search(r"/w/(\d+)$", someone.page.url)
    assert found, someone.page.url
    return int(found.group(1))


def forms_in_main(page: Page) -> list[str]:
    """The action of every form of the page but the header's (sign out)."""
    actions: list[str] = page.eval_on_selector_all(
        "main form", "forms => forms.map(f => f.getAttribute('action'))"
    )
    return actions


def figures(page: Page) -> dict[str, str]:
    """The headline figures of the dashboard: ``{label: value}`` over every lens."""
    pairs: list[list[str]] = page.eval_on_selector_all(
        "dl.figures > div",
        "rows => rows.map(r => [r.querySelector('dt').textContent,"
        " r.querySelector('dd').textContent])",
    )
    return {label.strip(): value.strip() for label, value in pairs}


def zip_file(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def upload(owner: Person, ws: int, archive: Path) -> None:
    """Upload ``archive`` through the data page's form; lands on the new version's page."""
    owner.open(f"/w/{ws}/data")
    form = owner.page.locator(f'form[action="/w/{ws}/data"][enctype="multipart/form-data"]')
    form.locator('input[name="file"]').set_input_files(str(archive))
    owner.submit(form)
    assert re.search(rf"/w/{ws}/versions/\d+$", owner.page.url), owner.page.url


def keys_and_numbers(data: Any) -> tuple[set[str], set[float]]:
    """Every key and every number (rounded to cents) of JSON ``data``, at any depth."""
    keys: set[str] = set()
    numbers: set[float] = set()
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            keys |= set(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, int | float) and not isinstance(item, bool):
            numbers.add(round(float(item), 2))
    return keys, numbers


def people_cost(archive: bytes) -> float:
    """The sum of every person's cost in the ``people.csv`` of a workspace zip."""
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        text = opened.read("demo/people.csv").decode("utf-8")
    return sum(float(row["cost"]) for row in csv.DictReader(io.StringIO(text)))


# -- the shared workspace ----------------------------------------------------------------------


@dataclass(frozen=True)
class Team:
    site: Server
    owner: Person
    ws: int


@pytest.fixture(scope="module")
@on_browser_thread
def nordljus(
    site: Server, person: Callable[[str], Person], tmp_path_factory: pytest.TempPathFactory
) -> Team:
    """Astrid signs up, creates the workspace "Nordljus" and uploads the demo (a .zip of
    ``examples/demo``) through the pages: sign-in, workspaces and data (screenshots 01-03)."""
    astrid = person("Astrid Owner")
    astrid.open("/")
    assert astrid.page.url.endswith("/signin")
    with using("en"):
        assert astrid.page.locator("h1").inner_text() == t("web.signin.title")
    astrid.shot("01-signin")
    sign_up(astrid)
    assert astrid.page.url.endswith("/workspaces")
    form = astrid.page.locator('form[action="/workspaces"]')
    form.locator('input[name="name"]').fill("Nordljus")
    astrid.submit(form)
    found = re.search(r"/w/(\d+)$", astrid.page.url)
    assert found, astrid.page.url
    ws = int(found.group(1))
    astrid.open("/workspaces")
    assert astrid.page.locator(f'ul.cards a[href="/w/{ws}"]').inner_text() == "Nordljus"
    astrid.shot("02-workspaces")
    archive = zip_file(tmp_path_factory.mktemp("zips"), "demo.zip", demo_zip())
    upload(astrid, ws, archive)
    astrid.open(f"/w/{ws}/data")
    versions = astrid.page.locator("table.versions tbody tr")
    assert versions.count() == 1
    assert "demo.zip" in versions.first.inner_text()
    astrid.shot("03-data")
    astrid.assert_clean()
    return Team(site, astrid, ws)


@pytest.fixture(scope="module")
@on_browser_thread
def bo(nordljus: Team, person: Callable[[str], Person]) -> Person:
    """Bo, invited by Astrid as a commenter, signs up from the link and joins."""
    link = invitation_link(nordljus.owner, nordljus.ws, "commenter")
    nordljus.owner.shot("07-members")
    someone = person("Bo Berg")
    assert joined(someone, link) == nordljus.ws
    return someone


# -- the tests ---------------------------------------------------------------------------------


@on_browser_thread
def test_the_owner_sees_the_demo_on_the_dashboard_and_the_comparison(nordljus: Team) -> None:
    astrid, ws = nordljus.owner, nordljus.ws
    page = astrid.open(f"/w/{ws}/dashboard")
    assert page.locator("section.lens").count() == 4
    with using("en"):
        shown = figures(page)
        # The organization's people cost, a sum over its units, is the one cost it shows.
        assert shown[t("web_data.figure.people_cost")] == money(people_cost(demo_zip()), "SEK")
    astrid.shot("04-dashboard")
    page = astrid.open(f"/w/{ws}/scenarios")
    assert page.locator("#recommendation .report").inner_text().strip()
    assert page.locator("table.scorecard tbody tr").count() > 2
    assert page.locator("#recommendation form.new-comment").count() == 1
    astrid.shot("05-comparison")
    astrid.assert_clean()


@on_browser_thread
def test_a_comment_and_its_replies_are_seen_by_an_invited_commenter_by_name_never_by_email(
    nordljus: Team, bo: Person
) -> None:
    astrid, ws = nordljus.owner, nordljus.ws
    page = astrid.open(f"/w/{ws}/scenarios")
    comment = "The CEO forum looks cheaper than a merger."
    new = page.locator("#recommendation form.new-comment")
    new.locator("textarea[name=body]").fill(comment)
    astrid.submit(new)
    assert re.search(rf"/w/{ws}/scenarios#c\d+$", page.url), page.url
    first = page.locator("#recommendation li.comment").filter(has_text=comment)
    assert first.locator(".author").inner_text() == astrid.name
    # the reply box is a <details>: open it, then write
    first.locator("details > summary").first.click()
    reply = first.locator("details[open] form")
    reply.locator("textarea[name=body]").fill("Unless the heads never meet.")
    astrid.submit(reply)
    answered = page.locator("#recommendation li.comment.d1").filter(has_text="never meet")
    assert answered.locator(".author").inner_text() == astrid.name

    page = bo.open(f"/w/{ws}/discussion?target=recommendation")
    thread = page.locator("ol.thread")
    assert thread.locator("li.comment").filter(has_text=comment).count() == 1
    assert astrid.name in thread.locator(".author").all_inner_texts()
    mine = thread.locator("li.comment.d1").filter(has_text="never meet")
    mine.locator("details > summary").first.click()
    box = mine.locator("details[open] form")
    box.locator("textarea[name=body]").fill("They meet **every week** already.")
    bo.submit(box)
    deepest = page.locator("li.comment.d2").filter(has_text="every week")
    assert deepest.locator(".author").inner_text() == bo.name
    assert deepest.locator(".body strong").inner_text() == "every week"
    bo.shot("06-discussion")
    for where in (f"/w/{ws}/discussion?target=recommendation", f"/w/{ws}/scenarios", f"/w/{ws}"):
        html = bo.open(where).content()
        assert astrid.email not in html and astrid.email.split("@")[0] not in html, where
    html = astrid.open(f"/w/{ws}/discussion?target=recommendation").content()
    assert bo.name in html and bo.email not in html
    astrid.assert_clean()
    bo.assert_clean()


@on_browser_thread
def test_a_comment_of_script_and_markup_is_shown_as_literal_text(
    nordljus: Team, bo: Person
) -> None:
    astrid, ws = nordljus.owner, nordljus.ws
    page = astrid.open(f"/w/{ws}/discussion?target=recommendation")
    new = page.locator("form.new-comment")
    new.locator("textarea[name=body]").fill(HOSTILE)
    astrid.submit(new)
    for someone, where in ((astrid, "discussion"), (bo, "scenarios"), (bo, "discussion")):
        page = someone.open(f"/w/{ws}/{where}")
        body = page.locator("li.comment .body").filter(has_text="onerror")
        assert body.count() == 1, where
        assert body.inner_text().strip() == HOSTILE
        assert body.is_visible()
        assert body.locator("script, img").count() == 0
    astrid.assert_clean()
    bo.assert_clean()


@on_browser_thread
def test_a_viewer_sees_no_edit_form_and_is_refused_an_edit_with_403(
    nordljus: Team, person: Callable[[str], Person]
) -> None:
    astrid, ws = nordljus.owner, nordljus.ws
    vic = person("Vic Viewer")
    assert joined(vic, invitation_link(astrid, ws, "viewer")) == ws
    for where in ("", "/data", "/dashboard", "/scenarios", "/discussion", "/decisions"):
        page = vic.open(f"/w/{ws}{where}")
        assert forms_in_main(page) == [], where
        assert page.locator("main textarea, main input[type=file]").count() == 0, where
        assert page.locator(f'a[href^="/w/{ws}/scenarios/new"], a[href$="/edit"]').count() == 0
    vic.open(f"/w/{ws}/scenarios")  # the CSRF cookie is set: a refusal is the role's
    csrf = vic.csrf()
    scenario = {"csrf": csrf, "name": "viewer_was_here", "yaml": "operations: []\n"}
    zipped = {"name": "demo.zip", "mimeType": "application/zip", "buffer": demo_zip()}
    refused = [
        vic.post(f"/w/{ws}/scenarios/new", form=scenario),
        vic.post(f"/w/{ws}/data", multipart={"csrf": csrf, "file": zipped}),
        vic.post(f"/w/{ws}/comments", form={"csrf": csrf, "target": "recommendation", "body": "x"}),
    ]
    with using("en"):
        for answer in refused:
            assert answer.status == 403, answer.url
            assert t("web.error.forbidden") in answer.text(), answer.url
    versions = astrid.context.request.get(f"/w/{ws}/data", headers=JSON).json()["versions"]
    assert len(versions) == 1
    assert "viewer_was_here" not in astrid.open(f"/w/{ws}/scenarios").content()
    vic.assert_clean()


@on_browser_thread
def test_the_role_without_cost_sees_no_persons_cost_on_the_dashboard(
    nordljus: Team, person: Callable[[str], Person], tmp_path_factory: pytest.TempPathFactory
) -> None:
    # The demo's costs are round (900,000): the budget's amounts write the same digits. With
    # every person's cost made distinct, a cost shown anywhere is found by its digits.
    astrid = nordljus.owner
    folder = tmp_path_factory.mktemp("costs")
    with zipfile.ZipFile(io.BytesIO(distinct_demo_zip())) as opened:
        opened.extractall(folder)
    hidden = people_cost_figures(load(folder / "demo"))
    total = money(people_cost(distinct_demo_zip()), "SEK")
    astrid.open("/workspaces")
    form = astrid.page.locator('form[action="/workspaces"]')
    form.locator('input[name="name"]').fill("Costs")
    astrid.submit(form)
    ws = int(astrid.page.url.rsplit("/", 1)[1])
    upload(astrid, ws, zip_file(folder, "demo.zip", distinct_demo_zip()))
    cleo = person("Cleo Nocost")
    assert joined(cleo, invitation_link(astrid, ws, "viewer_no_cost")) == ws

    label = "People's cost"
    with using("en"):
        assert t("web_data.figure.people_cost") == label
    page = astrid.open(f"/w/{ws}/dashboard")
    assert figures(page)[label] == total
    page = cleo.open(f"/w/{ws}/dashboard")
    assert page.locator("section.lens").count() == 4
    assert label not in figures(page)
    text = cleo.text()
    assert total not in text
    assert written_numbers(text) & hidden == set()
    twin = cleo.context.request.get(f"/w/{ws}/dashboard", headers=JSON).json()
    assert keys_and_numbers(twin)[0] & {"people_cost", "total_people_cost"} == set()
    assert keys_and_numbers(twin)[1] & hidden == set()
    cleo.shot("09-dashboard-no-cost")
    astrid.assert_clean()
    cleo.assert_clean()


@on_browser_thread
def test_a_member_who_chooses_svenska_sees_swedish_pages(nordljus: Team, bo: Person) -> None:
    ws = nordljus.ws
    page = bo.open("/account")
    form = page.locator('form[action="/account"]')
    assert form.locator('input[name="email"]').input_value() == bo.email  # their own: shown
    form.locator('select[name="lang"]').select_option("sv")
    bo.submit(form)
    with using("sv"):
        nav = [t("web.nav.workspaces"), bo.name, t("web.nav.signout")]
        title = t("web.account.title")
    assert nav == ["Arbetsytor", bo.name, "Logga ut"]
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("header.top nav").inner_text().split() == " ".join(nav).split()
    assert page.locator("h1").inner_text() == title
    bo.shot("08-account-sv")
    for where, name in (
        ("", "workspace"),
        ("/dashboard", "dashboard"),
        ("/scenarios", "comparison"),
    ):
        page = bo.open(f"/w/{ws}{where}")
        assert page.locator("header.top nav a").first.inner_text() == "Arbetsytor"
        bo.shot(f"10-{name}-sv")
    bo.open(f"/w/{ws}/discussion?target=recommendation")
    bo.shot("10-discussion-sv")
    bo.assert_clean()
