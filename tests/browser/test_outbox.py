"""Reporting from the phone: the report is saved on the phone first and reaches the server exactly
once, whatever the network and the server do in between."""
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from app.reports import services as reports
from app.reports.models import Report, ReportPhoto
from app.timestamps import utcnow
from tests.browser.actions import login, wait_for_service_worker, wait_for_sync
from tests.browser.axe import assert_accessible
from tests.browser.conftest import RunningServer
from tests.browser.faults import ApiFaults
from tests.reports.factories import jpeg_with_gps

STAFF = "usk.nord"
TEXT = "Brukaren hade ramlat i hallen när jag kom. Hon hade ont i höften."
SEND_TIMEOUT_MS = 20_000
REPORT_POST = ("POST", "/api/v1/reports")
CONNECTION_ERRORS = (r"Failed to load resource: "
                     r"net::ERR_(CONNECTION_REFUSED|EMPTY_RESPONSE|CONNECTION_RESET|INTERNET_DISCONNECTED)")


@pytest.fixture
def faults(app):
    return ApiFaults(app, *REPORT_POST)


@pytest.fixture
def gps_photos(tmp_path) -> list[Path]:
    """Two camera photos that say where they were taken (GPS in EXIF)."""
    paths = []
    for number in (1, 2):
        path = tmp_path / f"kamera-{number}.jpg"
        path.write_bytes(jpeg_with_gps(size=(1200, 900)))
        paths.append(path)
    return paths


@pytest.fixture(autouse=True)
def test_started_at(app):
    """Reports the server received from here on are this test's; the demo data has reports of its own."""
    app.config["TEST_STARTED_AT"] = utcnow()


def reports_on_server(app) -> list[Report]:
    """The reports this test's phone sent (received by the server since the test started)."""
    with app.app_context():
        return list(db.session.scalars(select(Report).where(Report.received_at >= app.config["TEST_STARTED_AT"])))


def pending(page: Page):
    return page.locator("[data-outbox-pending]").first


def fill_and_save_report(page: Page, photos: list[Path] = (), told: str = "Sparad på telefonen") -> None:
    page.goto("/rapportera")
    page.get_by_label("Vad hände?").fill(TEXT)
    page.get_by_role("checkbox", name="En brukare eller patient").check()
    page.get_by_role("checkbox", name="Ett fall").check()
    if photos:
        page.get_by_label("Lägg till foto").set_input_files([str(path) for path in photos])
        expect(page.locator(".photo-list img")).to_have_count(len(photos))
    page.get_by_role("button", name="Skicka", exact=True).click()
    expect(page.locator("[data-report-saved]")).to_contain_text(told)


