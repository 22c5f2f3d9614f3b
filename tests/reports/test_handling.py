"""Handling a report: the handlers' inbox, who sees which report, classification, investigation, actions, closing."""
import re
from datetime import date, datetime, timedelta, timezone

import pytest

from app.accounts.models import User
from app.accounts.rules import Role
from app.extensions import db
from app.notices.models import InboxItem
from app.reports import handling, services
from app.reports.models import Report, ReportAccess, ReportKindRow
from sqlalchemy import select
from tests.reports.factories import ReportApi, make_unit, make_user, payload

LEX_MARIA = payload(text="Brukaren föll och slog i huvudet.", affected=["client"], harm="injury", topics=["fall"])
COMPLAINT = payload(text="Anhörig klagade på att besöket var sent.", affected=["client"], harm="none",
                    topics=["complaint"])


@pytest.fixture
def syd_manager(app):
    with app.app_context():
        make_user("chef.syd", Role.MANAGER, "Hemvård Syd")


@pytest.fixture
def west(app):
    """A unit of the test's own (none of the demo data's reports) with a staff member and a manager."""
    with app.app_context():
        make_unit("Hemvård Väst")
        make_user("usk.vast", Role.STAFF, "Hemvård Väst")
        make_user("chef.vast", Role.MANAGER, "Hemvård Väst")


def send(app, username, report) -> dict:
    response = ReportApi(app.test_client()).login(username).send(dict(report, uuid=payload()["uuid"]))
    assert response.status_code == 201
    return response.get_json()


def handler(app, username):
    return ReportApi(app.test_client()).login(username)


def user(username) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def report_of(body) -> Report:
    return db.session.get(Report, body["id"])


# Who sees which report

@pytest.mark.parametrize(("username", "sees"), [
    ("chef.nord", True), ("kvalitet", True), ("mas", True), ("chef.syd", False),
])
def test_the_inbox_lists_the_reports_each_handler_handles(app, syd_manager, username, sees):
    sent = send(app, "usk.nord", payload(text="Nordlig händelse"))
    html = handler(app, username).get("/rapporter").get_data(as_text=True)
    assert (sent["uuid"] in html) is sees


@pytest.mark.parametrize(("username", "status"), [
    ("chef.nord", 200), ("kvalitet", 200), ("chef.syd", 404), ("usk.nord", 403), ("usk.syd", 403),
    ("samordnare.nord", 403), ("admin", 403),
])
def test_only_handlers_open_the_handling_page(app, syd_manager, username, status):
    body = send(app, "usk.nord", LEX_MARIA)
    assert handler(app, username).get(f"/rapporter/{body['uuid']}").status_code == status


def test_a_district_manager_handles_the_units_below(app):
    with app.app_context():
        make_user("chef.omrade", Role.MANAGER, "Hemtjänst och hemsjukvård")
    body = send(app, "usk.syd", LEX_MARIA)
    assert handler(app, "chef.omrade").get(f"/rapporter/{body['uuid']}").status_code == 200


def test_the_handling_page_shows_the_reporter_and_photo_links(app):
    from tests.reports.factories import jpeg
    phone = ReportApi(app.test_client()).login("usk.nord")
    body = phone.send(payload(), photos=[jpeg()]).get_json()
    html = handler(app, "chef.nord").get(f"/rapporter/{body['uuid']}").get_data(as_text=True)
    assert "Amina Hassan" in html
    assert f'href="/api/v1/reports/{body["uuid"]}/photos/1"' in html
    assert "<img src=\"/api/v1/reports/" in html


def test_every_opening_is_logged_and_quality_sees_the_log(app):
    body = send(app, "usk.nord", LEX_MARIA)
    handler(app, "chef.nord").get(f"/rapporter/{body['uuid']}")
    html = handler(app, "kvalitet").get(f"/rapporter/{body['uuid']}").get_data(as_text=True)
    with app.app_context():
        log = [(access.user.username, access.what) for access in
               db.session.scalars(select(ReportAccess).where(ReportAccess.report_id == body["id"]))]
    assert log == [("chef.nord", "report"), ("kvalitet", "report")]
    assert "data-access-log" in html and "Johan Ek" in html


def test_a_manager_does_not_see_the_access_log(app):
    body = send(app, "usk.nord", LEX_MARIA)
    html = handler(app, "chef.nord").get(f"/rapporter/{body['uuid']}").get_data(as_text=True)
    assert "data-access-log" not in html


