"""Users, units and memberships."""
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, String, Table, false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.accounts.rules import ROLE_LABELS, Role
from app.extensions import db
from app.timestamps import UTCDateTime, utcnow

memberships = Table(
    "memberships",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
)


class Unit(db.Model):
    """A förvaltning, område or enhet; units form a tree."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    parent: Mapped["Unit | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Unit"]] = relationship(back_populates="parent", order_by="Unit.name")

    def __repr__(self) -> str:
        return f"<Unit {self.id} {self.kind} {self.name!r}>"


class User(UserMixin, db.Model):
    """A person who logs in; one role, member of one or more units."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(20), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Medicinskt ansvarig sjuksköterska: a responsibility of a quality user, not a role of its own (README).
    is_mas: Mapped[bool] = mapped_column(default=False, server_default=false())
    # No longer read: sessions are rows of user_sessions (UserSession) since they can be ended one by one.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    units: Mapped[list[Unit]] = relationship(secondary=memberships, order_by="Unit.name")

    # The secret of the session this user object was loaded or logged in with (not stored; see UserSession).
    session_secret = None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.username!r} {self.role}>"

    @property
    def is_active(self) -> bool:
        return self.active

    # UserMixin compares login ids, which now differ per session: a user is the same user by row.
    def __eq__(self, other) -> bool:
        if not isinstance(other, User):
            return NotImplemented
        return self is other or (self.id is not None and self.id == other.id)

    __hash__ = object.__hash__

    def get_id(self) -> str:
        # The login id in the session cookie and the "stay logged in" cookie: it names one UserSession row.
        if not self.session_secret:
            raise RuntimeError("a user is logged in through accounts.services.start_session")
        return f"{self.id}:{self.session_secret}"

    def set_password(self, password: str) -> None:
        # Tests choose a cheaper method; production keeps werkzeug's default (scrypt).
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[Role(self.role)]

    @property
    def unit_names(self) -> str:
        return ", ".join(unit.name for unit in self.units)


class UserSession(db.Model):
    """One login on one phone or browser; deleting the row logs that login out, cookies and all."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the random secret in the cookies: a copy of the table opens no session.
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    remember: Mapped[bool] = mapped_column(default=False)
    user_agent: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<UserSession {self.id} user={self.user_id} expires={self.expires_at:%Y-%m-%d %H:%M}>"
