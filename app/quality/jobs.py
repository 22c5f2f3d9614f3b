"""Background jobs of the quality year."""
from huey import crontab

from app.quality import reminders
from app.queue import periodic_job
from app.timestamps import local_today


@periodic_job(crontab(hour="6", minute="45"))
def plan_and_remind_tasks() -> int:
    """Every morning: make the tasks coming due from the årshjul, then send the day's reminders, each once."""
    today = local_today()
    reminders.build_tasks(today)
    return reminders.send_reminders(today) + reminders.remind_overdue_actions(today)
