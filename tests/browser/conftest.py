"""Browser fixtures: the app on a live port, one headless Chromium per session, a phone-sized page per test."""
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import ConsoleMessage, Response, WebError, expect, sync_playwright
from werkzeug.serving import make_server

# Debian's Chromium (installed by `make test`), never a browser downloaded by Playwright.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PHONE_VIEWPORT = {"width": 360, "height": 740}
# CI machines are shared and slow at times: give assertions room, they return as soon as they hold.
expect.set_options(timeout=10_000)
BROWSER_TESTS = Path(__file__).parent
SERVER_STOP_TIMEOUT = 5
FAILED_LOAD_NOTICE = "Failed to load resource: the server responded with a status of"


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "allow_browser_errors(*patterns): console errors or page errors matching one of these regular "
        "expressions do not fail the test (for a known, expected error only)",
    )


def pytest_collection_modifyitems(items):
    """Every test in tests/browser drives the browser: mark it so `-m "not browser"` leaves it out."""
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)


@dataclass(frozen=True)
class LiveServer:
    url: str
    app: Flask


class RunningServer:
    """The app served over HTTP on 127.0.0.1 in a background thread; port 0 takes a free port."""

    def __init__(self, app: Flask, port: int = 0):
        self.server = make_server("127.0.0.1", port, app, threaded=True)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=SERVER_STOP_TIMEOUT)
        assert not self.thread.is_alive(), "the live server did not stop"


@pytest.fixture
def live_server(app):
    """The test's app served over HTTP on a free port, in a background thread."""
    running = RunningServer(app)
    yield LiveServer(url=f"http://127.0.0.1:{running.port}", app=app)
    running.stop()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package (make test does)")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()


class BrowserErrors:
    """Collects a browser context's uncaught page errors and console errors (CSP violations among them)."""

    def __init__(self, context, allowed: list[str]):
        self.allowed = [re.compile(pattern) for pattern in allowed]
        self.reported: list[tuple[str, str | None]] = []
        self.error_documents: set[str] = set()
        context.on("weberror", self.on_page_error)
        context.on("console", self.on_console)
        context.on("response", self.on_response)

    def on_page_error(self, error: WebError) -> None:
        self.reported.append((f"page error: {error.error}", None))

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            url = message.location.get("url")
            line = message.location.get("lineNumber")
            self.reported.append((f"console error at {url}:{line}: {message.text}", url))

    def on_response(self, response: Response) -> None:
        # Chromium logs "Failed to load resource" for a page whose status is an error, even one
        # the test opens on purpose (the 403 page); the test checks that status itself.
        if response.status >= 400 and response.request.is_navigation_request():
            self.error_documents.add(response.url)

    def is_error_document_notice(self, description: str, url: str | None) -> bool:
        # A form posted to "path#section" is logged with its fragment; the response's URL has none.
        url = url.split("#", 1)[0] if url else url
        return url in self.error_documents and FAILED_LOAD_NOTICE in description

    @property
    def errors(self) -> list[str]:
        return [
            description
            for description, url in self.reported
            if not self.is_error_document_notice(description, url)
            and not any(pattern.search(description) for pattern in self.allowed)
        ]


@pytest.fixture
def open_page(browser, live_server, request):
    """A factory of pages, each in a fresh context (own cookies) the size of a phone, watched for errors."""
    marker = request.node.get_closest_marker("allow_browser_errors")
    allowed = list(marker.args) if marker else []
    opened = []

    def open_page(**context_options):
        options = {"viewport": PHONE_VIEWPORT, "base_url": live_server.url, "locale": "sv-SE"} | context_options
        context = browser.new_context(**options)
        opened.append((context, BrowserErrors(context, allowed)))
        return context.new_page()

    yield open_page
    errors = []
    for context, collector in opened:
        context.close()
        errors.extend(collector.errors)
    if errors:
        pytest.fail("the browser reported errors:\n" + "\n".join(f"- {error}" for error in errors), pytrace=False)


@pytest.fixture
def page(open_page):
    """A phone-sized page on the live server; the test fails if the browser reports an error."""
    return open_page()
