"""Routine services: reading, the version workflow, confirmations, proposals. The acting user is explicit.

Services add and flush; the view, CLI command or job that calls them commits once."""
import logging
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, select

from app.accounts import scope
from app.accounts.models import Unit, User
from app.accounts.scope import ROUTINE_WRITERS, Purpose
from app.errors import DomainError, NotAllowed
from app.extensions import db
from app.notices import services as notices
from app.routines import rules, search
from app.routines.models import (
    Routine,
    RoutineEvent,
    RoutineLink,
    RoutineScopeMove,
    RoutineVersion,
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


def check_title_is_free(routine: Routine, title: str, kind: str, scope_unit: Unit | None) -> None:
    """Two live routines of the same kind and scope never share a title: kind and unit then tell apart every
    search hit and list entry (a reader cannot choose between two identical lines)."""
    wanted = " ".join(title.split()).casefold()
    titles = db.session.scalars(
        select(RoutineVersion.title).join(Routine, Routine.current_version_id == RoutineVersion.id).where(
            Routine.kind == kind, Routine.id != routine.id, Routine.archived_at.is_(None),
            Routine.scope_unit_id.is_(None) if scope_unit is None else Routine.scope_unit_id == scope_unit.id))
    if any(" ".join(other.split()).casefold() == wanted for other in titles):
        where = scope_unit.name if scope_unit else "alla enheter"
        raise RoutineError("title_taken", f"Det finns redan en publicerad {rules.KIND_LABELS[kind].lower()} med "
                                          f"rubriken ”{title.strip()}” för {where}. Ändra rubriken, eller arkivera "
                                          "den andra först.")


def in_review(routine: Routine) -> bool:
    draft = open_draft(routine)
    return draft is not None and draft.status == VersionStatus.IN_REVIEW


def update_settings(actor: User, routine: Routine, settings: RoutineSettings) -> Routine:
    """Change kind, category, scope, owner, approver or review date."""
    require_editor(actor, routine)
    check_settings(actor, settings)
    # Who may approve is decided by these three: changed during review, someone else could publish the version.
    deciders = (settings.owner.id, settings.approver.id if settings.approver else None,
                settings.scope_unit.id if settings.scope_unit else None)
    if in_review(routine) and deciders != (routine.owner_id, routine.approver_id, routine.scope_unit_id):
        raise RoutineError("draft_in_review", "Ägare, godkännare och omfattning kan inte ändras medan utkastet "
                                              "väntar på godkännande.")
    if routine.current_version is not None and routine.archived_at is None:
        check_title_is_free(routine, routine.current_version.title, settings.kind, settings.scope_unit)
    now = utcnow()
    if deciders[2] != routine.scope_unit_id:
        db.session.add(RoutineScopeMove(routine_id=routine.id, from_unit_id=routine.scope_unit_id, moved_at=now))
    routine.kind = settings.kind
    routine.category = settings.category.strip() or "Övrigt"
    routine.scope_unit = settings.scope_unit
    routine.owner = settings.owner
    routine.approver = settings.approver
    routine.review_due_on = settings.review_due_on
    routine.changed_at = now
    record(routine, actor, "settings_changed")
    db.session.flush()
    return routine


def open_draft(routine: Routine) -> RoutineVersion | None:
    """The routine's version under work (draft, returned or in review), if any."""
    return next((v for v in reversed(routine.versions) if v.status in rules.OPEN_DRAFT_STATUSES), None)


def check_draft_writable(actor: User, routine: Routine, title: str) -> None:
    require_editor(actor, routine)
    if not title.strip():
        raise RoutineError("title_required", "Skriv en rubrik.")
    if in_review(routine):
        raise RoutineError("draft_in_review", "Utkastet väntar på godkännande och kan inte ändras nu.")


def save_draft(actor: User, routine: Routine, *, title: str, tags, body_md: str) -> RoutineVersion:
    """Save the text of the routine's draft, starting one from the published version if needed."""
    check_draft_writable(actor, routine, title)
    draft = open_draft(routine)
    if draft is None:
        draft = RoutineVersion(routine=routine, status=VersionStatus.DRAFT, author=actor)
        db.session.add(draft)
    draft.title, draft.tags, draft.body_md = title.strip(), clean_tags(tags), body_md
    draft.author = actor
    db.session.flush()
    record(routine, actor, "draft_saved", draft)
    db.session.flush()
    return draft


def edit_routine(actor: User, routine: Routine, settings: RoutineSettings, *, title: str, tags,
                 body_md: str) -> RoutineVersion:
    """The editor's save: settings and text together, refused whole before anything changes."""
    check_draft_writable(actor, routine, title)
    update_settings(actor, routine, settings)
    return save_draft(actor, routine, title=title, tags=tags, body_md=body_md)


def submit_for_review(actor: User, routine: Routine, change_summary: str, important: bool = False) -> RoutineVersion:
    """Send the draft to the owner (or named approver); `important` ("viktig ändring") tells every reader."""
    require_editor(actor, routine)
    draft = open_draft(routine)
    if draft is None or not rules.may_move(VersionStatus(draft.status), VersionStatus.IN_REVIEW):
        raise RoutineError("no_draft", "Det finns inget utkast att skicka.")
    if problem := rules.submit_problem(change_summary, draft.author_id, routine.owner_id, routine.approver_id):
        raise RoutineError("cannot_submit", problem)
    check_title_is_free(routine, draft.title, routine.kind, routine.scope_unit)  # told now, not at approval
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
    check_title_is_free(routine, version.title, routine.kind, routine.scope_unit)
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


def count_readable(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(readable_routines_query(user).subquery()))
