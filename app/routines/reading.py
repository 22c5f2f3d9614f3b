"""Reading routines: openings, read confirmations, favourites, and who has read a changed routine.

Services add and flush; the view, CLI command or job that calls them commits once."""
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, select

from app.accounts import scope
from app.accounts.models import User, memberships
from app.accounts.rules import Role
from app.accounts.scope import READING_FOLLOWERS, Purpose
from app.errors import NotAllowed
from app.extensions import db
from app.routines import rules
from app.routines.models import (
    ReadConfirmation,
    Routine,
    RoutineOpening,
    routine_favourites,
)
from app.routines.services import visible_scope_ids
from app.timestamps import utcnow



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
