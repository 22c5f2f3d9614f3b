"""Sending push messages (worker side): targets, VAPID headers, encryption, retries, the delivery log."""
import http.client
import logging
import random
import re
import time
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import bindparam, delete, insert, select

from app.extensions import db
from app.notices import rules
from app.notices.connections import PushConnections, send_all
from app.notices.encryption import encrypt, receiver_public_key
from app.notices.keys import b64url_decode
from app.notices.models import InboxItem, PushDelivery, PushSubscription
from app.notices.posting import connections_for, post_all
from app.notices.prepared import Prepared, content_headers  # noqa: F401 (content_headers: tests)
from app.notices.payload import Message, payload_for  # noqa: F401 (the name tests and benches use)
from app.notices.vapid import VapidSigner, signer_for
from app.timestamps import utcnow
from app.urls import path_for, path_maker, root_request_if_none

log = logging.getLogger("fickan.push")

@dataclass(frozen=True)
class Target:
    """One subscription to send one message to."""

    subscription_id: int
    user_id: int
    endpoint: str
    p256dh: str
    auth: str
    base_url: str
    message: Message


@dataclass
class Outcome:
    target: Target
    status_code: int | None = None
    attempts: int = 0
    sent_at: datetime | None = None
    error: str = ""
    payload_bytes: int = 0
    waits: list[float] = field(default_factory=list)
    endpoint_host: str = ""

    @property
    def gone(self) -> bool:
        return self.status_code in rules.GONE_STATUSES


# The usual endpoint (a lower-case scheme and host name, a port, a path, a query, nothing urlsplit would strip or
# refuse), taken apart with one match: urlsplit and its hostname cost as much per message as the HMACs.
PLAIN_ENDPOINT = re.compile(r"(https?://[a-z0-9.-]+)(:[0-9]{1,5})?(/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*(?:\?[A-Za-z0-9._~!$&'()*+,;=:@%/?-]+)?)\??")


def split_endpoint(endpoint: str) -> tuple[str, str, str]:
    """(origin, path with query, host name) of a push endpoint: what a connection is for, what is posted to, and
    what the delivery log names."""
    if plain := PLAIN_ENDPOINT.fullmatch(endpoint):
        origin, port, path = plain.groups()
        return origin + (port or ""), path, origin.partition("://")[2]
    parts = urlsplit(endpoint)
    return (f"{parts.scheme}://{parts.netloc}", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
            parts.hostname or "")


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, (parsedate_to_datetime(value) - utcnow()).total_seconds())
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class SendSettings:
    timeout: float
    max_attempts: int
    retry_base: float
    retry_max_wait: float
    allowed_hosts: tuple[str, ...]

    @classmethod
    def from_config(cls, config) -> "SendSettings":
        return cls(timeout=config["PUSH_TIMEOUT_SECONDS"], max_attempts=max(1, config["PUSH_MAX_ATTEMPTS"]),
                   retry_base=config["PUSH_RETRY_BASE_SECONDS"], retry_max_wait=config["PUSH_RETRY_MAX_WAIT_SECONDS"],
                   allowed_hosts=tuple(config["PUSH_ALLOWED_HOSTS"]))


@dataclass(frozen=True)
class Attempt:
    finished: bool  # delivered, or refused in a way that trying again will not change
    retry_after: float | None = None


def answer_attempt(outcome: Outcome, response) -> Attempt:
    """What one try's answer means; written into `outcome`."""
    outcome.status_code = response.status
    if response.status < 300:
        outcome.sent_at, outcome.error = utcnow(), ""
        return Attempt(finished=True)
    outcome.error = (response.data.decode(errors="replace") or response.reason or "")[:500]
    # 4xx other than 429 will not get better by trying again.
    finished = response.status != 429 and response.status < 500
    return Attempt(finished, retry_after_seconds(response.headers.get("Retry-After")))


