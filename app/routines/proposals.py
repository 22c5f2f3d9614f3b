"""Change proposals from readers, and the owners' work lists (reviews due, drafts waiting).

Services add and flush; the view, CLI command or job that calls them commits once."""
import logging
from datetime import date, timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.accounts.rules import Role
from app.errors import NotAllowed
from app.extensions import db
from app.notices.models import SentReminder
from app.notices.reminders import last_reminders, remind_once
from app.routines import rules
from app.routines.models import (
    ChangeProposal,
    Routine,
    RoutineVersion,
)
from app.routines.services import RoutineError, may_edit
from app.routines.rules import VersionStatus
from app.timestamps import utcnow
from app.urls import path_for
from app.views import date_sv

log = logging.getLogger("fickan.routines")


def propose_change(user: User, routine: Routine, text: str) -> ChangeProposal:
    """A reader's proposal to the owner."""
    if not text.strip():
        raise RoutineError("text_required", "Skriv vad du vill ändra.")
    proposal = ChangeProposal(routine=routine, author=user, text=text.strip()[:4000])
    db.session.add(proposal)
    db.session.flush()
    return proposal


def proposals_for(actor: User) -> list[ChangeProposal]:
    """Proposals on routines the actor owns or approves; quality sees those on central routines too."""
    statement = select(ChangeProposal).join(Routine).order_by(ChangeProposal.answered_at.is_not(None),
                                                              ChangeProposal.created_at.desc())
    condition = (Routine.owner_id == actor.id) | (Routine.approver_id == actor.id)
    if actor.role == Role.QUALITY:
        condition = condition | Routine.scope_unit_id.is_(None)
    return list(db.session.scalars(statement.where(condition)))


def answer_proposal(actor: User, proposal: ChangeProposal, answer: str) -> ChangeProposal:
    routine = proposal.routine
    if actor.id not in {routine.owner_id, routine.approver_id} and not may_edit(actor, routine):
        raise NotAllowed("Bara rutinens ägare kan svara på förslaget.")
    if not answer.strip():
        raise RoutineError("answer_required", "Skriv ett svar.")
    proposal.answer, proposal.answered_by, proposal.answered_at = answer.strip(), actor, utcnow()
    db.session.flush()
    return proposal


def review_requests(actor: User, routine: Routine) -> list[ChangeProposal]:
    """Reviews asked for after deviations linked to the routine: for its owner, approver and quality."""
    if actor.id not in {routine.owner_id, routine.approver_id} and actor.role != Role.QUALITY:
        return []
    return list(db.session.scalars(
        select(ChangeProposal).where(ChangeProposal.routine_id == routine.id, ChangeProposal.report_id.is_not(None))
        .order_by(ChangeProposal.answered_at.is_not(None), ChangeProposal.created_at.desc())))


# Owners' work lists

def overdue_reviews(actor: User, today: date) -> list[Routine]:
    """Routines past their review date: the owner's own, and for quality all of them."""
    statement = select(Routine).where(Routine.archived_at.is_(None),
                                      rules.review_is_overdue_sql(Routine.review_due_on, today))
    if actor.role != Role.QUALITY:
        statement = statement.where(Routine.owner_id == actor.id)
    return list(db.session.scalars(statement.order_by(Routine.review_due_on)))


def drafts_waiting_for(actor: User) -> list[RoutineVersion]:
    """Versions in review that the actor may approve."""
    statement = (
        select(RoutineVersion).join(Routine, RoutineVersion.routine_id == Routine.id)
        .where(RoutineVersion.status == VersionStatus.IN_REVIEW, RoutineVersion.author_id != actor.id)
        .where((Routine.owner_id == actor.id) | (Routine.approver_id == actor.id))
    )
    return list(db.session.scalars(statement))


def open_drafts_of(actor: User) -> list[RoutineVersion]:
    statement = select(RoutineVersion).where(RoutineVersion.author_id == actor.id,
                                             RoutineVersion.status.in_(rules.OPEN_DRAFT_STATUSES))
    return list(db.session.scalars(statement.order_by(RoutineVersion.created_at.desc())))


REVIEW_SUBJECT = "routine_review"


def review_reminder_text(routine: Routine, step: str) -> tuple[str, str]:
    """(title, body) of a review reminder: the routine's title and date, nothing more."""
    due = date_sv(routine.review_due_on)
    if step == "30_days":
        return f"Granska rutinen senast {due}: {routine.title}", "Rutinen ska ses över en gång om året."
    if step == "due":
        return f"Dags att granska rutinen: {routine.title}", f"Granskningsdatumet är {due}."
    return (f"Rutinen har inte granskats i tid: {routine.title}",
            f"Skulle granskas {due}. Ägare: {routine.owner.display_name}.")


def remind_review_dates(today: date) -> int:
    """Send the review reminders due today (rules.REVIEW_REMINDERS), each once; returns how many went out."""
    soon = today + timedelta(days=rules.REVIEW_REMINDER_LEAD_DAYS)
    routines = list(db.session.scalars(select(Routine).where(Routine.archived_at.is_(None),
                                                             Routine.review_due_on <= soon)))
    quality = list(db.session.scalars(select(User).where(User.active, User.role == Role.QUALITY)))
    sent = 0
    for routine in routines:
        for step, who in rules.review_reminder_steps(routine.review_due_on, today):
            users = [routine.owner] if who == "owner" else quality
            title, body = review_reminder_text(routine, step)
            sent += remind_once([user for user in users if user.active], subject=REVIEW_SUBJECT,
                                subject_id=routine.id, step=step, about_date=routine.review_due_on, title=title,
                                body=body, url=path_for("routines.show", slug=routine.slug))
    return sent


def review_reminders(routines: list[Routine]) -> dict[int, SentReminder]:
    """The latest reminder sent about each routine's current review date."""
    return last_reminders(REVIEW_SUBJECT, {routine.id: routine.review_due_on for routine in routines})