def wait_until_sent(page: Page, app, reports: int = 1) -> None:
    """Until the server holds the reports and the phone's outbox is empty (bounded)."""
    for _ in range(SEND_TIMEOUT_MS // 100):
        if len(reports_on_server(app)) >= reports:
            break
        page.wait_for_timeout(100)
    expect(pending(page)).to_have_text("0", timeout=SEND_TIMEOUT_MS)


def login_and_sync(page: Page) -> None:
    login(page, STAFF)
    wait_for_sync(page)
    wait_for_service_worker(page)


def test_a_report_made_offline_waits_on_the_phone_and_arrives_once_without_gps(page: Page, live_server, gps_photos):
    login_and_sync(page)
    page.context.set_offline(True)
    fill_and_save_report(page, gps_photos)
    expect(pending(page)).to_have_text("1")
    assert_accessible(page)

    context = page.context
    page.close()
    reopened = context.new_page()
    reopened.goto("/rapportera/mina")
    expect(pending(reopened)).to_have_text("1")
    expect(reopened.locator("[data-outbox-list] li")).to_contain_text("Väntar på nätverk")
    assert_accessible(reopened)
    assert reports_on_server(live_server.app) == []

    context.set_offline(False)
    wait_until_sent(reopened, live_server.app)
    [report] = reports_on_server(live_server.app)
    assert report.text == TEXT and set(report.topics) == {"fall"}
    with live_server.app.app_context():
        photos = db.session.scalars(select(ReportPhoto).where(ReportPhoto.report_id == report.id)).all()
        assert len(photos) == 2
        for photo in photos:
            with Image.open(reports.photo_path(photo)) as stored:
                assert not stored.getexif() and "exif" not in stored.info
    expect(reopened.locator("[data-sent-list]")).to_contain_text("Brukaren hade ramlat")
    assert_accessible(reopened)


def test_a_report_sent_online_that_reached_the_server_says_skickad(page: Page, live_server):
    login_and_sync(page)
    with page.expect_response(lambda response: response.url.endswith("/api/v1/reports")) as answer:
        fill_and_save_report(page, told="Skickad")
    assert answer.value.status == 201
    saved = page.locator("[data-report-saved]")
    expect(saved).to_have_attribute("role", "status")
    expect(saved).not_to_contain_text("Sparad på telefonen")
    expect(pending(page)).to_have_text("0")
    assert len(reports_on_server(live_server.app)) == 1
    assert_accessible(page)


def test_a_report_saved_offline_says_sparad_pa_telefonen_not_skickad(page: Page, live_server):
    login_and_sync(page)
    page.context.set_offline(True)
    fill_and_save_report(page, told="Sparad på telefonen")
    expect(page.locator("[data-report-saved]")).not_to_contain_text("Skickad")
    expect(pending(page)).to_have_text("1")
    assert reports_on_server(live_server.app) == []


@pytest.mark.allow_browser_errors(CONNECTION_ERRORS)
def test_a_report_waits_while_the_server_is_down_and_goes_when_it_is_back(app, open_page):
    server = RunningServer(app)
    page = open_page(base_url=f"http://127.0.0.1:{server.port}")
    login_and_sync(page)
    page.goto("/rapportera")
    server.stop()
    page.get_by_label("Vad hände?").fill(TEXT)
    page.get_by_role("button", name="Skicka", exact=True).click()
    expect(page.locator("[data-report-saved]")).to_contain_text("Sparad på telefonen")
    expect(pending(page)).to_have_text("1")
    page.wait_for_timeout(1500)  # the phone has tried and failed at least once
    expect(pending(page)).to_have_text("1")

    server = RunningServer(app, port=server.port)
    try:
        page.get_by_role("button", name="Skicka nu").click()
        wait_until_sent(page, app)
    finally:
        server.stop()
    assert len(reports_on_server(app)) == 1


@pytest.mark.allow_browser_errors(
    r"api/v1/reports:0: Failed to load resource: the server responded with a status of 500")
def test_two_server_errors_are_retried_until_the_report_is_stored(page: Page, live_server, faults):
    login_and_sync(page)
    faults.fail_with_500 = 2
    fill_and_save_report(page)
    wait_until_sent(page, live_server.app)
    assert faults.answers == [500, 500, 201]
    assert len(reports_on_server(live_server.app)) == 1


@pytest.mark.allow_browser_errors(CONNECTION_ERRORS)
def test_a_connection_cut_after_the_commit_is_answered_by_the_replay(page: Page, live_server, faults):
    login_and_sync(page)
    faults.cut_after_commit = 1
    fill_and_save_report(page)
    wait_until_sent(page, live_server.app)
    assert faults.answers == [201, 200]
    assert len(reports_on_server(live_server.app)) == 1


def test_two_tabs_sending_the_same_outbox_at_once_make_one_report(page: Page, live_server):
    login_and_sync(page)
    other_tab = page.context.new_page()
    other_tab.goto("/rapportera/mina")
    page.context.set_offline(True)
    fill_and_save_report(page)
    expect(pending(other_tab)).to_have_text("1")
    # Both tabs hear `online` at the same moment and both send.
    page.context.set_offline(False)
    wait_until_sent(page, live_server.app)
    wait_until_sent(other_tab, live_server.app)
    assert len(reports_on_server(live_server.app)) == 1


@pytest.mark.allow_browser_errors(r"api/v1/(session|routines/changes).*status of 401")
def test_an_expired_login_keeps_the_report_and_sends_it_after_logging_in(page: Page, live_server):
    login_and_sync(page)
    page.context.set_offline(True)
    fill_and_save_report(page)
    page.context.clear_cookies()
    page.context.set_offline(False)
    page.goto("/rapportera/mina")  # the server sends the phone to the login page
    expect(page.get_by_role("button", name="Logga in")).to_be_visible()
    login(page, STAFF)
    page.goto("/rapportera/mina")
    wait_until_sent(page, live_server.app)
    assert len(reports_on_server(live_server.app)) == 1


@pytest.mark.allow_browser_errors(
    r"api/v1/reports:0: Failed to load resource: the server responded with a status of 422")
def test_a_report_the_server_refuses_is_kept_for_the_user_to_fix(page: Page, live_server, faults):
    login_and_sync(page)
    page.context.set_offline(True)
    page.goto("/rapportera")
    page.get_by_label("Vad hände?").fill("x" * 20_001)
    page.get_by_role("button", name="Skicka", exact=True).click()
    expect(page.locator("[data-report-saved]")).to_contain_text("Sparad på telefonen")
    page.context.set_offline(False)
    page.goto("/rapportera/mina")
    problem = page.locator("[data-outbox-list] li[data-state='invalid']")
    expect(problem).to_be_visible(timeout=SEND_TIMEOUT_MS)
    expect(pending(page)).to_have_text("1")
    assert_accessible(page)
    problem.get_by_role("link", name="Ändra och skicka igen").click()
    text = page.get_by_label("Vad hände?")
    expect(text).to_have_value("x" * 20_001)
    text.fill("Larmet gick inte att stänga av.")
    page.get_by_role("button", name="Skicka", exact=True).click()
    expect(page.locator("[data-report-saved]")).to_contain_text("Skickad")
    wait_until_sent(page, live_server.app)
    [report] = reports_on_server(live_server.app)
    assert report.text == "Larmet gick inte att stänga av."


def test_the_phone_offers_to_remove_a_personal_identity_number(page: Page, live_server):
    login_and_sync(page)
    page.goto("/rapportera")
    page.get_by_label("Vad hände?").fill("Brukaren 19121212-1212 fick fel dos.")
    page.get_by_role("button", name="Skicka", exact=True).click()
    warning = page.locator("[data-phone-personal-number-warning]")
    expect(warning).to_contain_text("Det ser ut som ett personnummer")
    assert_accessible(page)
    warning.get_by_role("button", name="Ta bort personnumret och skicka").click()
    expect(page.locator("[data-report-saved]")).to_contain_text("Skickad")
    wait_until_sent(page, live_server.app)
    [report] = reports_on_server(live_server.app)
    assert "19121212" not in report.text and "[personnummer borttaget]" in report.text


def test_logging_out_with_an_unsent_report_asks_first(page: Page, live_server):
    login_and_sync(page)
    page.context.set_offline(True)
    fill_and_save_report(page)
    messages = []
    # Answered at once: a click that opens a dialog must not wait on the test to answer it.
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Logga ut").click()
    for _ in range(100):
        if messages:
            break
        page.wait_for_timeout(100)
    assert messages and "inte är skickade" in messages[0]
    expect(pending(page)).to_have_text("1")
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
    assert "/login" not in page.url
