"""Staff registering a complaint on someone's behalf: channel and contact, as a complaint case."""
import re

from sqlalchemy import select

from app.complaints.models import Complaint
from app.extensions import db
from app.notices.models import InboxItem
from tests.complaints.factories import unit_id


def register(auth, **changes):
    data = {"channel": "telefon", "text": "Sonen ringde: pappa fick ingen lunch i går.", "unit_id": "",
            "complainant": "relative", "answer_way": "phone", "name": "Erik", "phone": "070-111 22 33",
            "email": "", "address": ""}
    data.update(changes)
    return auth.post("/rapportera/klagomal", data, token_from="/rapportera/klagomal")


def latest_complaint() -> Complaint:
    return db.session.scalar(select(Complaint).order_by(Complaint.id.desc()).limit(1))


def test_the_report_form_links_to_registering_a_complaint(client, auth):
    auth.login_as_role("staff")
    assert 'href="/rapportera/klagomal"' in client.get("/rapportera").get_data(as_text=True)


def test_a_phone_call_becomes_a_complaint_case_with_channel_and_contact(client, auth, app):
    auth.login_as_role("staff")
    response = register(auth, unit_id=unit_id(app))
    assert response.status_code == 303
    with app.app_context():
        complaint = latest_complaint()
        assert complaint.channel == "telefon"
        assert complaint.contact_phone == "070-111 22 33" and complaint.contact_name == "Erik"
        assert complaint.report.kinds == ["klagomal"]
        assert complaint.report.reporter.username == "usk.nord"
        assert complaint.report.unit.name == "Hemvård Nord"
        manager_items = db.session.scalars(select(InboxItem).where(InboxItem.url.contains(complaint.report.uuid)))
        assert len(list(manager_items)) == 1


def test_the_staff_member_gets_the_follow_link_to_pass_on(client, auth, app):
    auth.login_as_role("staff")
    page = client.get(register(auth).headers["Location"]).get_data(as_text=True)
    link = re.search(r"(http://localhost/synpunkter/[A-Za-z0-9_-]{43})", page).group(1)
    auth.logout()
    assert "data-complaint-status>Mottagen<" in client.get(link.removeprefix("http://localhost")).get_data(
        as_text=True)


def test_the_channel_must_be_given(client, auth, app):
    auth.login_as_role("staff")
    response = register(auth, channel="")
    assert response.status_code == 422
    assert "Välj hur klagomålet kom in." in response.get_data(as_text=True)


def test_the_web_is_not_a_staff_channel(client, auth, app):
    auth.login_as_role("staff")
    assert register(auth, channel="webb").status_code == 422


def test_every_staff_channel_is_accepted(client, auth, app):
    auth.login_as_role("staff")
    for channel in ("telefon", "besok", "brev", "e-post", "kontaktcenter"):
        assert register(auth, channel=channel).status_code == 303, channel


def test_registering_needs_a_login(client):
    assert client.get("/rapportera/klagomal").status_code == 302


def test_a_staff_registered_complaint_closes_with_feedback_and_answer(client, auth, app):
    auth.login_as_role("staff")
    register(auth, unit_id=unit_id(app))
    with app.app_context():
        report_uuid = latest_complaint().report.uuid
    auth.logout()
    auth.login_as_role("manager")
    page = f"/rapporter/{report_uuid}"
    auth.post(f"{page}/klagomal/svar", {"answer": "Vi har ringt Erik."}, token_from=page)
    auth.post(f"{page}/status", {"status": "investigating"}, token_from=page)
    auth.post(f"{page}/status", {"status": "closed", "feedback": "Tack, Erik har fått svar."}, token_from=page)
    with app.app_context():
        assert latest_complaint().report.status == "closed"
