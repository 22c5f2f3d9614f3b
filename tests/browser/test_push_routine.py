"""A push about a changed routine: the service worker fetches the new version before the notification shows,
so a tap in a basement opens it; when the fetch fails or hangs, the notification shows all the same."""
import json
import threading

import pytest
from playwright.sync_api import BrowserContext, Page, Worker, expect

from app.routines import services
from tests.browser import test_offline, test_push
from tests.browser.actions import wait_for_sync
from tests.browser.test_push import registration_through_cdp, turn_on_notifications
from tests.notices.test_push_delivery import publish_new_version
from tests.routines.factories import published_routine

# The loopback push receiver and the server's request log, as the push and offline tests use them.
receiver = test_push.receiver
request_log = test_offline.request_log

TITLE = "Munvård på kvällen"
NEW_TEXT = "Skölj munnen."
FEED = "/api/v1/routines/changes"
# The worker shows the notification after at most 4 s; room for a slow, shared machine on top.
NOTIFICATION_ATTEMPTS = 150

# What the phone holds of one routine, read in the service worker: its IndexedDB record and its cached page.
ROUTINE_ON_PHONE = """async (slug) => {
  const record = await new Promise((resolve, reject) => {
    const opening = indexedDB.open("fickan");
    opening.onerror = () => reject(opening.error);
    opening.onsuccess = () => {
      const db = opening.result;
      const read = db.transaction("routines").objectStore("routines").index("slug").get(slug);
      read.onsuccess = () => { db.close(); resolve(read.result || null); };
      read.onerror = () => reject(read.error);
    };
  });
  const cached = await (await caches.open("fickan-routines")).match(`/rutiner/${slug}`);
  return {version: record?.version ?? null, text: record?.text ?? null, html: cached ? await cached.text() : ""};
}"""

# The text a page reads from a routine page (DOMParser), as the page's own sync stores it.
PAGE_TEXT = """(html) => {
  const body = new DOMParser().parseFromString(html, "text/html").querySelector(".routine-body");
  return (body?.textContent || "").replace(/\\s+/g, " ").trim();
}"""

NOTIFICATIONS = """async () => (await self.registration.getNotifications())
  .map((n) => ({title: n.title, tag: n.tag, data: n.data}))"""


class FailingRoutineSync:
    """Makes the server answer the phone's routine sync with an error, or hold it until released."""

    def __init__(self, app):
        self.mode = None
        self.released = threading.Event()
        inner = app.wsgi_app

        def failing(environ, start_response):
            syncing = environ["PATH_INFO"] == FEED or "HTTP_X_FICKAN_SYNC" in environ
            if syncing and self.mode == "error":
                start_response("500 INTERNAL SERVER ERROR", [("Content-Type", "text/plain")])
                return [b"fel"]
            if syncing and self.mode == "hang":
                self.released.wait(timeout=60)
            return inner(environ, start_response)

        app.wsgi_app = failing


@pytest.fixture
def failing_sync(app):
    failing = FailingRoutineSync(app)
    yield failing
    failing.released.set()


def routine_opened_on_the_phone(page: Page, live_server, receiver):
    """Staff with push turned on, the routine opened once (so they hear of its changes and the phone holds it)."""
    with live_server.app.app_context():
        slug = published_routine(title=TITLE).slug
    browser = turn_on_notifications(page, live_server, receiver)
    wait_for_sync(page)
    page.goto(f"/rutiner/{slug}")
    wait_for_sync(page)
    assert on_phone(page.context, slug)["version"] == 1
    return slug, browser


def service_worker(context: BrowserContext) -> Worker:
    """The app's service worker as it runs now (the browser may have stopped and restarted it)."""
    return context.service_workers[-1] if context.service_workers else context.wait_for_event("serviceworker")


def on_phone(context: BrowserContext, slug: str) -> dict:
    return service_worker(context).evaluate(ROUTINE_ON_PHONE, slug)


def push_channel(context: BrowserContext, origin: str) -> tuple[object, str]:
    """A CDP session (on a blank page: no page of the app stays open) and the app's service worker registration."""
    return registration_through_cdp(context.new_page(), origin)


def publish_and_push(live_server, receiver, browser, slug: str, cdp, registration_id: str) -> dict:
    """Publish a new version; the app pushes it to the receiver, which hands it to the phone's service worker."""
    with live_server.app.app_context():
        publish_new_version(services.routine_by_slug(slug))
    [pushed] = receiver.delivered(browser.path)
    assert pushed.payload["notification"]["data"]["kind"] == "routine"
    cdp.send("ServiceWorker.deliverPushMessage", {
        "origin": live_server.url, "registrationId": registration_id, "data": json.dumps(pushed.payload)})
    return pushed.payload


def shown_notifications(context: BrowserContext) -> list[dict]:
    """The notifications the service worker shows, once there are any (bounded wait)."""
    for _ in range(NOTIFICATION_ATTEMPTS):
        shown = service_worker(context).evaluate(NOTIFICATIONS)
        if shown:
            return shown
        context.pages[0].wait_for_timeout(50)
    return []


def test_a_routine_push_fetches_the_new_version_so_a_tap_offline_opens_it(page: Page, live_server, receiver,
                                                                        request_log):
    slug, browser = routine_opened_on_the_phone(page, live_server, receiver)
    context = page.context
    cdp, registration_id = push_channel(context, live_server.url)
    page.close()

    mark = request_log.mark()
    payload = publish_and_push(live_server, receiver, browser, slug, cdp, registration_id)

    [shown] = shown_notifications(context)
    assert shown["tag"] == payload["notification"]["tag"]
    assert shown["data"]["url"] == f"/rutiner/{slug}"
    # The worker asked the feed and fetched the page before the notification showed.
    fetched = [path for path in request_log.paths_since(mark) if path.startswith(("/api/", "/rutiner/"))]
    assert fetched == [FEED, f"/rutiner/{slug}"]
    stored = on_phone(context, slug)
    assert stored["version"] == 2 and NEW_TEXT in stored["text"]

    context.set_offline(True)
    mark = request_log.mark()
    tap = context.new_page()
    tap.goto(shown["data"]["url"])
    expect(tap.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(tap.locator(".routine-body")).to_contain_text(NEW_TEXT)
    expect(tap.locator(".changed")).to_contain_text("Nya nycklar från måndag")
    # The browser's own check for a new /sw.js after a navigation is not covered by the emulated offline
    # (a real phone without signal fails it); everything the page and its worker asked for must be.
    assert [path for path in request_log.paths_since(mark) if path != "/sw.js"] == []
    # The worker reads the page without a DOM; the offline search gets the text a page would have stored.
    assert stored["text"] == tap.evaluate(PAGE_TEXT, stored["html"])


@pytest.mark.parametrize("failure", ["error", "hang"])
def test_a_routine_push_shows_its_notification_when_the_fetch_fails(page: Page, live_server, receiver, failing_sync,
                                                                    failure):
    slug, browser = routine_opened_on_the_phone(page, live_server, receiver)
    context = page.context
    cdp, registration_id = push_channel(context, live_server.url)
    page.close()

    failing_sync.mode = failure
    payload = publish_and_push(live_server, receiver, browser, slug, cdp, registration_id)

    [shown] = shown_notifications(context)
    assert shown["title"] == payload["notification"]["title"]
    assert shown["data"]["url"] == f"/rutiner/{slug}"
    # Nothing changed on the phone: the pages' next sync asks again.
    assert on_phone(context, slug)["version"] == 1
