"""Told on arrival, end to end through the local push receiver: a new report reaches its handlers' phones at once."""
import json

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.notices.models import InboxItem
from app.reports import arrival
from app.reports.models import Report
from tests.conftest import AuthActions
from tests.notices.conftest import subscribe
from tests.reports.factories import ReportApi, payload

COMPLAINT = payload(text="Anhörig klagade på att besöket kom sent.", affected=["client"], harm="none",
                    topics=["complaint"])
LEX_MARIA = payload(text="Fel dos insulin gavs på kvällen.", affected=["client"], harm="injury",
                    topics=["medication"])
LEX_SARAH = payload(text="Brukaren blev hotad av en besökare.", affected=["client"], harm="risk",
                    topics=["threat_violence"])
BYPASS = dict(COMPLAINT, text="Chefen skäller på oss inför brukarna.", bypass_manager=True)


def phone_of(app, receiver, username):
    """A phone logged in as `username` whose push subscription posts to the receiver."""
    client = app.test_client()
    AuthActions(client).login(username)
    browser = receiver.new_browser()
    assert subscribe(client, browser.subscription(receiver.origin)).status_code == 201
    return browser


def send(app, report, username="usk.nord") -> dict:
    response = ReportApi(app.test_client()).login(username).send(dict(report, uuid=payload()["uuid"]))
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def told_of(app, report_id) -> dict[str, str]:
    """username → importance of the inbox items about the new report."""
    with app.app_context():
        rows = db.session.execute(select(User.username, InboxItem.importance).join(User)
                                  .where(InboxItem.topic == f"new-report-{report_id}"))
        return dict(rows.all())


def test_a_report_by_staff_reaches_the_unit_manager_s_phone_in_one_delivery_run(app, receiver):
    chef = phone_of(app, receiver, "chef.nord")
    body = send(app, COMPLAINT)
    [message] = receiver.delivered(chef.path)
    assert message.problem == ""
    assert message.headers["Topic"] == f"new-report-{body['id']}"
    assert message.headers["Urgency"] == "normal"
    notification = message.payload["notification"]
    assert notification["title"] == "Ny rapport från Hemvård Nord"
    assert notification["data"]["url"] == f"http://localhost/rapporter/{body['uuid']}"
    assert "besöket" not in json.dumps(message.payload)  # no report text through the push service


def test_the_unit_s_managers_are_told_and_not_quality_of_an_everyday_report(app):
    body = send(app, COMPLAINT)
    assert told_of(app, body["id"]) == {"chef.nord": "normal"}


def test_a_possible_lex_maria_case_reaches_mas_at_once_marked_urgent(app, receiver):
    mas = phone_of(app, receiver, "mas")
    body = send(app, LEX_MARIA)
    [message] = receiver.delivered(mas.path)
    assert message.headers["Urgency"] == "high"
    assert message.payload["notification"]["title"] == "Ny rapport att bedöma snarast från Hemvård Nord"
    assert "insulin" not in json.dumps(message.payload)
    assert told_of(app, body["id"]) == {"chef.nord": "important", "ssk.nord": "important", "mas": "important"}


def test_a_possible_lex_sarah_case_goes_to_quality_and_not_to_the_nurse(app):
    body = send(app, LEX_SARAH)
    assert told_of(app, body["id"]) == {"chef.nord": "important", "kvalitet": "important", "mas": "important"}


def test_a_report_past_the_manager_goes_to_quality_and_is_404_for_the_manager(app, receiver):
    chef = phone_of(app, receiver, "chef.nord")
    body = send(app, BYPASS)
    assert receiver.delivered(chef.path) == []
    assert told_of(app, body["id"]) == {"kvalitet": "normal", "mas": "normal"}
    manager = ReportApi(app.test_client()).login("chef.nord")
    assert manager.get(f"/api/v1/reports/{body['uuid']}").status_code == 404
    assert manager.get(f"/rapporter/{body['uuid']}").status_code == 404
    quality = ReportApi(app.test_client()).login("kvalitet")
    assert quality.get(f"/rapporter/{body['uuid']}").status_code == 200


def test_a_replay_of_the_same_report_tells_nobody_again(app, receiver):
    chef = phone_of(app, receiver, "chef.nord")
    report = dict(COMPLAINT, uuid=payload()["uuid"])
    phone = ReportApi(app.test_client()).login("usk.nord")
    assert phone.send(report).status_code == 201
    assert phone.send(report).status_code == 200
    assert len(receiver.delivered(chef.path)) == 1
    with app.app_context():
        report_id = db.session.scalar(select(Report.id).where(Report.uuid == report["uuid"]))
    assert told_of(app, report_id) == {"chef.nord": "normal"}


def test_the_reporter_is_not_told_of_their_own_report(app):
    body = send(app, LEX_MARIA, username="ssk.nord")
    assert "ssk.nord" not in told_of(app, body["id"])


def test_a_failing_announcement_does_not_lose_the_report(app, monkeypatch):
    def broken(report):
        raise RuntimeError("queue down")

    monkeypatch.setattr("app.reports.services.tell_of_new_report", broken)
    body = send(app, COMPLAINT)
    with app.app_context():
        assert db.session.get(Report, body["id"]) is not None


@pytest.mark.parametrize(("kinds", "who"), [(["lex_maria"], {"mas"}), (["lex_sarah"], {"quality"}),
                                            (["informationssakerhet"], {"quality"})])
def test_the_urgent_table_names_who_hears_of_each_kind(kinds, who):
    rows = [{str(member) for member in members} for table_kinds, members in arrival.URGENT_TO
            if table_kinds & set(kinds)]
    assert rows == [who]
