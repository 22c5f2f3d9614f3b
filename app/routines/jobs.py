"""Background jobs of routines."""
from huey import crontab

from app.extensions import db
from app.queue import periodic_job
from app.routines import misses, proposals
from app.timestamps import local_today


@periodic_job(crontab(hour="5", minute="30"))
def remind_review_dates() -> int:
    """Every morning: remind owners 30 days before and on the review date, quality once it has passed; once each."""
    sent = proposals.remind_review_dates(local_today())
    db.session.commit()
    return sent


@periodic_job(crontab(hour="4", minute="15"))
def forget_old_search_misses() -> int:
    """Every night: delete searches without an answer that nobody has made for 90 days."""
    removed = misses.forget_old_misses()
    db.session.commit()
    return removed
