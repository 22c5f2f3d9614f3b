"""Finding 1: logout ends the session on the server; sessions can be listed and ended, by the user and an admin."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.accounts import services
from app.accounts.models import UserSession
from app.extensions import db
from tests.conftest import AuthActions, csrf_token_from

MINE = "/api/v1/reports/mine"
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.5 Mobile/15E148 Safari/604.1")
ANDROID = ("Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/126.0.0.0 Mobile Safari/537.36")


@pytest.fixture
def phone(app):
    """A second phone of the same person: its own client, its own login."""
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = ANDROID
    return client


def copy_of(client, *names):
    """A new client holding copies of the named cookies only, as someone who copied them would."""
    thief = client.application.test_client()
    for name in names:
        thief.set_cookie(name, client.get_cookie(name).value)
    return thief


def test_a_session_cookie_copied_before_logout_is_refused_after_it(client, auth):
    auth.login()
    thief = copy_of(client, "fickan_session")
    assert thief.get(MINE).status_code == 200
    auth.logout()
    assert thief.get(MINE).status_code == 401


def test_a_remember_cookie_copied_before_logout_is_refused_after_it(client, auth):
    auth.login(remember=True)
    thief = copy_of(client, "fickan_remember")
    assert thief.get(MINE).status_code == 200
    auth.logout()
    assert thief.get(MINE).status_code == 401


def test_every_login_gets_a_new_remember_cookie(client, auth):
    auth.login(remember=True)
    first = client.get_cookie("fickan_remember").value
    auth.logout()
    auth.login(remember=True)
    assert client.get_cookie("fickan_remember").value != first


def test_the_database_keeps_only_a_hash_of_the_session_secret(app, client, auth):
    auth.login(remember=True)
    secret = client.get_cookie("fickan_remember").value.split("|")[0].split(":")[1]
    with app.app_context():
        stored = db.session.scalars(select(UserSession.secret_hash)).all()
    assert len(stored) == 1 and secret not in stored[0]
    assert stored[0] == services.hash_session_secret(secret)


def test_stay_logged_in_lasts_the_remember_days_and_no_longer(client, auth, clock):
    clock.pin(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    auth.login(remember=True)
    thief = copy_of(client, "fickan_remember")
    clock.advance(timedelta(days=13))
    assert thief.get(MINE).status_code == 200
    clock.advance(timedelta(days=1, minutes=1))
    assert copy_of(client, "fickan_remember").get(MINE).status_code == 401


def test_the_sessions_page_lists_each_login_with_its_phone(client, auth, phone):
    client.environ_base["HTTP_USER_AGENT"] = IPHONE
    auth.login()
    AuthActions(phone).login()
    html = client.get("/inloggningar").get_data(as_text=True)
    assert "Safari på iPhone (den här)" in html
    assert "Chrome på Android" in html
    assert "Logga ut överallt" in html


def test_the_settings_page_links_to_the_sessions_page(client, auth):
    auth.login()
    assert 'href="/inloggningar"' in client.get("/meddelanden/installningar").get_data(as_text=True)


def session_ids_of(app, username):
    with app.app_context():
        user = services.find_user(username)
        return [record.id for record in services.sessions_of(user)]


def test_a_user_ends_the_login_of_a_lost_phone(app, client, auth, phone):
    auth.login()
    AuthActions(phone).login(remember=True)
    lost = session_ids_of(app, "usk.nord")[0]  # the most recent: the phone's
    response = auth.post(f"/inloggningar/{lost}/avsluta", token_from="/inloggningar")
    assert response.status_code == 303
    assert phone.get(MINE).status_code == 401
    phone.delete_cookie("fickan_session")
    assert phone.get(MINE).status_code == 401
    assert client.get(MINE).status_code == 200


def test_a_user_cannot_end_the_session_of_someone_else(app, client, auth, phone):
    AuthActions(phone).login("usk.syd")
    other = session_ids_of(app, "usk.syd")[0]
    auth.login()
    auth.post(f"/inloggningar/{other}/avsluta", token_from="/inloggningar")
    assert phone.get(MINE).status_code == 200


def test_logout_everywhere_ends_every_login_of_the_user(client, auth, phone):
    auth.login()
    AuthActions(phone).login(remember=True)
    response = client.post("/logout", data={"everywhere": "1", "csrf_token": csrf_token_from(client, "/")})
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert client.get(MINE).status_code == 401
    assert phone.get(MINE).status_code == 401


def test_an_admin_logs_a_user_out_everywhere(app, client, auth, phone):
    AuthActions(phone).login(remember=True)
    remembered = copy_of(phone, "fickan_remember")
    auth.login_as_role("admin")
    with app.app_context():
        user_id = services.find_user("usk.nord").id
    response = auth.post(f"/admin/anvandare/{user_id}/utloggning", token_from=f"/admin/anvandare/{user_id}")
    assert response.status_code == 303
    assert phone.get(MINE).status_code == 401
    assert remembered.get(MINE).status_code == 401


def test_deactivating_a_user_ends_their_sessions_through_the_same_path(app, client, auth, phone):
    AuthActions(phone).login(remember=True)
    auth.login_as_role("admin")
    with app.app_context():
        user_id = services.find_user("usk.nord").id
    auth.post(f"/admin/anvandare/{user_id}/aktiv", data={"active": "0"}, token_from=f"/admin/anvandare/{user_id}")
    assert session_ids_of(app, "usk.nord") == []
    assert phone.get(MINE).status_code == 401


def test_a_user_logs_back_in_after_being_logged_out_everywhere(app, client, auth):
    auth.login()
    with app.app_context():
        user = services.find_user("usk.nord")
        services.end_all_sessions(None, user)
        db.session.commit()
    assert client.get(MINE).status_code == 401
    assert auth.login().status_code == 303
    assert client.get(MINE).status_code == 200
