"""The app works in a basement: installable, routines on the phone, offline reading and search,
delta sync of what changed, removal of what went away, nothing left after logout (app updates: test_app_update.py)."""
import threading

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from app.routines import services
from tests.browser.actions import SYNC_TIMEOUT_MS, login, path_of, wait_for_service_worker, wait_for_sync
from tests.browser.axe import assert_accessible
from tests.routines import factories

STAFF = "usk.nord"

# Reads what the phone holds: Cache Storage entries per cache and the routines in IndexedDB.
PHONE_CONTENTS = """async () => {
  const caches_ = {};
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    caches_[name] = (await cache.keys()).map((request) => new URL(request.url).pathname);
  }
  const routines = await new Promise((resolve, reject) => {
    const opening = indexedDB.open("fickan");
    opening.onerror = () => reject(opening.error);
    opening.onsuccess = () => {
      const db = opening.result;
      if (!db.objectStoreNames.contains("routines")) { db.close(); resolve([]); return; }
      const all = db.transaction("routines").objectStore("routines").getAll();
      all.onsuccess = () => { db.close(); resolve(all.result.map((routine) => routine.slug)); };
      all.onerror = () => reject(all.error);
    };
  });
  return {caches: caches_, routines};
}"""

class RequestLog:
    """The requests that reach the server, recorded by a WSGI middleware around the test's app."""

    def __init__(self, app):
        self.lock = threading.Lock()
        self.entries: list[tuple[str, str, bool]] = []
        inner = app.wsgi_app

        def recording(environ, start_response):
            with self.lock:
                self.entries.append((environ["REQUEST_METHOD"], environ["PATH_INFO"], "HTTP_X_FICKAN_SYNC" in environ))
            return inner(environ, start_response)

        app.wsgi_app = recording

    def mark(self) -> int:
        with self.lock:
            return len(self.entries)

    def paths_since(self, mark: int) -> list[str]:
        with self.lock:
            return [path for _, path, _ in self.entries[mark:]]


@pytest.fixture
def request_log(app):
    return RequestLog(app)


def routine_paths(paths: list[str]) -> list[str]:
    return [path for path in paths if path.startswith("/rutiner/") and not path.startswith("/rutiner/bilder/")]


def resync_when_back_online(page: Page) -> None:
    """Go offline and back: the `online` event starts a sync; wait until it has finished."""
    page.context.set_offline(True)
    page.evaluate("document.body.dataset.routineSync = 'waiting'")
    page.context.set_offline(False)
    wait_for_sync(page)


def login_and_sync(page: Page, username: str = STAFF) -> None:
    login(page, username)
    wait_for_sync(page)
    wait_for_service_worker(page)


def readable_slugs(app, username: str = STAFF) -> set[str]:
    with app.app_context():
        return {routine.slug for routine in services.readable_routines(factories.user(username))}


def phone_contents(page: Page) -> dict:
    return page.evaluate(PHONE_CONTENTS)


def test_the_app_is_installable(page: Page):
    login(page, STAFF)
    wait_for_service_worker(page)
    manifest = page.request.get("/manifest.webmanifest").json()
    assert manifest["short_name"] == "Fickan" and manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    assert any(icon["purpose"] == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        assert page.request.get(icon["src"]).headers["content-type"] == "image/png"
    cdp = page.context.new_cdp_session(page)
    errors = [error["errorId"] for error in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]]
    # Playwright's contexts are incognito profiles, where Chromium never installs; every other criterion counts.
    assert [error for error in errors if error != "in-incognito"] == []
    assert cdp.send("Page.getAppManifest")["errors"] == []


def test_the_first_sync_puts_every_readable_routine_on_the_phone(page: Page, live_server):
    login(page, STAFF)
    expect(page.locator("[data-sync-progress]")).to_contain_text("Hämtar rutiner", timeout=SYNC_TIMEOUT_MS)
    wait_for_sync(page)
    contents = phone_contents(page)
    expected = readable_slugs(live_server.app)
    assert set(contents["routines"]) == expected
    assert {f"/rutiner/{slug}" for slug in expected} <= set(contents["caches"]["fickan-routines"])
    expect(page.locator("[data-connection-status]")).to_contain_text("Rutiner uppdaterade")


