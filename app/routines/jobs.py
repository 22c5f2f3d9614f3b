"""Background jobs of routines."""
from datetime import date

from huey import crontab

from app.queue import periodic_job
from app.routines import services


@periodic_job(crontab(hour="5", minute="30"))
def remind_owners_of_overdue_reviews() -> int:
    """Every morning: remind owners of routines whose review date has passed (shown in their list)."""
    return len(services.mark_overdue_reviews_reminded(date.today()))
