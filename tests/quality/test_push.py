"""The "pling": a task's reminder reaches the responsible manager's phone through the local push receiver."""
from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.quality import reminders, services
from app.quality.rules import MonthDay
from app.timestamps import local_today
from tests.conftest import AuthActions
from tests.notices.conftest import app, receiver, subscribe  # noqa: F401  (the push-enabled app and receiver)


def phone_of(app, receiver, username):  # noqa: F811
    client = app.test_client()
    AuthActions(client).login(username)
    browser = receiver.new_browser()
    assert subscribe(client, browser.subscription(receiver.origin)).status_code == 201
    return browser


def test_the_lead_reminder_reaches_the_managers_phone_once(app, receiver):  # noqa: F811
    # The push receiver checks the VAPID signature's expiry against the real time: the clock stays unpinned, and
    # the dates are laid relative to today.
    today = local_today()
    due_on = today + timedelta(days=10)
    chef = phone_of(app, receiver, "chef.nord")
    with app.app_context():
        quality = db.session.scalar(select(User).where(User.username == "kvalitet"))
        nord = db.session.scalar(select(User).where(User.username == "chef.nord")).units[0]
        services.create_activity(quality, services.ActivityInput(
            name="Riskanalys vinterväglag", kind="riskanalys", recurrence="yearly",
            dates=[MonthDay(due_on.month, due_on.day)],
            unit_ids=[nord.id], responsible_role="manager", lead_days=14))
        db.session.commit()
        reminders.build_tasks(today)
        reminders.send_reminders(today)
        reminders.send_reminders(today)
    [message] = [sent for sent in receiver.delivered(chef.path)
                 if sent.payload["notification"]["title"] == "Snart dags: Riskanalys vinterväglag"]
    assert message.problem == ""
    assert message.headers["Topic"].startswith("quality_task-")
    assert message.payload["notification"]["data"]["url"].startswith("http://localhost/att-gora/")
