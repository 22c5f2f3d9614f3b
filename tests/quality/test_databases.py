"""The quality year's queries on both databases the app supports, over the demo data."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.quality import checks, reminders, rules, services
from app.quality.models import Activity, Task
from app.timestamps import local_today
from tests.conftest import DATABASES, demo_database


@pytest.fixture(params=DATABASES)
def demo_year(request, tmp_path):
    with demo_database(request, tmp_path):
        yield


def person(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def test_the_demo_rounds_stand_beside_each_other_without_names(demo_year):
    activity = db.session.scalar(select(Activity).where(Activity.name == "Egenkontroll läkemedelshantering"))
    latest, previous = checks.rounds_of(activity)
    result = checks.round_result(person("kvalitet"), activity, latest)
    assert result.previous_due_on == previous
    first = result.questions[1]  # "Finns en aktuell läkemedelslista hos brukaren?"
    assert first.counts["Hemvård Nord"] == {"nej": 1} and first.previous["Hemvård Nord"] == {"delvis": 1}
    assert result.on_time == 2
    managers_view = checks.round_result(person("chef.nord"), activity, latest)
    assert set(managers_view.units_on_time) == {"Hemvård Nord"}


def test_chef_nord_has_a_hygiene_check_due_within_a_month(demo_year):
    today = local_today()
    due = [task for task in services.tasks_of(person("chef.nord"), done=False)
           if today <= task.due_on <= today + timedelta(days=31) and task.activity.kind == "egenkontroll"]
    assert due


def test_the_morning_reminders_go_once_on_either_database(demo_year):
    today = local_today()
    reminders.build_tasks(today)
    reminders.send_reminders(today)
    assert reminders.send_reminders(today) == 0


def test_whose_tasks_agrees_in_sql_and_python(demo_year):
    for username in ("chef.nord", "kvalitet", "usk.nord"):
        user = person(username)
        unit_ids = {unit.id for unit in user.units}
        in_sql = set(db.session.scalars(select(Task.id).where(rules.open_to_sql(
            user.id, user.role, unit_ids, Task.assigned_user_id, Task.assigned_role, Task.unit_id))))
        in_python = {task.id for task in db.session.scalars(select(Task)) if rules.open_to(
            user.id, user.role, unit_ids, task.assigned_user_id, task.assigned_role, task.unit_id)}
        assert in_sql == in_python


def test_overdue_actions_agree_in_sql_and_python(demo_year):
    from app.quality.models import CheckAction

    for today in (local_today(), local_today() + timedelta(days=400)):
        in_sql = set(db.session.scalars(select(CheckAction.id).where(
            rules.is_overdue_sql(CheckAction.due_on, CheckAction.done_at, today))))
        in_python = {action.id for action in db.session.scalars(select(CheckAction))
                     if rules.is_overdue(action.due_on, action.done_at is not None, today)}
        assert in_sql == in_python
