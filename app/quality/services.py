"""Services of the quality year: planning activities, the tasks they become, doing and handing tasks."""
import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts import scope
from app.accounts.models import Unit, User, memberships
from app.accounts.rules import Role, UnitKind
from app.accounts.scope import Purpose
from app.errors import DomainError, NotAllowed
from app.extensions import db
from app.quality import rules
from app.quality.models import Activity, CheckForm, Task
from app.routines.models import Routine
from app.timestamps import utcnow

log = logging.getLogger("fickan.quality")


class QualityError(DomainError):
    """A request that breaks a rule of the quality year; the message is Swedish."""


@dataclass
class ActivityInput:
    name: str
    kind: str
    recurrence: str
    dates: list[rules.MonthDay]
    unit_ids: list[int]
    responsible_role: str
    lead_days: int
    description: str = ""
    form_id: int | None = None
    routine_id: int | None = None


def may_plan(user: User) -> bool:
    return user.role == Role.QUALITY


def check_input(data: ActivityInput) -> None:
    if not data.name.strip():
        raise QualityError("name_required", "Skriv vad aktiviteten heter.", field="name")
    if data.kind not in set(rules.ActivityKind):
        raise QualityError("kind_unknown", "Välj en sort.", field="kind")
    if data.recurrence not in set(rules.Recurrence):
        raise QualityError("recurrence_unknown", "Välj hur ofta den återkommer.", field="recurrence")
    if not data.dates:
        raise QualityError("dates_required", "Skriv minst ett datum.", field="dates")
    if not data.unit_ids:
        raise QualityError("units_required", "Välj minst en enhet.", field="units")
    if data.responsible_role not in rules.RESPONSIBLE_ROLES:
        raise QualityError("role_unknown", "Välj vem som ansvarar i enheten.", field="responsible_role")
    if not 0 <= data.lead_days <= 180:
        raise QualityError("lead_days", "Första påminnelsen kan komma 0 till 180 dagar före.", field="lead_days")


def apply_input(activity: Activity, data: ActivityInput) -> None:
    check_input(data)
    units = list(db.session.scalars(select(Unit).where(Unit.id.in_(data.unit_ids))))
    if len(units) != len(set(data.unit_ids)):
        raise QualityError("unit_unknown", "En vald enhet finns inte.", field="units")
    if data.form_id is not None and db.session.get(CheckForm, data.form_id) is None:
        raise QualityError("form_unknown", "Formuläret finns inte.", field="form_id")
    if data.routine_id is not None and db.session.get(Routine, data.routine_id) is None:
        raise QualityError("routine_unknown", "Rutinen finns inte.", field="routine_id")
    activity.name = data.name.strip()[:160]
    activity.kind = data.kind
    activity.recurrence = data.recurrence
    # A yearly rule keeps all its dates; the others are anchored on the first one typed.
    kept = data.dates if data.recurrence == rules.Recurrence.YEARLY else data.dates[:1]
    activity.dates = [str(day) for day in kept]
    activity.units = units
    activity.responsible_role = data.responsible_role
    activity.lead_days = data.lead_days
    activity.description = data.description.strip()
    activity.form_id = data.form_id
    activity.routine_id = data.routine_id


def create_activity(actor: User, data: ActivityInput) -> Activity:
    """Plan a recurring activity (quality only)."""
    if not may_plan(actor):
        raise NotAllowed("Bara kvalitet planerar årshjulet.")
    activity = Activity(created_by_id=actor.id)
    apply_input(activity, data)
    db.session.add(activity)
    db.session.flush()
    log.info("activity planned", extra={"actor": actor.username, "activity": activity.id})
    return activity


def update_activity(actor: User, activity: Activity, data: ActivityInput) -> Activity:
    """Change a planned activity; tasks already made keep their dates."""
    if not may_plan(actor):
        raise NotAllowed("Bara kvalitet planerar årshjulet.")
    apply_input(activity, data)
    db.session.flush()
    return activity


def target_unit_ids(activity: Activity, parent_of: dict[int, int | None]) -> set[int]:
    """The units the activity is for: those chosen and every unit below them."""
    return scope.units_and_below((unit.id for unit in activity.units), parent_of)


def visible_activities(user: User) -> list[Activity]:
    """The activities the user sees on the wheel: all for quality, those reaching a manager's units."""
    activities = list(db.session.scalars(select(Activity).where(Activity.active.is_(True))
                                         .options(selectinload(Activity.units)).order_by(Activity.name)))
    if scope.sees_every_unit(user, Purpose.QUALITY_YEAR):
        return activities
    parent_of = scope.parent_map()
    mine = scope.visible_unit_ids(user, Purpose.QUALITY_YEAR, parent_of)
    return [activity for activity in activities if target_unit_ids(activity, parent_of) & mine]


def activity_for(user: User, activity_id: int) -> Activity | None:
    return next((activity for activity in visible_activities(user) if activity.id == activity_id), None)


