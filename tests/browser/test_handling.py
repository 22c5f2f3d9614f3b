"""A manager handles a report on a phone, from new to closed, and the reporter hears back."""
from playwright.sync_api import Page, expect

from tests.browser.actions import login
from tests.browser.axe import assert_accessible

TEXT = "Brukaren fick kvällsdosen två gånger eftersom signeringslistan inte var uppdaterad."
FEEDBACK = "Tack! Vi har infört dubbelsignering vid kvällsbesöken från och med nästa vecka."


def report_from_the_phone(page: Page) -> None:
    login(page, "usk.nord")
    page.goto("/rapportera")
    page.get_by_label("Vad hände?").fill(TEXT)
    page.get_by_role("checkbox", name="En brukare eller patient").check()
    page.get_by_role("checkbox", name="Läkemedel").check()
    page.get_by_role("button", name="Skicka", exact=True).click()
    expect(page.locator("[data-report-saved]")).to_contain_text("Skickad")
    expect(page.locator("[data-outbox-pending]").first).to_have_text("0", timeout=20_000)


def test_a_manager_takes_a_report_from_new_to_closed_and_the_reporter_sees_the_feedback(open_page):
    reporter, manager = open_page(), open_page()
    report_from_the_phone(reporter)

    login(manager, "chef.nord")
    manager.goto("/rapporter")
    assert_accessible(manager)
    reporter.goto("/rapportera/mina")
    sent = reporter.locator("[data-sent-list] li", has_text="kvällsdosen").get_attribute("data-report-uuid")
    manager.locator(f"[data-report-list] [data-report-uuid='{sent}'] a").click()
    expect(manager.locator("#innehall")).to_contain_text(TEXT)
    expect(manager.locator("[data-reporter]")).to_contain_text("Amina Hassan")
    assert_accessible(manager)

    status = manager.locator("#status")
    status.get_by_role("radio", name="Under utredning").check()
    status.get_by_role("button", name="Ändra status").click()
    expect(manager.locator("[data-status]").first).to_contain_text("Under utredning")
    saved = manager.locator("#status [data-section-message]")
    expect(saved).to_have_text("Sparat")
    expect(saved).to_be_focused()

    kinds = manager.locator("#typer")
    kinds.get_by_label("Motivering").fill("Läkemedel gavs fel – en avvikelse i hälso- och sjukvården.")
    kinds.get_by_role("button", name="Bekräfta typerna").click()
    expect(manager.locator("[data-kind-history]")).to_contain_text("Läkemedel gavs fel")

    notes = manager.locator("#utredning")
    notes.get_by_label("Anteckning").fill("Signeringslistan hade inte skrivits ut efter ändringen i ordinationen.")
    notes.get_by_role("button", name="Spara anteckningen").click()
    expect(manager.locator("#utredning")).to_contain_text("Signeringslistan hade inte skrivits ut")

    actions = manager.locator("#atgarder")
    actions.get_by_label("Vad ska göras?").fill("Inför dubbelsignering vid kvällsbesök.")
    actions.get_by_label("Namn, om personen inte finns i listan").fill("Sjuksköterskan i Nord")
    actions.get_by_label("Klar senast").fill("2026-12-15")
    actions.get_by_role("button", name="Lägg till åtgärden").click()
    expect(manager.locator("[data-action]")).to_contain_text("dubbelsignering")

    status = manager.locator("#status")
    status.get_by_role("radio", name="Avslutad").check()
    status.get_by_role("button", name="Ändra status").click()
    refused = manager.locator("#status").get_by_role("alert")  # no closing without feedback, told where it is
    expect(refused).to_contain_text("Skriv en återkoppling")
    expect(refused).to_be_focused()
    status = manager.locator("#status")
    status.get_by_role("radio", name="Avslutad").check()
    status.get_by_label("Återkoppling till den som rapporterade").fill(FEEDBACK)
    status.get_by_role("button", name="Ändra status").click()
    expect(manager.locator("[data-status]").first).to_contain_text("Avslutad")
    assert_accessible(manager)

    reporter.goto("/rapportera/mina")
    mine = reporter.locator("[data-sent-list] li", has_text="kvällsdosen")
    expect(mine).to_contain_text("Avslutad")
    expect(mine).to_contain_text(FEEDBACK)


def test_the_statistics_dashboard_is_accessible_and_has_its_numbers_as_tables(page: Page):
    login(page, "kvalitet")
    page.goto("/statistik")
    expect(page.locator("[data-chart-table]").first).to_be_attached()
    assert_accessible(page)


def test_a_manager_prints_the_learning_page_of_their_unit_with_no_names(page: Page):
    login(page, "chef.nord")
    page.goto("/statistik")
    page.get_by_label("Enhet").select_option(label="Hemvård Nord")
    page.get_by_role("button", name="Visa").click()
    page.get_by_role("link", name="Lärande till arbetsplatsträffen (utskrift)").click()
    expect(page.get_by_role("heading", name="Lärande från avvikelser")).to_be_visible()
    expect(page.locator("[data-learning-scope]")).to_contain_text("Hemvård Nord")
    assert int(page.locator("[data-learning-total]").inner_text()) > 50
    expect(page.locator("[data-learning-actions]")).to_contain_text("Fungerade den?")
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.locator("form.filters-form")).to_be_hidden()
    body = page.locator("main").inner_text()
    assert not any(name in body for name in ("Amina", "Hassan", "Johan Ek", "Lars Berg", "Sara Lind"))
    assert_accessible(page)


def test_staff_cannot_open_the_handlers_inbox(page: Page):
    login(page, "usk.nord")
    response = page.goto("/rapporter")
    assert response.status == 403
