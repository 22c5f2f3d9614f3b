"""Routine services: reading, the version workflow, confirmations, proposals. The acting user is explicit.

Services add and flush; the view, CLI command or job that calls them commits once."""
import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, select

from app.accounts import scope
from app.accounts.models import Unit, User, memberships
from app.accounts.rules import Role
from app.accounts.scope import READING_FOLLOWERS, ROUTINE_WRITERS, Purpose
from app.errors import DomainError, NotAllowed
from app.extensions import db
from app.media.services import store_image
from app.notices import services as notices
from app.routines import rules, search
from app.routines.models import (
    ChangeProposal,
    ReadConfirmation,
    Routine,
    RoutineEvent,
    RoutineImage,
    RoutineLink,
    RoutineOpening,
    RoutineVersion,
    Synonym,
    routine_favourites,
)
from app.routines.rendering import linked_slugs
from app.routines.rules import RoutineKind, VersionStatus
from app.timestamps import utcnow

log = logging.getLogger("fickan.routines")

SWEDISH_TO_ASCII = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})


class RoutineError(DomainError):
    """A request that breaks a routine rule; the message is Swedish and shown to the user."""


def slugify(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower().translate(SWEDISH_TO_ASCII)).strip("-")
    return slug[:100] or "rutin"


def visible_scope_ids(user: User) -> set[int]:
    """The units whose routines the user reads (central routines aside)."""
    return scope.visible_unit_ids(user, Purpose.READ_ROUTINES)


def readable_routines_query(user: User):
    """Published, not archived routines that this user may read."""
    visible = visible_scope_ids(user)
    return (
        select(Routine)
        .where(Routine.archived_at.is_(None), Routine.current_version_id.is_not(None))
        .where(Routine.scope_unit_id.is_(None) | Routine.scope_unit_id.in_(visible))
    )


def readable_routines(user: User) -> list[Routine]:
    routines = list(db.session.scalars(readable_routines_query(user)))
    return sorted(routines, key=lambda routine: (routine.category, routine.title.lower()))


def readable_routine(user: User, slug: str) -> Routine | None:
    return db.session.scalar(readable_routines_query(user).where(Routine.slug == slug))


def slugs_of(routine_ids) -> dict[int, str]:
    ids = list(routine_ids)
    return dict(db.session.execute(select(Routine.id, Routine.slug).where(Routine.id.in_(ids))).all()) if ids else {}


def routine_by_slug(slug: str) -> Routine | None:
    return db.session.scalar(select(Routine).where(Routine.slug == slug))


def may_edit(user: User, routine: Routine) -> bool:
    return rules.may_edit(user.role, routine.scope_unit_id, scope.visible_unit_ids(user, Purpose.WRITE_ROUTINES))


def editable_scopes(user: User) -> list[Unit | None]:
    """The scopes the user may write routines for: None (central) first if they may, then units."""
    units = db.session.scalars(select(Unit).where(scope.unit_filter(user, Purpose.WRITE_ROUTINES, Unit.id))
                               .order_by(Unit.name))
    return [None, *units] if rules.writes_central(user.role) else list(units)


def possible_owners() -> list[User]:
    """The active users who may own or approve routines (managers and quality), by name."""
    return list(db.session.scalars(select(User).where(User.role.in_(ROUTINE_WRITERS),
                                                      User.active.is_(True)).order_by(User.display_name)))


def record(routine: Routine, actor: User | None, action: str, version: RoutineVersion | None = None, comment: str = ""):
    db.session.add(RoutineEvent(routine_id=routine.id, version=version, actor=actor, action=action, comment=comment))


def require_editor(actor: User, routine: Routine) -> None:
    if not may_edit(actor, routine):
        raise NotAllowed("Du kan inte ändra den här rutinen.")


def unique_slug(title: str) -> str:
    base = slugify(title)
    slug, number = base, 2
    while slug in rules.RESERVED_SLUGS or routine_by_slug(slug) is not None:
        slug, number = f"{base}-{number}", number + 1
    return slug


