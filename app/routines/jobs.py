"""Background jobs of routines."""
from huey import crontab

from app.queue import periodic_job
from app.routines import proposals
from app.timestamps import local_today


@periodic_job(crontab(hour="5", minute="30"))
def remind_review_dates() -> int:
    """Every morning: remind owners 30 days before and on the review date, quality once it has passed; once each."""
    return proposals.remind_review_dates(local_today())
