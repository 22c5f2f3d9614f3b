"""Many reminders in one commit keep remind_once's promise: each sent once, recorded with its items."""
from datetime import date

from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.notices import reminders as notice_reminders
from app.notices.models import InboxItem, SentReminder
from app.notices.reminders import Reminder, remind_each
from app.notices.reminders import remind_once

DAY = date(2027, 3, 1)


def reminder(subject_id: int, users) -> Reminder:
    return Reminder(users, "quality_task", subject_id, "due", DAY, f"I dag: uppgift {subject_id}", "Text", "/att-gora")


def items_titled(title: str) -> int:
    return db.session.scalar(select(func.count()).select_from(InboxItem).where(InboxItem.title == title))


def test_each_reminder_is_sent_once_with_its_record(app):
    with app.app_context():
        chef = db.session.scalar(select(User).where(User.username == "chef.nord"))
        assert remind_each([reminder(9001, [chef]), reminder(9002, [chef])]) == 2
        assert remind_each([reminder(9001, [chef]), reminder(9002, [chef])]) == 0
        assert items_titled("I dag: uppgift 9001") == 1
        rows = db.session.scalar(select(func.count()).select_from(SentReminder)
                                 .where(SentReminder.subject_id.in_([9001, 9002])))
        assert rows == 2


def test_a_reminder_sent_meanwhile_by_another_worker_is_not_sent_twice(app, monkeypatch):
    with app.app_context():
        chef = db.session.scalar(select(User).where(User.username == "chef.nord"))
        first = reminder(9003, [chef])
        assert remind_once(first.users, subject=first.subject, subject_id=first.subject_id, step=first.step,
                           about_date=first.about_date, title=first.title, body=first.body, url=first.url)
        # The other worker's record arrives after this one looked: the one commit fails as a whole.
        monkeypatch.setattr(notice_reminders, "reminder_sent", lambda *args: None)
        assert remind_each([first, reminder(9004, [chef])]) == 1
        assert items_titled("I dag: uppgift 9003") == 1
        assert items_titled("I dag: uppgift 9004") == 1


def test_nobody_to_tell_is_no_reminder(app):
    with app.app_context():
        assert remind_each([reminder(9005, [])]) == 0
        assert db.session.scalar(select(func.count()).select_from(SentReminder)
                                 .where(SentReminder.subject_id == 9005)) == 0
