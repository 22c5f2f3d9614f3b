"""Notice services: subscriptions, the inbox, coordinators' notices, and who is told of what. The actor is explicit."""
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import delete, func, insert, select, union
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.accounts import scope
from app.accounts.models import Unit, User, UserSession, memberships
from app.accounts.rules import Role
from app.accounts.scope import Purpose
from app.errors import DomainError, NotAllowed
from app.extensions import db
from app.notices import jobs, rules
from app.notices.models import InboxItem, Notice, PushSubscription
from app.notices.rules import Importance, InboxKind
from app.reports import rules as report_rules
from app.routines import rules as routine_rules
from app.routines.models import ReadConfirmation, Routine, RoutineOpening, RoutineVersion, routine_favourites
from app.timestamps import local_today, utcnow
from app.urls import path_for
from app.views import date_sv

log = logging.getLogger("fickan.notices")


class NoticeError(DomainError):
    """A request that breaks a notice rule; `code` is machine-readable, the message Swedish."""


# Subscriptions

def find_subscription(endpoint: str) -> PushSubscription | None:
    return db.session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))


def subscribe(user: User, subscription: dict, *, session_id: int | None, user_agent: str, app_origin: str,
              allowed_hosts: list[str]) -> tuple[PushSubscription, bool]:
    """Store a browser's PushSubscription for `user` in their login `session_id`; (subscription, True) when new.

    The same user again: updated. Another user's endpoint is never moved: refused while that user's login on
    the phone lasts, else their ended subscription is deleted and a new one made."""
    endpoint = subscription["endpoint"]
    if problem := rules.endpoint_problem(endpoint, allowed_hosts):
        raise NoticeError("endpoint_not_allowed", problem, field="endpoint")
    expires_ms = subscription.get("expiration_time")
    values = {
        "user_id": user.id,
        "session_id": session_id,
        "p256dh": subscription["p256dh"],
        "auth": subscription["auth"],
        "expires_at": datetime.fromtimestamp(expires_ms / 1000, timezone.utc) if expires_ms else None,
        "user_agent": (user_agent or "")[:400],
        "app_origin": app_origin[:200],
        "updated_at": utcnow(),
    }
    for _ in range(2):  # a second try when the same browser's two requests raced to create it
        existing = find_subscription(endpoint)
        try:
            if existing is not None and existing.user_id != user.id:
                end_subscription_of_ended_login(existing)
                existing = None
            if existing is not None:
                for name, value in values.items():
                    setattr(existing, name, value)
                db.session.commit()
                return existing, False
            created = PushSubscription(endpoint=endpoint, **values)
            db.session.add(created)
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            continue
        log.info("push subscribed", extra={"user": user.id, "subscription": created.id})
        return created, True
    raise NoticeError("conflict", "Prenumerationen kunde inte sparas. Försök igen.")


def login_lasts(subscription: PushSubscription) -> bool:
    """Whether the login the subscription was made in is still open."""
    if subscription.session_id is None:
        return False
    login = db.session.get(UserSession, subscription.session_id)
    return login is not None and login.expires_at > utcnow()


def end_subscription_of_ended_login(subscription: PushSubscription) -> None:
    """Delete another user's subscription of this browser, whose login here has ended; refuse while it lasts."""
    if login_lasts(subscription):
        # The phone's script then ends the browser's subscription and makes a new one (a new endpoint).
        raise NoticeError("endpoint_taken", "Den här webbläsaren tar emot aviseringar för någon annan som är "
                                            "inloggad. Slå på aviseringar igen.", status=409, field="endpoint")
    log.info("push subscription of an ended login deleted", extra={"user": subscription.user_id,
                                                                   "subscription": subscription.id})
    db.session.delete(subscription)
    db.session.flush()


def unsubscribe(user: User, endpoint: str) -> bool:
    """Remove the user's own subscription with this endpoint; False when the user has none such."""
    result = db.session.execute(delete(PushSubscription).where(PushSubscription.endpoint == endpoint,
                                                               PushSubscription.user_id == user.id))
    db.session.commit()
    return result.rowcount > 0