def test_urgent_reports_come_first_in_the_inbox(app, west):
    fall = send(app, "usk.vast", LEX_MARIA)
    complaint = send(app, "usk.vast", COMPLAINT)
    html = handler(app, "chef.vast").get("/rapporter").get_data(as_text=True)
    assert html.index(fall["uuid"]) < html.index(complaint["uuid"])


def test_quality_has_its_own_queue_of_lex_sarah_maria_and_personal_data_cases(app):
    fall = send(app, "usk.nord", LEX_MARIA)
    complaint = send(app, "usk.nord", COMPLAINT)
    journal = send(app, "usk.syd", payload(text="Journal skickad till fel adress.", affected=["nobody"], harm="none",
                                           topics=["information"]))
    html = handler(app, "kvalitet").get("/rapporter?ko=kvalitet").get_data(as_text=True)
    assert fall["uuid"] in html and journal["uuid"] in html and complaint["uuid"] not in html


def test_the_inbox_filters_by_status_and_answers_htmx_with_the_list(app):
    complaint = send(app, "usk.nord", COMPLAINT)
    client = handler(app, "chef.nord").client
    assert complaint["uuid"] not in client.get("/rapporter?status=closed").get_data(as_text=True)
    fragment = client.get("/rapporter?status=received", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert complaint["uuid"] in fragment and "<html" not in fragment


# Classification

def test_confirming_the_kinds_keeps_the_reason_in_the_history(app):
    body = send(app, "usk.nord", COMPLAINT)
    with app.app_context():
        report = report_of(body)
        handling.confirm_kinds(user("chef.nord"), report, ["klagomal", "lex_sarah"], "Anhörig beskriver försummelse.")
        db.session.commit()
        history = handling.kind_history(report)
        assert report.kinds == ["lex_sarah", "klagomal"] and report.flagged and report.kinds_confirmed_at
        assert [(change.previous_kinds, change.reason) for change in history] == [
            (["avvikelse_sol", "klagomal"], "Anhörig beskriver försummelse.")]


def kind_rows(report):
    return {row.kind: row for row in db.session.scalars(select(ReportKindRow).where(
        ReportKindRow.report_id == report.id))}


def test_the_kinds_rows_follow_the_kinds_from_intake_to_every_change(app):
    body = send(app, "usk.nord", COMPLAINT)
    with app.app_context():
        report = report_of(body)
        assert set(kind_rows(report)) == {"avvikelse_sol", "klagomal"}
        complaint_row = kind_rows(report)["klagomal"]
        handling.confirm_kinds(user("chef.nord"), report, ["klagomal", "lex_sarah"], "Anhörig beskriver försummelse.")
        db.session.commit()
        rows = kind_rows(report)
        assert set(rows) == {"klagomal", "lex_sarah"} and rows["klagomal"] is complaint_row
        handling.confirm_kinds(user("chef.nord"), report, ["avvikelse_sol"], "Ingen försummelse.")
        db.session.commit()
        assert set(kind_rows(report)) == {"avvikelse_sol"}


def test_changing_the_kinds_needs_a_reason(app):
    body = send(app, "usk.nord", COMPLAINT)
    with app.app_context():
        with pytest.raises(handling.HandlingError):
            handling.confirm_kinds(user("chef.nord"), report_of(body), ["klagomal"], " ")


def test_the_kind_form_saves_and_shows_the_history(app):
    body = send(app, "usk.nord", COMPLAINT)
    phone = handler(app, "chef.nord")
    token = csrf_token(phone, body)
    response = phone.client.post(f"/rapporter/{body['uuid']}/typer",
                                 data={"kinds": ["klagomal"], "reason": "Bara ett klagomål.", "csrf_token": token})
    assert response.status_code == 303
    html = phone.get(f"/rapporter/{body['uuid']}").get_data(as_text=True)
    assert "data-kind-history" in html and "Bara ett klagomål." in html


def csrf_token(phone, body) -> str:
    html = phone.get(f"/rapporter/{body['uuid']}").get_data(as_text=True)
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)


# Investigation

