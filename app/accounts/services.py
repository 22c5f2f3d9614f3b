"""Account services: plain functions taking the acting user (None for the command line)."""
import logging

from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from app.accounts.models import Unit, User
from app.accounts.rules import (
    Role,
    UnitKind,
    deactivation_problem,
    parent_kind_problem,
    mas_problem,
    password_problem,
    role_change_problem,
)
from app.extensions import db
from app.timestamps import utcnow

log = logging.getLogger("fickan.accounts")

# Checked when the username is unknown, so a failed login takes as long either way.
_DUMMY_HASH = generate_password_hash("fickan-timing-equaliser")


class AccountError(ValueError):
    """A request that breaks an account rule; the message is Swedish and shown to the user."""


def normalise_username(username: str) -> str:
    return username.strip().lower()


def actor_name(actor: User | None) -> str:
    return actor.username if actor else "system"


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == normalise_username(username)))


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None."""
    user = find_user(username)
    if user is None:
        User(password_hash=_DUMMY_HASH).check_password(password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def record_login(user: User) -> None:
    user.last_login_at = utcnow()
    db.session.commit()
    log.info("login", extra={"user": user.username})


def count_active_admins() -> int:
    return db.session.scalar(select(func.count()).where(User.role == Role.ADMIN, User.active.is_(True)))


def units_by_ids(unit_ids) -> list[Unit]:
    ids = {int(unit_id) for unit_id in unit_ids}
    units = list(db.session.scalars(select(Unit).where(Unit.id.in_(ids)))) if ids else []
    if len(units) != len(ids):
        raise AccountError("En vald enhet finns inte.")
    return units


def create_user(
    actor: User | None,
    *,
    username: str,
    display_name: str,
    role: str,
    password: str,
    units: list[Unit],
    title: str = "",
    is_mas: bool = False,
    check_password_policy: bool = True,
) -> User:
    """Create a user; the username must be new."""
    username = normalise_username(username)
    if not username:
        raise AccountError("Ange ett användarnamn.")
    if find_user(username):
        raise AccountError(f"Användarnamnet {username} finns redan.")
    if role not in set(Role):
        raise AccountError("Välj en roll.")
    if not units:
        raise AccountError("Välj minst en enhet.")
    if check_password_policy and (problem := password_problem(password)):
        raise AccountError(problem)
    if problem := mas_problem(role, is_mas):
        raise AccountError(problem)
    user = User(username=username, display_name=display_name.strip() or username, role=role, title=title.strip(),
                is_mas=is_mas)
    user.set_password(password)
    user.units = list(units)
    db.session.add(user)
    db.session.commit()
    log.info("user created", extra={"actor": actor_name(actor), "user": username, "role": role})
    return user


def update_user(actor: User | None, user: User, *, display_name: str, title: str, role: str, units: list[Unit],
                is_mas: bool = False) -> User:
    """Change a user's name, title, role, units and MAS responsibility."""
    if role not in set(Role):
        raise AccountError("Välj en roll.")
    if not units:
        raise AccountError("Välj minst en enhet.")
    if problem := role_change_problem(user.role, role, user.active, count_active_admins()):
        raise AccountError(problem)
    if problem := mas_problem(role, is_mas):
        raise AccountError(problem)
    role_changed = user.role != role or user.is_mas != is_mas
    user.display_name = display_name.strip() or user.username
    user.title = title.strip()
    user.role = role
    user.is_mas = is_mas
    user.units = list(units)
    if role_changed:
        # A new role must not ride on sessions opened under the old one.
        user.session_version += 1
    db.session.commit()
    log.info("user updated", extra={"actor": actor_name(actor), "user": user.username, "role": role,
                                    "mas": is_mas})
    return user


def set_user_active(actor: User | None, user: User, active: bool) -> User:
    """Deactivate (ending every session) or reactivate a user."""
    if not active and actor is not None:
        if problem := deactivation_problem(actor.id, user.id, user.role, count_active_admins()):
            raise AccountError(problem)
    user.active = active
    user.deactivated_at = None if active else utcnow()
    user.session_version += 1
    db.session.commit()
    log.info("user activation changed", extra={"actor": actor_name(actor), "user": user.username, "active": active})
    return user


def reset_password(actor: User | None, user: User, password: str) -> User:
    """Set a new password; ends the user's other sessions."""
    if problem := password_problem(password):
        raise AccountError(problem)
    user.set_password(password)
    user.session_version += 1
    db.session.commit()
    log.info("password reset", extra={"actor": actor_name(actor), "user": user.username})
    return user


def create_unit(actor: User | None, *, name: str, kind: str, parent: Unit | None) -> Unit:
    """Create a unit in the förvaltning → område → enhet tree."""
    name = name.strip()
    if not name:
        raise AccountError("Ange ett namn på enheten.")
    if kind not in set(UnitKind):
        raise AccountError("Välj vilken sorts enhet det är.")
    if db.session.scalar(select(Unit).where(func.lower(Unit.name) == name.lower())):
        raise AccountError(f"Det finns redan en enhet som heter {name}.")
    if problem := parent_kind_problem(UnitKind(kind), UnitKind(parent.kind) if parent else None):
        raise AccountError(problem)
    unit = Unit(name=name, kind=kind, parent=parent)
    db.session.add(unit)
    db.session.commit()
    log.info("unit created", extra={"actor": actor_name(actor), "unit": name, "kind": kind})
    return unit


def all_units() -> list[Unit]:
    return list(db.session.scalars(select(Unit).order_by(Unit.name)))


def unit_tree() -> list[tuple[Unit, int]]:
    """Every unit with its depth, parents before their children."""
    units = all_units()
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[tuple[Unit, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in children.get(parent_id, []):
            ordered.append((unit, depth))
            walk(unit.id, depth + 1)

    walk(None, 0)
    return ordered


def list_users(query: str = "") -> list[User]:
    """Users whose name or username contains the query, active first."""
    statement = select(User).order_by(User.active.desc(), User.display_name)
    if query.strip():
        pattern = f"%{query.strip().lower()}%"
        statement = statement.where(func.lower(User.display_name).like(pattern) | User.username.like(pattern))
    return list(db.session.scalars(statement))


def load_session_user(login_id: str) -> User | None:
    """The user of a session id "user:version"; a stale version (logged out everywhere) loads nobody."""
    user_id, _, version = login_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version) or not user.active:
        return None
    return user
