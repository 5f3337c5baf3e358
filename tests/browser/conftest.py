"""Browser tests: the real app behind a live server, driven by Debian's Chromium through Playwright.

Chromium
    Found as `chromium` on PATH (Debian installs it at /usr/bin/chromium). Set BROWSER_PATH to use
    another binary; BROWSER_PATH=/nonexistent simulates a machine without a browser.
    Never run `playwright install`: it downloads browsers and fails offline.

When Chromium is missing
    Tests marked `browser` are skipped with a printed reason, unless REQUIRE_BROWSER=1 (CI sets it),
    in which case each of them fails with a message saying how to install the browser.

The live server
    One werkzeug server per session on 127.0.0.1 (a free port), serving the session `app` from
    tests/conftest.py, so data made with tests/factories.py in a test (factories commit) is what the
    browser sees. Each request runs in its own app context and database session in the server's
    threads. Relative URLs (page.goto("/sign-in")) resolve against it through `base_url`.

Off-machine traffic
    Every request that is not to 127.0.0.1/localhost is aborted (the NHS.UK CSS asks for web fonts
    from an external host; without them the page falls back to Arial).
"""

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

DEFAULT_CHROMIUM = "/usr/bin/chromium"
OFF_MACHINE = re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/]).*")
HERE = Path(__file__).parent


def chromium_candidate() -> str:
    """Where we look for Chromium: BROWSER_PATH if set, else `chromium` on PATH, else Debian's path."""
    return os.environ.get("BROWSER_PATH") or shutil.which("chromium") or DEFAULT_CHROMIUM


def chromium_path() -> str | None:
    """The Chromium binary to drive, or None when there is none."""
    candidate = chromium_candidate()
    return candidate if os.path.isfile(candidate) and os.access(candidate, os.X_OK) else None


def browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER") == "1"


def pytest_report_header(config) -> str:
    path = chromium_path()
    if path:
        return f"browser tests: Chromium at {path}"
    required = " (REQUIRE_BROWSER=1: they will fail)" if browser_required() else " (they will be skipped)"
    return f"browser tests: Chromium not found at {chromium_candidate()}{required}"


def pytest_collection_modifyitems(config, items) -> None:
    """Mark everything in tests/browser as `browser`; skip those tests when there is no browser, unless required."""
    for item in items:
        if HERE in Path(item.path).parents and item.get_closest_marker("browser") is None:
            item.add_marker(pytest.mark.browser)
    if chromium_path() or browser_required():
        return
    skip = pytest.mark.skip(reason=f"Chromium not found at {chromium_candidate()}: browser tests skipped; CI runs them")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item) -> None:
    """With REQUIRE_BROWSER=1 a missing browser fails each browser test before any fixture starts."""
    if item.get_closest_marker("browser") and browser_required() and not chromium_path():
        pytest.fail(
            f"Chromium not found at {chromium_candidate()} and REQUIRE_BROWSER=1: "
            "install it with `apt-get install -y chromium` (never `playwright install`), "
            "or point BROWSER_PATH at a Chromium binary.",
            pytrace=False,
        )


# Playwright, overriding pytest-playwright's fixtures ---------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": chromium_path(), "args": ["--no-sandbox"]}


@pytest.fixture(scope="session")
def base_url(live_url):
    """pytest-playwright gives every context this base URL, so tests can goto("/sign-in")."""
    return live_url


def keep_on_machine(context):
    context.route(OFF_MACHINE, lambda route: route.abort())
    return context


@pytest.fixture
def new_context(new_context):
    """Every context, the default `context` included, only talks to this machine."""

    def make(**kwargs):
        return keep_on_machine(new_context(**kwargs))

    return make


@pytest.fixture
def context(new_context):
    return new_context()


# The live server --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def live_url(app) -> Iterator[str]:
    """Base URL (no trailing slash) of the app served on a free loopback port for the whole session."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
