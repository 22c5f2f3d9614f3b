"""Handling a complaint: who gets it, who is told, its two clocks, acknowledging, answering, closing."""
import re
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.complaints import rules, services
from app.extensions import db
from app.notices.models import InboxItem
from app.reports.rules import status_change_problem
from app.reports.services import find_report
from app.timestamps import utcnow
from tests.complaints.factories import complaint_by_code, submit_and_follow, unit_id

# Friday 4 December 2026, 10:00 in Stockholm.
FRIDAY = datetime(2026, 12, 4, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def nord(client, app, clock):
    """A complaint about Hemvård Nord from the public page: (follow path, report uuid)."""
    clock.pin(FRIDAY)
    path, code = submit_and_follow(client, unit_id=unit_id(app))
    with app.app_context():
        return path, complaint_by_code(code).report.uuid


@pytest.fixture
def unknown(client, app, clock):
    clock.pin(FRIDAY)
    path, code = submit_and_follow(client, unit_id="")
    with app.app_context():
        return path, complaint_by_code(code).report.uuid


def inbox_of(username: str) -> list[InboxItem]:
    user = db.session.scalar(select(User).where(User.username == username))
    return list(db.session.scalars(select(InboxItem).where(InboxItem.user_id == user.id)))


def form_token_on(client, path):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def test_the_units_manager_finds_the_complaint_in_the_inbox(client, auth, nord):
    auth.login_as_role("manager")
    assert nord[1] in client.get("/rapporter?status=received").get_data(as_text=True)
    assert client.get(f"/rapporter/{nord[1]}").status_code == 200


def test_the_units_manager_is_told_at_once(app, nord):
    with app.app_context():
        items = [item for item in inbox_of("chef.nord") if nord[1] in item.url]
        assert len(items) == 1
        assert items[0].title == "Ny rapport från Hemvård Nord"


def test_a_complaint_about_an_unknown_unit_goes_to_quality_not_to_a_unit_manager(client, auth, app, unknown):
    with app.app_context():
        assert [item for item in inbox_of("kvalitet") if unknown[1] in item.url]
        assert not [item for item in inbox_of("chef.nord") if unknown[1] in item.url]
    auth.login_as_role("manager")
    assert client.get(f"/rapporter/{unknown[1]}").status_code == 404
    auth.logout()
    auth.login_as_role("quality")
    assert unknown[1] in client.get("/rapporter?status=received").get_data(as_text=True)


def test_a_nurse_does_not_handle_complaints(client, auth, nord):
    auth.login_as_role("nurse")
    assert client.get(f"/rapporter/{nord[1]}").status_code == 404


def test_the_handling_page_shows_the_two_clocks_from_arrival(client, auth, nord):
    auth.login_as_role("manager")
    html = client.get(f"/rapporter/{nord[1]}").get_data(as_text=True)
    assert "Klagomål K-" in html
    # Two working days after a Friday: Tuesday; four weeks: 1 January.
    assert re.search(r'data-complaint-clock="acknowledge".*?senast 8 december 2026', html, re.S)
    assert re.search(r'data-complaint-clock="answer".*?senast 1 januari 2027', html, re.S)


def test_the_clocks_come_from_configuration():
    received = date(2026, 12, 4)
    assert rules.ACKNOWLEDGE.due_on(received, {}) == date(2026, 12, 8)
    assert rules.ACKNOWLEDGE.due_on(received, {"COMPLAINT_ACKNOWLEDGE_WORKDAYS": 5}) == date(2026, 12, 11)
    assert rules.ANSWER.due_on(received, {}) == date(2027, 1, 1)
    assert rules.ANSWER.due_on(received, {"COMPLAINT_ANSWER_DAYS": 14}) == date(2026, 12, 18)


def test_the_acknowledge_clock_skips_holidays():
    # Received Wednesday 23 December 2026: 24, 25 and the weekend are not working days.
    assert rules.ACKNOWLEDGE.due_on(date(2026, 12, 23), {}) == date(2026, 12, 29)


def test_a_clock_runs_out_when_its_day_has_passed(app, nord, clock):
    with app.app_context():
        complaint = complaint_of_uuid(nord[1])
        clock.pin(datetime(2026, 12, 8, 22, 0, tzinfo=timezone.utc))  # 23:00 on the due day
        assert not any(state.overdue for state in services.clock_states(complaint, app.config, utcnow()))
        clock.pin(datetime(2026, 12, 8, 23, 30, tzinfo=timezone.utc))  # 00:30 the day after
        states = {state.clock.code: state for state in services.clock_states(complaint, app.config, utcnow())}
        assert states["acknowledge"].overdue and not states["answer"].overdue


def complaint_of_uuid(report_uuid):
    return services.complaint_of(find_report(report_uuid))


def test_acknowledging_stops_the_first_clock_and_the_follow_link_shows_the_new_status(client, auth, app, nord):
    auth.login_as_role("manager")
    page = f"/rapporter/{nord[1]}"
    response = client.post(f"{page}/klagomal/mottaget", data={"csrf_token": form_token_on(client, page)})
    assert response.status_code == 303
    with app.app_context():
        assert complaint_of_uuid(nord[1]).acknowledged_at is not None
    auth.logout()
    assert "data-complaint-status>Under utredning<" in client.get(nord[0]).get_data(as_text=True)


def test_the_answer_is_signed_and_shown_on_the_follow_link(client, auth, app, nord):
    auth.login_as_role("manager")
    page = f"/rapporter/{nord[1]}"
    client.post(f"{page}/klagomal/svar", data={"csrf_token": form_token_on(client, page),
                                               "answer": "Vi har pratat med personalen om tiderna."})
    with app.app_context():
        complaint = complaint_of_uuid(nord[1])
        assert complaint.answered_by.username == "chef.nord"
        assert complaint.answer_signed_name == complaint.answered_by.display_name
    auth.logout()
    html = client.get(nord[0]).get_data(as_text=True)
    assert "Vi har pratat med personalen om tiderna." in html


def test_the_answer_form_starts_from_the_template_signed_by_the_handler(client, auth, app, nord):
    auth.login_as_role("manager")
    html = client.get(f"/rapporter/{nord[1]}").get_data(as_text=True)
    with app.app_context():
        name = db.session.scalar(select(User.display_name).where(User.username == "chef.nord"))
    assert "Tack för att du hörde av dig till oss den 4 december 2026" in html
    assert f"Med vänliga hälsningar\n{name}" in html


def close(client, report_uuid, feedback=""):
    page = f"/rapporter/{report_uuid}"
    token = form_token_on(client, page)
    client.post(f"{page}/status", data={"csrf_token": token, "status": "investigating"})
    return client.post(f"{page}/status", data={"csrf_token": token, "status": "closed", "feedback": feedback})


def test_a_complaint_does_not_close_without_an_answer_or_a_reason(client, auth, app, nord):
    auth.login_as_role("manager")
    response = close(client, nord[1])
    with app.app_context():
        assert complaint_of_uuid(nord[1]).report.status == "investigating"
    assert response.status_code == 422
    assert "Skriv svaret till den som klagade, eller varför inget svar kunde ges" in response.get_data(as_text=True)


def test_a_complaint_closes_with_a_recorded_reason_why_no_answer_could_be_given(client, auth, app, unknown):
    auth.login_as_role("quality")
    page = f"/rapporter/{unknown[1]}"
    client.post(f"{page}/klagomal/inget-svar", data={"csrf_token": form_token_on(client, page),
                                                     "reason": "anonymous", "note": ""})
    close(client, unknown[1])
    with app.app_context():
        assert complaint_of_uuid(unknown[1]).report.status == "closed"
    auth.logout()
    assert "data-complaint-status>Avslutad<" in client.get(unknown[0]).get_data(as_text=True)


def test_a_complaint_closes_once_answered(client, auth, app, nord):
    auth.login_as_role("manager")
    page = f"/rapporter/{nord[1]}"
    client.post(f"{page}/klagomal/svar", data={"csrf_token": form_token_on(client, page), "answer": "Förlåt."})
    close(client, nord[1])
    with app.app_context():
        assert complaint_of_uuid(nord[1]).report.status == "closed"


def test_an_empty_answer_is_refused_in_the_complaint_section(client, auth, app, nord):
    auth.login_as_role("manager")
    page = f"/rapporter/{nord[1]}"
    response = client.post(f"{page}/klagomal/svar", data={"csrf_token": form_token_on(client, page), "answer": "  "})
    assert response.status_code == 422
    assert re.search(r'id="klagomal-meddelande" role="alert"[^>]*>Skriv svaret.<', response.get_data(as_text=True))
    with app.app_context():
        assert complaint_of_uuid(nord[1]).answered_at is None


def test_someone_who_does_not_handle_it_cannot_answer(client, auth, app, unknown):
    auth.login_as_role("manager")
    response = client.post(f"/rapporter/{unknown[1]}/klagomal/svar",
                           data={"csrf_token": form_token_on(client, "/rapporter"), "answer": "Hej"})
    assert response.status_code == 404
    with app.app_context():
        assert complaint_of_uuid(unknown[1]).answer == ""


def test_staff_cannot_reach_the_answer_route(client, auth, nord):
    auth.login_as_role("staff")
    response = auth.post(f"/rapporter/{nord[1]}/klagomal/svar", {"answer": "Hej"})
    assert response.status_code == 403


def test_an_ordinary_report_still_needs_feedback_to_close(app):
    assert rules.closing_problem("", "") is not None
    assert status_change_problem("investigating", "closed", "") is not None
    assert status_change_problem("investigating", "closed", "", feedback_required=False) is None


def reminders_about(username: str, report_uuid: str) -> list[InboxItem]:
    return [item for item in inbox_of(username) if item.url == f"/rapporter/{report_uuid}#klagomal"]


def test_a_clock_run_out_is_told_to_the_manager_once(app, nord, clock):
    with app.app_context():
        clock.pin(datetime(2026, 12, 9, 6, 0, tzinfo=timezone.utc))
        services.remind_overdue_clocks(utcnow(), app.config)
        services.remind_overdue_clocks(utcnow(), app.config)
        [item] = reminders_about("chef.nord", nord[1])
        assert item.title.startswith("Klagomål K-") and item.title.endswith("bekräfta att klagomålet har tagits emot")


def test_no_reminder_before_the_clock_has_run_out(app, nord, clock):
    with app.app_context():
        clock.pin(datetime(2026, 12, 8, 12, 0, tzinfo=timezone.utc))
        services.remind_overdue_clocks(utcnow(), app.config)
        assert reminders_about("chef.nord", nord[1]) == []


def test_an_acknowledged_complaint_is_not_reminded_of_acknowledging(client, auth, app, nord, clock):
    auth.login_as_role("manager")
    page = f"/rapporter/{nord[1]}"
    client.post(f"{page}/klagomal/mottaget", data={"csrf_token": form_token_on(client, page)})
    with app.app_context():
        clock.pin(datetime(2026, 12, 9, 6, 0, tzinfo=timezone.utc))
        services.remind_overdue_clocks(utcnow(), app.config)
        assert reminders_about("chef.nord", nord[1]) == []


def test_a_complaint_about_an_unknown_unit_reminds_quality_of_both_clocks(app, unknown, clock):
    with app.app_context():
        clock.pin(datetime(2027, 1, 5, 6, 0, tzinfo=timezone.utc))
        services.remind_overdue_clocks(utcnow(), app.config)
        assert len(reminders_about("kvalitet", unknown[1])) == 2
        assert reminders_about("chef.nord", unknown[1]) == []


def test_the_api_reads_a_public_complaint_without_a_reporter(client, auth, nord):
    auth.login_as_role("manager")
    response = client.get(f"/api/v1/reports/{nord[1]}")
    assert response.status_code == 200
    assert response.get_json()["reporter"] is None
    assert response.get_json()["kinds"] == [{"code": "klagomal", "label": "Klagomål eller synpunkt"}]


def test_the_printable_case_names_the_public_as_reporter(client, auth, nord):
    auth.login_as_role("manager")
    html = client.get(f"/rapporter/{nord[1]}/utskrift").get_data(as_text=True)
    assert "Allmänheten, via webbformuläret" in html


def test_a_saved_answer_is_said_in_the_complaint_section(client, auth, nord):
    auth.login_as_role("manager")
    page = f"/rapporter/{nord[1]}"
    response = client.post(f"{page}/klagomal/svar", data={"csrf_token": form_token_on(client, page), "answer": "Hej"})
    assert response.headers["Location"].endswith("#klagomal-meddelande")
    assert 'id="klagomal-meddelande" role="status"' in client.get(page).get_data(as_text=True)