def clean_tags(tags) -> list[str]:
    if isinstance(tags, str):
        tags = tags.split(",")
    return list(dict.fromkeys(tag.strip().lower() for tag in tags if tag.strip()))


@dataclass
class RoutineSettings:
    kind: str
    category: str
    scope_unit: Unit | None
    owner: User
    approver: User | None
    review_due_on: date


def check_settings(actor: User | None, settings: RoutineSettings) -> None:
    if settings.kind not in set(RoutineKind):
        raise RoutineError("kind_unknown", "Välj om det är en rutin, en process eller en checklista.")
    if settings.owner.role not in ROUTINE_WRITERS or not settings.owner.active:
        raise RoutineError("owner_invalid", "Ägaren måste vara en aktiv enhetschef eller kvalitetsansvarig.")
    if settings.approver is not None and settings.approver.role not in ROUTINE_WRITERS:
        raise RoutineError("approver_invalid", "Den som godkänner måste vara enhetschef eller kvalitetsansvarig.")
    if actor is not None and not rules.may_edit(actor.role, settings.scope_unit.id if settings.scope_unit else None,
                                                scope.visible_unit_ids(actor, Purpose.WRITE_ROUTINES)):
        raise NotAllowed("Du kan inte skriva rutiner för den omfattningen.")


def create_routine(actor: User, settings: RoutineSettings, *, title: str, tags, body_md: str,
                   slug: str | None = None) -> Routine:
    """Create a routine with a first draft; `slug` keeps an imported file's name (else one from the title)."""
    check_settings(actor, settings)
    if not title.strip():
        raise RoutineError("title_required", "Skriv en rubrik.")
    routine = Routine(
        slug=slug or unique_slug(title), kind=settings.kind, category=settings.category.strip() or "Övrigt",
        scope_unit=settings.scope_unit, owner=settings.owner, approver=settings.approver,
        review_due_on=settings.review_due_on,
    )
    db.session.add(routine)
    db.session.flush()
    draft = RoutineVersion(routine=routine, status=VersionStatus.DRAFT, title=title.strip(), tags=clean_tags(tags),
                           body_md=body_md, author=actor)
    db.session.add(draft)
    db.session.flush()
    record(routine, actor, "created", draft)
    db.session.flush()
    log.info("routine created", extra={"actor": actor.username, "routine": routine.slug})
    return routine


def update_settings(actor: User, routine: Routine, settings: RoutineSettings) -> Routine:
    """Change kind, category, scope, owner, approver or review date."""
    require_editor(actor, routine)
    check_settings(actor, settings)
    routine.kind = settings.kind
    routine.category = settings.category.strip() or "Övrigt"
    routine.scope_unit = settings.scope_unit
    routine.owner = settings.owner
    routine.approver = settings.approver
    routine.review_due_on = settings.review_due_on
    routine.review_reminded_at = None
    routine.changed_at = utcnow()
    record(routine, actor, "settings_changed")
    db.session.flush()
    return routine


def open_draft(routine: Routine) -> RoutineVersion | None:
    """The routine's version under work (draft, returned or in review), if any."""
    return next((v for v in reversed(routine.versions) if v.status in rules.OPEN_DRAFT_STATUSES), None)


def save_draft(actor: User, routine: Routine, *, title: str, tags, body_md: str) -> RoutineVersion:
    """Save the text of the routine's draft, starting one from the published version if needed."""
    require_editor(actor, routine)
    if not title.strip():
        raise RoutineError("title_required", "Skriv en rubrik.")
    draft = open_draft(routine)
    if draft is not None and draft.status == VersionStatus.IN_REVIEW:
        raise RoutineError("draft_in_review", "Utkastet väntar på godkännande och kan inte ändras nu.")
    if draft is None:
        draft = RoutineVersion(routine=routine, status=VersionStatus.DRAFT, author=actor)
        db.session.add(draft)
    draft.title, draft.tags, draft.body_md = title.strip(), clean_tags(tags), body_md
    draft.author = actor
    db.session.flush()
    record(routine, actor, "draft_saved", draft)
    db.session.flush()
    return draft