def subscriptions_of(user: User) -> list[PushSubscription]:
    return list(db.session.scalars(select(PushSubscription).where(PushSubscription.user_id == user.id)
                                   .order_by(PushSubscription.created_at.desc())))


def send_test_push(user: User) -> int:
    """Queue a test push to each of the user's subscriptions; returns how many there are."""
    count = len(subscriptions_of(user))
    if count:
        jobs.deliver_test_push(user.id)
    return count


# The inbox

def current_items(user: User, now: datetime):
    return select(InboxItem).where(InboxItem.user_id == user.id,
                                   InboxItem.expires_at.is_(None) | (InboxItem.expires_at > now))


def inbox(user: User, limit: int = 100) -> list[InboxItem]:
    """The user's inbox, newest first; expired notices have dropped out."""
    statement = current_items(user, utcnow()).order_by(InboxItem.created_at.desc(), InboxItem.id.desc())
    return list(db.session.scalars(statement.limit(limit)))


def unread_count(user: User) -> int:
    statement = current_items(user, utcnow()).where(InboxItem.read_at.is_(None))
    return db.session.scalar(select(func.count()).select_from(statement.subquery()))


def open_item(user: User, item_id: int) -> InboxItem | None:
    """The user's own inbox item, marked read; None for anyone else's (they learn nothing of it)."""
    item = db.session.get(InboxItem, item_id)
    if item is None or item.user_id != user.id:
        return None
    if item.read_at is None:
        item.read_at = utcnow()
        db.session.commit()
    return item


def deliver(items: list[InboxItem]) -> list[InboxItem]:
    """Put the items in their users' inboxes, then hand them to the worker for push."""
    db.session.add_all(items)
    db.session.flush()
    # Read before the commit: afterwards every item would be loaded again, one query each.
    item_ids = [item.id for item in items]
    db.session.commit()
    push(item_ids)
    return items


def push(item_ids: list[int]) -> None:
    """Hand committed inbox items to the worker for push (never before their commit: it reads them)."""
    jobs.queue_delivery(item_ids)


# Coordinators' notices

def target_units(actor: User) -> list[Unit]:
    """The units the actor may send notices to."""
    statement = select(Unit).where(scope.unit_filter(actor, Purpose.SEND_NOTICES, Unit.id)).order_by(Unit.name)
    return list(db.session.scalars(statement))


def default_unit_ids(actor: User) -> list[int]:
    return [unit.id for unit in actor.units]


def check_target(actor: User, unit_ids, roles) -> tuple[set[int], set[str]]:
    if not rules.may_compose(actor.role):
        raise NotAllowed("Du kan inte skicka meddelanden.")
    unit_ids, roles = {int(unit_id) for unit_id in unit_ids}, {str(role) for role in roles}
    if not unit_ids:
        raise NoticeError("units_required", "Välj minst en enhet.", field="units")
    if not roles or not roles <= set(Role):
        raise NoticeError("roles_required", "Välj vilka som ska få meddelandet.", field="roles")
    if not unit_ids <= {unit.id for unit in target_units(actor)}:
        raise NotAllowed("Du kan bara skicka till dina egna enheter.", field="units")
    return unit_ids, roles


def recipient_ids(actor: User, unit_ids, roles) -> list[int]:
    """Active users with one of `roles` in the chosen units or a unit below them, the sender left out."""
    unit_ids, roles = check_target(actor, unit_ids, roles)
    reached = scope.with_units_below(unit_ids)
    statement = (select(User.id).join(memberships, memberships.c.user_id == User.id)
                 .where(memberships.c.unit_id.in_(reached), User.role.in_(roles), User.active.is_(True),
                        User.id != actor.id).distinct())
    return sorted(db.session.scalars(statement))


def count_recipients(actor: User, unit_ids, roles) -> int:
    return len(recipient_ids(actor, unit_ids, roles))


