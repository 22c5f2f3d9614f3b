"""The routines delta feed: what changed for this user since their last token."""
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.routines import services as routines
from app.routines.models import Routine, RoutineScopeMove
from app.timestamps import utcnow

# A routine committed while an earlier feed request was running may carry a slightly older time:
# look a little further back than the token says. Sending a routine twice is harmless.
OVERLAP = timedelta(seconds=30)


@dataclass(frozen=True)
class RoutineChanges:
    routines: list[Routine]
    removed: list[int]
    token: str
    full: bool


def serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="fickan.routines-feed")


def scope_fingerprint(user: User) -> str:
    """Changes when the set of units whose routines the user sees changes."""
    scope = ",".join(str(unit_id) for unit_id in sorted(routines.visible_scope_ids(user)))
    return hashlib.sha256(scope.encode()).hexdigest()[:16]


def read_token(user: User, token: str | None) -> datetime | None:
    """The time a token was issued, or None when it is missing, forged, another user's or stale in scope."""
    if not token:
        return None
    try:
        payload = serializer().loads(token)
    except BadSignature:
        return None
    if payload.get("u") != user.id or payload.get("s") != scope_fingerprint(user):
        return None
    try:
        return datetime.fromisoformat(payload["t"])
    except (KeyError, TypeError, ValueError):
        return None


def issue_token(user: User, issued_at: datetime) -> str:
    return serializer().dumps({"u": user.id, "s": scope_fingerprint(user), "t": issued_at.isoformat()})


def could_have_been_readable(user: User, since: datetime):
    """SQL: a published routine of the user's scope, or one moved out of it since `since`.

    Only these may be named as removed: the ids of other units' routines and of drafts are not the user's to know.
    """
    visible = routines.visible_scope_ids(user)
    moved_out = select(RoutineScopeMove.routine_id).where(
        RoutineScopeMove.moved_at > since,
        RoutineScopeMove.from_unit_id.is_(None) | RoutineScopeMove.from_unit_id.in_(visible))
    in_scope = Routine.scope_unit_id.is_(None) | Routine.scope_unit_id.in_(visible)
    return Routine.current_version_id.is_not(None) & (in_scope | Routine.id.in_(moved_out))


def routine_changes(user: User, token: str | None) -> RoutineChanges:
    """Routines the user may read that changed since the token, and ids that went away.

    No token (or one that no longer fits the user's units): everything, with full=True, so the phone
    replaces what it has.
    """
    issued_at = utcnow()
    since = read_token(user, token)
    readable = routines.readable_routines_query(user)
    if since is None:
        return RoutineChanges(list(db.session.scalars(readable)), [], issue_token(user, issued_at), True)
    cutoff = since - OVERLAP
    changed = list(db.session.scalars(readable.where(Routine.changed_at > cutoff)))
    changed_ids = {routine.id for routine in changed}
    touched = db.session.scalars(select(Routine.id).where(Routine.changed_at > cutoff,
                                                          could_have_been_readable(user, cutoff)))
    removed = sorted(routine_id for routine_id in touched if routine_id not in changed_ids)
    return RoutineChanges(changed, removed, issue_token(user, issued_at), False)
