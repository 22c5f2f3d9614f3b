"""A new report and the inbox items telling its handlers are committed together; telling never costs the report."""
import logging

from sqlalchemy import func, select, update

from app.accounts.models import User
from app.extensions import db
from app.notices.models import InboxItem
from app.reports.models import Report
from app.reports.schemas import load_report
from app.reports.services import create_report
from tests.reports.factories import ReportApi, jpeg, payload, report_count


def told_of(report_id: int) -> list[InboxItem]:
    return list(db.session.scalars(select(InboxItem).where(InboxItem.topic == f"new-report-{report_id}")
                                   .order_by(InboxItem.user_id)))


def inbox_count() -> int:
    return db.session.scalar(select(func.count()).select_from(InboxItem))


def send(client, **answers):
    return ReportApi(client).login("usk.nord").send(payload(**answers), photos=[jpeg()])


def test_the_handlers_are_told_in_the_report_s_own_commit(app, client, monkeypatch):
    commits = []
    real_commit = db.session.commit

    def counting_commit():
        commits.append(1)
        real_commit()

    api = ReportApi(client).login("usk.nord")
    monkeypatch.setattr(db.session, "commit", counting_commit)
    response = api.send(payload(), photos=[jpeg()])
    monkeypatch.undo()
    assert response.status_code == 201
    assert len(commits) == 1
    with app.app_context():
        items = told_of(response.get_json()["id"])
        assert items and all(item.url == f"/rapporter/{response.get_json()['uuid']}" for item in items)
        assert {item.title for item in items} <= {"Ny rapport från Hemvård Nord",
                                                  "Ny rapport att bedöma snarast från Hemvård Nord"}


def test_a_failing_commit_stores_neither_the_report_nor_its_inbox_items(app, client, monkeypatch):
    api = ReportApi(client).login("usk.nord")
    with app.app_context():
        before = inbox_count()

    def fail():
        raise RuntimeError("disk full")

    monkeypatch.setattr(db.session, "commit", fail)
    assert api.send(payload(), photos=[jpeg()]).status_code == 500
    monkeypatch.undo()
    with app.app_context():
        assert report_count() == 0 and inbox_count() == before


def sent_but_not_announced(client, caplog) -> int:
    """Send a report whose telling fails: it is stored (201) and the failure logged; its id."""
    with caplog.at_level(logging.ERROR, logger="fickan.reports"):
        response = send(client)
    assert response.status_code == 201
    assert "report not announced" in caplog.text
    return response.get_json()["id"]


def test_inbox_items_that_cannot_be_written_leave_the_report_stored(app, client, monkeypatch, caplog):
    def broken(report, told):
        # A write that fails inside the transaction: only it is undone (the savepoint), not the report.
        db.session.execute(InboxItem.__table__.insert(), [{"user_id": None, "kind": "report", "title": "x",
                                                           "topic": "x"}])

    monkeypatch.setattr("app.reports.arrival.add_report_received", broken)
    report_id = sent_but_not_announced(client, caplog)
    with app.app_context():
        report = db.session.get(Report, report_id)
        assert report is not None and len(report.photos) == 1
        assert told_of(report.id) == []


def test_a_push_queue_that_is_down_leaves_the_report_and_its_inbox_items(app, client, monkeypatch, caplog):
    def queue_down(item_ids):
        raise ConnectionError("queue down")

    monkeypatch.setattr("app.notices.jobs.queue_delivery", queue_down)
    report_id = sent_but_not_announced(client, caplog)
    with app.app_context():
        assert told_of(report_id)


def test_working_out_who_hears_may_fail_and_the_report_is_stored_untold(app, client, monkeypatch, caplog):
    def broken(report):
        raise RuntimeError("no users table")

    monkeypatch.setattr("app.reports.arrival.recipients", broken)
    report_id = sent_but_not_announced(client, caplog)
    with app.app_context():
        assert db.session.get(Report, report_id) is not None
        assert told_of(report_id) == []


LEX_MARIA = dict(text="Fel dos insulin gavs på kvällen.", affected=["client"], harm="injury", topics=["medication"])


def importance_by_username(report_id: int) -> dict[str, str]:
    return {db.session.get(User, item.user_id).username: item.importance for item in told_of(report_id)}


def test_lex_maria_is_urgent_to_mas(app, client):
    response = send(client, **LEX_MARIA)
    with app.app_context():
        told = importance_by_username(response.get_json()["id"])
        assert told["mas"] == "important" and "kvalitet" not in told


def test_without_a_mas_lex_maria_is_urgent_to_every_quality_user(app, client):
    with app.app_context():
        db.session.execute(update(User).values(is_mas=False))
        db.session.commit()
    response = send(client, **LEX_MARIA)
    with app.app_context():
        told = importance_by_username(response.get_json()["id"])
        assert told["mas"] == told["kvalitet"] == "important"


def test_the_report_returned_holds_its_photos_though_their_rows_went_in_without_the_orm(app, clock):
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.username == "usk.nord"))
        report, created = create_report(user, load_report(payload()), [jpeg(), jpeg()])
        assert created
        assert [(photo.number, photo.report_id, photo.width > 0) for photo in report.photos] == [
            (1, report.id, True), (2, report.id, True)]
