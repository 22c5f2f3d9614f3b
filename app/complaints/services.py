"""Complaint services: intake from the public page or from staff, the follow link, acknowledging and answering.

The acting user is explicit; services add and flush, the caller commits.
"""
import hmac
import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select

from app.accounts.models import Unit, User
from app.accounts.rules import Role, UnitKind
from app.complaints import rules
from app.complaints.models import Complaint
from app.errors import NotAllowed
from app.extensions import db
from app.notices.reminders import remind_once
from app.notices.services import notify_report_received
from app.reports import handling
from app.reports.arrival import recipients
from app.reports.handlers import responsible_users
from app.reports.models import Report
from app.reports.rules import Affected, EntryKind, Harm, ReportStatus, Topic
from app.reports.services import is_handler
from app.timestamps import LOCAL_ZONE, utcnow
from app.urls import path_for
from app.views import date_sv

log = logging.getLogger("fickan.complaints")


def public_units() -> list[Unit]:
    """The units a person can name on the public page: the enheter, not the districts above them."""
    return list(db.session.scalars(select(Unit).where(Unit.kind == UnitKind.UNIT).order_by(Unit.name)))


def top_unit() -> Unit:
    """Where a complaint about an unknown unit sits: the top of the tree, which quality handles (not a unit's
    managers, who reach only their own units and those below)."""
    return db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id).limit(1))


@dataclass(frozen=True)
class ComplaintAnswers:
    """What the person told us, checked: text, unit (None: "Vet inte"), who they are, how to answer, contact."""

    text: str
    unit_id: int | None
    complainant: str
    answer_way: str
    name: str
    email: str
    phone: str
    address: str


def read_answers(form) -> tuple[ComplaintAnswers, dict[str, str]]:
    """The posted answers and, per field, a Swedish message for what must be corrected (empty: all is well)."""
    text = form.get("text", "").strip()
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = "Skriv vad du vill berätta."
    elif len(text) > rules.MAX_TEXT_LENGTH:
        errors["text"] = f"Texten är för lång. Skriv högst {rules.MAX_TEXT_LENGTH} tecken."
    unit_id = form.get("unit_id", "").strip()
    known_units = {str(unit.id): unit.id for unit in public_units()}
    if unit_id and unit_id not in known_units:
        errors["unit_id"] = "Välj en verksamhet i listan, eller Vet inte."
    complainant = form.get("complainant", "")
    complainant = complainant if complainant in rules.COMPLAINANT_LABELS else ""
    answer_way = form.get("answer_way", rules.AnswerWay.NONE)
    if answer_way not in rules.ANSWER_WAY_LABELS:
        answer_way = rules.AnswerWay.NONE
    contact = {name: form.get(name, "").strip() for name in ("name", "email", "phone", "address")}
    limits = {"name": rules.MAX_NAME_LENGTH, "email": rules.MAX_EMAIL_LENGTH, "phone": rules.MAX_PHONE_LENGTH,
              "address": rules.MAX_ADDRESS_LENGTH}
    for name, limit in limits.items():
        if len(contact[name]) > limit:
            errors[name] = f"Skriv högst {limit} tecken."
    for name, problem in rules.contact_problems(answer_way, **contact).items():
        errors.setdefault(name, problem)
    answers = ComplaintAnswers(text[:rules.MAX_TEXT_LENGTH], known_units.get(unit_id), complainant, answer_way,
                               **{name: value[:limits[name]] for name, value in contact.items()})
    return answers, errors


