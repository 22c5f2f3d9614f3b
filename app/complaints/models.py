"""A complaint: what a report of kind klagomål has of its own (who complained, the follow link, the answer)."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.accounts.models import User
from app.complaints import rules
from app.extensions import db
from app.reports.models import Report
from app.timestamps import UTCDateTime, utcnow


class Complaint(db.Model):
    """The complaint side of one report: the investigation, actions and status are the report's."""

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), unique=True)
    case_code: Mapped[str] = mapped_column(String(20), unique=True)
    # The follow link's token is derived from the seed and the app's secret (rules.follow_token); looked up by hash.
    follow_seed: Mapped[str] = mapped_column(String(64))
    follow_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(20), index=True)
    # False when the person chose "Vet inte": the report then sits on the top unit, which quality handles.
    unit_known: Mapped[bool] = mapped_column(default=True)
    complainant: Mapped[str] = mapped_column(String(20), default="")
    answer_way: Mapped[str] = mapped_column(String(20), default=rules.AnswerWay.NONE)
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_address: Mapped[str] = mapped_column(String(300), default="")
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The signature as it stood when the answer was given.
    answer_signed_name: Mapped[str] = mapped_column(String(120), default="")
    answer_signed_title: Mapped[str] = mapped_column(String(120), default="")
    no_answer_reason: Mapped[str] = mapped_column(String(20), default="")
    no_answer_note: Mapped[str] = mapped_column(Text, default="")
    # Set once the answer mail was handed to the mail server: it is sent once.
    answer_mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[Report] = relationship(backref=backref("complaint", uselist=False, cascade="all, delete-orphan"))
    answered_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Complaint {self.id} {self.case_code} report={self.report_id}>"

    @property
    def anonymous(self) -> bool:
        return not (self.contact_name or self.contact_email or self.contact_phone or self.contact_address)

    @property
    def wants_answer(self) -> bool:
        return self.answer_way != rules.AnswerWay.NONE

    @property
    def channel_label(self) -> str:
        return rules.CHANNEL_LABELS.get(self.channel, self.channel)

    @property
    def no_answer_label(self) -> str:
        return rules.NO_ANSWER_REASON_LABELS.get(self.no_answer_reason, "")
