"""Handling reports: the handlers' inbox, classification, investigation, actions, closing.

The acting user is explicit."""
import logging
from datetime import date, datetime

from sqlalchemy import case, exists, func, or_, select

from app.accounts import scope
from app.accounts.models import User, memberships
from app.complaints import rules as complaint_rules
from app.complaints.models import Complaint
from app.errors import DomainError, NotAllowed
from app.extensions import db
from app.notices.services import notify_reporter
from app.reports import rules
from app.reports.models import InvestigationEntry, KindChange, Report, ReportAction, ReportKindRow
from app.reports.services import find_report, handled_condition, is_handler, record_access
from app.routines.models import ChangeProposal
from app.timestamps import utcnow
from app.views import date_sv

log = logging.getLogger("fickan.reports")

INBOX_LIMIT = 200
SIMILAR_LIMIT = 5


class HandlingError(DomainError):
    """A handler's change that the rules refuse; the message is Swedish."""


def handled_scope(user: User):
    """A condition on Report for the reports the user handles."""
    return handled_condition(user)


def urgency():
    return rules.is_urgent_sql(Report.flagged, Report.harm)


def in_quality_queue():
    """Quality's own queue: possible Lex Sarah / Lex Maria and personal-data cases, and reports past the manager."""
    return or_(Report.flagged, Report.bypass_manager)


def inbox_query(user: User, status: str | None = None, quality_queue: bool = False, kind: str | None = None,
                unit_id: int | None = None):
    """The reports the user handles: open before closed, then most urgent and newest first; optionally of one
    status, quality's queue, one kind, or one unit (and the units below it)."""
    statement = select(Report).where(handled_scope(user))
    if status:
        statement = statement.where(Report.status == status)
    if quality_queue:
        statement = statement.where(in_quality_queue())
    if kind:
        statement = statement.where(exists().where(ReportKindRow.report_id == Report.id, ReportKindRow.kind == kind))
    if unit_id is not None:
        statement = statement.where(Report.unit_id.in_(scope.with_units_below([unit_id])))
    # Paged 25 at a time: last year's closed urgent reports must not push today's report off the first page.
    closed_last = case((Report.status == rules.ReportStatus.CLOSED, 1), else_=0)
    return statement.order_by(closed_last, urgency().desc(), Report.received_at.desc(), Report.id.desc())


def inbox(user: User, status: str | None = None, quality_queue: bool = False) -> list[Report]:
    """The first INBOX_LIMIT reports of the user's inbox (the page shows them a page at a time: inbox_query)."""
    return list(db.session.scalars(inbox_query(user, status, quality_queue).limit(INBOX_LIMIT)))


def status_counts(user: User, quality_queue: bool = False) -> dict[str, int]:
    """How many handled reports there are in each status."""
    statement = select(Report.status, func.count()).where(handled_scope(user)).group_by(Report.status)
    if quality_queue:
        statement = statement.where(in_quality_queue())
    counts = dict(db.session.execute(statement).all())
    return {status: counts.get(status, 0) for status in rules.ReportStatus}


def handled_report(user: User, report_uuid: str, what: str = "report") -> Report | None:
    """The report if the user handles it (the opening is logged), else None: others learn nothing of it."""
    report = find_report(report_uuid)
    if report is None or not is_handler(user, report):
        return None
    record_access(user, report, what)
    return report


def require_handler(actor: User, report: Report) -> None:
    if not is_handler(actor, report):
        raise NotAllowed("Du handlägger inte den här rapporten.")


def confirm_kinds(actor: User, report: Report, kinds: list[str], reason: str) -> KindChange:
    """Confirm or change the kinds, keeping the reason in the history."""
    require_handler(actor, report)
    kinds = [kind for kind in rules.KIND_LABELS if kind in set(kinds)]
    if problem := rules.kind_change_problem(kinds, reason):
        raise HandlingError("kind_change_refused", problem)
    change = KindChange(report_id=report.id, actor_id=actor.id, previous_kinds=list(report.kinds), kinds=kinds,
                        reason=reason.strip())
    report.kinds, report.kinds_confirmed_at = kinds, utcnow()
    report.flagged = rules.needs_quality(kinds)
    db.session.add(change)
    db.session.flush()
    log.info("report kinds confirmed", extra={"report": report.id, "kinds": kinds})
    return change


