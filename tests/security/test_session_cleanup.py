"""Expired logins do not pile up: a nightly job deletes them, and the push subscriptions made in them."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.accounts.jobs import forget_expired_sessions
from app.accounts.models import UserSession
from app.extensions import db
from app.notices.models import PushSubscription
from tests.conftest import AuthActions
from tests.notices.conftest import subscribe
from tests.security.test_push_subscriptions import new_browser

MINE = "/api/v1/reports/mine"


def session_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(UserSession))


def test_the_nightly_job_deletes_expired_logins_and_keeps_the_others(app, client, auth, clock):
    clock.pin(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))
    auth.login("usk.nord")  # 12 hours
    remembered = app.test_client()
    AuthActions(remembered).login("usk.syd", remember=True)  # 14 days
    clock.advance(timedelta(hours=20))
    assert session_count(app) == 2
    with app.app_context():
        assert forget_expired_sessions.call_local() == 1
    assert session_count(app) == 1
    assert remembered.get(MINE).status_code == 200
    clock.advance(timedelta(days=14))
    with app.app_context():
        assert forget_expired_sessions.call_local() == 1
    assert session_count(app) == 0


def test_a_login_on_its_last_minute_is_kept(app, auth, clock):
    clock.pin(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))
    auth.login("usk.nord")
    clock.advance(timedelta(hours=11, minutes=59))
    with app.app_context():
        assert forget_expired_sessions.call_local() == 0
    assert session_count(app) == 1


def test_the_clean_up_runs_every_night():
    assert forget_expired_sessions.schedule is not None
    assert forget_expired_sessions.schedule(datetime(2026, 3, 2, 3, 45, tzinfo=UTC)) is True
    assert forget_expired_sessions.schedule(datetime(2026, 3, 2, 12, 0, tzinfo=UTC)) is False


def test_the_push_subscription_of_an_expired_login_goes_with_it(app, client, auth, clock):
    clock.pin(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))
    auth.login("usk.nord")
    assert subscribe(client, new_browser()).status_code == 201
    clock.advance(timedelta(hours=13))
    with app.app_context():
        forget_expired_sessions.call_local()
        assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 0