def error_attempt(outcome: Outcome, error: BaseException) -> Attempt:
    """A try that got no answer (network error, timeout, broken answer): tried again."""
    outcome.status_code, outcome.error = None, f"{type(error).__name__}: {error}"[:500]
    return Attempt(finished=False)


def attempt_delivery(pool: PushConnections, origin: str, path: str, body: bytes, headers: dict, timeout: float,
                     outcome: Outcome) -> Attempt:
    """Post one encrypted message once; the answer is written into `outcome`."""
    try:
        response = pool.post(origin, path, body, headers, timeout)
    except (OSError, http.client.HTTPException) as error:
        return error_attempt(outcome, error)
    return answer_attempt(outcome, response)


@dataclass(frozen=True, slots=True)
class Sending:
    """What each try for one target needs, worked out once: where it goes, what it says, whose keys."""

    origin: str
    path: str
    payload: bytes
    headers: dict  # the content headers; the VAPID ones are added per try
    receiver_key: bytes
    auth_secret: bytes
    receiver: object  # receiver_key parsed

    def body(self) -> bytes:
        # Encrypted anew for each try: a retried body must not reuse the salt and key of the first.
        return encrypt(self.payload, self.receiver_key, self.auth_secret, self.receiver)


def start(target: Target, prepared: Prepared) -> tuple[Outcome, Sending | None]:
    """The target's outcome, and what sending it takes (None when its endpoint may not be sent to)."""
    outcome = Outcome(target)
    # Checked again at send time: the allow-list may have shrunk since the phone subscribed.
    origin, path, outcome.endpoint_host = split_endpoint(target.endpoint)
    if not prepared.allowed(target.endpoint, origin):
        outcome.error = "endpoint not allowed"
        return outcome, None
    payload, content = prepared.for_message(target.message, target.base_url)
    outcome.payload_bytes = len(payload)
    receiver_key, auth_secret = b64url_decode(target.p256dh), b64url_decode(target.auth)
    return outcome, Sending(origin, path, payload, content, receiver_key, auth_secret,
                            receiver_public_key(receiver_key))


def send_one(target: Target, signer: VapidSigner, settings: SendSettings, pool: PushConnections | None = None,
             sleep=time.sleep, prepared: Prepared | None = None) -> Outcome:
    """Encrypt and post one message; retry 429, 5xx and network errors with backoff (honouring Retry-After)."""
    if pool is None:
        with PushConnections() as own:
            return send_one(target, signer, settings, own, sleep, prepared)
    outcome, sending = start(target, prepared or Prepared(settings))
    if sending is not None:
        keep_trying(outcome, sending, signer, settings, pool, sleep)
    return outcome


def another_try_due(outcome: Outcome, last: Attempt, settings: SendSettings) -> bool:
    return not last.finished and outcome.attempts < settings.max_attempts


def keep_trying(outcome: Outcome, sending: Sending, signer: VapidSigner, settings: SendSettings,
                pool: PushConnections, sleep=time.sleep, last: Attempt | None = None) -> Outcome:
    """The tries after `last` (all of them when None) until one is finished or they run out, waiting in between
    as long as the push service asks (Retry-After), else with backoff."""
    while True:
        if last is not None:
            if not another_try_due(outcome, last, settings):
                return outcome
            wait = last.retry_after
            if wait is None:
                wait = settings.retry_base * 2 ** (outcome.attempts - 1) * random.uniform(0.8, 1.2)
            if wait > settings.retry_max_wait:
                outcome.error = f"retry-after {wait:.0f} s is longer than we wait; {outcome.error}"[:500]
                return outcome
            outcome.waits.append(wait)
            sleep(wait)
        outcome.attempts += 1
        last = attempt_delivery(pool, sending.origin, sending.path, sending.body(),
                                signer.headers_for_origin(sending.origin) | sending.headers, settings.timeout,
                                outcome)