def create_complaint(answers: ComplaintAnswers, channel: str, reporter: User | None = None,
                     unit: Unit | None = None) -> tuple[Complaint, str]:
    """A report of kind klagomål with its complaint; returns it and the follow link's token (shown once)."""
    unit = unit or (db.session.get(Unit, answers.unit_id) if answers.unit_id else None)
    now = utcnow()
    kinds = [str(rules.COMPLAINT_KIND)]
    report = Report(
        uuid=str(uuid.uuid4()), reporter_id=reporter.id if reporter else None, unit_id=(unit or top_unit()).id,
        text=answers.text, affected=[Affected.CLIENT] if answers.complainant == rules.Complainant.CLIENT else [],
        harm=Harm.UNKNOWN, topics=[Topic.COMPLAINT], suggested_kinds=kinds, kinds=list(kinds), flagged=False,
        status=ReportStatus.RECEIVED, occurred_at=now, created_at=now, received_at=now,
    )
    seed = rules.new_seed()
    token = rules.follow_token(seed, current_app.config["SECRET_KEY"])
    complaint = Complaint(
        report=report, case_code=rules.new_case_code(), follow_seed=seed, follow_token_hash=rules.token_hash(token),
        channel=channel, unit_known=unit is not None, complainant=answers.complainant, answer_way=answers.answer_way,
        contact_name=answers.name, contact_email=answers.email, contact_phone=answers.phone,
        contact_address=answers.address,
    )
    db.session.add_all([report, complaint])
    db.session.flush()
    log.info("complaint received", extra={"report": report.id, "channel": channel, "unit_known": unit is not None})
    return complaint, token


def announce(complaint: Complaint) -> int:
    """Tell the unit's managers (and quality when the unit is unknown) of a new complaint: inbox and push."""
    report = complaint.report
    told = recipients(report)
    if not complaint.unit_known:
        for user in responsible_users(report, frozenset({Role.QUALITY})):
            told.setdefault(user, "normal")
    try:
        notify_report_received(report, told)
    except Exception:
        # The complaint is committed and the person has their receipt; the error is for the operators.
        db.session.rollback()
        log.exception("complaint not announced", extra={"report": report.id})
        return 0
    return len(told)


def token_of(complaint: Complaint) -> str:
    return rules.follow_token(complaint.follow_seed, current_app.config["SECRET_KEY"])


def find_by_token(token: str) -> Complaint | None:
    """The complaint of a follow link, or None; a guess learns nothing (only the hash of a well-formed token is
    looked up, and the stored hash is compared in constant time)."""
    if not rules.TOKEN_SHAPE.match(token or ""):
        return None
    wanted = rules.token_hash(token)
    complaint = db.session.scalar(select(Complaint).where(Complaint.follow_token_hash == wanted))
    if complaint is None or not hmac.compare_digest(complaint.follow_token_hash, wanted):
        return None
    return complaint


def complaint_of(report: Report) -> Complaint | None:
    return db.session.scalar(select(Complaint).where(Complaint.report_id == report.id))


def require_handler(actor: User, complaint: Complaint) -> None:
    if not is_handler(actor, complaint.report):
        raise NotAllowed("Du handlägger inte det här klagomålet.")


def acknowledge(actor: User, complaint: Complaint) -> Complaint:
    """The handler has taken the complaint on: the first clock stops, and the follow link shows it is being looked
    at."""
    require_handler(actor, complaint)
    if complaint.acknowledged_at is None:
        complaint.acknowledged_at = utcnow()
    if complaint.report.status == ReportStatus.RECEIVED:
        handling.change_status(actor, complaint.report, ReportStatus.INVESTIGATING)
    db.session.flush()
    return complaint


def give_answer(actor: User, complaint: Complaint, text: str) -> bool:
    """Save the answer signed by the handler; True when a mail must go (the person asked for one by e-mail)."""
    require_handler(actor, complaint)
    text = text.strip()
    if not text:
        raise handling.HandlingError("answer_required", "Skriv svaret.")
    if complaint.answer_mailed_at is not None:
        raise handling.HandlingError("answer_sent", "Svaret är redan skickat med e-post och kan inte ändras.")
    complaint.answer = text[:rules.MAX_TEXT_LENGTH * 2]
    complaint.answered_at = utcnow()
    complaint.answered_by_id = actor.id
    complaint.answer_signed_name = actor.display_name
    complaint.answer_signed_title = actor.title or actor.role_label
    complaint.acknowledged_at = complaint.acknowledged_at or complaint.answered_at
    complaint.no_answer_reason, complaint.no_answer_note = "", ""
    db.session.flush()
    log.info("complaint answered", extra={"report": complaint.report_id})
    return mail_due(complaint)


def mail_due(complaint: Complaint) -> bool:
    return (complaint.answer_way == rules.AnswerWay.EMAIL and bool(complaint.contact_email)
            and bool(complaint.answer) and complaint.answer_mailed_at is None)