# Tasks

def units_with_role(unit_ids: set[int], role: str) -> set[int]:
    """Which of the units have an active member with the role."""
    if not unit_ids:
        return set()
    return set(db.session.scalars(select(memberships.c.unit_id).join(User, User.id == memberships.c.user_id)
                                  .where(memberships.c.unit_id.in_(unit_ids), User.role == role,
                                         User.active.is_(True)).distinct()))


def task_units(activity: Activity, parent_of: dict[int, int | None], kinds: dict[int, str]) -> set[int]:
    """One task per unit: each enhet reached, and any other reached unit where someone holds the role."""
    reached = target_unit_ids(activity, parent_of)
    # An enhet answers for its duty even while nobody there holds the role: quality is reminded instead.
    return {unit_id for unit_id in reached if kinds.get(unit_id) == UnitKind.UNIT} | units_with_role(
        reached, activity.responsible_role)


def assignees(task: Task) -> list[User]:
    """Who a task's reminders go to: the person it was handed to, else the role's active members in the unit."""
    if task.assigned_user_id is not None:
        return [task.assigned_user] if task.assigned_user and task.assigned_user.active else []
    return list(db.session.scalars(select(User).join(memberships, memberships.c.user_id == User.id)
                                   .where(memberships.c.unit_id == task.unit_id, User.role == task.assigned_role,
                                          User.active.is_(True)).order_by(User.id)))


def tasks_of(user: User, *, done: bool) -> list[Task]:
    """The user's tasks: open ones by due date, or those done (the latest first)."""
    unit_ids = {unit.id for unit in user.units}
    statement = (select(Task).where(rules.open_to_sql(user.id, user.role, unit_ids, Task.assigned_user_id,
                                                      Task.assigned_role, Task.unit_id))
                 .options(selectinload(Task.activity), selectinload(Task.unit)))
    if done:
        statement = statement.where(Task.done_at.is_not(None)).order_by(Task.done_at.desc()).limit(20)
    else:
        statement = statement.where(Task.done_at.is_(None)).order_by(Task.due_on, Task.id)
    return list(db.session.scalars(statement))


def open_task_count(user: User) -> int:
    return len(tasks_of(user, done=False))


def may_work_on(user: User, task: Task) -> bool:
    """The task's own people, or quality (who may stand in for a unit)."""
    return user.role == Role.QUALITY or rules.open_to(
        user.id, user.role, {unit.id for unit in user.units}, task.assigned_user_id, task.assigned_role,
        task.unit_id)


def task_for(user: User, task_id: int) -> Task | None:
    """The task if the user may work on it; None otherwise (they learn nothing of it)."""
    task = db.session.get(Task, task_id)
    return task if task is not None and may_work_on(user, task) else None


def complete_task(actor: User, task: Task) -> Task:
    """Mark a task done, with who and when; a task with a form is done by sending the form."""
    if not may_work_on(actor, task):
        raise NotAllowed("Uppgiften är inte din.")
    if task.done_at is not None:
        raise QualityError("already_done", "Uppgiften är redan klar.")
    task.done_at = utcnow()
    task.done_by_id = actor.id
    db.session.flush()
    log.info("task done", extra={"actor": actor.username, "task": task.id})
    return task


def colleagues(actor: User, task: Task) -> list[User]:
    """Who a task can be handed to: active people of the task's unit, the actor left out."""
    return [user for user in db.session.scalars(
        select(User).join(memberships, memberships.c.user_id == User.id)
        .where(memberships.c.unit_id == task.unit_id, User.active.is_(True), User.id != actor.id)
        .order_by(User.display_name)) if user.role != Role.ADMIN]


def hand_task(actor: User, task: Task, colleague_id: int) -> Task:
    """Hand a task to a colleague of the same unit; the reminders follow it."""
    if not may_work_on(actor, task):
        raise NotAllowed("Uppgiften är inte din.")
    if task.done_at is not None:
        raise QualityError("already_done", "Uppgiften är redan klar.")
    colleague = next((user for user in colleagues(actor, task) if user.id == colleague_id), None)
    if colleague is None:
        raise QualityError("not_colleague", "Välj någon i samma enhet.", field="colleague")
    task.assigned_user_id = colleague.id
    task.handed_by_id = actor.id
    task.handed_at = utcnow()
    db.session.flush()
    log.info("task handed", extra={"actor": actor.username, "task": task.id, "to": colleague.id})
    return task


def ensure_task(activity: Activity, unit_id: int, due_on: date) -> Task:
    """The activity's task for the unit on that date, made if missing."""
    task = db.session.scalar(select(Task).where(Task.activity_id == activity.id, Task.unit_id == unit_id,
                                                Task.due_on == due_on))
    if task is None:
        task = Task(activity=activity, unit_id=unit_id, due_on=due_on, assigned_role=activity.responsible_role)
        db.session.add(task)
        db.session.flush()
    return task
