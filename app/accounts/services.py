"""Account services: plain functions taking the acting user (None for the command line)."""
import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.orm import joinedload
from werkzeug.security import generate_password_hash

from app.accounts.models import Unit, User, UserSession
from app.accounts.rules import (
    Role,
    UnitKind,
    deactivation_problem,
    describe_user_agent,
    parent_kind_problem,
    mas_problem,
    password_problem,
    role_change_problem,
)
from app.extensions import db
from app.timestamps import utcnow

log = logging.getLogger("fickan.accounts")

# A session's "last seen" is written at most this often, not on every request.
LAST_SEEN_STEP = timedelta(minutes=5)

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
        end_all_sessions(actor, user)
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
    if not active:
        end_all_sessions(actor, user)
    db.session.commit()
    log.info("user activation changed", extra={"actor": actor_name(actor), "user": user.username, "active": active})
    return user


def reset_password(actor: User | None, user: User, password: str) -> User:
    """Set a new password; ends the user's other sessions."""
    if problem := password_problem(password):
        raise AccountError(problem)
    user.set_password(password)
    end_all_sessions(actor, user)
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


def hash_session_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def start_session(user: User, *, remember: bool, user_agent: str) -> UserSession:
    """Open a session for a user who has just logged in; its secret goes on `user` for the login id."""
    now = utcnow()
    config = current_app.config
    lifetime = config["REMEMBER_COOKIE_DURATION"] if remember else config["PERMANENT_SESSION_LIFETIME"]
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id, UserSession.expires_at <= now))
    secret = secrets.token_urlsafe(32)
    record = UserSession(secret_hash=hash_session_secret(secret), user=user, remember=remember,
                         user_agent=describe_user_agent(user_agent), created_at=now, last_seen_at=now,
                         expires_at=now + lifetime)
    db.session.add(record)
    db.session.flush()
    user.session_secret = secret
    return record


# Built once: every signed-in request reads its session with it.
SESSION_WITH_USER = (select(UserSession).options(joinedload(UserSession.user))
                     .where(UserSession.secret_hash == bindparam("secret_hash")))


def load_session_user(login_id: str) -> User | None:
    """The user of a login id "user:secret" whose session is open and unexpired; else nobody."""
    user_id, _, secret = login_id.partition(":")
    if not user_id.isdigit() or not secret:
        return None
    now = utcnow()
    # The user with the session row, in one query: every signed-in request comes here first.
    record = db.session.scalar(SESSION_WITH_USER, {"secret_hash": hash_session_secret(secret)})
    if record is None or record.user_id != int(user_id) or not record.user.active:
        return None
    # A session cookie carries its own signed time limit (PERMANENT_SESSION_LIFETIME, as before these rows);
    # a remember cookie has only this row's.
    if record.remember and record.expires_at <= now:
        return None
    if now - record.last_seen_at >= LAST_SEEN_STEP:
        # Loaded at the start of the request (accounts.routes), when nothing else waits to be committed.
        record.last_seen_at = now
        db.session.commit()
    record.user.session_secret = secret
    return record.user


def current_session_of(user: User) -> UserSession | None:
    """The session `user` was loaded with."""
    if not user.session_secret:
        return None
    secret_hash = hash_session_secret(user.session_secret)
    return db.session.scalar(select(UserSession).where(UserSession.secret_hash == secret_hash))


def sessions_of(user: User) -> list[UserSession]:
    """The user's open sessions, the most recently used first."""
    statement = (select(UserSession).where(UserSession.user_id == user.id, UserSession.expires_at > utcnow())
                 .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc()))
    return list(db.session.scalars(statement))


def end_session(actor: User, session_id: int) -> bool:
    """End one of the actor's own sessions; False if there is no such session of theirs."""
    result = db.session.execute(delete(UserSession).where(UserSession.id == session_id,
                                                          UserSession.user_id == actor.id))
    log.info("session ended", extra={"user": actor.username})
    return result.rowcount > 0


def end_all_sessions(actor: User | None, user: User) -> int:
    """Log the user out on every phone and browser: sessions and "stay logged in" cookies alike."""
    result = db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    log.info("all sessions ended", extra={"actor": actor_name(actor), "user": user.username,
                                          "sessions": result.rowcount})
    return result.rowcount


def delete_expired_sessions(now: datetime) -> int:
    """Delete every login that expired before `now`, of all users; returns how many."""
    result = db.session.execute(delete(UserSession).where(UserSession.expires_at <= now))
    log.info("expired sessions deleted", extra={"sessions": result.rowcount})
    return result.rowcount