def submit_for_review(actor: User, routine: Routine, change_summary: str, important: bool = False) -> RoutineVersion:
    """Send the draft to the owner (or named approver); `important` ("viktig ändring") tells every reader."""
    require_editor(actor, routine)
    draft = open_draft(routine)
    if draft is None or not rules.may_move(VersionStatus(draft.status), VersionStatus.IN_REVIEW):
        raise RoutineError("no_draft", "Det finns inget utkast att skicka.")
    if problem := rules.submit_problem(change_summary, draft.author_id, routine.owner_id, routine.approver_id):
        raise RoutineError("cannot_submit", problem)
    draft.change_summary = change_summary.strip()
    draft.important_change = bool(important)
    draft.status = VersionStatus.IN_REVIEW
    draft.submitted_at = utcnow()
    record(routine, actor, "submitted", draft, draft.change_summary)
    db.session.flush()
    return draft


def version_in_review(routine: Routine) -> RoutineVersion:
    draft = open_draft(routine)
    if draft is None or draft.status != VersionStatus.IN_REVIEW:
        raise RoutineError("nothing_in_review", "Det finns inget utkast som väntar på godkännande.")
    return draft


def approve(actor: User, routine: Routine, comment: str = "") -> RoutineVersion:
    """Approve the version in review and publish it."""
    version = version_in_review(routine)
    if problem := rules.approval_problem(actor.id, version.author_id, routine.owner_id, routine.approver_id):
        raise NotAllowed(problem)
    version.decided_by, version.decided_at, version.review_comment = actor, utcnow(), comment.strip()
    publish(routine, version)
    record(routine, actor, "published", version, comment.strip())
    db.session.flush()
    log.info("routine published", extra={"actor": actor.username, "routine": routine.slug, "version": version.number})
    return version


def tell_readers(actor: User | None, routine: Routine, version: RoutineVersion) -> None:
    """Tell the readers of a published version; call it after the publishing is committed."""
    try:
        notices.notify_routine_published(actor, routine, version)
    except Exception:  # the version is published; failing to tell its readers must not undo or hide that
        db.session.rollback()
        log.exception("telling readers of a published routine failed", extra={"routine": routine.slug})


def return_for_changes(actor: User, routine: Routine, comment: str) -> RoutineVersion:
    """Send the version in review back to its author with a comment."""
    version = version_in_review(routine)
    if actor.id not in {routine.owner_id, routine.approver_id}:
        raise NotAllowed("Bara rutinens ägare eller den utsedda godkännaren kan skicka tillbaka utkastet.")
    if not comment.strip():
        raise RoutineError("comment_required", "Skriv vad som behöver ändras.")
    version.status = VersionStatus.RETURNED
    version.decided_by, version.decided_at, version.review_comment = actor, utcnow(), comment.strip()
    record(routine, actor, "returned", version, comment.strip())
    db.session.flush()
    return version


def publish(routine: Routine, version: RoutineVersion) -> None:
    """Make `version` the published one: number it, supersede the old one, update links and search."""
    previous = routine.current_version
    if previous is not None:
        previous.status = VersionStatus.SUPERSEDED
    version.number = 1 + max((v.number or 0 for v in routine.versions), default=0)
    version.status = VersionStatus.PUBLISHED
    version.published_at = utcnow()
    routine.current_version = version
    routine.changed_at = version.published_at
    db.session.flush()
    update_links(routine, version.body_md)
    search.index_routine(routine.id, version.title, version.tags, version.body_md)


def update_links(routine: Routine, body_md: str) -> None:
    db.session.execute(delete(RoutineLink).where(RoutineLink.from_routine_id == routine.id))
    slugs = linked_slugs(body_md)
    if slugs:
        targets = db.session.scalars(select(Routine.id).where(Routine.slug.in_(slugs), Routine.id != routine.id))
        db.session.add_all(RoutineLink(from_routine_id=routine.id, to_routine_id=target) for target in targets)


