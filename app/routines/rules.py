"""Rules of routines: kinds, the version workflow, who may read, edit and approve."""
from datetime import date
from enum import StrEnum

from app.accounts.scope import Purpose, Reach, covers, reach_of


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


def may_read(scope_unit_id: int | None, visible_ids: set[int]) -> bool:
    """Central routines are for everyone; a unit's routine for those who see that unit."""
    return scope_unit_id is None or scope_unit_id in visible_ids


def writes_central(role: str) -> bool:
    """Central routines hold for every unit, so only those who write for every unit write them."""
    return reach_of(role, Purpose.WRITE_ROUTINES) == Reach.ALL


def may_edit(role: str, scope_unit_id: int | None, writable_unit_ids: set[int]) -> bool:
    """Whether the role writes routines of this scope (None: central), given the units its member writes for."""
    if scope_unit_id is None:
        return writes_central(role)
    return covers(role, Purpose.WRITE_ROUTINES, scope_unit_id, writable_unit_ids)


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


# The yearly review's reminders, each sent once per review date: the owner 30 days before and on the day, quality
# once the day has passed. (step, days after the review date from which it goes, to whom)
REVIEW_REMINDERS = (("30_days", -30, "owner"), ("due", 0, "owner"), ("overdue", 1, "quality"))
REVIEW_REMINDER_LEAD_DAYS = 30


def review_reminder_steps(review_due_on: date, today: date) -> list[tuple[str, str]]:
    """The (step, to whom) reminders due today: the owner's latest step only (no "30 days left" once the day has
    come), and quality's once the date has passed."""
    days = (today - review_due_on).days
    reached = [(step, who) for step, offset, who in REVIEW_REMINDERS if days >= offset]
    owner = [(step, who) for step, who in reached if who == "owner"][-1:]
    return owner + [(step, who) for step, who in reached if who != "owner"]


def review_is_overdue_sql(review_due_on, today: date):
    """An SQL condition on the review date column: the day to review the routine has passed."""
    return review_due_on < today