def test_routines_can_be_read_and_searched_with_no_network(page: Page, live_server):
    login_and_sync(page)
    page.goto("/rutiner")
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("[data-connection-status]")).to_contain_text("Offline")
    assert_accessible(page)

    titles = page.locator("[data-routine-catalogue][data-from-phone] .list-title")
    expect(titles.first).to_be_visible()
    opened = []
    for position in range(3):
        page.locator("[data-routine-catalogue] details").first.evaluate("details => { details.open = true; }")
        link = page.locator("[data-routine-catalogue] a").nth(position)
        title = link.locator(".list-title").inner_text()
        link.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        expect(page.locator("[data-fetched-at]")).to_contain_text("hämtad till telefonen")
        opened.append(path_of(page.url))
        page.go_back()
    assert len(set(opened)) == 3
    page.goto(opened[0])
    assert_accessible(page)

    page.goto("/rutiner")
    page.get_by_label("Sök rutin").fill("lakemedel")
    results = page.locator("#sokresultat")
    expect(results).to_contain_text("bland rutinerna på telefonen")
    expect(results.locator("a").first).to_be_visible()
    assert any("läkemedel" in text.lower() for text in results.locator(".list-title").all_inner_texts())
    assert_accessible(page)


def test_offline_search_tolerates_compound_parts_typos_and_synonyms(page: Page):
    login_and_sync(page)
    page.goto("/rutiner")
    page.context.set_offline(True)
    page.reload()
    search = page.get_by_label("Sök rutin")
    results = page.locator("#sokresultat .list-title")
    for query, expected in [("hantering", "läkemedelshantering"), ("hygen", "hygien"), ("medicin", "läkemedel"),
                            ("ramla", "fall")]:
        search.fill(query)
        expect(page.locator("#sokresultat")).to_contain_text(f"på ”{query}”")
        assert any(expected in title.lower() for title in results.all_inner_texts()), (query, results.all_inner_texts())


def test_a_search_url_opened_offline_searches_the_phone(page: Page):
    login_and_sync(page)
    page.goto("/rutiner")
    page.context.set_offline(True)
    page.goto("/rutiner?q=trycksar")
    expect(page.get_by_label("Sök rutin")).to_have_value("trycksar")
    expect(page.locator("#sokresultat .list-title").first).to_contain_text("rycksår")


def test_a_page_that_is_not_on_the_phone_shows_the_offline_page(page: Page):
    login_and_sync(page)
    page.context.set_offline(True)
    page.goto("/rutiner/hantera")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte på telefonen")
    expect(page.locator("[data-routine-catalogue] a").first).to_be_visible()
    expect(page.locator("[data-outbox-pending]")).to_have_text("0")
    assert_accessible(page)


def test_back_online_only_the_changed_routine_is_fetched_and_shows_as_changed(page: Page, live_server, request_log):
    login_and_sync(page)
    slug = "nyckelhantering-hemvard-nord"
    page.context.set_offline(True)
    with live_server.app.app_context():
        routine = services.routine_by_slug(slug)
        # Quality writes the change; the routine's owner approves it.
        services.save_draft(factories.user("kvalitet"), routine, title=routine.current_version.title,
                            tags="nycklar", body_md=routine.current_version.body_md + "\n\nKvittera alltid nyckeln.\n")
        db.session.commit()
        services.submit_for_review(factories.user("kvalitet"), routine, "Kvittens av nycklar")
        db.session.commit()
        services.approve(factories.user("chef.nord"), routine)
        db.session.commit()
    page.evaluate("document.body.dataset.routineSync = 'waiting'")
    mark = request_log.mark()
    page.context.set_offline(False)
    wait_for_sync(page)
    fetched = routine_paths(request_log.paths_since(mark))
    assert fetched == [f"/rutiner/{slug}"]

    page.context.set_offline(True)
    page.goto(f"/rutiner/{slug}")
    expect(page.locator(".changed")).to_contain_text("Ändrad")
    expect(page.locator(".routine-body")).to_contain_text("Kvittera alltid nyckeln.")