# Table columns, not ORM objects nor attributes: a chunk is thousands of rows that are read once and never changed,
# and for the one item or few of a new report the ORM's layer and building the statement cost more than the query.
_ITEMS, _SUBSCRIPTIONS = InboxItem.__table__.c, PushSubscription.__table__.c
TARGETS_OF_ITEMS = (
    select(_ITEMS.id, _ITEMS.title, _ITEMS.body, _ITEMS.url, _ITEMS.topic, _ITEMS.importance, _ITEMS.kind,
           _ITEMS.expires_at, _SUBSCRIPTIONS.id, _SUBSCRIPTIONS.user_id, _SUBSCRIPTIONS.endpoint, _SUBSCRIPTIONS.p256dh,
           _SUBSCRIPTIONS.auth, _SUBSCRIPTIONS.app_origin, _SUBSCRIPTIONS.expires_at)
    .join_from(InboxItem.__table__, PushSubscription.__table__, _SUBSCRIPTIONS.user_id == _ITEMS.user_id)
    .where(_ITEMS.id.in_(bindparam("item_ids", expanding=True)), _ITEMS.read_at.is_(None))
    .order_by(_ITEMS.id, _SUBSCRIPTIONS.id)
)


def targets_for_items(item_ids: list[int]) -> list[Target]:
    """Every (inbox item, subscription of its user) pair that is still worth sending."""
    now = utcnow()
    rows = db.session.execute(TARGETS_OF_ITEMS, {"item_ids": item_ids}).all()
    if not rows:  # nobody told has a phone subscribed: no paths to make (every new report asks)
        return []
    public_url = current_app.config["PUBLIC_URL"]
    targets = []
    messages: dict[int, Message] = {}
    # One request context for all the paths: the worker has none, and one per path would cost more than the rest.
    with root_request_if_none():
        inbox_path_of = path_maker("notices.show", "item_id")
        for (item_id, title, body, url, topic, importance, kind, item_expires_at, subscription_id, user_id, endpoint,
             p256dh, auth, app_origin, subscription_expires_at) in rows:
            if item_expires_at is not None and item_expires_at <= now:
                continue
            if subscription_expires_at is not None and subscription_expires_at <= now:
                continue
            message = messages.get(item_id)
            if message is None:  # one message (and one payload) per item, however many phones its user has
                inbox_path = inbox_path_of(item_id)
                message = messages[item_id] = Message(
                    title=title, body=body, path=url or inbox_path, topic=topic, importance=importance, kind=kind,
                    inbox_id=item_id, inbox_path=inbox_path)
            targets.append(Target(subscription_id, user_id, endpoint, p256dh, auth, public_url or app_origin, message))
    return targets


def fan_out(targets: list[Target], item_of: dict[int, int | None] | None = None) -> list[Outcome]:
    """Send to every target (the first tries from one thread, the retries from a thread pool), then log and prune
    in one go."""
    if not targets:
        return []
    config = current_app.config
    signer = signer_for(config["VAPID_PRIVATE_KEY"], config["VAPID_SUBJECT"])
    settings = SendSettings.from_config(config)
    # As many messages in flight as there were sending threads: what the push service sees is unchanged.
    in_flight = max(1, min(config["PUSH_FANOUT_THREADS"], len(targets)))
    pool = connections_for(current_app._get_current_object())
    outcomes = send_to_targets(targets, signer, settings, pool, Prepared(settings), in_flight)
    record_outcomes(outcomes)
    return outcomes


