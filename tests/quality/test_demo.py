"""The demo quality year: the governing document's activities, finished rounds with two actions, and an
egenkontroll for Hemvård Nord due within the coming month whatever day it is seeded."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.demo import seed_demo
from app.extensions import db
from app.quality import checks
from app.quality.demo import ACTIVITIES
from app.quality.models import Activity, CheckAction, CheckResponse, Task
from app.quality.services import tasks_of
from app.timestamps import local_today


def counts():
    return [db.session.scalar(select(func.count()).select_from(model))
            for model in (Activity, Task, CheckResponse, CheckAction)]


def test_the_demo_holds_the_governing_documents_year(app):
    with app.app_context():
        names = set(db.session.scalars(select(Activity.name)))
        assert {name for name, *_ in ACTIVITIES} <= names
        assert db.session.scalar(select(func.count()).select_from(CheckAction)) == 2
        activity = db.session.scalar(select(Activity).where(Activity.name == "Egenkontroll läkemedelshantering"))
        assert len(checks.rounds_of(activity)) == 2


def test_seeding_again_adds_nothing(app):
    with app.app_context():
        before = counts()
        seed_demo()
        assert counts() == before


@pytest.mark.parametrize("moment", [
    datetime(2027, 1, 1, 8, tzinfo=timezone.utc), datetime(2027, 3, 28, 1, 30, tzinfo=timezone.utc),
    datetime(2027, 12, 31, 22, 59, tzinfo=timezone.utc), datetime(2028, 2, 29, 12, tzinfo=timezone.utc),
])
def test_chef_nord_has_an_egenkontroll_due_within_a_month_on_any_day(app, clock, moment):
    clock.pin(moment)
    with app.app_context():
        for activity in db.session.scalars(select(Activity)):
            db.session.delete(activity)
        db.session.commit()
        seed_demo()
        chef = db.session.scalar(select(User).where(User.username == "chef.nord"))
        today = local_today()
        due = [task for task in tasks_of(chef, done=False)
               if task.activity.kind == "egenkontroll" and today <= task.due_on <= today + timedelta(days=31)
               and task.unit.name == "Hemvård Nord"]
        assert due
