"""Browser tests: the real site, seeded with the real story, driven in Debian's Chromium.

pytest-django's live_server serves the site against the test database and
pytest-playwright drives one headless Chromium for the whole session. Every
test is marked `browser` (and `slow`); without /usr/bin/chromium they are skipped with a
reason that `pytest -ra` (the project's default) prints in the summary.

One seed for the package. Seeding the story takes seconds, so it runs once,
committed, before the first browser test, and after the last one the tables it
filled are emptied again, so the tests that run later start from the database
the migrations left. For that to hold, live_server's
usual per-test flush is replaced: `transactional_db` is overridden below to
give the live server database access over the shared seed. The browser tests
only read; none of them may write to the database. Under pytest-xdist they
all run in one worker; in every run they come last (tests/conftest.py).

Playwright's sync API marks the main thread's event loop as running between
calls, so Django refuses ORM calls there (SynchronousOnlyOperation); database
work is done in a worker thread, and the tests get what they need to know
about the story (URLs, names) from the `story` fixture.
"""

import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SKIP_REASON = (
    f"Chromium not found at {CHROMIUM}: browser tests skipped; install Debian's chromium package"
)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa", "best-practice"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def chromium_available() -> bool:
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        f"browser: drives the site in Chromium ({CHROMIUM}); skipped when it is not installed",
    )


def pytest_collection_modifyitems(config, items):
    if chromium_available():
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if chromium_available():
        return
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if "browser" in getattr(report, "keywords", {})
    ]
    if skipped:
        terminalreporter.write_sep("-", "browser tests", yellow=True)
        terminalreporter.write_line(f"{len(skipped)} tests not run. {SKIP_REASON}.")


