"""Background jobs of reports."""
from flask import current_app
from huey import crontab

from app.queue import periodic_job
from app.extensions import db
from app.reports import clocks, rises
from app.timestamps import local_today, utcnow


@periodic_job(crontab(minute="*/15"))
def remind_overdue_deadlines() -> int:
    """Every quarter hour: tell the responsible once of each legal clock run out and each action past its date."""
    now = utcnow()
    return (clocks.remind_overdue_clocks(now, current_app.config.get("LEGAL_CLOCK_HOURS", {}))
            + clocks.remind_overdue_actions(now))


@periodic_job(crontab(hour="7", minute="0"))
def remind_unhandled_reports() -> int:
    """Every morning: remind a manager of a report still received after some working days, then quality; once each."""
    return clocks.remind_unhandled_reports(local_today(), current_app.config.get("UNHANDLED_REPORT_DAYS", 2))


@periodic_job(crontab(day_of_week="1", hour="6", minute="30"))
def flag_unusual_rises() -> int:
    """Every Monday: tell managers and quality of a unit's kind of report rising beyond chance; once a week each."""
    sent = rises.flag_unusual_rises(local_today())
    db.session.commit()
    return sent
