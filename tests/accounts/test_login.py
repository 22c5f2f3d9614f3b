"""Login, logout, sessions, rate limiting and CSRF, through the Flask test client."""
import pytest
import redis
from sqlalchemy import select

from app.accounts.models import User
from app.accounts import services
from app.extensions import db
from tests.conftest import CSRF_META, csrf_token_from


def session_cookie(client, name="fickan_session"):
    return client.get_cookie(name)


def test_login_page_has_the_contract_labels(client):
    html = client.get("/login").get_data(as_text=True)
    assert ">Användarnamn<" in html and ">Lösenord<" in html and ">Logga in<" in html


def test_pages_need_a_login(client):
    response = client.get("/rutiner")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/rutiner")


def test_a_demo_user_logs_in_and_lands_on_the_start_page(client, auth):
    response = auth.login("usk.nord")
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    home = client.get("/").get_data(as_text=True)
    assert "Amina Hassan" in home and "Hemvård Nord" in home


def test_every_demo_user_can_log_in(app):
    for username in ["usk.nord", "usk.syd", "samordnare.nord", "chef.nord", "kvalitet", "mas", "admin"]:
        client = app.test_client()
        response = client.post("/login", data={"username": username, "password": "demo",
                                               "csrf_token": csrf_token_from(client)})
        assert response.status_code == 303, username


def test_username_is_not_case_sensitive(auth):
    assert auth.login(" USK.Nord ").status_code == 303


def test_wrong_password_is_refused_in_swedish(auth):
    response = auth.login("usk.nord", "fel")
    assert response.status_code == 401
    assert "Fel användarnamn eller lösenord." in response.get_data(as_text=True)


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(auth):
    response = auth.login("finns.inte", "demo")
    assert response.status_code == 401
    assert "Fel användarnamn eller lösenord." in response.get_data(as_text=True)


def test_login_redirects_to_the_page_asked_for(auth):
    assert auth.login(next_url="/meddelanden").headers["Location"] == "/meddelanden"


def test_login_never_redirects_to_another_site(auth):
    for target in ["//evil.example/", "https://evil.example/", "/\\evil.example"]:
        response = auth.login(next_url=target)
        assert response.headers["Location"] == "/", target
        auth.logout()


def test_login_without_csrf_token_is_refused(client):
    client.get("/login")
    response = client.post("/login", data={"username": "usk.nord", "password": "demo"})
    assert response.status_code == 400
    assert "du loggades inte in" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_a_login_whose_session_was_swapped_gets_the_form_again_and_the_next_try_works(app, client):
    form_token = csrf_token_from(client)
    # Another request of the same phone started a new session meanwhile: the form's token no longer matches.
    client.delete_cookie("fickan_session")
    csrf_token_from(client)
    refused = client.post("/login", data={"username": "usk.nord", "password": "demo", "csrf_token": form_token})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "du loggades inte in" in html
    assert 'value="usk.nord"' in html and 'value="demo"' not in html
    retried = client.post("/login", data={"username": "usk.nord", "password": "demo",
                                          "csrf_token": CSRF_META.search(html).group(1)})
    assert retried.status_code == 303
    assert client.get("/").status_code == 200


def test_a_failed_token_elsewhere_keeps_the_plain_error_page(client, auth):
    auth.login()
    response = client.post("/logout", data={})
    assert response.status_code == 400 and "Ladda om sidan" in response.get_data(as_text=True)


def test_login_with_a_forged_csrf_token_is_refused(client):
    client.get("/login")
    response = client.post("/login", data={"username": "usk.nord", "password": "demo", "csrf_token": "forged"})
    assert response.status_code == 400


def test_login_starts_a_new_session(client, auth):
    token_before = csrf_token_from(client)
    auth.login()
    assert csrf_token_from(client, "/") != token_before


