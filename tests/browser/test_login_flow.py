"""Logging in and out, the app shell, the admin pages and the error page, in a phone-sized Chromium."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.actions import login, submit_login_form
from tests.browser.axe import assert_accessible

NEW_USER_PASSWORD = "Kaffe7-paus!"  # 12 characters, above the policy's minimum of 10


def login_url_pattern(base_url: str) -> re.Pattern:
    """/login, with or without the ?next= the app adds when it sends someone there."""
    return re.compile(re.escape(base_url) + r"/login(\?.*)?$")


def test_login_page_has_no_accessibility_violations(page):
    page.goto("/login")
    assert_accessible(page)


def test_staff_member_sees_main_navigation_with_name_and_unit(page):
    login(page, "usk.nord")

    navigation = page.get_by_role("navigation", name="Huvudmeny")
    for name in ("Rutiner", "Rapportera", "Meddelanden"):
        expect(navigation.get_by_role("link", name=name)).to_be_visible()
    header = page.get_by_role("banner")
    expect(header).to_contain_text("Amina Hassan")
    expect(header).to_contain_text("Hemvård Nord")


def test_home_page_has_no_accessibility_violations(page):
    login(page, "usk.nord")
    assert_accessible(page)


def test_logging_out_returns_to_login_and_locks_the_app(page, live_server):
    login(page, "usk.nord")

    page.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(f"{live_server.url}/login")
    expect(page.get_by_role("button", name="Logga in")).to_be_visible()

    page.goto("/")
    expect(page).to_have_url(login_url_pattern(live_server.url))
    expect(page.get_by_label("Användarnamn", exact=True)).to_be_visible()


def test_wrong_password_shows_swedish_message_and_stays_on_login(page, live_server):
    submit_login_form(page, "usk.nord", "fel-losenord")

    expect(page.get_by_role("alert")).to_have_text("Fel användarnamn eller lösenord.")
    expect(page).to_have_url(f"{live_server.url}/login")


def test_password_field_hides_what_is_typed(page):
    page.goto("/login")
    expect(page.get_by_label("Lösenord", exact=True)).to_have_attribute("type", "password")


def test_app_shell_shows_no_reports_waiting_after_login(page):
    login(page, "usk.nord")
    expect(page.locator("[data-outbox-pending]")).to_have_text("0")


@pytest.mark.parametrize("path, username", [("/login", None), ("/", "usk.nord")], ids=["login", "home"])
def test_page_does_not_scroll_sideways_at_320_px(page, path, username):
    page.set_viewport_size({"width": 320, "height": 640})
    if username:
        login(page, username)
    page.goto(path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize("path", ["/admin/anvandare", "/admin/anvandare/ny", "/admin/enheter"])
def test_admin_page_has_no_accessibility_violations(page, path):
    login(page, "admin")
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


def test_admin_user_edit_page_has_no_accessibility_violations(page):
    login(page, "admin")
    page.goto("/admin/anvandare")
    page.get_by_role("link", name=re.compile("Amina Hassan")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Amina Hassan")
    assert_accessible(page)


def test_admin_creates_a_user_who_can_then_log_in(page, open_page):
    login(page, "admin")
    page.goto("/admin/anvandare/ny")
    page.get_by_label("Användarnamn", exact=True).fill("usk.ny")
    page.get_by_label("Namn", exact=True).fill("Nora Nyström")
    page.get_by_label("Roll", exact=True).select_option(label="Omsorgspersonal")
    page.get_by_role("checkbox", name="Hemvård Syd").check()
    page.get_by_label("Tillfälligt lösenord", exact=True).fill(NEW_USER_PASSWORD)
    page.get_by_role("button", name="Skapa kontot").click()

    expect(page.get_by_role("status")).to_have_text("Kontot usk.ny är skapat.")

    newcomer = open_page()
    login(newcomer, "usk.ny", NEW_USER_PASSWORD)
    header = newcomer.get_by_role("banner")
    expect(header).to_contain_text("Nora Nyström")
    expect(header).to_contain_text("Hemvård Syd")


def test_user_search_narrows_the_list_while_typing(page):
    login(page, "admin")
    page.goto("/admin/anvandare")
    users = page.locator("#anvandarlista").get_by_role("listitem")
    expect(users.filter(has_text="Johan Ek")).to_have_count(1)

    with page.expect_request(lambda request: request.headers.get("hx-request") == "true"):
        page.get_by_label("Sök användare").press_sequentially("usk")

    expect(users.filter(has_text="Johan Ek")).to_have_count(0)
    expect(users.filter(has_text="Amina Hassan")).to_have_count(1)
    expect(users.filter(has_text="Lars Berg")).to_have_count(1)
    expect(page.locator("#anvandarlista")).to_contain_text("2 konton")


def test_staff_member_is_refused_the_handlers_inbox_in_swedish(page):
    login(page, "usk.nord")
    response = page.goto("/rapporter")

    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Du har inte behörighet till det här.")


def test_forbidden_page_has_no_accessibility_violations(page):
    login(page, "usk.nord")
    page.goto("/rapporter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Du har inte behörighet till det här.")
    assert_accessible(page)
