"""A fan-out: first tries from one thread, retries after them, outcomes in target order, connections kept."""
import time

import pytest

from app.notices import connections, delivery
from tests.notices.receiver import PushReceiver

MESSAGE = delivery.Message("Hej", "Text", "/meddelanden", "test-1")


def targets_for(receiver: PushReceiver, count: int) -> list[delivery.Target]:
    targets = []
    for number in range(count):
        subscription = receiver.new_browser().subscription(receiver.origin)
        targets.append(delivery.Target(number + 1, 1, subscription["endpoint"], subscription["keys"]["p256dh"],
                                       subscription["keys"]["auth"], "http://localhost", MESSAGE))
    return targets


def send(app, targets):
    with app.app_context():
        settings = delivery.SendSettings.from_config(app.config)
        signer = delivery.VapidSigner(app.config["VAPID_PRIVATE_KEY"], app.config["VAPID_SUBJECT"])
        with connections.PushConnections() as pool:
            return delivery.send_to_targets(targets, signer, settings, pool, delivery.Prepared(settings), 4)


def test_retries_come_after_the_first_tries_and_outcomes_stay_in_target_order(app, receiver):
    targets = targets_for(receiver, 6)
    receiver.answer("/push/2", 429)
    receiver.answer("/push/5", 503, 503)
    outcomes = send(app, targets)
    assert [(o.target.subscription_id, o.status_code, o.attempts) for o in outcomes] == [
        (1, 201, 1), (2, 201, 2), (3, 201, 1), (4, 201, 1), (5, 201, 3), (6, 201, 1)]
    assert [outcome.waits == [0.0] * (outcome.attempts - 1) for outcome in outcomes] == [True] * 6  # Retry-After: 0
    assert sorted(message.path for message in receiver.delivered()) == [f"/push/{n}" for n in range(1, 7)]


def test_a_target_that_cannot_be_encrypted_for_is_raised_after_the_others_were_sent(app, receiver):
    targets = targets_for(receiver, 3)
    targets[1] = delivery.Target(2, 1, targets[1].endpoint, "bm90IGEgcG9pbnQ", targets[1].auth, "http://localhost",
                                 MESSAGE)
    with pytest.raises(ValueError):
        send(app, targets)
    assert sorted(message.path for message in receiver.delivered()) == ["/push/1", "/push/3"]


def test_a_message_the_push_service_keeps_refusing_is_given_up_after_the_last_try(app, receiver):
    targets = targets_for(receiver, 2)
    receiver.answer("/push/1", 503, 503, 503, 503)
    outcomes = send(app, targets)
    assert [(o.status_code, o.attempts, o.sent_at is None) for o in outcomes] == [(503, 4, True), (201, 1, False)]


def test_the_connections_of_one_fan_out_are_used_by_the_next(app, receiver, monkeypatch):
    opened = []
    real = connections.Connection.__init__

    def counting(self, *args):
        opened.append(args[0])
        real(self, *args)

    monkeypatch.setattr(connections.Connection, "__init__", counting)
    with app.app_context():
        first = delivery.fan_out(targets_for(receiver, 8))
        kept = sum(len(stack) for stack in app.extensions["push_connections"].idle.values())
        second = delivery.fan_out(targets_for(receiver, 8))
    assert {o.status_code for o in first + second} == {201}
    # Without the kept ones the second would have opened its own: up to 4 more (PUSH_FANOUT_THREADS in the tests).
    assert kept >= 1 and len(opened) <= 4


def test_a_header_that_cannot_be_sent_fails_its_tries_and_not_the_job(app, receiver):
    [target] = targets_for(receiver, 1)
    bad = delivery.Target(1, 1, target.endpoint, target.p256dh, target.auth, "http://localhost",
                          delivery.Message("Hej", "Text", "/meddelanden", "topic\r\nX-Injected: 1"))
    [outcome] = send(app, [bad])
    assert (outcome.status_code, outcome.attempts, outcome.sent_at) == (None, 4, None)
    assert "cannot be sent" in outcome.error
    assert receiver.received == []


def test_the_header_lines_follow_the_signers_renewed_token(app, monkeypatch):
    with app.app_context():
        settings = delivery.SendSettings.from_config(app.config)
        signer = delivery.VapidSigner(app.config["VAPID_PRIVATE_KEY"], app.config["VAPID_SUBJECT"])
    prepared = delivery.Prepared(settings)
    content = delivery.content_headers(delivery.rules.DELIVERY[delivery.rules.Importance.NORMAL], "t")
    origin = "https://push.example"
    first = prepared.head(signer, origin, content)
    assert prepared.head(signer, origin, content) is first  # made once, not per message
    signer.signed[origin] = (signer.signed[origin][0], {"Authorization": "vapid t=renewed, k=x"})
    now = time.monotonic()
    monkeypatch.setattr(time, "monotonic", lambda: now + 61)
    assert b"Authorization: vapid t=renewed, k=x\r\n" in prepared.head(signer, origin, content)