def test_entries_are_signed_with_name_and_title_and_keep_fact_and_assessment_apart(app):
    body = send(app, "usk.nord", LEX_MARIA)
    with app.app_context():
        report, chef = report_of(body), user("chef.nord")
        handling.add_entry(chef, report, "fact", "Brukaren föll vid förflyttning, fick ett sår i pannan.")
        db.session.commit()
        handling.add_entry(chef, report, "assessment", "Förflyttningen gjordes av en person i stället för två.")
        db.session.commit()
        entries = handling.entries(report)
    assert [(entry.kind, entry.signed_name, entry.signed_title) for entry in entries] == [
        ("fact", "Johan Ek", "Enhetschef"), ("assessment", "Johan Ek", "Enhetschef")]


def test_an_entry_is_either_fact_or_assessment(app):
    body = send(app, "usk.nord", LEX_MARIA)
    with app.app_context(), pytest.raises(handling.HandlingError):
        handling.add_entry(user("chef.nord"), report_of(body), "opinion", "Text")


def test_the_assessment_stores_causes_risk_and_diary_number_as_a_signed_entry(app):
    body = send(app, "usk.nord", LEX_MARIA)
    with app.app_context():
        report = report_of(body)
        entry = handling.record_assessment(
            user("chef.nord"), report, noticed_at=report.occurred_at + timedelta(hours=1),
            causes=["staffing", "routine"], probability=3, consequence=3, diary_number="SN 2026/114")
        db.session.commit()
        assert report.causes == ["routine", "staffing"] and report.risk == (9, "high", "Hög risk")
        assert report.diary_number == "SN 2026/114" and entry.kind == "assessment"
        assert "bemanning eller tid" in entry.text and "= 9" in entry.text


def test_noticed_before_it_happened_is_refused(app):
    body = send(app, "usk.nord", LEX_MARIA)
    with app.app_context():
        report = report_of(body)
        with pytest.raises(handling.HandlingError):
            handling.record_assessment(user("chef.nord"), report, noticed_at=report.occurred_at - timedelta(days=1),
                                       causes=[], probability=None, consequence=None, diary_number="")


def test_similar_earlier_reports_of_the_unit_and_kind_are_suggested(app, west):
    earlier = send(app, "usk.vast", dict(LEX_MARIA, text="Föll i hallen."))
    send(app, "usk.nord", dict(LEX_MARIA, text="Föll i Nord."))
    send(app, "usk.vast", COMPLAINT)
    later = send(app, "usk.vast", LEX_MARIA)
    with app.app_context():
        similar = handling.similar_reports(report_of(later))
    assert [report.uuid for report in similar] == [earlier["uuid"]]


# Actions

def test_actions_have_owner_due_date_status_and_an_effect_evaluation(app):
    body = send(app, "usk.nord", LEX_MARIA)
    with app.app_context():
        chef, report = user("chef.nord"), report_of(body)
        action = handling.add_action(chef, report, what="Repetera förflyttningsrutinen på APT.", owner_id=None,
                                     owner_name="Fysioterapeut Kim", due_on=date(2026, 12, 15))
        db.session.commit()
        with pytest.raises(handling.HandlingError):
            handling.update_action(chef, action, status="running", effect="worked")
        handling.update_action(chef, action, status="done", effect="worked", effect_note="Inga fler fall.")
        db.session.commit()
        assert (action.who, action.status, action.effect_label) == ("Fysioterapeut Kim", "done", "Ja, den fungerade")


def test_an_action_needs_someone_responsible(app):
    body = send(app, "usk.nord", LEX_MARIA)
    with app.app_context(), pytest.raises(handling.HandlingError):
        handling.add_action(user("chef.nord"), report_of(body), what="Något", owner_id=None, owner_name="",
                            due_on=date(2026, 12, 1))


def test_overdue_actions_are_listed_for_the_handler(app, west):
    body = send(app, "usk.vast", LEX_MARIA)
    with app.app_context():
        chef = user("chef.vast")
        handling.add_action(chef, report_of(body), what="Byt lyftsele", owner_id=chef.id, owner_name="",
                            due_on=date(2026, 1, 10))
        db.session.commit()
        today = date(2026, 2, 1)
        assert [action.what for action in handling.overdue_actions(chef, today)] == ["Byt lyftsele"]
        assert "Byt lyftsele" not in [action.what for action in handling.overdue_actions(user("chef.nord"), today)]
        assert handling.overdue_actions(chef, date(2026, 1, 10)) == []
    html = handler(app, "chef.vast").get("/rapporter").get_data(as_text=True)
    assert "Försenade åtgärder" in html and "Byt lyftsele" in html


