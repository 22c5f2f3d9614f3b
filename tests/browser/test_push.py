"""Push on the phone: subscribing from the settings, a push shown by the real service worker, and the
inbox that has the notice whether or not the push arrived."""
import json
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from app.notices import services as notices
from app.notices.models import PushSubscription
from app.timestamps import local_today
from tests.browser.actions import login, wait_for_sync
from tests.browser.axe import assert_accessible
from tests.notices.receiver import PushReceiver
from tests.routines.factories import unit, user

TITLE = "Ny nyckelrutin från måndag"

# Chromium here cannot reach a real push service: PushManager answers with a subscription whose
# endpoint is the test's own receiver, with keys the test made (so the receiver can decrypt).
STUB_PUSH_MANAGER = """(() => {
  const subscription = %s;
  let current = null;
  const make = () => ({
    endpoint: subscription.endpoint, expirationTime: null, options: {userVisibleOnly: true},
    toJSON: () => subscription, getKey: () => null,
    unsubscribe: async () => { current = null; return true; },
  });
  PushManager.prototype.subscribe = async function () { current = make(); return current; };
  PushManager.prototype.getSubscription = async function () { return current; };
})();"""

NOTIFICATIONS = """async () => {
  const registration = await navigator.serviceWorker.ready;
  return (await registration.getNotifications()).map((n) => ({title: n.title, body: n.body, tag: n.tag}));
}"""


@pytest.fixture
def receiver(app):
    receiver = PushReceiver().start()
    app.config.update(PUSH_ALLOWED_HOSTS=[receiver.host], PUSH_RETRY_BASE_SECONDS=0.01, PUSH_TIMEOUT_SECONDS=5,
                      VAPID_SUBJECT="mailto:it@kommun.example")
    yield receiver
    receiver.stop()


def shown_notifications(page: Page, attempts: int = 50) -> list[dict]:
    """The notifications the service worker shows, once there are any (bounded wait)."""
    for _ in range(attempts):
        shown = page.evaluate(NOTIFICATIONS)
        if shown:
            return shown
        page.wait_for_timeout(100)
    return []


def service_worker_registration_id(page: Page, origin: str) -> tuple[object, str]:
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    return registration_through_cdp(page, origin)


def registration_through_cdp(page: Page, origin: str) -> tuple[object, str]:
    """A CDP session on `page` and the service worker registration of `origin`."""
    cdp = page.context.new_cdp_session(page)
    registrations: list[dict] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    for _ in range(50):
        matching = [r for r in registrations if r["scopeURL"] == origin + "/" and not r["isDeleted"]]
        if matching:
            return cdp, matching[-1]["registrationId"]
        page.wait_for_timeout(100)
    raise AssertionError(f"no service worker registration for {origin}: {registrations}")


def turn_on_notifications(page: Page, live_server, receiver):
    """Log in as staff and tap "Slå på aviseringar"; the phone's subscription points at the test's receiver."""
    browser = receiver.new_browser()
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    page.add_init_script(STUB_PUSH_MANAGER % json.dumps(browser.subscription(receiver.origin)))
    login(page, "usk.nord")
    page.goto("/meddelanden/installningar")
    assert_accessible(page)
    page.get_by_role("button", name="Slå på aviseringar").click()
    expect(page.locator("[data-push-status]")).to_have_text("Aviseringar är påslagna på den här telefonen.")
    return browser


