"""A relative tells us something from a phone without logging in; chef.nord gets it (inbox and push), answers,
and the relative's follow link shows the answer. The public pages are axe clean at 320 px."""
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.complaints.models import Complaint
from app.extensions import db
from app.notices import services as notices
from tests.browser.actions import login
from tests.browser.axe import assert_accessible
from tests.notices.receiver import PushReceiver
from tests.routines.factories import user

SMALL_PHONE = {"width": 320, "height": 640}


@pytest.fixture
def receiver(app):
    receiver = PushReceiver().start()
    app.config.update(PUSH_ALLOWED_HOSTS=[receiver.host], PUSH_RETRY_BASE_SECONDS=0.01, PUSH_TIMEOUT_SECONDS=5,
                      VAPID_SUBJECT="mailto:it@kommun.example")
    yield receiver
    receiver.stop()


def subscribe_manager(app, receiver, live_server):
    """chef.nord's phone, subscribed to push (the subscribing itself is tested in test_push.py)."""
    browser = receiver.new_browser()
    with app.app_context():
        subscription = browser.subscription(receiver.origin)
        loaded = {"endpoint": subscription["endpoint"], **subscription["keys"]}  # as the API's schema loads it
        notices.subscribe(user("chef.nord"), loaded, session_id=None, user_agent="Android", app_origin=live_server.url,
                          allowed_hosts=[receiver.host])
        db.session.commit()
    return browser


def text_at_200_percent(page: Page) -> None:
    # Through the CSSOM: the page's CSP refuses inline style sheets, as it should.
    page.evaluate("document.documentElement.style.fontSize = '200%'")


def assert_no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")


def send_as_relative(page: Page, text: str, unit: str) -> None:
    """The public form filled in by a relative who wants no answer, sent, and its receipt shown."""
    page.get_by_label("Vad vill du berätta?").fill(text)
    page.get_by_label("Vilken verksamhet gäller det?").select_option(label=unit)
    page.get_by_label("Jag är anhörig eller närstående").check()
    page.get_by_label("Nej, jag vill inte ha något svar").check()
    page.get_by_role("button", name="Skicka", exact=True).click()
    expect(page.get_by_role("heading", name="Tack! Vi har tagit emot det du skrev")).to_be_visible()


def test_relative_submits_on_a_phone_manager_answers_follow_link_shows_it(open_page, app, live_server, receiver):
    phone = subscribe_manager(app, receiver, live_server)
    relative = open_page(viewport=SMALL_PHONE)
    relative.goto("/login")
    relative.get_by_role("link", name="synpunkter och klagomål").click()
    expect(relative).to_have_url(f"{live_server.url}/synpunkter")
    send_as_relative(relative, "Mamma fick vänta en timme på kvällsbesöket i fredags.", "Hemvård Nord")
    follow_url = relative.locator("[data-follow-link]").inner_text()
    relative.goto(follow_url)
    expect(relative.locator("[data-complaint-status]")).to_have_text("Mottagen")

    [push] = receiver.delivered(phone.path)
    assert push.payload["notification"]["title"] == "Ny rapport från Hemvård Nord"

    manager = open_page()
    login(manager, "chef.nord")
    manager.goto("/rapporter")
    with app.app_context():
        report_uuid = db.session.scalar(select(Complaint).order_by(Complaint.id.desc()).limit(1)).report.uuid
    manager.locator(f'[data-report-uuid="{report_uuid}"] a').click()
    expect(manager.locator("[data-complaint-panel]")).to_be_visible()
    assert_accessible(manager)
    manager.get_by_label("Svaret").fill("Hej! Vi har gått igenom schemat för kvällarna. Med vänliga hälsningar, "
                                        "enhetschefen")
    manager.get_by_role("button", name="Spara svaret").click()
    expect(manager.locator("[data-answer-signed]")).to_contain_text("Signerat")

    relative.reload()
    expect(relative.locator("[data-complaint-answer]")).to_contain_text("Vi har gått igenom schemat")


@pytest.mark.parametrize("path", ["/synpunkter", "/synpunkter/lattlast"])
def test_public_pages_are_accessible_at_320_px_with_text_at_200_percent(open_page, path):
    page = open_page(viewport=SMALL_PHONE)
    page.goto(path)
    assert_accessible(page)
    text_at_200_percent(page)
    assert_no_sideways_scroll(page)
    assert_accessible(page)


def test_refused_form_receipt_and_follow_page_are_accessible_at_320_px(open_page):
    page = open_page(viewport=SMALL_PHONE)
    page.goto("/synpunkter")
    page.get_by_label("Ja, med e-post").check()
    page.get_by_role("button", name="Skicka", exact=True).click()
    expect(page.locator("[data-complaint-errors]")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Vad vill du berätta?").fill("Personalen är alltid vänlig. Tack!")
    page.get_by_label("E-post", exact=True).fill("anhorig@example.org")
    page.get_by_role("button", name="Skicka", exact=True).click()
    expect(page.locator("[data-follow-link]")).to_be_visible()
    text_at_200_percent(page)
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    page.goto(page.locator("[data-follow-link]").inner_text())
    text_at_200_percent(page)
    assert_no_sideways_scroll(page)
    assert_accessible(page)


def test_staff_registration_form_is_accessible_on_a_phone(open_page):
    page = open_page()
    login(page, "usk.nord")
    page.goto("/rapportera")
    page.get_by_role("link", name="Registrera klagomålet åt personen").click()
    expect(page.get_by_role("heading", name="Registrera ett klagomål")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Hur kom klagomålet in?").select_option(label="Telefon")
    page.get_by_label("Vad vill personen berätta?").fill("Dottern ringde om att maten var kall.")
    page.get_by_role("button", name="Registrera klagomålet").click()
    expect(page.get_by_text("Klagomålet är registrerat med koden")).to_be_visible()


def test_quality_places_a_complaint_about_an_unknown_unit_on_a_small_phone(open_page, app):
    relative = open_page()
    relative.goto("/synpunkter")
    send_as_relative(relative, "Ingen kom på lördagen, jag vet inte vilken grupp det var.", "Vet inte")
    with app.app_context():
        report_uuid = db.session.scalar(select(Complaint).order_by(Complaint.id.desc()).limit(1)).report.uuid

    quality = open_page(viewport=SMALL_PHONE)
    login(quality, "kvalitet")
    quality.goto(f"/rapporter/{report_uuid}")
    text_at_200_percent(quality)
    quality.get_by_role("button", name="Flytta till enheten").click()
    expect(quality.locator("#klagomal-meddelande")).to_have_text("Välj vilken enhet klagomålet gäller.")
    text_at_200_percent(quality)
    assert_no_sideways_scroll(quality)
    assert_accessible(quality)
    quality.get_by_label("Vilken enhet gäller det?").select_option(label="Hemvård Nord")
    quality.get_by_role("button", name="Flytta till enheten").click()
    expect(quality.locator("[data-complaint-panel] dd").nth(1)).to_have_text("Hemvård Nord")
    expect(quality.get_by_label("Vilken enhet gäller det?")).to_have_count(0)
    text_at_200_percent(quality)
    assert_no_sideways_scroll(quality)
    assert_accessible(quality)
