"""Rules of routines: kinds, the version workflow, who may read, edit and approve."""
from collections.abc import Iterable, Mapping
from datetime import date
from enum import StrEnum

from app.accounts.rules import Role, units_in_scope


class RoutineKind(StrEnum):
    ROUTINE = "rutin"
    PROCESS = "process"
    CHECKLIST = "checklista"


KIND_LABELS = {RoutineKind.ROUTINE: "Rutin", RoutineKind.PROCESS: "Process", RoutineKind.CHECKLIST: "Checklista"}


class VersionStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    RETURNED = "returned"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"


STATUS_LABELS = {
    VersionStatus.DRAFT: "Utkast",
    VersionStatus.IN_REVIEW: "Väntar på godkännande",
    VersionStatus.RETURNED: "Återskickad med kommentar",
    VersionStatus.PUBLISHED: "Publicerad",
    VersionStatus.SUPERSEDED: "Ersatt av en senare version",
}

# The statuses a version can move to from each status.
TRANSITIONS = {
    VersionStatus.DRAFT: {VersionStatus.IN_REVIEW},
    VersionStatus.RETURNED: {VersionStatus.IN_REVIEW},
    VersionStatus.IN_REVIEW: {VersionStatus.PUBLISHED, VersionStatus.RETURNED},
    VersionStatus.PUBLISHED: {VersionStatus.SUPERSEDED},
    VersionStatus.SUPERSEDED: set(),
}
OPEN_DRAFT_STATUSES = frozenset({VersionStatus.DRAFT, VersionStatus.RETURNED, VersionStatus.IN_REVIEW})
EDITABLE_DRAFT_STATUSES = frozenset({VersionStatus.DRAFT, VersionStatus.RETURNED})

EVENT_LABELS = {
    "created": "skapade rutinen",
    "draft_saved": "sparade ett utkast",
    "submitted": "skickade för godkännande",
    "returned": "skickade tillbaka utkastet",
    "published": "godkände och publicerade",
    "imported": "importerade",
    "archived": "arkiverade",
    "restored": "återställde",
    "settings_changed": "ändrade ägare, omfattning eller granskningsdatum",
}

RECENTLY_CHANGED_DAYS = 30

# Paths under /rutiner/ that are pages, not routines.
RESERVED_SLUGS = frozenset({"ny", "hantera", "forslag", "synonymer", "bilder", "forhandsgranska"})


def may_move(current: VersionStatus, target: VersionStatus) -> bool:
    return target in TRANSITIONS[current]


def visible_scope_ids(member_of: Iterable[int], parent_of: Mapping[int, int | None]) -> set[int]:
    """Scopes whose routines a member sees: their units, the units below, and the units above them."""
    member_of = set(member_of)
    visible = units_in_scope(member_of, parent_of)
    for unit_id in member_of:
        ancestor = parent_of.get(unit_id)
        while ancestor is not None and ancestor not in visible:
            visible.add(ancestor)
            ancestor = parent_of.get(ancestor)
    return visible


def may_read(scope_unit_id: int | None, visible_ids: set[int]) -> bool:
    """Central routines are for everyone; a unit's routine for those who see that unit."""
    return scope_unit_id is None or scope_unit_id in visible_ids


def may_edit(role: str, scope_unit_id: int | None, managed_unit_ids: set[int]) -> bool:
    """Quality writes central routines (and helps any unit); a manager writes those of their units."""
    if role == Role.QUALITY:
        return True
    if role == Role.MANAGER:
        return scope_unit_id is not None and scope_unit_id in managed_unit_ids
    return False


def approval_problem(actor_id: int, author_id: int, owner_id: int, approver_id: int | None) -> str | None:
    """A Swedish message if the actor may not approve this version, else None."""
    if actor_id == author_id:
        return "Du kan inte godkänna en ändring som du själv har skrivit."
    if actor_id not in {owner_id, approver_id}:
        return "Bara rutinens ägare eller den utsedda godkännaren kan godkänna."
    return None


def possible_approvers(author_id: int, owner_id: int, approver_id: int | None) -> set[int]:
    """Who can approve a version by this author; empty means a separate approver must be named."""
    return {owner_id, approver_id} - {author_id, None}


def submit_problem(change_summary: str, author_id: int, owner_id: int, approver_id: int | None) -> str | None:
    """A Swedish message if the draft cannot be sent for approval, else None."""
    if not change_summary.strip():
        return "Skriv en kort sammanfattning av ändringen. Läsarna ser den."
    if not possible_approvers(author_id, owner_id, approver_id):
        return "Du är ägare och författare. Välj en annan person som godkänner ändringen."
    return None


def review_overdue(review_due_on: date, today: date) -> bool:
    return review_due_on < today
