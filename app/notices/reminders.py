"""Reminders, each sent once (remind_once), and many at once with that promise in one commit for a job."""
import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.extensions import db
from app.notices.models import InboxItem, SentReminder
from app.notices.rules import Importance, InboxKind
from app.notices.services import deliver

log = logging.getLogger("fickan.notices")



def reminder_sent(subject: str, subject_id: int, step: str, about_date: date) -> SentReminder | None:
    return db.session.scalar(select(SentReminder).where(
        SentReminder.subject == subject, SentReminder.subject_id == subject_id, SentReminder.step == step,
        SentReminder.about_date == about_date))


def last_reminders(subject: str, about: dict[int, date]) -> dict[int, SentReminder]:
    """The latest reminder sent for each subject id about its date (`about`: subject id → date)."""
    if not about:
        return {}
    rows = db.session.scalars(select(SentReminder).where(SentReminder.subject == subject,
                                                         SentReminder.subject_id.in_(list(about)))
                              .order_by(SentReminder.sent_at, SentReminder.id))
    return {row.subject_id: row for row in rows if row.about_date == about[row.subject_id]}


def remind_once(users: list[User], *, subject: str, subject_id: int, step: str, about_date: date, title: str,
                body: str, url: str, importance: str = Importance.NORMAL) -> bool:
    """Put a reminder in the users' inboxes and push it, unless this step was sent before; True when sent now.

    The record is written with the items, in one commit, so a reminder is never told twice nor marked unsent."""
    if reminder_sent(subject, subject_id, step, about_date) is not None:
        return False
    db.session.add(SentReminder(subject=subject, subject_id=subject_id, step=step, about_date=about_date,
                                recipient_count=len(users)))
    topic = f"{subject[:12]}-{subject_id}"
    try:
        deliver([InboxItem(user_id=user.id, kind=InboxKind.DEADLINE, title=title[:200], body=body, url=url,
                           importance=importance, topic=topic) for user in users])
    except IntegrityError:
        db.session.rollback()  # another worker sent it a moment ago
        return False
    log.info("reminder sent", extra={"subject": subject, "id": subject_id, "step": step, "recipients": len(users)})
    return True


@dataclass(frozen=True)
class Reminder:
    """One reminder: the arguments of remind_once."""

    users: list[User]
    subject: str
    subject_id: int
    step: str
    about_date: date
    title: str
    body: str
    url: str
    importance: str = Importance.NORMAL


def remind_each(reminders: list[Reminder]) -> int:
    """remind_once for each reminder, with one commit for all the records and items (a morning's hundreds would
    otherwise wait on hundreds of commits); those sent before are left out. Should another worker send one
    meanwhile, the commit fails as a whole and each is tried again on its own."""
    pending = [reminder for reminder in reminders if reminder.users
               and reminder_sent(reminder.subject, reminder.subject_id, reminder.step, reminder.about_date) is None]
    if not pending:
        return 0
    # The items first: reading a user's id may load it, and a load would flush the records out of turn.
    items = [InboxItem(user_id=user.id, kind=InboxKind.DEADLINE, title=reminder.title[:200], body=reminder.body,
                       url=reminder.url, importance=reminder.importance,
                       topic=f"{reminder.subject[:12]}-{reminder.subject_id}")
             for reminder in pending for user in reminder.users]
    for reminder in pending:
        db.session.add(SentReminder(subject=reminder.subject, subject_id=reminder.subject_id, step=reminder.step,
                                    about_date=reminder.about_date, recipient_count=len(reminder.users)))
    try:
        deliver(items)
    except IntegrityError:
        db.session.rollback()
        return sum(remind_once(reminder.users, subject=reminder.subject, subject_id=reminder.subject_id,
                               step=reminder.step, about_date=reminder.about_date, title=reminder.title,
                               body=reminder.body, url=reminder.url, importance=reminder.importance)
                   for reminder in pending)
    log.info("reminders sent", extra={"count": len(pending), "items": len(items)})
    return len(pending)
