"""A report past the manager, sent from the phone, reaches MAS with its clocks labelled; the pages are accessible."""
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from app.reports.models import Report

from tests.browser.actions import login, path_of
from tests.browser.axe import assert_accessible

TEXT = "Chefen gav fel insulindos själv och sa åt oss att inte skriva något."


def test_a_report_about_the_manager_goes_past_them_to_mas(open_page, live_server):
    reporter, mas, manager = open_page(), open_page(), open_page()
    login(reporter, "usk.nord")
    reporter.goto("/rapportera")
    reporter.get_by_label("Vad hände?").fill(TEXT)
    reporter.get_by_role("checkbox", name="En brukare eller patient").check()
    reporter.get_by_role("radio", name="Ja, någon skadades").check()
    reporter.get_by_role("checkbox", name="Läkemedel").check()
    question = reporter.get_by_role("group", name="Gäller det din chef?")
    expect(question.get_by_role("radio", name="Nej", exact=True)).to_be_checked()
    question.get_by_role("radio", name="Ja", exact=True).check()
    assert_accessible(reporter)
    with reporter.expect_response(lambda response: response.request.method == "POST"
                                  and path_of(response.url) == "/api/v1/reports" and response.status == 201,
                                  timeout=20_000):
        reporter.get_by_role("button", name="Skicka", exact=True).click()
    expect(reporter.locator("[data-outbox-pending]").first).to_have_text("0", timeout=20_000)

    with live_server.app.app_context():
        sent = db.session.scalar(select(Report.uuid).where(Report.text == TEXT))

    login(mas, "mas")
    mas.goto("/rapporter?ko=kvalitet")
    # Lists show no report text (health data): the report is found by its link.
    mas.locator(f'[data-report-list] a[href$="{sent}"]').click()
    expect(mas.locator("[data-bypass-manager]")).to_be_visible()
    clocks = mas.locator("#tidsfrister")
    expect(clocks.get_by_role("heading", name="Anmälningar och frister")).to_be_visible()
    expect(clocks.locator('[data-clock="lex_maria"]')).to_contain_text("Lagen: anmäl snarast (HSLF-FS 2017:40")
    expect(clocks.locator('[data-clock="lex_maria"]')).to_contain_text("Vår interna frist: 48 timmar")
    assert_accessible(mas)
    report_path = path_of(mas.url)

    login(manager, "chef.nord")
    response = manager.goto(report_path)
    assert response.status == 404


def test_the_nurse_s_inbox_is_accessible(page: Page):
    login(page, "ssk.nord")
    page.goto("/rapporter")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