def send_to_targets(targets: list[Target], signer: VapidSigner, settings: SendSettings, pool: PushConnections,
                    prepared: Prepared, in_flight: int) -> list[Outcome]:
    """send_one for each target, outcomes in target order: each first try posted by post_all, the tries after it
    (429, 5xx, no answer) from `in_flight` threads, since they wait. Every target is tried even when one raises;
    then the first error (in target order) is raised."""
    outcomes: list = [None] * len(targets)
    sendings: dict[int, Sending] = {}
    errors: dict[int, Exception] = {}
    again: dict[int, Attempt] = {}

    def first_tries():
        for index, target in enumerate(targets):
            try:
                outcome, sending = start(target, prepared)
                if sending is not None:
                    outcome.attempts = 1
                    request = (index, sending.origin, sending.path, sending.body(),
                               prepared.head(signer, sending.origin, sending.headers))
            except Exception as error:  # raised below, once every other target has been tried
                errors[index] = error
                continue
            outcomes[index] = outcome
            if sending is not None:
                sendings[index] = sending
                yield request

    def answered(index: int, answer) -> None:
        outcome = outcomes[index]
        attempt = error_attempt(outcome, answer) if isinstance(answer, BaseException) else answer_attempt(
            outcome, answer)
        if another_try_due(outcome, attempt, settings):
            again[index] = attempt

    def retry(index: int) -> None:
        try:
            keep_trying(outcomes[index], sendings[index], signer, settings, pool, last=again[index])
        except Exception as error:
            outcomes[index] = None
            errors[index] = error

    post_all(pool, first_tries(), in_flight, settings.timeout, answered)
    if again:
        send_all(sorted(again), min(in_flight, len(again)), retry)
    if errors:
        raise errors[min(errors)]
    return outcomes


def record_outcomes(outcomes: list[Outcome]) -> None:
    """Write the delivery log and delete the subscriptions the push service says are gone (404/410)."""
    gone = {outcome.target.subscription_id for outcome in outcomes if outcome.gone}
    # A phone may have unsubscribed while we were sending: its log rows keep no dangling reference.
    # One expanding parameter, not a bound parameter object made for each of a chunk's ids (as in_ of a list).
    still_there = set(db.session.scalars(select(PushSubscription.id).where(
        PushSubscription.id.in_(bindparam("ids", expanding=True))),
        {"ids": list({outcome.target.subscription_id for outcome in outcomes})}))
    kept = still_there - gone  # once, not once per row: that was a set of the whole chunk built per message
    logged_at = utcnow()
    rows = [
        {
            "inbox_item_id": outcome.target.message.inbox_id,
            "user_id": outcome.target.user_id,
            "subscription_id": outcome.target.subscription_id if outcome.target.subscription_id in kept else None,
            "endpoint_host": outcome.endpoint_host,
            "topic": outcome.target.message.topic,
            "status_code": outcome.status_code,
            "attempts": outcome.attempts,
            "sent_at": outcome.sent_at,
            "error": outcome.error,
            "created_at": logged_at,
        }
        for outcome in outcomes
    ]
    # Core, not the ORM's bulk path: one executemany per chunk, without building a mapper state per row.
    db.session.execute(insert(PushDelivery.__table__), rows)
    if gone:
        db.session.execute(delete(PushSubscription).where(PushSubscription.id.in_(gone)))
    db.session.commit()
    failed = sum(1 for outcome in outcomes if outcome.sent_at is None and not outcome.gone)
    log.info("push fan-out", extra={"messages": len(outcomes), "gone": len(gone), "failed": failed})


def deliver_items(item_ids: list[int]) -> list[Outcome]:
    """Push the given inbox items to every subscription of their users."""
    return fan_out(targets_for_items(item_ids))


def deliver_test(user_id: int) -> list[Outcome]:
    """A test notification to each of the user's own subscriptions (no inbox item)."""
    subscriptions = db.session.scalars(select(PushSubscription).where(PushSubscription.user_id == user_id))
    public_url = current_app.config["PUBLIC_URL"]
    message = Message(title="Testavisering från Fickan", body="Aviseringar fungerar på den här enheten.",
                      path=path_for("notices.settings"), topic=f"test-{user_id}", kind="test")
    targets = [Target(s.id, s.user_id, s.endpoint, s.p256dh, s.auth, public_url or s.app_origin, message)
               for s in subscriptions]
    return fan_out(targets)