def record_no_answer(actor: User, complaint: Complaint, reason: str, note: str) -> Complaint:
    """Record why no answer could be given (anonymous, no contact ...): that too lets the complaint close."""
    require_handler(actor, complaint)
    if reason not in rules.NO_ANSWER_REASON_LABELS:
        raise handling.HandlingError("reason_required", "Välj varför inget svar kan ges.")
    if complaint.answer:
        raise handling.HandlingError("already_answered", "Klagomålet har redan ett svar.")
    complaint.no_answer_reason, complaint.no_answer_note = reason, note.strip()[:2000]
    db.session.flush()
    return complaint


def place_in_unit(actor: User, complaint: Complaint, unit_id: int | None) -> Unit:
    """A complaint whose unit the person could not name, placed in the unit it turns out to be about: that unit's
    managers handle it from now on, and the move is an entry in the investigation, signed by the one who made it."""
    require_handler(actor, complaint)
    if complaint.unit_known:
        raise handling.HandlingError("unit_known", "Klagomålet har redan en enhet.")
    unit = next((unit for unit in public_units() if unit.id == unit_id), None)
    if unit is None:
        raise handling.HandlingError("unit_required", "Välj vilken enhet klagomålet gäller.")
    report = complaint.report
    handling.add_entry(actor, report, EntryKind.FACT,
                       f"Personen kunde inte säga vilken enhet det gällde. Klagomålet gäller {unit.name} och har "
                       f"flyttats dit.")
    report.unit, complaint.unit_known = unit, True
    db.session.flush()
    log.info("complaint placed in its unit", extra={"report": report.id, "unit": unit.id})
    return unit


def answer_draft(actor: User, complaint: Complaint) -> str:
    received = complaint.report.received_at.astimezone(LOCAL_ZONE).date()
    signature = f"{actor.display_name}, {actor.title or actor.role_label}"
    unit = complaint.report.unit.name if complaint.unit_known else "Vård- och omsorgsförvaltningen"
    return rules.answer_draft(complaint.contact_name, f"{received.day} {MONTHS[received.month - 1]} {received.year}",
                              signature, unit)


MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december")


@dataclass(frozen=True)
class ClockState:
    """One of a complaint's two clocks at a moment: due day, when it stopped (if it did), whether it ran out."""

    clock: rules.ComplaintClock
    due_on: date
    done_at: datetime | None
    overdue: bool


def clock_states(complaint: Complaint, configured: dict, now: datetime) -> list[ClockState]:
    received_on = complaint.report.received_at.astimezone(LOCAL_ZONE).date()
    done = {rules.ACKNOWLEDGE.code: complaint.acknowledged_at, rules.ANSWER.code: complaint.answered_at}
    states = []
    for clock in rules.COMPLAINT_CLOCKS:
        due_on = clock.due_on(received_on, configured)
        done_at = done[clock.code]
        # A recorded reason why no answer can be given stops the answer clock too (the page says which).
        stopped = done_at is not None or (clock is rules.ANSWER and bool(complaint.no_answer_reason))
        overdue = not stopped and now >= rules.due_at(due_on, LOCAL_ZONE)
        states.append(ClockState(clock, due_on, done_at, overdue))
    return states


CLOCK_SUBJECT = "complaint_clock"


def remind_overdue_clocks(now: datetime, configured: dict) -> int:
    """Tell a complaint's managers (quality when none handles it) once when one of its clocks has run out."""
    open_complaints = db.session.scalars(select(Complaint).join(Report).where(Report.status != ReportStatus.CLOSED)
                                         .order_by(Complaint.id))
    sent = 0
    for complaint in list(open_complaints):
        report = complaint.report
        for state in clock_states(complaint, configured, now):
            if not state.overdue:
                continue
            users = (responsible_users(report, frozenset({Role.MANAGER}))
                     or responsible_users(report, frozenset({Role.QUALITY})))
            sent += remind_once(
                users, subject=CLOCK_SUBJECT, subject_id=complaint.id, step=state.clock.code,
                about_date=state.due_on, title=f"Klagomål {complaint.case_code}: {state.clock.label.lower()}",
                body=f"Vår interna frist gick ut {date_sv(state.due_on)}. Öppna klagomålet och ta ställning.",
                url=path_for("reports.handle", report_uuid=report.uuid, _anchor="klagomal"))
    return sent
