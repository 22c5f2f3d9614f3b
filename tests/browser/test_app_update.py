"""An app update on the phone: a new version is offered, and one tap puts it in charge."""
import time

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from tests.browser.actions import login, wait_for_service_worker
from tests.browser.axe import assert_accessible
from tests.browser.conftest import RunningServer

STAFF = "usk.nord"

# Asks without awaiting in the page: page.evaluate has no timeout of its own, and a page stuck in a navigation
# never settles a promise. The answer lands in window.fickanRelease; wait_for_function waits with a timeout.
ASK_CONTROLLER_RELEASE = """() => {
  window.fickanRelease = undefined;
  const channel = new MessageChannel();
  channel.port1.onmessage = (event) => { window.fickanRelease = event.data; };
  navigator.serviceWorker.controller.postMessage({type: "GET_RELEASE"}, [channel.port2]);
}"""


def release_of_controller_within(page: Page, expected: str, seconds: float) -> str | None:
    """The release of the worker controlling the page, asked until it is `expected` or time is up."""
    deadline = time.monotonic() + seconds
    release = None
    while time.monotonic() < deadline:
        try:
            page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=5_000)
            page.evaluate(ASK_CONTROLLER_RELEASE)
            page.wait_for_function("() => window.fickanRelease !== undefined", timeout=3_000)
            release = page.evaluate("window.fickanRelease")
        except PlaywrightError:
            release = None  # the page was loading again while we asked, or the worker did not answer
        if release == expected:
            return release
        page.wait_for_timeout(250)
    return release


class WorkerEvents:
    """Chromium's own account of the service workers (CDP ServiceWorker domain), printed if the test fails:
    which version was installing, waiting, activating or running when the page stopped answering."""

    def __init__(self, page: Page):
        self.started = time.monotonic()
        self.lines: list[str] = []
        self.session = page.context.new_cdp_session(page)
        self.session.on("ServiceWorker.workerVersionUpdated", self.versions_updated)
        self.session.on("ServiceWorker.workerErrorReported", lambda event: self.note(f"error {event}"))
        self.session.send("ServiceWorker.enable")

    def note(self, text: str) -> None:
        self.lines.append(f"{time.monotonic() - self.started:7.2f} s  {text}")

    def versions_updated(self, event: dict) -> None:
        for version in event.get("versions", []):
            self.note(f"version {version.get('versionId')} {version.get('scriptURL', '').rsplit('/', 1)[-1]}: "
                      f"{version.get('status')} / {version.get('runningStatus')}, "
                      f"clients {len(version.get('controlledClients') or [])}")

    def print(self, step: str) -> None:
        print(f"failed at: {step}\nservice worker events:\n" + "\n".join(self.lines))


# In CI, about one run in three, headless Chromium stops answering the page after the tap (Playwright's own
# 15 s timeout does not fire either) while the new worker takes over; it has not happened in 55 runs here.
# What the app must do is tested in every run that gets through; a run that hangs is ended at 60 s and run again.
# The cause is not found yet (see the closing note of issue 12): this is the one test allowed to run again.
@pytest.mark.flaky(reruns=2)
@pytest.mark.timeout(60)
@pytest.mark.allow_browser_errors("Failed to load resource")
def test_a_new_app_version_is_offered_and_taken(browser, app, open_page):
    app.config["RELEASE"] = "version-1"
    first = RunningServer(app)
    port = first.port
    page = open_page(base_url=f"http://127.0.0.1:{port}")
    login(page, STAFF)
    wait_for_service_worker(page)
    # A page loaded after the worker is active is always controlled by it.
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    assert release_of_controller_within(page, "version-1", seconds=10) == "version-1"
    first.stop()

    app.config["RELEASE"] = "version-2"
    second = RunningServer(app, port=port)
    workers = WorkerEvents(page)
    step = "the banner"
    try:
        page.reload()
        banner = page.locator("[data-update-banner]")
        expect(banner).to_contain_text("Ny version — uppdatera", timeout=15_000)
        assert_accessible(page)
        # A mark on the old page: it is gone once the page has loaded again, whenever that happens.
        page.evaluate("window.fickanBeforeUpdate = true")
        step = "the tap"
        workers.note("tap on Uppdatera")
        banner.get_by_role("button", name="Uppdatera").click()
        # The tap always loads the page again, at once or after the old worker has finished its work.
        step = "the page loaded again"
        page.wait_for_function("() => !window.fickanBeforeUpdate", timeout=15_000)
        workers.note("the page has loaded again")
        # If the old worker was still busy, the new one takes over a little later and the page
        # loads once more by itself: no second tap is needed.
        step = "the new worker in control"
        assert release_of_controller_within(page, "version-2", seconds=20) == "version-2"
        expect(page.locator("[data-update-banner]")).to_be_hidden()
    except BaseException:
        # BaseException: pytest-timeout's end of a hung test is not an Exception.
        workers.print(step)
        raise
    finally:
        second.stop()