def kind_history(report: Report) -> list[KindChange]:
    return list(db.session.scalars(select(KindChange).where(KindChange.report_id == report.id)
                                   .order_by(KindChange.id)))


def change_status(actor: User, report: Report, status: str, feedback: str = "") -> Report:
    """Move the report on (closing needs feedback to the reporter); the reporter is told."""
    require_handler(actor, report)
    if problem := closing_problem(report, status, feedback):
        raise HandlingError("status_change_refused", problem)
    report.status = status
    if status == rules.ReportStatus.CLOSED:
        report.feedback, report.closed_at = feedback.strip(), utcnow()
    else:
        report.closed_at = None
    db.session.flush()
    log.info("report status changed", extra={"report": report.id, "status": status})
    if report.reporter_id is not None:
        notify_reporter(report)
    return report


def closing_problem(report: Report, status: str, feedback: str) -> str | None:
    """Why the report may not move to `status`: the status rule, and for a complaint the answer rule as well."""
    if problem := rules.status_change_problem(report.status, status, feedback, report.reporter_id is not None):
        return problem
    complaint = db.session.scalar(select(Complaint).where(Complaint.report_id == report.id))
    if complaint is not None and status == rules.ReportStatus.CLOSED:
        return complaint_rules.closing_problem(complaint.answer, complaint.no_answer_reason)
    return None


def add_entry(actor: User, report: Report, kind: str, text: str) -> InvestigationEntry:
    """A dated entry signed with the handler's name and title: a fact or an assessment."""
    require_handler(actor, report)
    if kind not in rules.ENTRY_LABELS:
        raise HandlingError("entry_kind_unknown", "Välj om det är fakta eller en bedömning.")
    if not text.strip():
        raise HandlingError("text_required", "Skriv något i anteckningen.")
    entry = InvestigationEntry(report_id=report.id, author_id=actor.id, signed_name=actor.display_name,
                               signed_title=actor.title or actor.role_label, kind=kind, text=text.strip()[:20_000])
    db.session.add(entry)
    db.session.flush()
    return entry


def entries(report: Report) -> list[InvestigationEntry]:
    return list(db.session.scalars(select(InvestigationEntry).where(InvestigationEntry.report_id == report.id)
                                   .order_by(InvestigationEntry.created_at, InvestigationEntry.id)))


def describe_assessment(report: Report) -> str:
    """The investigation's structured answers as one line for the signed record."""
    causes = ", ".join(rules.CAUSE_LABELS[cause].lower() for cause in report.causes) or "inga valda"
    parts = [f"Orsaker: {causes}."]
    if report.risk:
        score, _level, label = report.risk
        parts.append(f"Risk för upprepning: sannolikhet {rules.PROBABILITY_LABELS[report.risk_probability].lower()} "
                     f"× konsekvens {rules.CONSEQUENCE_LABELS[report.risk_consequence].lower()} = {score} "
                     f"({label.lower()}).")
    return " ".join(parts)


def record_assessment(actor: User, report: Report, *, noticed_at: datetime | None, causes: list[str],
                      probability: int | None, consequence: int | None, diary_number: str) -> InvestigationEntry:
    """Save when it was noticed, the causes, the risk and the diary number; signed as an assessment entry."""
    require_handler(actor, report)
    unknown = [cause for cause in causes if cause not in rules.CAUSE_LABELS]
    if unknown:
        raise HandlingError("cause_unknown", "Okänd orsakskategori.")
    if (probability is None) != (consequence is None):
        raise HandlingError("risk_incomplete", "Välj både sannolikhet och konsekvens för att bedöma risken.")
    if probability is not None and (probability not in rules.PROBABILITY_LABELS
                                    or consequence not in rules.CONSEQUENCE_LABELS):
        raise HandlingError("risk_out_of_range", "Sannolikhet och konsekvens är 1–4.")
    if noticed_at is not None and noticed_at < report.occurred_at:
        raise HandlingError("noticed_before_occurred", "Händelsen kan inte ha upptäckts innan den inträffade.")
    report.noticed_at = noticed_at
    report.causes = [cause for cause in rules.CAUSE_LABELS if cause in set(causes)]
    report.risk_probability, report.risk_consequence = probability, consequence
    report.diary_number = diary_number.strip()[:40]
    return add_entry(actor, report, rules.EntryKind.ASSESSMENT, describe_assessment(report))


