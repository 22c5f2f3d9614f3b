"""End to end with no internet: the app pushes to a local receiver that checks VAPID and decrypts the message."""
from sqlalchemy import select

from app.extensions import db
from app.notices import delivery
from app.notices.keys import b64url_decode
from app.notices.models import InboxItem, PushDelivery, PushSubscription
from app.routines import services as routines
from app.routines import reading
from tests.notices.conftest import subscribe
from tests.notices.receiver import PushReceiver
from tests.routines.factories import published_routine, user


def publish_new_version(routine, summary="Nya nycklar från måndag", important=False):
    routines.save_draft(user("kvalitet"), routine, title=routine.title, tags="test",
                        body_md=routine.current_version.body_md + "\n3. Skölj munnen.\n")
    routines.submit_for_review(user("kvalitet"), routine, summary, important=important)
    version = routines.approve(user("mas"), routine)
    db.session.commit()  # as the view does: commit the publishing, then tell the readers
    routines.tell_readers(user("mas"), routine, version)
    return version


def favourite_routine(app, username="usk.nord", title="Munvård på kvällen"):
    with app.app_context():
        routine = published_routine(title=title)
        reading.set_favourite(user(username), routine, True)
        db.session.commit()
        return routine.id


def routine_by_id(routine_id):
    return db.session.get(routines.Routine, routine_id)


def subscribed_staff(client, auth, receiver):
    auth.login("usk.nord")
    browser = receiver.new_browser()
    response = subscribe(client, browser.subscription(receiver.origin))
    assert response.status_code == 201, response.get_data(as_text=True)
    return browser


def deliveries():
    return list(db.session.scalars(select(PushDelivery).order_by(PushDelivery.id)))


def test_publishing_a_favourite_routine_pushes_an_encrypted_vapid_signed_message(app, client, auth, receiver):
    routine_id = favourite_routine(app)
    browser = subscribed_staff(client, auth, receiver)

    with app.app_context():
        publish_new_version(routine_by_id(routine_id))
        [item] = db.session.scalars(select(InboxItem).where(InboxItem.kind == "routine")).all()
        assert item.url == "/rutiner/munvard-pa-kvallen"
        item_id = item.id

    [message] = receiver.delivered(browser.path)
    assert message.problem == ""
    assert message.vapid_key == app.config["VAPID_PUBLIC_KEY"]
    assert message.claims["sub"] == "mailto:it@kommun.example"
    assert message.headers["TTL"] == "86400"
    assert message.headers["Urgency"] == "normal"
    assert message.headers["Topic"] == f"routine-{routine_id}"
    assert message.headers["Content-Encoding"] == "aes128gcm"
    assert message.headers["Content-Type"] == "application/octet-stream"
    notification = message.payload["notification"]
    assert message.payload["web_push"] == 8030
    assert notification["title"] == "Ändrad rutin: Munvård på kvällen"
    assert notification["body"] == "Nya nycklar från måndag"
    assert notification["tag"] == f"routine-{routine_id}"
    assert notification["navigate"] == f"http://localhost/meddelanden/{item_id}"
    # What the phone's service worker fetches before it shows the notification (pwa/js/sw/push.js).
    assert notification["data"]["kind"] == "routine"
    assert notification["data"]["url"] == "http://localhost/rutiner/munvard-pa-kvallen"
    assert message.plaintext_bytes < 4096


def test_the_key_endpoint_serves_the_key_the_pushes_are_signed_with(app, client):
    body = client.get("/api/v1/push/key").get_json()
    assert body == {"public_key": app.config["VAPID_PUBLIC_KEY"]}
    assert b64url_decode(body["public_key"])[0] == 4 and len(b64url_decode(body["public_key"])) == 65


def test_each_delivery_is_logged_with_status_and_attempts(app, client, auth, receiver):
    routine_id = favourite_routine(app)
    subscribed_staff(client, auth, receiver)

    with app.app_context():
        publish_new_version(routine_by_id(routine_id))
        [logged] = deliveries()
        assert (logged.status_code, logged.attempts, logged.error) == (201, 1, "")
        assert logged.sent_at is not None and logged.topic == f"routine-{routine_id}"
        assert logged.endpoint_host == "127.0.0.1"


def test_a_410_from_the_push_service_deletes_the_subscription(app, client, auth, receiver):
    routine_id = favourite_routine(app)
    browser = subscribed_staff(client, auth, receiver)
    receiver.answer(browser.path, 410)

    with app.app_context():
        publish_new_version(routine_by_id(routine_id))
        assert db.session.scalars(select(PushSubscription)).all() == []
        [logged] = deliveries()
        assert (logged.status_code, logged.subscription_id, logged.sent_at) == (410, None, None)
    assert receiver.delivered() == []