def test_a_notice_pushed_to_the_phone_is_shown_and_lands_in_the_inbox(page: Page, live_server, receiver):
    browser = turn_on_notifications(page, live_server, receiver)
    with live_server.app.app_context():
        [subscription] = db.session.query(PushSubscription).all()
        assert subscription.user.username == "usk.nord"

    page.goto("/meddelanden")
    expect(page.locator("#innehall")).not_to_contain_text(TITLE)
    cdp, registration_id = service_worker_registration_id(page, live_server.url)
    with live_server.app.app_context():
        notices.send_notice(user("samordnare.nord"), title=TITLE, body="Läs den innan passet.", importance="normal",
                            expires_on=local_today() + timedelta(days=7), unit_ids=[unit("Hemvård Nord").id],
                            roles=["staff"])
    [pushed] = receiver.delivered(browser.path)
    assert pushed.payload["notification"]["title"] == TITLE

    # The open inbox page learns of the push from the service worker and shows the notice without a reload.
    cdp.send("ServiceWorker.deliverPushMessage", {
        "origin": live_server.url, "registrationId": registration_id, "data": json.dumps(pushed.payload)})
    [shown] = shown_notifications(page)
    assert shown["title"] == TITLE and shown["tag"] == pushed.payload["notification"]["tag"]
    inbox = page.locator("[data-inbox]")
    expect(inbox).to_contain_text(TITLE)
    assert_accessible(page)


def test_logging_out_unsubscribes_this_phone(page: Page, live_server, receiver):
    turn_on_notifications(page, live_server, receiver)
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/login")
    with live_server.app.app_context():
        assert db.session.query(PushSubscription).count() == 0


# Like STUB_PUSH_MANAGER, but the browser's subscription outlives a page (localStorage) and each new subscribe()
# gets the next endpoint of the list, as a real push service gives a new endpoint after an unsubscribe.
LASTING_PUSH_MANAGER = """(() => {
  const subscriptions = %s;
  const KEY = "test-push-subscription";
  const make = (index) => ({
    endpoint: subscriptions[index].endpoint, expirationTime: null, options: {userVisibleOnly: true},
    toJSON: () => subscriptions[index], getKey: () => null,
    unsubscribe: async () => { localStorage.removeItem(KEY); return true; },
  });
  PushManager.prototype.subscribe = async function () {
    const index = Number(localStorage.getItem(KEY + "-made") || "0");
    localStorage.setItem(KEY + "-made", String(index + 1));
    localStorage.setItem(KEY, String(index));
    return make(index);
  };
  PushManager.prototype.getSubscription = async function () {
    const index = localStorage.getItem(KEY);
    return index === null ? null : make(Number(index));
  };
})();"""


def stored_subscriptions(live_server) -> list[tuple[str, str]]:
    with live_server.app.app_context():
        return sorted((s.user.username, s.endpoint) for s in db.session.query(PushSubscription))


@pytest.mark.allow_browser_errors(r"/api/v1/push/subscriptions.*409")  # the refusal the phone answers
def test_a_phone_still_subscribed_for_someone_logged_in_gets_a_fresh_subscription_for_the_next(
        page: Page, live_server, receiver):
    first, second = receiver.new_browser(), receiver.new_browser()
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    page.add_init_script(LASTING_PUSH_MANAGER % json.dumps([first.subscription(receiver.origin),
                                                            second.subscription(receiver.origin)]))
    login(page, "usk.nord")
    page.goto("/meddelanden/installningar")
    page.get_by_role("button", name="Slå på aviseringar").click()
    expect(page.locator("[data-push-status]")).to_have_text("Aviseringar är påslagna på den här telefonen.")
    # The routine sync ends first: its requests, sent to the login page once the cookies are gone, would each
    # start a new anonymous session, and the login form's CSRF token would belong to an older one.
    wait_for_sync(page)
    # The cookies go without a logout: usk.nord's login (and subscription) on the server lasts.
    page.context.clear_cookies()
    with page.expect_response(lambda response: response.request.method == "POST" and response.status == 201
                              and response.url.endswith("/api/v1/push/subscriptions")):
        login(page, "usk.syd")  # the app's start sends the subscription: 409, then a fresh one
    assert stored_subscriptions(live_server) == sorted([("usk.nord", first.subscription(receiver.origin)["endpoint"]),
                                                        ("usk.syd", second.subscription(receiver.origin)["endpoint"])])
