"""Background jobs of reports."""
from flask import current_app
from huey import crontab

from app.queue import periodic_job
from app.reports import clocks
from app.timestamps import utcnow


@periodic_job(crontab(minute="*/15"))
def remind_overdue_deadlines() -> int:
    """Every quarter hour: tell the responsible once of each legal clock run out and each action past its date."""
    now = utcnow()
    return (clocks.remind_overdue_clocks(now, current_app.config.get("LEGAL_CLOCK_HOURS", {}))
            + clocks.remind_overdue_actions(now))
