"""Incident reports, their photos and the log of who read them."""
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.accounts.models import Unit, User
from app.extensions import db
from app.reports.rules import (ACTION_STATUS_LABELS, EFFECT_LABELS, ENTRY_LABELS, STATUS_LABELS, ReportStatus,
                               risk_level)
from app.timestamps import UTCDateTime, local_month, utcnow


class Report(db.Model):
    """One reported event: what happened, the plain answers, and the kinds they suggest."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The phone's UUID (v4): the report's identity in the outbox and the key that makes a resend harmless.
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    # None for a complaint from the public page (app/complaints): nobody signed in wrote it.
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    text: Mapped[str] = mapped_column(Text)
    affected: Mapped[list[str]] = mapped_column(JSON, default=list)
    harm: Mapped[str] = mapped_column(String(20), default="unknown")
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    place: Mapped[str] = mapped_column(String(200), default="")
    client_reference: Mapped[str] = mapped_column(String(100), default="")
    immediate_action: Mapped[str] = mapped_column(Text, default="")
    # "Gäller det din chef?": yes sends the report past the unit's managers, to quality (rules.handles).
    bypass_manager: Mapped[bool] = mapped_column(default=False, server_default=false())
    # What the rule table suggested at intake, and the kinds as they stand (the manager confirms or changes).
    suggested_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    kinds_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default=ReportStatus.RECEIVED, index=True)
    feedback: Mapped[str] = mapped_column(Text, default="")
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # created_at is the phone's clock when the report was written; received_at is ours when it arrived.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Kept from received_at and closed_at (see the validators) so the statistics group and sort from indexes
    # instead of computing a local month and a duration on every row.
    received_month: Mapped[str] = mapped_column(String(7), default=lambda context: local_month(
        context.get_current_parameters()["received_at"]))
    minutes_to_closed: Mapped[int | None] = mapped_column(Integer)
    # True while the kinds hold a possible Lex Sarah / Lex Maria case or personal-data incident (quality's queue).
    flagged: Mapped[bool] = mapped_column(default=False, index=True)
    # The investigation: when it was noticed, system-focused causes, risk of recurrence, the registrar's number.
    noticed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    causes: Mapped[list[str]] = mapped_column(JSON, default=list)
    risk_probability: Mapped[int | None] = mapped_column(Integer)
    risk_consequence: Mapped[int | None] = mapped_column(Integer)
    diary_number: Mapped[str] = mapped_column(String(40), default="")
    # The routine the event concerns (linking it opens a review request to the routine's owner).
    routine_id: Mapped[int | None] = mapped_column(ForeignKey("routines.id", ondelete="SET NULL"), index=True)

    reporter: Mapped[User | None] = relationship()
    unit: Mapped[Unit] = relationship()
    photos: Mapped[list["ReportPhoto"]] = relationship(
        back_populates="report", order_by="ReportPhoto.number", cascade="all, delete-orphan"
    )
    kind_rows: Mapped[list["ReportKindRow"]] = relationship(cascade="all, delete-orphan")

    __table_args__ = (
        Index("ix_reports_unit_id_received_at", "unit_id", "received_at"),
        # bypass_manager too: a manager's scope leaves out reports sent past the manager, and the median walks this
        # index in order; without it every row of the walk was looked up in the table.
        Index("ix_reports_minutes_to_closed", "minutes_to_closed", "received_at", "unit_id", "bypass_manager"),
        # The dashboard's GROUP BY read in index order, without touching the table. SQLite only: PostgreSQL
        # cannot put json in a b-tree (and aggregates in parallel instead).
        Index("ix_reports_statistics", "received_month", "kinds", "causes", "harm", "topics", "received_at",
              "unit_id", "minutes_to_closed").ddl_if(dialect="sqlite"),
    )

    def __repr__(self) -> str:
        return f"<Report {self.id} {self.uuid} {self.status}>"

    @validates("received_at", "closed_at")
    def keep_statistics_columns(self, key, moment: datetime | None) -> datetime | None:
        received_at = moment if key == "received_at" else self.received_at
        closed_at = moment if key == "closed_at" else self.closed_at
        if received_at is not None:
            self.received_month = local_month(received_at)
        self.minutes_to_closed = minutes_between(received_at, closed_at)
        return moment

    @validates("kinds")
    def mirror_kinds(self, _key, kinds: list[str]) -> list[str]:
        """Keep the kinds' rows equal to the list on every assignment; unchanged kinds keep their row."""
        kept = {row.kind: row for row in self.kind_rows}
        self.kind_rows = [kept.get(kind) or ReportKindRow(kind=kind) for kind in dict.fromkeys(kinds)]
        return kinds

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(ReportStatus(self.status), self.status)

    @property
    def risk(self) -> tuple[int, str, str] | None:
        """(score, level, label) of the assessed risk of recurrence, or None before it is assessed."""
        if self.risk_probability is None or self.risk_consequence is None:
            return None
        return risk_level(self.risk_probability, self.risk_consequence)


