"""A report still "Mottagen" after some working days reminds its manager, then quality; once each."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import delete, select

from app.accounts.models import User
from app.extensions import db
from app.notices.models import InboxItem, SentReminder
from app.reports import clocks, handling, rules
from app.reports.models import Report
from tests.reports.factories import ReportApi, payload

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
COMPLAINT = payload(text="Anhörig klagade på maten.", affected=["client"], harm="none", topics=["complaint"])


@pytest.mark.parametrize(("today", "steps"), [
    (date(2026, 11, 24), []), (date(2026, 11, 25), ["manager"]), (date(2026, 11, 26), ["manager", "quality"]),
])
def test_the_steps_count_working_days_from_arrival(today, steps):
    assert rules.unhandled_reminder_steps(date(2026, 11, 23), today, 2) == steps


def test_a_friday_report_waits_over_the_weekend():
    assert rules.unhandled_reminder_steps(date(2026, 11, 27), date(2026, 11, 30), 2) == []
    assert rules.unhandled_reminder_steps(date(2026, 11, 27), date(2026, 12, 1), 2) == ["manager"]


@pytest.fixture
def received_monday(app, clock):
    """A report by usk.nord on Monday, with the demo data's waiting reports reminded of already."""
    clock.pin(MONDAY)
    with app.app_context():
        clocks.remind_unhandled_reports(date(2027, 1, 1), 2)
        db.session.execute(delete(InboxItem).where(InboxItem.kind == "deadline"))
        db.session.commit()
    response = ReportApi(app.test_client()).login("usk.nord").send(dict(COMPLAINT, uuid=payload()["uuid"],
                                                                        created_at=MONDAY.isoformat()))
    return response.get_json()


def test_the_manager_then_quality_are_reminded_once_each(app, received_monday):
    report_id = received_monday["id"]
    with app.app_context():
        assert clocks.remind_unhandled_reports(date(2026, 11, 24), 2) == 0
        assert clocks.remind_unhandled_reports(date(2026, 11, 25), 2) == 1
        assert clocks.remind_unhandled_reports(date(2026, 11, 25), 2) == 0
        assert clocks.remind_unhandled_reports(date(2026, 11, 26), 2) == 1
        assert clocks.remind_unhandled_reports(date(2026, 11, 27), 2) == 0
        steps = db.session.scalars(select(SentReminder.step).where(SentReminder.subject_id == report_id,
                                                                   SentReminder.subject == "unhandled_report"))
        assert sorted(steps) == ["manager", "quality"]
        users = db.session.scalars(select(User.username).join(InboxItem, InboxItem.user_id == User.id)
                                   .where(InboxItem.topic == f"unhandled_re-{report_id}"))
        assert sorted(users) == ["chef.nord", "kvalitet", "mas"]


def test_a_report_taken_up_is_not_reminded(app, received_monday):
    with app.app_context():
        report = db.session.get(Report, received_monday["id"])
        handling.change_status(db.session.scalar(select(User).where(User.username == "chef.nord")), report,
                               "investigating")
        db.session.commit()
        assert clocks.remind_unhandled_reports(date(2026, 11, 30), 2) == 0


def test_the_number_of_working_days_is_configurable(app, received_monday):
    with app.app_context():
        assert clocks.remind_unhandled_reports(date(2026, 11, 25), 3) == 0
        assert clocks.remind_unhandled_reports(date(2026, 11, 26), 3) == 1


def test_the_periodic_job_reads_the_configuration(app, received_monday, clock):
    from app.reports.jobs import remind_unhandled_reports

    app.config["UNHANDLED_REPORT_DAYS"] = 1
    clock.pin(datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc))
    with app.app_context():
        assert remind_unhandled_reports.call_local() == 1
