"""Finding 10: a push subscription is never moved from one user to another; it ends with the login it was made in."""
import os
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select

from app.accounts import services as accounts
from app.extensions import db
from app.notices.models import PushSubscription
from tests.conftest import AuthActions
from tests.notices.conftest import subscribe
from tests.notices.receiver import Browser

PUSH_SERVICE = "https://fcm.googleapis.com"


def new_browser(number: int = 1) -> dict:
    return Browser(f"/fcm/send/phone-{number}", ec.generate_private_key(ec.SECP256R1()),
                   os.urandom(16)).subscription(PUSH_SERVICE)


def stored(app) -> list[tuple[int, str, str]]:
    with app.app_context():
        return [(row.id, row.user.username, row.p256dh) for row in db.session.scalars(select(PushSubscription))]


@pytest.fixture
def other(app):
    """Someone else's phone: a client of its own."""
    return AuthActions(app.test_client())


def test_an_endpoint_of_someone_logged_in_is_not_taken_by_another_user(app, client, auth, other):
    phone = new_browser()
    auth.login("usk.nord")
    assert subscribe(client, phone).status_code == 201
    before = stored(app)
    other.login("usk.syd")
    stolen = phone | {"keys": new_browser(2)["keys"]}

    response = subscribe(other.client, stolen)

    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "endpoint_taken"
    assert stored(app) == before


def test_logout_ends_the_subscription_made_in_that_login(app, client, auth):
    auth.login("usk.nord")
    subscribe(client, new_browser())
    auth.logout()
    assert stored(app) == []


def test_ending_a_users_logins_ends_their_subscriptions(app, client, auth):
    auth.login("usk.nord", remember=True)
    subscribe(client, new_browser())
    with app.app_context():
        accounts.end_all_sessions(None, accounts.find_user("usk.nord"))
        db.session.commit()
    assert stored(app) == []


def test_a_login_that_ended_without_logout_leaves_the_endpoint_to_the_next_user(app, client, auth, other, clock):
    clock.pin(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))
    phone = new_browser()
    auth.login("usk.nord")
    subscribe(client, phone)
    clock.advance(timedelta(hours=13))  # past FICKAN_SESSION_HOURS: usk.nord's login here is over
    other.login("usk.syd")

    response = subscribe(other.client, phone)

    assert (response.status_code, response.get_json()["created"]) == (201, True)
    assert [user for _, user, _ in stored(app)] == ["usk.syd"]
    with app.app_context():
        assert db.session.scalar(select(PushSubscription)).created_at == clock.now()


def test_sending_it_again_in_a_new_login_binds_it_to_that_login(app, client, auth):
    phone = new_browser()
    auth.login("usk.nord")
    subscribe(client, phone)
    client.delete_cookie("fickan_session")  # the browser lost the cookie: that login is never used again
    auth.login("usk.nord")
    assert subscribe(client, phone).status_code == 200
    with app.app_context():
        subscription = db.session.scalar(select(PushSubscription))
        assert subscription.session_id == accounts.sessions_of(subscription.user)[0].id