def archive(actor: User, routine: Routine, reason: str) -> Routine:
    """Archive instead of delete: readers no longer see it, the history stays."""
    require_editor(actor, routine)
    if not reason.strip():
        raise RoutineError("reason_required", "Skriv varför rutinen arkiveras.")
    routine.archived_at = routine.changed_at = utcnow()
    search.remove_routine(routine.id)
    record(routine, actor, "archived", comment=reason.strip())
    db.session.flush()
    return routine


def previous_published(routine: Routine) -> RoutineVersion | None:
    """The published version before the current one."""
    current = routine.current_version
    if current is None or current.number is None:
        return None
    return next((v for v in routine.versions if v.number == current.number - 1), None)


def history(routine: Routine) -> list[RoutineEvent]:
    return list(db.session.scalars(
        select(RoutineEvent).where(RoutineEvent.routine_id == routine.id).order_by(RoutineEvent.id.desc())
    ))


def processes_using(user: User, routine: Routine) -> list[Routine]:
    """Readable processes whose steps link to this routine."""
    statement = readable_routines_query(user).join(RoutineLink, RoutineLink.from_routine_id == Routine.id).where(
        RoutineLink.to_routine_id == routine.id, Routine.kind == RoutineKind.PROCESS
    )
    return list(db.session.scalars(statement))


def title_resolver(user: User):
    """A function slug → title for routines the user may read (None otherwise), for [[slug]] links."""
    titles: dict[str, str] | None = None

    def title_of(slug: str) -> str | None:
        nonlocal titles
        if titles is None:
            # Slug and title only, in one query: a library of 1,500 routines must not cost 1,500 queries.
            readable = readable_routines_query(user).subquery()
            rows = db.session.execute(
                select(readable.c.slug, RoutineVersion.title)
                .join(RoutineVersion, RoutineVersion.id == readable.c.current_version_id)
            )
            titles = {slug: title for slug, title in rows}
        return titles.get(slug)

    return title_of


# Reading

def record_opening(user: User, routine: Routine) -> None:
    opening = db.session.get(RoutineOpening, (user.id, routine.id))
    if opening is None:
        db.session.add(RoutineOpening(user_id=user.id, routine_id=routine.id))
    else:
        opening.last_opened_at = utcnow()
    db.session.flush()


def has_confirmed(user: User, routine: Routine) -> bool:
    if routine.current_version is None:
        return False
    key = (user.id, routine.id, routine.current_version.number)
    return db.session.get(ReadConfirmation, key) is not None


def confirm_read(user: User, routine: Routine) -> None:
    """"Jag har läst" for the current version; saying it twice is harmless."""
    if not has_confirmed(user, routine):
        db.session.add(ReadConfirmation(user_id=user.id, routine_id=routine.id,
                                        version_number=routine.current_version.number))
        db.session.flush()


def favourite_ids(user: User) -> set[int]:
    statement = select(routine_favourites.c.routine_id).where(routine_favourites.c.user_id == user.id)
    return set(db.session.scalars(statement))


def set_favourite(user: User, routine: Routine, favourite: bool) -> None:
    table = routine_favourites
    db.session.execute(delete(table).where(table.c.user_id == user.id, table.c.routine_id == routine.id))
    if favourite:
        db.session.execute(table.insert().values(user_id=user.id, routine_id=routine.id))
    db.session.flush()


def recently_changed(routines: list[Routine], today: date, limit: int = 8) -> list[Routine]:
    """Routines changed (a new version published) within the last weeks, newest first."""
    since = today - timedelta(days=rules.RECENTLY_CHANGED_DAYS)
    changed = [r for r in routines if r.current_version.number > 1 and r.current_version.published_at.date() >= since]
    return sorted(changed, key=lambda r: r.current_version.published_at, reverse=True)[:limit]


@dataclass(frozen=True)
class ReaderStatus:
    user: User
    confirmed_at: object | None