def send_notice(actor: User, *, title: str, body: str, importance: str, expires_on: date | None, unit_ids,
                roles) -> Notice:
    """Send a notice: an inbox item for every recipient, then a push to their phones from the worker."""
    title, body = title.strip(), body.strip()
    if not title:
        raise NoticeError("title_required", "Skriv en rubrik.", field="title")
    if not body:
        raise NoticeError("body_required", "Skriv en text.", field="body")
    if importance not in set(Importance):
        raise NoticeError("importance_unknown", "Välj hur viktigt meddelandet är.", field="importance")
    if expires_on is not None and expires_on < local_today():
        raise NoticeError("expires_in_past", "Datumet har redan passerat.", field="expires_on")
    if expires_on is not None and expires_on > local_today() + timedelta(days=rules.MAX_NOTICE_DAYS):
        raise NoticeError("expires_too_late", "Ett meddelande kan visas högst ett år framåt.", field="expires_on")
    recipients = recipient_ids(actor, unit_ids, roles)
    if not recipients:
        raise NoticeError("no_recipients", "Ingen får meddelandet med de valen. Välj fler enheter eller roller.",
                          field="units")
    unit_ids, roles = check_target(actor, unit_ids, roles)
    notice = Notice(author=actor, title=title[:120], body=body, importance=importance,
                    roles=sorted(roles), recipient_count=len(recipients),
                    expires_at=rules.end_of_day(expires_on) if expires_on else None,
                    units=list(db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids)))))
    db.session.add(notice)
    db.session.flush()
    deliver([
        InboxItem(user_id=user_id, kind=InboxKind.NOTICE, title=notice.title, body=notice.body, url="",
                  importance=importance, topic=f"notice-{notice.id}", notice_id=notice.id,
                  expires_at=notice.expires_at)
        for user_id in recipients
    ])
    log.info("notice sent", extra={"actor": actor.username, "notice": notice.id, "recipients": len(recipients)})
    return notice


@dataclass(frozen=True)
class SentNotice:
    notice: Notice
    read: int
    total: int

    @property
    def read_phrase(self) -> str:
        return rules.read_phrase(self.read, self.total)


def notices_sent_by(actor: User, limit: int = 50) -> list[SentNotice]:
    """The actor's notices, newest first, with how many recipients have read each."""
    notices = list(db.session.scalars(select(Notice).where(Notice.author_id == actor.id)
                                      .order_by(Notice.created_at.desc(), Notice.id.desc()).limit(limit)))
    counts = {
        notice_id: (read, total)
        for notice_id, total, read in db.session.execute(
            select(InboxItem.notice_id, func.count(), func.count(InboxItem.read_at))
            .where(InboxItem.notice_id.in_([notice.id for notice in notices])).group_by(InboxItem.notice_id)
        )
    }
    return [SentNotice(notice, *counts.get(notice.id, (0, 0))) for notice in notices]


# Routine changes

def routine_change_recipients(routine: Routine, version: RoutineVersion) -> list[User]:
    """Who hears of a published version: its regular readers, or, for a "viktig ändring", all who can read it."""
    statement = select(User).where(User.active.is_(True)).options(selectinload(User.units))
    if not version.important_change:
        since = utcnow() - timedelta(days=rules.ROUTINE_OPENED_WITHIN_DAYS)
        regular_readers = union(
            select(routine_favourites.c.user_id).where(routine_favourites.c.routine_id == routine.id),
            select(RoutineOpening.user_id).where(RoutineOpening.routine_id == routine.id,
                                                 RoutineOpening.last_opened_at >= since),
            # They confirmed an earlier version, so they must confirm this one.
            select(ReadConfirmation.user_id).where(ReadConfirmation.routine_id == routine.id,
                                                   ReadConfirmation.version_number < (version.number or 0)),
        )
        statement = statement.where(User.id.in_(select(regular_readers.subquery().c.user_id)))
    parent_of = scope.parent_map()
    return [
        user for user in db.session.scalars(statement)
        if routine_rules.may_read(routine.scope_unit_id,
                                  scope.visible_unit_ids(user, Purpose.READ_ROUTINES, parent_of))
    ]


