"""The push API: subscribing, unsubscribing, and which endpoints the server will ever post to."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.notices.models import PushSubscription
from app.notices.rules import endpoint_problem
from tests.conftest import AuthActions, csrf_token_from
from tests.notices.conftest import subscribe, unsubscribe


def stored_subscriptions(app):
    with app.app_context():
        return [(s.user.username, s.endpoint, s.user_agent) for s in db.session.scalars(select(PushSubscription))]


def test_subscribing_twice_with_the_same_endpoint_stores_one_subscription(app, client, auth, receiver):
    auth.login("usk.nord")
    subscription = receiver.new_browser().subscription(receiver.origin)

    first, second = subscribe(client, subscription), subscribe(client, subscription)

    assert (first.status_code, first.get_json()["created"]) == (201, True)
    assert (second.status_code, second.get_json()["created"]) == (200, False)
    assert first.get_json()["id"] == second.get_json()["id"]
    assert stored_subscriptions(app) == [("usk.nord", subscription["endpoint"],
                                          "Mozilla/5.0 (Linux; Android 14) Chrome/130")]


def test_a_phone_that_changes_hands_gets_a_new_subscription_for_its_new_user(app, client, auth, receiver):
    subscription = receiver.new_browser().subscription(receiver.origin)
    auth.login("usk.nord")
    subscribe(client, subscription)
    auth.logout()  # the logout ends the phone's subscription of usk.nord (tests/security/test_push_subscriptions.py)
    auth.login("usk.syd")

    response = subscribe(client, subscription)
    assert (response.status_code, response.get_json()["created"]) == (201, True)
    assert [row[0] for row in stored_subscriptions(app)] == ["usk.syd"]


def test_subscribing_needs_the_csrf_token(client, auth, receiver):
    auth.login("usk.nord")
    response = client.post("/api/v1/push/subscriptions", json=receiver.new_browser().subscription(receiver.origin))
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf_failed"


def test_subscribing_needs_a_login(client, receiver):
    token = csrf_token_from(client, "/login")
    response = client.post("/api/v1/push/subscriptions", json=receiver.new_browser().subscription(receiver.origin),
                           headers={"X-CSRFToken": token})
    assert response.status_code == 401


@pytest.mark.parametrize("endpoint", [
    "https://evil.example.com/push/1",
    "http://fcm.googleapis.com/fcm/send/abc",
    "https://fcm.googleapis.com:8443/fcm/send/abc",
    "https://user:pw@fcm.googleapis.com/fcm/send/abc",
    "http://127.0.0.2:9/push",
    "http://169.254.169.254/latest/meta-data",
])
def test_endpoints_outside_the_push_services_are_refused(app, client, auth, receiver, endpoint):
    auth.login("usk.nord")
    subscription = receiver.new_browser().subscription(receiver.origin) | {"endpoint": endpoint}

    response = subscribe(client, subscription)

    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "endpoint_not_allowed"
    assert stored_subscriptions(app) == []


@pytest.mark.parametrize("keys", [
    {"p256dh": "AAAA", "auth": "c2VjcmV0c2VjcmV0MTIzNA"},
    {"p256dh": "BAAA" + "A" * 83, "auth": "c2VjcmV0c2VjcmV0MTIzNA"},
    {"auth": "c2VjcmV0c2VjcmV0MTIzNA"},
    {"p256dh": None, "auth": "short"},
])
def test_subscriptions_with_unusable_keys_are_refused(app, client, auth, receiver, keys):
    auth.login("usk.nord")
    subscription = receiver.new_browser().subscription(receiver.origin)
    subscription["keys"] = keys

    response = subscribe(client, subscription)

    assert response.status_code == 422
    assert "keys" in response.get_json()["error"]["fields"]


def test_a_body_that_is_not_json_is_a_bad_request(client, auth):
    auth.login("usk.nord")
    token = csrf_token_from(client, "/")
    response = client.post("/api/v1/push/subscriptions", data="nej", headers={"X-CSRFToken": token})
    assert response.status_code == 400


def test_a_user_unsubscribes_their_own_subscription(app, client, auth, receiver):
    auth.login("usk.nord")
    subscription = receiver.new_browser().subscription(receiver.origin)
    subscribe(client, subscription)

    assert unsubscribe(client, subscription["endpoint"]).status_code == 204
    assert stored_subscriptions(app) == []


def test_a_user_cannot_delete_someone_elses_subscription(app, client, auth, receiver):
    subscription = receiver.new_browser().subscription(receiver.origin)
    auth.login("usk.nord")
    subscribe(client, subscription)
    other = app.test_client()
    AuthActions(other).login("usk.syd")

    assert unsubscribe(other, subscription["endpoint"]).status_code == 404
    assert [row[0] for row in stored_subscriptions(app)] == ["usk.nord"]


def test_the_settings_page_has_the_subscribe_button_and_the_iphone_explanation(client, auth):
    auth.login("usk.nord")
    page = client.get("/meddelanden/installningar").get_data(as_text=True)
    assert "data-push-subscribe" in page and "Slå på aviseringar" in page
    assert "Lägg till på hemskärmen" in page
    assert "Skicka en testavisering" in page


def test_the_settings_page_lists_the_users_devices(app, client, auth, receiver):
    auth.login("usk.nord")
    subscribe(client, receiver.new_browser().subscription(receiver.origin), user_agent="Safari på iPhone")
    assert "Safari på iPhone" in client.get("/meddelanden/installningar").get_data(as_text=True)


def test_the_test_button_without_subscriptions_says_how_to_turn_push_on(client, auth):
    auth.login("usk.nord")
    response = auth.post("/meddelanden/installningar/test", token_from="/meddelanden/installningar",
                         follow_redirects=True)
    assert "Slå på aviseringar först" in response.get_data(as_text=True)


@pytest.mark.parametrize("endpoint, extra, allowed", [
    ("https://fcm.googleapis.com/fcm/send/abc", [], True),
    ("https://updates.push.services.mozilla.com/wpush/v2/abc", [], True),
    ("https://web.push.apple.com/QGx", [], True),
    ("https://api.push.apple.com/3/device/x", [], True),
    ("https://wns2-par02p.notify.windows.com/w/?token=x", [], True),
    ("https://push.apple.com.evil.example/x", [], False),
    ("https://evilpush.apple.com/x", [], False),
    ("https://notify.windows.com/x", [], False),
    ("https://push.kommun.example/x", ["push.kommun.example"], True),
    ("http://push.kommun.example/x", ["push.kommun.example"], False),
    ("http://127.0.0.1:8123/x", ["127.0.0.1:8123"], True),
    ("http://127.0.0.1:8124/x", ["127.0.0.1:8123"], False),
    ("http://127.0.0.1:8124/x", ["127.0.0.1"], True),
    ("ftp://fcm.googleapis.com/x", [], False),
    ("https://fcm.googleapis.com/x#frag", [], False),
])
def test_endpoint_allow_list(endpoint, extra, allowed):
    assert (endpoint_problem(endpoint, extra) is None) == allowed
