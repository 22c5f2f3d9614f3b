"""Background jobs of routines."""
from huey import crontab

from app.extensions import db
from app.queue import periodic_job
from app.routines import misses, proposals
from app.timestamps import local_today


@periodic_job(crontab(hour="5", minute="30"))
def remind_owners_of_overdue_reviews() -> int:
    """Every morning: remind owners of routines whose review date has passed (shown in their list)."""
    reminded = proposals.mark_overdue_reviews_reminded(local_today())
    db.session.commit()
    return len(reminded)


@periodic_job(crontab(hour="4", minute="15"))
def forget_old_search_misses() -> int:
    """Every night: delete searches without an answer that nobody has made for 90 days."""
    removed = misses.forget_old_misses()
    db.session.commit()
    return removed