def similar_reports(report: Report, limit: int = SIMILAR_LIMIT) -> list[Report]:
    """Earlier reports of the same unit sharing a kind: patterns the handler should see."""
    candidates = db.session.scalars(
        select(Report).where(Report.unit_id == report.unit_id, Report.id != report.id,
                             Report.received_at <= report.received_at)
        .order_by(Report.received_at.desc()).limit(INBOX_LIMIT))
    kinds = set(report.kinds)
    return [other for other in candidates if kinds & set(other.kinds)][:limit]


def possible_owners(report: Report) -> list[User]:
    """The active users of the report's unit, to choose who carries out an action."""
    return list(db.session.scalars(
        select(User).join(memberships, memberships.c.user_id == User.id)
        .where(memberships.c.unit_id == report.unit_id, User.active).order_by(User.display_name)))


def add_action(actor: User, report: Report, *, what: str, owner_id: int | None, owner_name: str,
               due_on: date | None) -> ReportAction:
    """Decide an action: what, who (a user or a written name) and by when."""
    require_handler(actor, report)
    if not what.strip():
        raise HandlingError("what_required", "Skriv vad som ska göras.")
    # Only someone of the report's unit (the form's list), so an action never names a user of another unit.
    owner = next((user for user in possible_owners(report) if user.id == owner_id), None) if owner_id else None
    if owner_id and owner is None:
        raise HandlingError("owner_not_in_unit", "Välj den som ansvarar i listan över enhetens personal, "
                                                 "eller skriv namnet.")
    if owner is None and not owner_name.strip():
        raise HandlingError("owner_required", "Skriv vem som ansvarar för åtgärden.")
    if due_on is None:
        raise HandlingError("due_on_required", "Välj när åtgärden ska vara klar.")
    action = ReportAction(report_id=report.id, what=what.strip()[:4000], owner_id=owner.id if owner else None,
                          owner_name=owner_name.strip()[:120], due_on=due_on, created_by_id=actor.id)
    db.session.add(action)
    db.session.flush()
    return action


def update_action(actor: User, action: ReportAction, *, status: str, effect: str = "",
                  effect_note: str = "") -> ReportAction:
    """Change an action's status, and evaluate whether it worked once it is done."""
    require_handler(actor, action.report)
    if status not in rules.ACTION_STATUS_LABELS:
        raise HandlingError("action_status_unknown", "Okänd status för åtgärden.")
    if effect and effect not in rules.EFFECT_LABELS:
        raise HandlingError("effect_unknown", "Okänd effekt.")
    if effect and status != rules.ActionStatus.DONE:
        raise HandlingError("effect_before_done", "Effekten utvärderas när åtgärden är genomförd.")
    action.status = status
    action.done_at = utcnow() if status == rules.ActionStatus.DONE else None
    if effect:
        action.effect, action.effect_note, action.effect_evaluated_at = effect, effect_note.strip(), utcnow()
    db.session.flush()
    return action


def action_overdue(today: date):
    return rules.action_is_overdue_sql(ReportAction.status, ReportAction.due_on, today)


def actions_of(report: Report) -> list[ReportAction]:
    return list(db.session.scalars(select(ReportAction).where(ReportAction.report_id == report.id)
                                   .order_by(ReportAction.due_on, ReportAction.id)))


def overdue_actions(user: User, today: date) -> list[ReportAction]:
    """Actions not done past their due date, on the reports the user handles."""
    return list(db.session.scalars(
        select(ReportAction).join(Report).where(handled_scope(user), action_overdue(today))
        .order_by(ReportAction.due_on, ReportAction.id)))


def link_routine(actor: User, report: Report, routine, reason: str):
    """Link the report to the routine it concerns; that asks the routine's owner for a review (a proposal)."""
    require_handler(actor, report)
    if not reason.strip():
        raise HandlingError("reason_required", "Skriv vad i rutinen som behöver ses över.")
    report.routine_id = routine.id
    # No report text here: the owner may not be one who may read the report.
    text = (f"Granskning begärd efter en avvikelse från {report.unit.name} ({date_sv(report.occurred_at)}): "
            f"{reason.strip()[:3000]}")
    request = ChangeProposal(routine_id=routine.id, author_id=actor.id, text=text, report_id=report.id)
    db.session.add(request)
    db.session.flush()
    log.info("report linked to routine", extra={"report": report.id, "routine": routine.id})
    return request