# Chromium -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # --headed on the command line still wins over the headless default.
    return {
        "headless": True,
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """The live server, so pages can be opened by path (this also replaces
    pytest-playwright's own base_url fixture, which pytest warns about)."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}, "locale": "en-GB"}


# The seeded story ---------------------------------------------------------------------


@dataclass(frozen=True)
class EventInfo:
    url: str
    title: str
    participants: tuple[str, ...]


@dataclass(frozen=True)
class Story:
    """What the tests need to know about the seeded story, looked up once."""

    article_url: str
    claim_url: str
    claim_anchor: str  # the id of the claim's <mark> in its article, e.g. "claim-12"
    claim_statement: str
    claim_quote: str
    latest_event: EventInfo  # its dot is drawn last in the SVG timeline, so on top
    busiest_event: EventInfo  # the event with the most participants
    sensetime_url: str


def _outside_event_loop(work):
    """Run `work` in a thread of its own (no running event loop), closing its connections."""
    from django.db import connections

    def run():
        try:
            return work()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def _seed() -> Story:
    from django.core.management import call_command

    from aiwatch.search import indexing
    from aiwatch.search.models import SearchEntry
    from entities.models import Claim, Entity, Event

    call_command("seed", verbosity=0)
    if not SearchEntry.objects.exists():  # the index fills itself on commit; make sure
        indexing.rebuild()

    # The claim whose quote sits furthest down its article, so jumping to it must scroll.
    def depth(claim):
        paragraphs = claim.article.paragraphs
        found = [i for i, p in enumerate(paragraphs) if claim.quote in p]
        return (found[0] if found else -1, claim.pk)

    claims = Claim.objects.published().select_related("article")
    claim = max(claims, key=depth)
    assert depth(claim)[0] > 0, "no seeded claim's quote is found in its article"

    def info(event) -> EventInfo:
        participants = tuple(p.entity.name for p in event.participations.all())
        assert participants, f"the seeded event {event.slug} has no participants"
        return EventInfo(event.get_absolute_url(), event.title, participants)

    events = list(
        Event.objects.published().chronological().prefetch_related("participations__entity")
    )
    busiest = max(events, key=lambda e: (len(e.participations.all()), -e.pk))

    return Story(
        article_url=claim.article.get_absolute_url(),
        claim_url=claim.get_absolute_url(),
        claim_anchor=f"claim-{claim.pk}",
        claim_statement=claim.statement,
        claim_quote=claim.quote,
        latest_event=info(events[-1]),
        busiest_event=info(busiest),
        sensetime_url=Entity.objects.get(name="SenseTime").get_absolute_url(),
    )


def _tables_with_rows() -> set[str]:
    from django.db import connection

    quote = connection.ops.quote_name
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT {i} FROM (SELECT 1 FROM {quote(table)} LIMIT 1) AS t{i}"
                for i, table in enumerate(tables)
            )
        )
        return {tables[i] for (i,) in cursor.fetchall()}


def _empty(tables: set[str]) -> None:
    """Truncate these tables (the ones the seed filled) and nothing else."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    if not tables:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        # CASCADE: a table that references these (articles_original) may be empty, and
        # PostgreSQL refuses to truncate a referenced table without it.
        for sql in connection.ops.sql_flush(no_style(), sorted(tables), allow_cascade=True):
            cursor.execute(sql)


def _unseed(before: set[str]) -> set[str]:
    """Empty the tables that have rows now but had none before; return those with rows."""
    _empty(_tables_with_rows() - before)
    return _tables_with_rows()


@pytest.fixture(scope="session", autouse=True)
def _database_before_browser(django_db_setup):
    """Create the test database before Playwright starts (and so drop it after it stops).

    Django refuses to create or drop it while Playwright's event loop is running.
    """


@pytest.fixture(scope="package")
def story(django_db_setup, django_db_blocker, tmp_path_factory) -> Story:
    """The real story, seeded once for all the browser tests and removed after them,
    with a snapshot of it at /data/v1/.

    Only the tables that were empty before the seed are emptied afterwards, so
    what the migrations put in the database (groups, permissions) stays.
    """
    from django.test import override_settings

    from aiwatch.site.snapshots.export import export

    snapshots = override_settings(AIWATCH_SNAPSHOT_DIR=tmp_path_factory.mktemp("snapshots"))
    snapshots.enable()
    with django_db_blocker.unblock():
        before = _outside_event_loop(_tables_with_rows)
        try:
            story = _outside_event_loop(_seed)
            _outside_event_loop(export)
        except BaseException:
            _outside_event_loop(lambda: _unseed(before))
            snapshots.disable()
            raise
    for old in SCREENSHOTS.glob("*.png"):  # the folder shows this run's pages only
        old.unlink()
    yield story
    snapshots.disable()
    with django_db_blocker.unblock():
        left = _outside_event_loop(lambda: _unseed(before))
    assert left == before, f"the browser tests left rows in {sorted(left - before)}"


@pytest.fixture
def transactional_db(story, django_db_blocker):
    """pytest-django's live_server asks for this fixture for every test that uses it.

    Here it gives the live server access to the shared, committed seed without
    flushing it after each test (see the module docstring).
    """
    with django_db_blocker.unblock():
        yield


# Checking a page ----------------------------------------------------------------------

# What the focused element looks like: its name, whether it shows focus, and the
# contrast of its outline against the background around it (WCAG 1.4.11 asks 3:1).
FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const lin = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  // The background the outline is drawn on: the first opaque one above the element.
  let node = el.parentElement, background = [255, 255, 255];
  while (node) {
    const c = rgb(getComputedStyle(node).backgroundColor);
    if (c.length >= 3 && (c.length < 4 || c[3] > 0)) { background = c.slice(0, 3); break; }
    node = node.parentElement;
  }
  const a = luminance(rgb(style.outlineColor).slice(0, 3)), b = luminance(background);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    classes: el.className && el.className.baseVal === undefined ? el.className : "",
    name: (el.getAttribute("aria-label") || el.textContent || el.value || "").trim(),
    href: el.getAttribute("href"),
    inMain: !!el.closest("main"),
    inNav: !!el.closest("nav"),
    focusVisible: el.matches(":focus-visible"),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    outlineContrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
    onScreen: box.width > 0 && box.height > 0 && box.left >= 0 && box.top >= 0
      && box.right <= innerWidth && box.bottom <= innerHeight,
  };
}"""


class Site:
    """The live site in one Playwright page, recording every console error."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        self.allowed: list[re.Pattern] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught exception: {error}"))

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        text = f"console error: {message.text} (at {message.location.get('url', '?')})"
        if not any(pattern.search(text) for pattern in self.allowed):
            self.errors.append(text)

    def url(self, path: str) -> str:
        return self.base_url + path

    def visit(self, path: str, status: int = 200):
        """Open a page of the site and check its HTTP status."""
        if status == 404:
            # Chromium logs a 404 document as a failed resource; that one is expected.
            self.allowed.append(re.compile(r"status of 404 .*\(at " + re.escape(self.url(path))))
        response = self.page.goto(self.url(path), wait_until="load")
        assert response is not None, f"no response for {path}"
        assert response.status == status, f"{path} answered {response.status}, not {status}"
        return response

    def assert_no_console_errors(self) -> None:
        errors, self.errors = self.errors, []
        assert not errors, "console errors on " + self.page.url + ":\n" + "\n".join(errors)

    def assert_accessible(self) -> None:
        results = Axe().run(
            self.page,
            options={
                "runOnly": {"type": "tag", "values": AXE_TAGS},
                "resultTypes": ["violations"],
            },
        )
        assert results.violations_count == 0, (
            f"axe found problems on {self.page.url}:\n{results.generate_report()}"
        )

    def focused(self) -> dict | None:
        """The focused element, as FOCUS_JS describes it."""
        return self.page.evaluate(FOCUS_JS)

    def assert_focus_visible(self) -> dict:
        """The focused element is on screen and shows a clear outline."""
        focus = self.focused()
        assert focus, "nothing has the focus"
        assert focus["focusVisible"], f"{focus} does not match :focus-visible"
        assert focus["outlineStyle"] not in ("none", "hidden"), f"no focus outline on {focus}"
        assert focus["outlineWidth"] >= 2, f"focus outline thinner than 2px on {focus}"
        assert focus["outlineContrast"] >= 3, f"focus outline contrast below 3:1 on {focus}"
        assert focus["onScreen"], f"the focused element is not on screen: {focus}"
        return focus

    def tab(self, times: int = 1) -> dict | None:
        for _ in range(times):
            self.page.keyboard.press("Tab")
        return self.focused()

    def screenshot(self, name: str, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=path, full_page=full_page, scale="css")
        return path

    def check(self, name: str | None = None) -> None:
        """The checks every page gets: no console errors, no axe violations, a screenshot."""
        if name:
            self.screenshot(name)
        self.assert_no_console_errors()
        self.assert_accessible()
        # Running axe must not have caused errors either (CSP, for one).
        self.assert_no_console_errors()


@pytest.fixture
def site(page, live_server, story) -> Site:
    page.set_default_timeout(10_000)  # fail in seconds, not Playwright's 30
    site = Site(page, live_server.url)
    yield site
    # Whatever happened after the test's last check counts too.
    site.assert_no_console_errors()
