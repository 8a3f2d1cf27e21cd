"""Fixtures of the dashboard tests: a small synthetic register with its dashboards'
cache, a Voila server on it (127.0.0.1, kernel culling on) and a Debian chromium driven
by Playwright.

* The register is built once per session in a temporary folder (``ART60KIT_TEST_REGISTER``
  points at an existing one instead, e.g. the bundled ``var/register.sqlite`` once
  prepared).
* The server asks for a login: the synthetic register's demo logins (one per role)
  are created before it starts, and the ``page`` fixture logs in as the ONEM user.
* Browser tests are marked ``browser``. Without chromium they are skipped, except when
  ``CI`` is set: then a missing browser is a failure.
* Screenshots go to ``ART60KIT_SCREENSHOTS`` if set, else to a temporary folder; the
  path is printed.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("ART60KIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TEST_SIZE = 600


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives a real browser against Voila (needs chromium)")


def _need_browser():
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        msg = f"chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("playwright (Python) is not installed")
        pytest.skip("playwright (Python) is not installed")


@pytest.fixture(scope="session")
def dashboard_register(tmp_path_factory) -> str:
    """A prepared register: the SQLite path (its cache next to it)."""
    given = os.environ.get("ART60KIT_TEST_REGISTER")
    if given:
        from art60kit.dashboards.prepare import prepare
        prepare(given, sample=-1)
        return given
    from art60kit.dashboards.prepare import prepare
    from art60kit.register import build_register

    folder = tmp_path_factory.mktemp("register")
    path = str(folder / "register.sqlite")
    build_register(path, size=TEST_SIZE, processes=2)
    prepare(path, sample=150, processes=2)
    return path


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    d = Path(os.environ["ART60KIT_SCREENSHOTS"]) if os.environ.get("ART60KIT_SCREENSHOTS") else \
        tmp_path_factory.mktemp("dashboard-screenshots")
    d.mkdir(parents=True, exist_ok=True)
    print(f"\n[dashboards] screenshots in {d}")
    return d


@pytest.fixture(scope="session")
def logins(dashboard_register) -> dict[str, tuple[str, str]]:
    """The synthetic register's demo logins: role -> (user id, password)."""
    from art60kit.dashboards import source
    from art60kit.dashboards.identity import demo_logins

    reg = source.open_register(dashboard_register)
    try:
        return {role: (uid, pw) for uid, role, pw in demo_logins(reg, source.cache_dir(dashboard_register))}
    finally:
        reg.close()


def log_in(page, base: str, user: str, password: str) -> None:
    """Log in through the server's form (the browser keeps the session cookie)."""
    page.goto(f"{base}login", timeout=60_000)
    page.fill("#user", user)
    page.fill("#password", password)
    with page.expect_navigation(timeout=60_000):
        page.click("#login-submit")


@pytest.fixture(scope="session")
def voila_server(dashboard_register, logins, tmp_path_factory):
    """The dashboards' server on 127.0.0.1 (free port), culling idle kernels, stopped
    with SIGTERM."""
    _need_browser()
    from art60kit.dashboards.serve import start_voila, stop_voila

    log_path = tmp_path_factory.mktemp("voila") / "voila.log"
    with open(log_path, "wb") as log:
        proc, url = start_voila(env={"ART60KIT_REGISTER": dashboard_register},
                                cull_idle_timeout=10, cull_interval=5, log=log, pool_size=1)
        assert url.startswith("http://127.0.0.1:")
        try:
            yield url
        finally:
            stop_voila(proc)
    assert proc.returncode is not None


@pytest.fixture(scope="session")
def browser(voila_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


AXE = Path(__file__).resolve().parents[2] / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core (npm package, installed by ``make test`` in .venv/axe)."""
    path = Path(os.environ.get("ART60KIT_AXE", AXE))
    if not path.exists():
        msg = f"axe-core not found at {path} (make axe: npm install axe-core)"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    return path.read_text(encoding="utf-8")


@pytest.fixture
def page(browser, voila_server, logins):
    """A browser page logged in as the demo ONEM user."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="fr-BE", accept_downloads=True)
    pg = ctx.new_page()
    try:
        log_in(pg, voila_server, *logins["onem"])
        yield pg
    finally:
        ctx.close()


@pytest.fixture
def anonymous_page(browser):
    """A browser page with no session."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-BE")
    pg = ctx.new_page()
    try:
        yield pg
    finally:
        ctx.close()
