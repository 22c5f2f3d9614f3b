"""Who sees what: which units' data a person may see, for which purpose. A new role is a row in REACH."""
from collections.abc import Iterable, Mapping
from enum import StrEnum

from sqlalchemy import false, select, true

from app.accounts.models import Unit, User
from app.accounts.rules import Role
from app.extensions import db


class Purpose(StrEnum):
    """What a person looks at a unit's data for."""

    # The unit's reports: the inbox, reading, statistics, legal clocks. Which of a unit's reports a role handles
    # (a nurse: the HSL ones; a manager: not those that go past the manager) is reports.rules.handles.
    HANDLE_REPORTS = "handle_reports"
    REPORT = "report"  # writing a report for the unit
    READ_ROUTINES = "read_routines"
    WRITE_ROUTINES = "write_routines"
    FOLLOW_READING = "follow_reading"  # whether the unit's staff have confirmed reading a routine
    SEND_NOTICES = "send_notices"
    QUALITY_YEAR = "quality_year"  # the årshjul, its tasks and egenkontroll results


class Reach(StrEnum):
    """How far from a person's own units their view reaches."""

    ALL = "all"  # every unit, whichever their own
    BELOW = "below"  # their units and every unit below them
    BELOW_AND_ABOVE = "below_and_above"  # also the units above: a district's routines hold for its units


# For each purpose, the roles that see some units' data and how far; a role not in a row sees none.
REACH: dict[Purpose, dict[Role, Reach]] = {
    Purpose.HANDLE_REPORTS: {Role.QUALITY: Reach.ALL, Role.MANAGER: Reach.BELOW, Role.NURSE: Reach.BELOW},
    Purpose.REPORT: dict.fromkeys(Role, Reach.BELOW),
    Purpose.READ_ROUTINES: dict.fromkeys(Role, Reach.BELOW_AND_ABOVE),
    Purpose.WRITE_ROUTINES: {Role.QUALITY: Reach.ALL, Role.MANAGER: Reach.BELOW},
    Purpose.FOLLOW_READING: {Role.QUALITY: Reach.BELOW, Role.MANAGER: Reach.BELOW},
    Purpose.SEND_NOTICES: {Role.QUALITY: Reach.ALL, Role.ADMIN: Reach.ALL, Role.COORDINATOR: Reach.BELOW,
                           Role.MANAGER: Reach.BELOW},
    Purpose.QUALITY_YEAR: {Role.QUALITY: Reach.ALL, Role.MANAGER: Reach.BELOW},
}


def roles_for(purpose: Purpose) -> frozenset[Role]:
    """The roles that see some units' data for the purpose."""
    return frozenset(REACH[purpose])


# Reports hold health data: only the roles that handle them open the handlers' pages.
HANDLERS = roles_for(Purpose.HANDLE_REPORTS)
ROUTINE_WRITERS = roles_for(Purpose.WRITE_ROUTINES)
READING_FOLLOWERS = roles_for(Purpose.FOLLOW_READING)
NOTICE_SENDERS = roles_for(Purpose.SEND_NOTICES)
QUALITY_YEAR_READERS = roles_for(Purpose.QUALITY_YEAR)


def reach_of(role: str | None, purpose: Purpose) -> Reach | None:
    """How far the role sees for the purpose; None: no unit's data."""
    return REACH[purpose].get(role)


def sees_every_unit(user: User, purpose: Purpose) -> bool:
    """Whether the user sees every unit's data for the purpose, whichever units they belong to."""
    return reach_of(user.role, purpose) == Reach.ALL


def units_and_below(unit_ids: Iterable[int], parent_of: Mapping[int, int | None]) -> set[int]:
    """The units and every unit below them."""
    found = set(unit_ids)
    for unit_id in parent_of:
        ancestor = unit_id
        seen = set()
        while ancestor is not None and ancestor not in seen:
            if ancestor in found:
                found.add(unit_id)
                break
            seen.add(ancestor)
            ancestor = parent_of.get(ancestor)
    return found


def units_above(unit_ids: Iterable[int], parent_of: Mapping[int, int | None]) -> set[int]:
    """Every unit above the units (not the units themselves, unless one sits above another)."""
    found = set()
    for unit_id in unit_ids:
        ancestor = parent_of.get(unit_id)
        while ancestor is not None and ancestor not in found:
            found.add(ancestor)
            ancestor = parent_of.get(ancestor)
    return found


def units_reached(reach: Reach | None, member_of: Iterable[int], parent_of: Mapping[int, int | None]) -> set[int]:
    """The units a member of `member_of` sees with this reach, in the tree `parent_of`."""
    member_of = set(member_of)
    if reach is None:
        return set()
    if reach == Reach.ALL:
        return set(parent_of)
    below = units_and_below(member_of, parent_of)
    return below | units_above(member_of, parent_of) if reach == Reach.BELOW_AND_ABOVE else below


def covers(role: str | None, purpose: Purpose, unit_id: int, reached_unit_ids: set[int]) -> bool:
    """Whether the role sees the unit's data for the purpose, given the units its member's own units reach."""
    reach = reach_of(role, purpose)
    return reach == Reach.ALL or (reach is not None and unit_id in reached_unit_ids)


# Table columns in a statement built once: read on every new report and every scope check, always the same.
UNIT_PARENTS = select(Unit.__table__.c.id, Unit.__table__.c.parent_id)


def parent_map() -> dict[int, int | None]:
    """Each unit's parent: the whole tree, a few hundred rows at most."""
    return dict(db.session.execute(UNIT_PARENTS).all())


def with_units_below(unit_ids: Iterable[int]) -> set[int]:
    """The units and every unit below them, read from the database."""
    return units_and_below(unit_ids, parent_map())


def visible_unit_ids(user: User, purpose: Purpose, parent_of: Mapping[int, int | None] | None = None) -> set[int]:
    """The ids of the units whose data the user may see for the purpose (`parent_of` to reuse one tree)."""
    reach = reach_of(user.role, purpose)
    if reach is None:
        return set()
    return units_reached(reach, (unit.id for unit in user.units), parent_map() if parent_of is None else parent_of)


def reaches_unit(user: User, purpose: Purpose, unit_id: int | None) -> bool:
    """Whether the user may see this unit's data for the purpose."""
    return covers(user.role, purpose, unit_id, visible_unit_ids(user, purpose))


def unit_filter(user: User, purpose: Purpose, unit_id_column):
    """An SQL condition on `unit_id_column`: a unit whose data the user may see for the purpose."""
    reach = reach_of(user.role, purpose)
    if reach == Reach.ALL:
        return true()
    unit_ids = visible_unit_ids(user, purpose)
    return unit_id_column.in_(unit_ids) if unit_ids else false()
