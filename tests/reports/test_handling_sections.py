"""The handling page tells what became of a form inside the form's own section, keeps what was typed when it
refuses, and has no default that records something by itself (a notification, a reopening, a routine)."""
import re

import pytest

from app.extensions import db
from app.reports import services
from app.reports.models import ReportClock
from sqlalchemy import select
from tests.conftest import csrf_token_from
from tests.reports.factories import ReportApi, payload

LEX_MARIA = payload(text="Brukaren föll och slog i huvudet.", affected=["client"], harm="injury", topics=["fall"])
FEEDBACK = "Vi har bytt larmknapp och gått igenom rutinen."


@pytest.fixture
def case(app):
    """A Lex Maria report from the phone, and MAS's client with the page's CSRF token."""
    sent = ReportApi(app.test_client()).login("usk.nord").send(dict(LEX_MARIA, uuid=payload()["uuid"]))
    assert sent.status_code == 201
    report_uuid = sent.get_json()["uuid"]
    handler = ReportApi(app.test_client()).login("mas")
    return handler, report_uuid, csrf_token_from(handler.client, f"/rapporter/{report_uuid}")


def section(html: str, section_id: str) -> str:
    match = re.search(rf'<section class="card[^"]*" id="{section_id}".*?</section>', html, re.S)
    assert match, section_id
    return match.group(0)


def post(case, path: str, **data):
    handler, report_uuid, token = case
    return handler.client.post(f"/rapporter/{report_uuid}/{path}", data=dict(data, csrf_token=token))


def page(case) -> str:
    handler, report_uuid, _token = case
    return handler.get(f"/rapporter/{report_uuid}").get_data(as_text=True)


def move_to(case, status: str, feedback: str = ""):
    response = post(case, "status", status=status, feedback=feedback)
    assert response.status_code == 303, response.get_data(as_text=True)


# Item 5: the message where the form is

def test_sparat_is_told_in_the_saved_section_with_focus_and_role_status(case):
    response = post(case, "anteckningar", kind="fact", text="Larmet var urkopplat.")
    assert response.status_code == 303 and response.location.endswith("#utredning-meddelande")
    html = page(case)
    message = re.search(r'<p class="flash flash-success section-message"[^>]*>Sparat</p>', section(html, "utredning"))
    assert message and 'role="status"' in message.group(0) and "autofocus" in message.group(0)
    assert html.count("data-section-message") == 1
    assert "Sparat" not in html.split('id="utredning"')[0]  # not at the top of the page
    assert "data-section-message" not in page(case)  # told once


def test_closing_without_feedback_is_refused_in_the_status_section_and_keeps_the_choice(app, case):
    move_to(case, "investigating")
    response = post(case, "status", status="closed", feedback=" ")
    assert response.status_code == 422
    status = section(response.get_data(as_text=True), "status")
    assert re.search(r'role="alert"[^>]*>Skriv en återkoppling till den som rapporterade innan du avslutar\.', status)
    assert re.search(r'<input type="radio" name="status" value="closed" required checked>', status)
    assert 'aria-describedby="feedback-hjalp status-meddelande"' in status and 'id="status-meddelande"' in status
    with app.app_context():
        assert services.find_report(case[1]).status == "investigating"


def test_a_refused_action_keeps_what_was_typed(case):
    response = post(case, "atgarder", what="Byt larmknapp", owner_name="Vaktmästaren", due_on="snart")
    assert response.status_code == 422
    actions = section(response.get_data(as_text=True), "atgarder")
    assert 'role="alert"' in actions and "Skriv datumet som ÅÅÅÅ-MM-DD." in actions
    assert ">Byt larmknapp</textarea>" in actions and 'value="Vaktmästaren"' in actions


def test_a_refused_form_posts_to_its_section_anchor(case):
    html = page(case)
    for path, anchor in (("typer", "typer"), ("anteckningar", "utredning"), ("bedomning", "bedomning"),
                         ("atgarder", "atgarder"), ("rutin", "rutin"), ("status", "status")):
        assert f'/{path}#{anchor}-meddelande"' in html, path


# Item 6: the IVO clock

def test_the_ivo_clock_has_no_outcome_chosen_and_plain_choices(case):
    clocks = section(page(case), "tidsfrister")
    assert "Anmälan till IVO är gjord" in clocks and "Ingen anmälan behövs" in clocks
    assert "Anmält eller gjort" not in clocks
    assert not re.search(r'name="outcome"[^>]*checked', clocks)
    assert "Inspektionen för vård och omsorg (IVO)" in clocks and "medicinskt ansvarig sjuksköterska" in clocks


def test_saving_the_clock_without_a_choice_records_nothing(app, case):
    response = post(case, "tidsfrister/lex_maria", note="")
    assert response.status_code == 422
    assert 'role="alert"' in section(response.get_data(as_text=True), "tidsfrister")
    with app.app_context():
        report = services.find_report(case[1])
        assert db.session.scalars(select(ReportClock).where(ReportClock.report_id == report.id)).all() == []


def test_the_recorded_outcome_says_who_decided(case):
    assert post(case, "tidsfrister/lex_maria", outcome="done", note="Anmäld 12 nov").status_code == 303
    clocks = section(page(case), "tidsfrister")
    assert re.search(r"Anmälan till IVO är gjord\. Bedömt och registrerat [^<]* av Eva Holm, Medicinskt ansvarig "
                     r"sjuksköterska\. Kommentar: Anmäld 12 nov", clocks)


# Item 7: the status section after closing, and the routine

def test_a_closed_report_shows_its_status_and_offers_no_preselected_reopening(case):
    move_to(case, "investigating")
    move_to(case, "closed", FEEDBACK)
    status = section(page(case), "status")
    assert re.search(r"Nuvarande status: <strong>Avslutad</strong>", status)
    assert "button-primary" not in status and "checked" not in status
    assert "<summary>Öppna rapporten igen</summary>" in status


def test_reopening_needs_the_confirmation(app, case):
    move_to(case, "investigating")
    move_to(case, "closed", FEEDBACK)
    refused = post(case, "status", status="investigating")
    assert refused.status_code == 422 and "Kryssa i att du vill öppna rapporten igen." in section(
        refused.get_data(as_text=True), "status")
    with app.app_context():
        assert services.find_report(case[1]).status == "closed"
    assert post(case, "status", status="investigating", confirm_reopen="y").status_code == 303
    with app.app_context():
        assert services.find_report(case[1]).status == "investigating"


def test_the_status_form_has_no_status_chosen(case):
    status = section(page(case), "status")
    assert "Nuvarande status: <strong>Mottagen</strong>" in status
    assert "checked" not in status


def test_no_routine_is_chosen_until_the_handler_chooses_one(app, case):
    routine = section(page(case), "rutin")
    options = re.findall(r"<option [^>]*>", routine)
    assert options[0] == '<option value="" selected>' and not any("selected" in option for option in options[1:])
    assert ">Ingen rutin vald</option>" in routine
    response = post(case, "rutin", routine="", reason="Larmet")
    assert response.status_code == 422 and "Välj en rutin." in section(response.get_data(as_text=True), "rutin")
    with app.app_context():
        assert services.find_report(case[1]).routine_id is None
