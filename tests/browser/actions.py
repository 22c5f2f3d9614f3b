"""What a person does in the browser, in steps the tests share."""
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

SYNC_DONE = "body[data-routine-sync='done']"
SYNC_TIMEOUT_MS = 30_000


def path_of(url: str) -> str:
    return urlsplit(url).path


def submit_login_form(page: Page, username: str, password: str) -> None:
    """Fill in and send the login form, opening /login first unless it is already shown."""
    if path_of(page.url) != "/login":
        page.goto("/login")
    page.get_by_label("Användarnamn", exact=True).fill(username)
    page.get_by_label("Lösenord", exact=True).fill(password)
    with page.expect_response(lambda response: response.request.method == "POST" and path_of(response.url) == "/login"):
        page.get_by_role("button", name="Logga in").click()


def login(page: Page, username: str, password: str = "demo") -> None:
    """Log in through the form and wait until the app has taken the user past the login page."""
    submit_login_form(page, username, password)
    page.wait_for_url(lambda url: path_of(url) != "/login")
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def wait_for_sync(page: Page) -> None:
    """Until the phone's routine sync has finished: a test goes offline only after it, never in the middle."""
    page.wait_for_selector(SYNC_DONE, state="attached", timeout=SYNC_TIMEOUT_MS)


def wait_for_service_worker(page: Page, timeout_ms: int = 15_000) -> None:
    """Until the page's service worker is active. Not `page.evaluate("navigator.serviceWorker.ready")`:
    evaluate has no timeout, and a worker that never activates would hang the test instead of failing it."""
    page.evaluate("() => { navigator.serviceWorker.ready.then(() => { window.fickanWorkerReady = true; }); }")
    page.wait_for_function("() => window.fickanWorkerReady === true", timeout=timeout_ms)


def hold_back_htmx(page: Page) -> list:
    """The htmx chunk's requests, held (not answered) until the test continues one. Only with service workers
    blocked: otherwise the chunk comes from the worker's cache, not the network."""
    held = []
    page.route("**/static/dist/chunks/htmx*", lambda route: held.append(route))
    return held


def wait_until_held(page: Page, held: list) -> None:
    """Wait (at most 10 s) until the page has asked for the held htmx chunk."""
    for _ in range(100):
        if held:
            return
        page.wait_for_timeout(100)
    raise AssertionError("htmx was never asked for")


def open_with_htmx_held(open_page, username: str, path: str) -> tuple[Page, list]:
    """`path` opened as `username` with the htmx chunk held back (hold_back_htmx): service workers blocked, so
    that the chunk comes from the network; the page is used before htmx has started."""
    page = open_page(service_workers="block")
    login(page, username)
    held = hold_back_htmx(page)
    page.goto(path, wait_until="domcontentloaded")
    return page, held


def release_htmx(page: Page, held: list, answered) -> None:
    """Let the held htmx chunk load and wait for the response `answered` picks (what htmx sends once started)."""
    wait_until_held(page, held)
    with page.expect_response(answered):
        held[0].continue_()