def reading_status(actor: User, routine: Routine) -> list[ReaderStatus]:
    """For a manager: the staff of their units who can read the routine, and whether they confirmed."""
    if actor.role not in READING_FOLLOWERS:
        raise NotAllowed("Bara chefer och kvalitet ser vem som har läst.")
    unit_ids = scope.visible_unit_ids(actor, Purpose.FOLLOW_READING)
    readers = db.session.scalars(
        select(User).join(memberships).where(memberships.c.unit_id.in_(unit_ids), User.active.is_(True),
                                             User.role.in_([Role.STAFF, Role.COORDINATOR]))
        .distinct().order_by(User.display_name)
    )
    number = routine.current_version.number
    confirmed = dict(db.session.execute(
        select(ReadConfirmation.user_id, ReadConfirmation.confirmed_at)
        .where(ReadConfirmation.routine_id == routine.id, ReadConfirmation.version_number == number)
    ).all())
    return [ReaderStatus(user, confirmed.get(user.id)) for user in readers
            if rules.may_read(routine.scope_unit_id, visible_scope_ids(user))]


# Proposals

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


def mark_overdue_reviews_reminded(today: date) -> list[Routine]:
    """Mark routines past their review date whose owner has not been reminded since the date passed."""
    due = list(db.session.scalars(
        select(Routine).where(Routine.archived_at.is_(None), rules.review_is_overdue_sql(Routine.review_due_on, today),
                              Routine.review_reminded_at.is_(None))
    ))
    now = utcnow()
    for routine in due:
        routine.review_reminded_at = now
        log.info("review reminder", extra={"routine": routine.slug, "owner": routine.owner.username})
    db.session.flush()
    return due


# Images

def store_routine_image(actor: User | None, data: bytes) -> RoutineImage:
    """Store an image for routine bodies (validated, metadata removed); the same bytes are stored once."""
    if actor is not None and actor.role not in ROUTINE_WRITERS:
        raise NotAllowed("Bara de som skriver rutiner kan ladda upp bilder.")
    digest = hashlib.sha256(data).hexdigest()
    existing = db.session.scalar(select(RoutineImage).where(RoutineImage.source_sha256 == digest))
    if existing is not None:
        return existing
    stored = store_image(data, image_folder())
    image = RoutineImage(stored_name=stored.stored_name, source_sha256=digest,
                         content_type=stored.content_type, width=stored.width, height=stored.height,
                         byte_size=stored.byte_size, uploaded_by_id=actor.id if actor else None)
    db.session.add(image)
    db.session.flush()
    return image


def may_view_image(user: User, image: RoutineImage) -> bool:
    """Writers see every image; readers those in a published routine they may read."""
    if user.role in ROUTINE_WRITERS:
        return True
    reference = f"%/rutiner/bilder/{image.id})%"
    statement = readable_routines_query(user).join(RoutineVersion, RoutineVersion.id == Routine.current_version_id)
    return db.session.scalar(statement.where(RoutineVersion.body_md.like(reference)).limit(1)) is not None


def image_folder() -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / "routine-images"


def image_path(image: RoutineImage) -> Path:
    return image_folder() / image.stored_name


# Synonyms

def synonyms() -> list[Synonym]:
    return list(db.session.scalars(select(Synonym).order_by(Synonym.word)))


def save_synonym(actor: User, word: str, means: str) -> Synonym:
    if actor.role != Role.QUALITY:
        raise NotAllowed("Bara kvalitet kan ändra synonymlistan.")
    word = word.strip().lower()
    means = ", ".join(part.strip().lower() for part in means.split(",") if part.strip())
    if not word or not means:
        raise RoutineError("synonym_incomplete", "Skriv både ordet och vad det betyder.")
    synonym = db.session.scalar(select(Synonym).where(Synonym.word == word)) or Synonym(word=word)
    synonym.means = means
    db.session.add(synonym)
    db.session.flush()
    return synonym


def delete_synonym(actor: User, synonym: Synonym) -> None:
    if actor.role != Role.QUALITY:
        raise NotAllowed("Bara kvalitet kan ändra synonymlistan.")
    db.session.delete(synonym)
    db.session.flush()


def count_readable(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(readable_routines_query(user).subquery()))
