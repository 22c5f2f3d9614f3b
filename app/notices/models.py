"""Push subscriptions, coordinators' notices, the in-app inbox and the log of push deliveries."""
from datetime import date, datetime

from sqlalchemy import JSON, Column, Date, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Unit, User
from app.extensions import db
from app.notices.rules import Importance
from app.timestamps import UTCDateTime, utcnow

notice_units = Table(
    "notice_units",
    db.metadata,
    Column("notice_id", ForeignKey("notices.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
)


class PushSubscription(db.Model):
    """One browser's PushSubscription: where to post, and the keys to encrypt for it."""

    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The login it was made in: when that login ends (logout, ended elsewhere, expired and cleaned up) the phone
    # stops getting the user's pushes. None for subscriptions made before logins were recorded.
    session_id: Mapped[int | None] = mapped_column(ForeignKey("user_sessions.id", ondelete="CASCADE"), index=True)
    # One endpoint is one browser on one device; it is never handed from one user to another.
    endpoint: Mapped[str] = mapped_column(String(2048), unique=True)
    p256dh: Mapped[str] = mapped_column(String(120))
    auth: Mapped[str] = mapped_column(String(60))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_agent: Mapped[str] = mapped_column(String(400), default="")
    # Where the page that subscribed was served from: links in notifications are made absolute with it.
    app_origin: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<PushSubscription {self.id} user={self.user_id}>"


class Notice(db.Model):
    """A coordinator's message to the people of some units and roles."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    importance: Mapped[str] = mapped_column(String(20), default=Importance.NORMAL)
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    recipient_count: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    author: Mapped[User] = relationship()
    units: Mapped[list[Unit]] = relationship(secondary=notice_units, order_by="Unit.name")

    def __repr__(self) -> str:
        return f"<Notice {self.id} {self.title!r}>"


class InboxItem(db.Model):
    """One thing in one person's in-app inbox (a notice, a routine change, a report's new status), push or not."""

    __tablename__ = "inbox_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    # Where the item leads (a routine page, Mina rapporter); notices are read in the inbox itself.
    url: Mapped[str] = mapped_column(String(300), default="")
    importance: Mapped[str] = mapped_column(String(20), default=Importance.NORMAL)
    # The push Topic and notification tag: a newer message on the same topic replaces an undelivered one.
    topic: Mapped[str] = mapped_column(String(32))
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    notice: Mapped[Notice | None] = relationship()

    __table_args__ = (Index("ix_inbox_items_user_id_created_at", "user_id", "created_at"),)

    def __repr__(self) -> str:
        return f"<InboxItem {self.id} user={self.user_id} {self.kind}>"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class PushDelivery(db.Model):
    """One push message to one subscription: the push service's answer, how many tries, any error."""

    __tablename__ = "push_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    inbox_item_id: Mapped[int | None] = mapped_column(ForeignKey("inbox_items.id", ondelete="SET NULL"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Kept after a 404/410 removed the subscription: the log says which one it was.
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("push_subscriptions.id", ondelete="SET NULL"), index=True)
    endpoint_host: Mapped[str] = mapped_column(String(255), default="")
    topic: Mapped[str] = mapped_column(String(32))
    status_code: Mapped[int | None] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<PushDelivery {self.id} sub={self.subscription_id} {self.status_code}>"


class SentReminder(db.Model):
    """A reminder that went out: of what (`subject`, `subject_id`), which step, for which date. Each is sent once;
    a page that says "påminnelse skickad" reads it here."""

    __tablename__ = "sent_reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "routine_review" (a routine's id) or "unhandled_report" (a report's id).
    subject: Mapped[str] = mapped_column(String(30))
    subject_id: Mapped[int] = mapped_column(Integer)
    # "30_days", "due", "overdue" for a review; "manager", "quality" for a report still received.
    step: Mapped[str] = mapped_column(String(20))
    # The date the reminder is about (the review date; the day the report arrived): a new date, new reminders.
    about_date: Mapped[date] = mapped_column(Date)
    recipient_count: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("subject", "subject_id", "step", "about_date"),)

    def __repr__(self) -> str:
        return f"<SentReminder {self.id} {self.subject}-{self.subject_id} {self.step}>"