# Status and closing

def test_no_close_without_feedback(app):
    body = send(app, "usk.nord", LEX_MARIA)
    with app.app_context():
        chef, report = user("chef.nord"), report_of(body)
        handling.change_status(chef, report, "investigating")
        db.session.commit()
        with pytest.raises(handling.HandlingError):
            handling.change_status(chef, report, "closed", "  ")
        assert report.status == "investigating"


def test_closing_gives_the_reporter_feedback_and_a_notice(app):
    body = send(app, "usk.nord", LEX_MARIA)
    with app.app_context():
        chef, report = user("chef.nord"), report_of(body)
        handling.change_status(chef, report, "investigating")
        db.session.commit()
        handling.change_status(chef, report, "closed", "Tack! Vi har infört dubbelbemanning vid förflyttning.")
        db.session.commit()
        assert report.status == "closed" and report.closed_at is not None
        items = list(db.session.scalars(select(InboxItem).where(InboxItem.user_id == report.reporter_id)))
        assert [item.body for item in items] == ["Ny status: Under utredning. Läs mer under Mina rapporter.",
                                                 "Ny status: Avslutad. Läs mer under Mina rapporter."]
    mine = ReportApi(app.test_client()).login("usk.nord").get("/rapportera/mina").get_data(as_text=True)
    assert "Vi har infört dubbelbemanning" in mine


def test_the_reporter_s_notice_says_which_report_and_which_status_without_its_text(app, clock):
    clock.pin(datetime(2026, 11, 14, 9, 0, tzinfo=timezone.utc))
    body = send(app, "usk.nord", dict(LEX_MARIA, occurred_at="2026-11-12T08:30:00+00:00",
                                      created_at="2026-11-14T08:55:00+00:00"))
    with app.app_context():
        chef, report = user("chef.nord"), report_of(body)
        handling.change_status(chef, report, "investigating")
        handling.change_status(chef, report, "closed", "Klart.")
        db.session.commit()
        items = list(db.session.scalars(select(InboxItem).where(InboxItem.user_id == report.reporter_id,
                                                                InboxItem.kind == "report")))
        assert [item.title for item in items] == [
            "Din rapport om ett fall den 12 november 2026 har fått status Under utredning",
            "Din rapport om ett fall den 12 november 2026 har fått status Avslutad"]
        assert not any("huvudet" in item.title + item.body for item in items)


def test_a_report_moves_only_along_the_allowed_statuses(app):
    body = send(app, "usk.nord", LEX_MARIA)
    with app.app_context(), pytest.raises(handling.HandlingError):
        handling.change_status(user("chef.nord"), report_of(body), "closed", "Klart.")


def test_closing_through_the_page_without_feedback_shows_the_rule(app):
    body = send(app, "usk.nord", LEX_MARIA)
    phone = handler(app, "chef.nord")
    token = csrf_token(phone, body)
    phone.client.post(f"/rapporter/{body['uuid']}/status", data={"status": "investigating", "csrf_token": token})
    response = phone.client.post(f"/rapporter/{body['uuid']}/status",
                                 data={"status": "closed", "feedback": "", "csrf_token": token},
                                 follow_redirects=True)
    assert "Skriv en återkoppling" in response.get_data(as_text=True)
    with app.app_context():
        assert report_of(body).status == "investigating"


def test_a_manager_of_another_unit_cannot_change_the_report(app, syd_manager):
    body = send(app, "usk.nord", LEX_MARIA)
    phone = handler(app, "chef.syd")
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"',
                      phone.get("/rapporter").get_data(as_text=True)).group(1)
    response = phone.client.post(f"/rapporter/{body['uuid']}/status", data={"status": "investigating",
                                                                              "csrf_token": token})
    assert response.status_code == 404


def test_the_case_export_is_a_printable_page_and_is_logged(app):
    body = send(app, "usk.nord", LEX_MARIA)
    html = handler(app, "chef.nord").get(f"/rapporter/{body['uuid']}/utskrift").get_data(as_text=True)
    assert "Ärende" in html and "Utredning" in html
    with app.app_context():
        assert [access.what for access in services.accesses(report_of(body))] == ["export"]