def test_a_429_is_retried_and_then_delivered(app, client, auth, receiver):
    routine_id = favourite_routine(app)
    browser = subscribed_staff(client, auth, receiver)
    receiver.answer(browser.path, 429, 429)

    with app.app_context():
        publish_new_version(routine_by_id(routine_id))
        [logged] = deliveries()
        assert (logged.status_code, logged.attempts) == (201, 3)
        assert db.session.scalars(select(PushSubscription)).one()
    assert [record.status for record in receiver.received] == [429, 429, 201]
    assert receiver.delivered(browser.path)[0].payload["notification"]["title"] == "Ändrad rutin: Munvård på kvällen"


def test_retry_after_is_honoured_between_tries(app, client, auth, receiver):
    browser = subscribed_staff(client, auth, receiver)
    receiver.answer(browser.path, 429, retry_after="7")
    waits = []
    with app.app_context():
        subscription = db.session.scalars(select(PushSubscription)).one()
        target = delivery.Target(subscription.id, subscription.user_id, subscription.endpoint, subscription.p256dh,
                                 subscription.auth, "http://localhost",
                                 delivery.Message("Hej", "Text", "/meddelanden", "test-1"))
        signer = delivery.VapidSigner(app.config["VAPID_PRIVATE_KEY"], app.config["VAPID_SUBJECT"])
        outcome = delivery.send_one(target, signer, delivery.SendSettings.from_config(app.config),
                                     sleep=waits.append)
    assert waits == [7.0]
    assert (outcome.status_code, outcome.attempts) == (201, 2)


def test_a_push_service_that_keeps_failing_is_given_up_on_and_the_subscription_kept(app, client, auth, receiver):
    routine_id = favourite_routine(app)
    browser = subscribed_staff(client, auth, receiver)
    receiver.answer(browser.path, 503, 503, 503, 503)

    with app.app_context():
        publish_new_version(routine_by_id(routine_id))
        [logged] = deliveries()
        assert (logged.status_code, logged.attempts, logged.sent_at) == (503, 4, None)
        assert db.session.scalars(select(PushSubscription)).one()


def test_an_important_change_reaches_everyone_who_can_read_it_with_high_urgency(app, client, auth, receiver):
    with app.app_context():
        routine_id = published_routine(title="Nyckelhantering").id
    browser = subscribed_staff(client, auth, receiver)

    with app.app_context():
        publish_new_version(routine_by_id(routine_id), important=True)

    [message] = receiver.delivered(browser.path)
    assert message.headers["Urgency"] == "high"
    assert message.headers["TTL"] == str(3 * 24 * 3600)
    assert message.payload["notification"]["title"] == "Viktig ändring: Nyckelhantering"


def test_an_ordinary_change_is_not_pushed_to_people_who_do_not_use_the_routine(app, client, auth, receiver):
    with app.app_context():
        routine_id = published_routine(title="Nyckelhantering").id
    browser = subscribed_staff(client, auth, receiver)

    with app.app_context():
        publish_new_version(routine_by_id(routine_id))

    assert receiver.delivered(browser.path) == []


def test_the_test_button_pushes_to_the_users_own_subscriptions(app, client, auth, receiver):
    browser = subscribed_staff(client, auth, receiver)

    response = auth.post("/meddelanden/installningar/test", token_from="/meddelanden/installningar")

    assert response.status_code == 303
    [message] = receiver.delivered(browser.path)
    assert message.payload["notification"]["title"] == "Testavisering från Fickan"
    with app.app_context():
        assert message.headers["Topic"] == f"test-{user('usk.nord').id}"


def test_a_push_service_that_cannot_be_reached_is_retried_and_logged(app):
    message = delivery.Message("Hej", "Text", "/meddelanden", "test-1")
    subscription = PushReceiver().new_browser().subscription("http://127.0.0.1:9")
    target = delivery.Target(1, 1, subscription["endpoint"], subscription["keys"]["p256dh"],
                             subscription["keys"]["auth"], "http://localhost", message)
    settings = delivery.SendSettings(timeout=2, max_attempts=3, retry_base=0.01, retry_max_wait=1,
                                     allowed_hosts=("127.0.0.1:9",))
    waits = []
    with app.app_context():
        signer = delivery.VapidSigner(app.config["VAPID_PRIVATE_KEY"], app.config["VAPID_SUBJECT"])
        outcome = delivery.send_one(target, signer, settings, sleep=waits.append)
    assert (outcome.status_code, outcome.attempts, outcome.sent_at) == (None, 3, None)
    assert len(waits) == 2 and "Error" in outcome.error