def notify_routine_published(actor: User | None, routine: Routine, version: RoutineVersion) -> list[InboxItem]:
    """Tell the routine's readers of a newly published version (the publisher and the author excepted)."""
    leave_out = {actor.id if actor else None, version.author_id}
    users = [user for user in routine_change_recipients(routine, version) if user.id not in leave_out]
    if version.important_change:
        title = f"Viktig ändring: {version.title}"
    else:
        title = f"{'Ny rutin' if (version.number or 1) == 1 else 'Ändrad rutin'}: {version.title}"
    importance = Importance.IMPORTANT if version.important_change else Importance.NORMAL
    url = path_for("routines.show", slug=routine.slug)
    items = [
        InboxItem(user_id=user.id, kind=InboxKind.ROUTINE, title=title[:200], body=version.change_summary,
                  url=url, importance=importance, topic=f"routine-{routine.id}")
        for user in users
    ]
    return deliver(items)


# Reports and deadlines

def reporter_title(report) -> str:
    """Which report and what became of it, from its topic and day only: "Din rapport om ett fall den 12 november
    2026 har fått status Avslutad"."""
    # The first topic the reporter chose, in its label's words ("ett fall"); "Något annat" says nothing.
    topic = next((topic for topic in report.topics if topic in report_rules.TOPIC_LABELS and topic != "other"), None)
    about = f" om {report_rules.TOPIC_LABELS[topic].lower()}" if topic else ""
    return f"Din rapport{about} den {date_sv(report.occurred_at)} har fått status {report.status_label}"


def notify_reporter(report) -> InboxItem:
    """Tell a report's reporter that its status changed; never what the report says (it may hold health data).

    Call it from every service that changes a report's status (investigation, closing with feedback).
    """
    item = InboxItem(user_id=report.reporter_id, kind=InboxKind.REPORT, title=reporter_title(report)[:200],
                     body=f"Ny status: {report.status_label}. Läs mer under Mina rapporter.",
                     url=path_for("reports.mine"), importance=Importance.NORMAL, topic=f"report-{report.id}")
    return deliver([item])[0]


def notify_report_received(report, told: dict[User, str]) -> list[InboxItem]:
    """Tell handlers that a new report has arrived: the unit and, for urgent ones, that it is urgent; never what
    the report says (a push passes through the push service). `told` maps each user to the importance."""
    items = [InboxItem(**row) for row in report_received_rows(report, told)]
    return deliver(items) if items else []


def add_report_received(report, told: dict[User, str]) -> list[int]:
    """notify_report_received's inbox items added in the caller's transaction, in one INSERT for them all (the
    report's intake tracks no objects of them); their ids, to push once that transaction is committed."""
    rows = report_received_rows(report, told)
    if not rows:
        return []
    table = InboxItem.__table__
    return list(db.session.scalars(insert(table).returning(table.c.id), rows))


def report_received_rows(report, told: dict[User, str]) -> list[dict]:
    """The values of the inbox items telling `told` of a new report (which must have its id)."""
    if not told:
        return []
    url = path_for("reports.handle", report_uuid=report.uuid)
    unit_name = report.unit.name
    return [
        {"user_id": user.id, "kind": InboxKind.REPORT,
         "title": (f"{'Ny rapport att bedöma snarast' if importance == Importance.IMPORTANT else 'Ny rapport'}"
                   f" från {unit_name}")[:200],
         "body": "Öppna Fickan för att läsa rapporten.", "url": url, "importance": importance,
         "topic": f"new-report-{report.id}"}
        for user, importance in told.items()
    ]


def notify_overdue_deadline(users: list[User], *, url: str, topic: str) -> list[InboxItem]:
    """Tell handlers that a legal clock (Lex Sarah, Lex Maria) or an action's due date has passed.

    The periodic job remind_overdue_deadlines (app/reports/jobs.py, through app/reports/clocks.py) calls this with
    the handlers to tell, the page to open (the report's handling page) and a topic like "clock-<report id>-<clock>"
    (one push per topic collapses repeated reminders). The text stays generic: no report content in a push.
    """
    if not rules.valid_topic(topic):
        raise ValueError(f"invalid push topic {topic!r}")
    items = [
        InboxItem(user_id=user.id, kind=InboxKind.DEADLINE, title="En tidsfrist har passerats",
                  body="Öppna Fickan för att se vad som behöver göras.", url=url,
                  importance=Importance.IMPORTANT, topic=topic)
        for user in users
    ]
    return deliver(items)
