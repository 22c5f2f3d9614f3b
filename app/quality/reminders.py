"""The daily work of the årshjul: make the tasks coming due, and remind of them ("ett pling"), each step once."""
import logging
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts import scope
from app.accounts.models import Unit, User
from app.accounts.rules import Role
from app.extensions import db
from app.notices.models import SentReminder
from app.notices.rules import Importance
from app.notices.reminders import Reminder, remind_each
from app.notices.reminders import remind_once
from app.quality import rules
from app.quality.models import Activity, CheckAction, Task
from app.quality.services import assignees, task_units
from app.urls import path_for, root_request_if_none
from app.views import date_sv

log = logging.getLogger("fickan.quality")

# Tasks are made this many days ahead (or the lead time, if longer), so "Att göra" shows what is coming.
BUILD_AHEAD_DAYS = 45
TASK_SUBJECT = "quality_task"
ACTION_SUBJECT = "quality_action"


def build_tasks(today: date) -> int:
    """Make the task of every occurrence due from today to the horizon, per unit; returns how many were new."""
    activities = list(db.session.scalars(select(Activity).where(Activity.active.is_(True))
                                         .options(selectinload(Activity.units))))
    if not activities:
        return 0
    parent_of = scope.parent_map()
    kinds = dict(db.session.execute(select(Unit.id, Unit.kind)).all())
    wanted = []
    for activity in activities:
        end = today + timedelta(days=max(BUILD_AHEAD_DAYS, activity.lead_days))
        days = rules.occurrences(activity.recurrence, activity.month_days, today, end)
        if days:
            units = task_units(activity, parent_of, kinds)
            wanted += [(activity, unit_id, day) for day in days for unit_id in units]
    if not wanted:
        return 0
    existing = set(db.session.execute(
        select(Task.activity_id, Task.unit_id, Task.due_on)
        .where(Task.due_on >= today, Task.activity_id.in_([activity.id for activity in activities]))).all())
    new = [Task(activity_id=activity.id, unit_id=unit_id, due_on=day, assigned_role=activity.responsible_role)
           for activity, unit_id, day in wanted if (activity.id, unit_id, day) not in existing]
    db.session.add_all(new)
    db.session.commit()
    if new:
        log.info("tasks made", extra={"count": len(new)})
    return len(new)


def quality_users() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role == Role.QUALITY, User.active.is_(True))
                                   .order_by(User.id)))


def reminder_text(task: Task, step: str) -> tuple[str, str]:
    name, due = task.activity.name, date_sv(task.due_on)
    if step == rules.Step.LEAD:
        return f"Snart dags: {name}", f"{task.unit.name} ska vara klar {due}."
    if step == rules.Step.DUE:
        return f"I dag: {name}", f"{task.unit.name} ska vara klar i dag, {due}."
    if step == rules.Step.OVERDUE:
        return f"Försenad: {name}", f"{task.unit.name} skulle ha varit klar {due}."
    return (f"Försenad en vecka: {name}",
            f"{task.unit.name} skulle ha varit klar {due} och är det inte. Hör med enheten.")


def sent_steps(task_ids: list[int]) -> set[tuple[int, str, date]]:
    """(task id, step, due date) of every reminder already sent for these tasks, in one query."""
    if not task_ids:
        return set()
    return set(db.session.execute(select(SentReminder.subject_id, SentReminder.step, SentReminder.about_date).where(
        SentReminder.subject == TASK_SUBJECT, SentReminder.subject_id.in_(task_ids))).all())


def reminders_of(task: Task) -> list[SentReminder]:
    """The reminders recorded for a task's current due date, oldest first: the page says only what these say."""
    return list(db.session.scalars(select(SentReminder).where(
        SentReminder.subject == TASK_SUBJECT, SentReminder.subject_id == task.id,
        SentReminder.about_date == task.due_on).order_by(SentReminder.sent_at, SentReminder.id)))


def send_reminders(today: date) -> int:
    """Remind of each open task at its lead time, on its date, when overdue, then quality; returns how many went."""
    max_lead = db.session.scalar(select(func.max(Activity.lead_days))) or 0
    tasks = db.session.scalars(
        select(Task).where(rules.reminder_candidates_sql(Task.due_on, Task.done_at, today, max_lead))
        .options(selectinload(Task.activity), selectinload(Task.unit), selectinload(Task.assigned_user))
        .order_by(Task.due_on, Task.id))
    tasks = list(tasks)
    done_before = sent_steps([task.id for task in tasks])
    quality = quality_users()
    due = []
    with root_request_if_none():  # one request context for every link, not one each
        for task in tasks:
            for step in rules.reminder_steps(task.due_on, task.activity.lead_days, today):
                if (task.id, step, task.due_on) in done_before:
                    continue  # sent before: spare looking up whom to tell
                # A unit where nobody holds the role: quality hears of it instead.
                users = quality if step == rules.Step.QUALITY else (assignees(task) or quality)
                title, body = reminder_text(task, step)
                important = step in (rules.Step.OVERDUE, rules.Step.QUALITY)
                due.append(Reminder(users, TASK_SUBJECT, task.id, step, task.due_on, title, body,
                                    path_for("tasks.task", task_id=task.id),
                                    Importance.IMPORTANT if important else Importance.NORMAL))
    return remind_each(due)


def remind_overdue_actions(today: date) -> int:
    """Tell the owner of each egenkontroll action past its due date, once per action and date."""
    overdue = db.session.scalars(select(CheckAction).where(
        rules.is_overdue_sql(CheckAction.due_on, CheckAction.done_at, today), CheckAction.owner_id.is_not(None))
        .options(selectinload(CheckAction.owner), selectinload(CheckAction.unit)).order_by(CheckAction.id))
    sent = 0
    for action in list(overdue):
        if not action.owner.active:
            continue
        sent += remind_once([action.owner], subject=ACTION_SUBJECT, subject_id=action.id, step="overdue",
                            about_date=action.due_on, title="En åtgärd från en egenkontroll är försenad",
                            body=f"{action.unit.name}: {action.what[:160]}. Den skulle vara klar "
                                 f"{date_sv(action.due_on)}.",
                            url=path_for("tasks.index", _anchor="atgarder-rubrik"), importance=Importance.IMPORTANT)
    return sent