def test_archived_and_moved_routines_disappear_from_the_phone(page: Page, live_server):
    login_and_sync(page)
    archived, moved = "nyckelhantering-hemvard-nord", "fallprevention-i-ordinart-boende"
    assert {archived, moved} <= set(phone_contents(page)["routines"])
    with live_server.app.app_context():
        services.archive(factories.user("chef.nord"), services.routine_by_slug(archived), "Ersatt")
        db.session.commit()
        routine = services.routine_by_slug(moved)
        services.update_settings(factories.user("kvalitet"), routine, services.RoutineSettings(
            kind=routine.kind, category=routine.category, scope_unit=factories.unit("Hemvård Syd"),
            owner=routine.owner, approver=routine.approver, review_due_on=routine.review_due_on))
        db.session.commit()
    resync_when_back_online(page)
    contents = phone_contents(page)
    for slug in (archived, moved):
        assert slug not in contents["routines"]
        assert all(f"/rutiner/{slug}" not in urls for urls in contents["caches"].values())
    page.context.set_offline(True)
    page.goto("/rutiner")
    # Offline, the list is drawn again from what the phone holds (the cached page may be older).
    expect(page.locator("[data-routine-catalogue][data-from-phone] a").first).to_be_visible()
    assert page.locator(f"[data-routine-catalogue] a[href='/rutiner/{archived}']").count() == 0


def test_logout_leaves_no_routine_on_the_phone(page: Page):
    login_and_sync(page)
    page.goto("/rutiner")
    page.locator("[data-routine-catalogue] a").first.click()
    assert phone_contents(page)["routines"]
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/login")
    contents = phone_contents(page)
    assert contents["routines"] == []
    leftovers = {name: urls for name, urls in contents["caches"].items() if any("/rutiner" in url for url in urls)}
    assert leftovers == {}
    assert page.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('fickan:checklist:'))") == []


def test_report_pages_are_never_kept_on_the_phone(page: Page):
    login_and_sync(page, "kvalitet")
    page.goto("/rapporter")
    page.locator("a[href^='/rapporter/']").first.click()
    page.wait_for_url("**/rapporter/*")
    page.goto("/statistik")
    page.goto("/rutiner")
    cached = [url for urls in phone_contents(page)["caches"].values() for url in urls]
    assert "/rutiner" in cached
    assert [url for url in cached if url.split("/")[1] in ("rapporter", "statistik")] == []


@pytest.mark.allow_browser_errors("status of 401")
def test_a_401_from_the_server_empties_the_users_caches(page: Page):
    login_and_sync(page)
    assert phone_contents(page)["caches"].get("fickan-routines")
    page.context.clear_cookies()
    status = page.evaluate("fetch('/rutiner', {headers: {'HX-Request': 'true'}}).then((response) => response.status)")
    assert status == 401
    # The worker empties the caches after it has answered: wait for it rather than look at once.
    page.wait_for_function("""async () => {
      const names = await caches.keys();
      return !names.some((name) => ["fickan-routines", "fickan-pages", "fickan-partials"].includes(name));
    }""", timeout=10_000)
    contents = phone_contents(page)["caches"]
    assert not {"fickan-routines", "fickan-pages", "fickan-partials"} & set(contents)


@pytest.mark.allow_browser_errors("Failed to load resource")
def test_a_session_that_ends_during_the_sync_stops_it_without_opening_the_login_page(page: Page, live_server,
                                                                                    request_log):
    # Following the redirect would open /login in the background, a new session each time, and the login form
    # the user then fills in would carry a token of a session that is no longer the phone's.
    cut_at = []

    def lose_the_session_at_the_first_page(route):
        if route.request.headers.get("x-fickan-sync") == "1" and not cut_at:
            page.context.clear_cookies()
            cut_at.append(request_log.mark())
        headers = {name: value for name, value in route.request.headers.items() if name != "cookie"}
        route.continue_(headers=headers if cut_at else None)

    page.route("**/rutiner/*", lose_the_session_at_the_first_page)
    login(page, STAFF)
    page.wait_for_selector("body[data-routine-sync='failed']", state="attached", timeout=SYNC_TIMEOUT_MS)
    expect(page.get_by_text("Du behöver logga in igen")).to_be_visible()
    after_cut = request_log.paths_since(cut_at[0])
    assert "/login" not in after_cut
    assert len(routine_paths(after_cut)) <= 4 < len(readable_slugs(live_server.app))
    page.unroute("**/rutiner/*")
    login(page, STAFF)
    wait_for_sync(page)


def test_another_user_on_the_same_phone_starts_from_nothing(page: Page, live_server):
    login_and_sync(page, "usk.syd")
    assert "digitala-las-i-hemvard-syd" in phone_contents(page)["routines"]
    page.context.clear_cookies()
    page.evaluate("document.body.dataset.routineSync = 'waiting'")
    login_and_sync(page, STAFF)
    assert set(phone_contents(page)["routines"]) == readable_slugs(live_server.app)