def test_session_cookie_is_httponly_and_samesite(client, auth):
    response = auth.login()
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("fickan_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_cookie_is_secure_by_default(tmp_path, template_database):
    import shutil

    from app import create_app
    from tests.conftest import make_test_config

    shutil.copy(template_database, tmp_path / "fickan.db")
    config = make_test_config(tmp_path, tmp_path / "fickan.db")
    del config["SESSION_COOKIE_SECURE"], config["REMEMBER_COOKIE_SECURE"]
    secure_app = create_app(config)
    assert secure_app.config["SESSION_COOKIE_SECURE"] is True
    assert secure_app.config["REMEMBER_COOKIE_SECURE"] is True
    response = secure_app.test_client().get("/login")
    assert "Secure" in response.headers["Set-Cookie"]


def test_stay_logged_in_sets_a_remember_cookie(client, auth):
    response = auth.login(remember=True)
    cookies = response.headers.getlist("Set-Cookie")
    remember = next(h for h in cookies if h.startswith("fickan_remember="))
    assert "HttpOnly" in remember and "Expires=" in remember


def test_without_stay_logged_in_there_is_no_remember_cookie(auth):
    response = auth.login(remember=False)
    assert not any(h.startswith("fickan_remember=") for h in response.headers.getlist("Set-Cookie"))


def test_remember_cookie_logs_the_user_back_in_after_the_session_is_gone(client, auth):
    auth.login(remember=True)
    client.delete_cookie("fickan_session")
    assert client.get("/").status_code == 200


def test_logout_ends_the_session(client, auth):
    auth.login(remember=True)
    response = auth.logout()
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert client.get("/").status_code == 302


def test_logout_by_get_is_not_possible(client, auth):
    auth.login()
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


def test_logout_without_csrf_token_is_refused(client, auth):
    auth.login()
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


def test_deactivated_user_cannot_log_in(app, auth):
    with app.app_context():
        services.set_user_active(None, services.find_user("usk.nord"), False)
    assert auth.login().status_code == 401


def test_deactivation_ends_open_sessions_and_remember_cookies(app, client, auth):
    auth.login(remember=True)
    with app.app_context():
        services.set_user_active(None, services.find_user("usk.nord"), False)
    assert client.get("/").status_code == 302
    client.delete_cookie("fickan_session")
    assert client.get("/").status_code == 302


@pytest.fixture(params=["memory", "redis"])
def limit_storage(request, app_config):
    """The limits counted in the process (one instance) or in Redis (production, shared by every instance)."""
    if request.param == "redis":
        app_config["RATELIMIT_STORAGE_URI"] = request.getfixturevalue("empty_redis")
    return request.param


def test_failed_logins_for_one_username_are_rate_limited(request, limit_storage, auth):
    for _ in range(5):
        assert auth.login("usk.nord", "fel").status_code == 401
    response = auth.login("usk.nord", "demo")
    assert response.status_code == 429
    assert "För många försök" in response.get_data(as_text=True)
    if limit_storage == "redis":
        assert redis.Redis.from_url(request.getfixturevalue("empty_redis")).keys("LIMITS:*")


def test_rate_limit_on_one_username_leaves_others_alone(limit_storage, auth):
    for _ in range(6):
        auth.login("usk.nord", "fel")
    assert auth.login("usk.syd", "demo").status_code == 303


def test_successful_logins_do_not_count_towards_the_username_limit(limit_storage, auth):
    for _ in range(7):
        assert auth.login("usk.nord").status_code == 303
        auth.logout()


def test_logins_from_one_address_are_rate_limited(limit_storage, app, auth):
    app.config["LOGIN_RATE_LIMIT_PER_IP"] = "3 per minute"
    for name in ["a1", "a2", "a3"]:
        assert auth.login(name, "fel").status_code == 401
    assert auth.login("usk.nord").status_code == 429


def test_last_login_is_recorded(app, auth):
    auth.login("chef.nord")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "chef.nord"))
        assert user.last_login_at is not None and user.last_login_at.tzinfo is not None


def test_passwords_are_stored_hashed(app):
    with app.app_context():
        for user in db.session.scalars(select(User)):
            assert "demo" not in user.password_hash
            assert user.check_password("demo")
