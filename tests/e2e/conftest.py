"""Playwright drives Debian's Chromium (never a downloaded browser) against
Django's live server."""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.live import close_live_server_connections

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests
# make for setup are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Waits that fit a loaded 2-core machine shared with other jobs: Playwright's default
# 5 s expectation failed under load after the page had already arrived. A wait only
# lasts as long as it must, so a generous ceiling costs nothing when things are fast.
EXPECT_TIMEOUT_MS = 30_000
ACTION_TIMEOUT_MS = 30_000
NAVIGATION_TIMEOUT_MS = 60_000
expect.set_options(timeout=EXPECT_TIMEOUT_MS)


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists() or shutil.which("chromium"):
        return
    if os.environ.get("ZEUS_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"ZEUS_REQUIRE_BROWSER is set but no Chromium at {CHROMIUM}")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "e2e" in item.nodeid.split("/"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--disable-gpu",
        ],
    }


@pytest.fixture
def axe_check():
    """Run axe-core in the page; returns the serious and critical violations."""

    def _check(page) -> list[dict]:
        # Evaluated through the DevTools protocol, not as an inline <script>: the
        # page's CSP (rightly) refuses inline scripts, and stays on while axe runs.
        page.evaluate(AXE.read_text() + "\n;undefined")
        result = page.evaluate("async () => await axe.run(document)")
        return [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return _check


def watch_csp(page) -> list[str]:
    """Collect Content-Security-Policy violations the browser reports on this page."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
            else None
        ),
    )
    return violations


@pytest.fixture(autouse=True)
def no_csp_violations(request):
    """Every browser test fails if a page it opened broke the CSP (an inline script, say)."""
    if "page" not in request.fixturenames:
        yield
        return
    violations = watch_csp(request.getfixturevalue("page"))
    yield
    assert violations == [], violations


@pytest.fixture
def page(page):
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    page.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    return page


@pytest.fixture(scope="session")
def live_server(live_server, django_db_blocker):
    """pytest-django's live server, stopped with its database connections closed (see
    tests/e2e/live.py): the PostgreSQL run then drops its test database cleanly."""
    yield live_server
    live_server.stop()  # stopping twice is harmless; pytest-django stops it again
    with django_db_blocker.unblock():
        close_live_server_connections()


# --- Screenshots a person can look at (formulation page, PDF page 1, timeline) ----
# Written to $ZEUS_SCREENSHOTS, or a folder of the run's temporary directory; the
# folder and any timings the tests measured are printed at the end of the run.
_artifacts: dict = {"dir": None, "notes": []}


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    folder = os.environ.get("ZEUS_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots", numbered=False)
    path.mkdir(parents=True, exist_ok=True)
    _artifacts["dir"] = path
    return path


@pytest.fixture(scope="session")
def run_notes() -> list:
    """Lines (timings, figures) to print in the run's summary."""
    return _artifacts["notes"]


def pytest_terminal_summary(terminalreporter):
    if _artifacts["dir"] is not None:
        terminalreporter.write_line(f"Screenshots written to {_artifacts['dir']}")
    for line in _artifacts["notes"]:
        terminalreporter.write_line(line)


def log_in(page, base, username):
    """Sign in through the real login form and wait for the home page."""
    from tests.conftest import PASSWORD

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=f"Welcome, {username}")).to_be_visible()