def minutes_between(received_at: datetime | None, closed_at: datetime | None) -> int | None:
    if received_at is None or closed_at is None:
        return None
    return int((closed_at - received_at).total_seconds() // 60)


class ReportKindRow(db.Model):
    """One kind a report has now. The list on the report keeps the order; these rows let the statistics filter
    and count by kind from an index. Written only through Report.kinds (and by the demo's bulk insert)."""

    __tablename__ = "report_kinds"

    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)

    __table_args__ = (Index("ix_report_kinds_kind_report_id", "kind", "report_id"),)

    def __repr__(self) -> str:
        return f"<ReportKindRow report={self.report_id} {self.kind}>"


class ReportPhoto(db.Model):
    """A photo of a report, stored cleaned (no metadata, upright, decoded in full) with a thumbnail."""

    __tablename__ = "report_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    # 1, 2, 3 ... in the order the reporter added them; part of the photo's URL.
    number: Mapped[int] = mapped_column(Integer)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    thumbnail_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    thumbnail_width: Mapped[int] = mapped_column(Integer)
    thumbnail_height: Mapped[int] = mapped_column(Integer)
    byte_size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[Report] = relationship(back_populates="photos")

    __table_args__ = (UniqueConstraint("report_id", "number"),)

    def __repr__(self) -> str:
        return f"<ReportPhoto {self.id} report={self.report_id} no={self.number}>"


class ReportAccess(db.Model):
    """One read of a report or of one of its photos: who, when, what. Reports hold health data."""

    __tablename__ = "report_accesses"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    # "report", "photo", "thumbnail" (the photo's small copy) or "export" (the printable page).
    what: Mapped[str] = mapped_column(String(20))
    photo_number: Mapped[int | None] = mapped_column(Integer)
    accessed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<ReportAccess {self.id} report={self.report_id} user={self.user_id} {self.what}>"


class KindChange(db.Model):
    """A handler confirmed or changed a report's kinds, with the reason (the classification history)."""

    __tablename__ = "report_kind_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    previous_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<KindChange {self.id} report={self.report_id} {self.kinds}>"


class InvestigationEntry(db.Model):
    """One dated, signed entry of an investigation: a fact or an assessment, never both."""

    __tablename__ = "report_investigation_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    # The signature as it stood when written: name and title may change later.
    signed_name: Mapped[str] = mapped_column(String(120))
    signed_title: Mapped[str] = mapped_column(String(120), default="")
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<InvestigationEntry {self.id} report={self.report_id} {self.kind}>"

    @property
    def kind_label(self) -> str:
        return ENTRY_LABELS.get(self.kind, self.kind)


class ReportAction(db.Model):
    """An action decided in an investigation: what, who, by when, its status, and later whether it worked."""

    __tablename__ = "report_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(Text)
    # Who does it: a user of the app, or a name written freely (someone without an account).
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    owner_name: Mapped[str] = mapped_column(String(120), default="")
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    effect: Mapped[str] = mapped_column(String(20), default="")
    effect_note: Mapped[str] = mapped_column(Text, default="")
    effect_evaluated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the handlers were told that the due date passed: they are told once.
    overdue_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    report: Mapped[Report] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])

    # Open actions are few: the statistics start from them and look up their reports.
    __table_args__ = (Index("ix_report_actions_status_report_id", "status", "report_id", "due_on"),)

    def __repr__(self) -> str:
        return f"<ReportAction {self.id} report={self.report_id} {self.status}>"

    @property
    def who(self) -> str:
        return self.owner.display_name if self.owner else self.owner_name

    @property
    def status_label(self) -> str:
        return ACTION_STATUS_LABELS.get(self.status, self.status)

    @property
    def effect_label(self) -> str:
        return EFFECT_LABELS.get(self.effect, "")


class ReportClock(db.Model):
    """What became of one legal clock of a report: stopped by a handler, and whether the overdue notice went out."""

    __tablename__ = "report_clocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    # A code of the legal clocks table (clock_rules.LEGAL_CLOCKS).
    code: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(String(20), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    stopped_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    overdue_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    stopped_by: Mapped[User | None] = relationship()

    __table_args__ = (UniqueConstraint("report_id", "code"),)

    def __repr__(self) -> str:
        return f"<ReportClock {self.id} report={self.report_id} {self.code}>"
