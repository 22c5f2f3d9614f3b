"""Activities of the årshjul, the tasks they become, egenkontroll forms with their answers, and actions."""
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Unit, User
from app.extensions import db
from app.quality.rules import KIND_LABELS, QUESTION_KIND_LABELS, RECURRENCE_LABELS, MonthDay
from app.timestamps import UTCDateTime, utcnow

activity_units = Table(
    "quality_activity_units",
    db.metadata,
    Column("activity_id", ForeignKey("quality_activities.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
)


class CheckForm(db.Model):
    """An egenkontroll form; its questions live in versions, so answers keep the version they were given under."""

    __tablename__ = "quality_forms"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    versions: Mapped[list["CheckFormVersion"]] = relationship(
        back_populates="form", order_by="CheckFormVersion.number", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<CheckForm {self.id} {self.name!r}>"

    @property
    def current(self) -> "CheckFormVersion | None":
        return self.versions[-1] if self.versions else None


class CheckFormVersion(db.Model):
    """One version of a form's questions; a change makes a new version, the old one stays for its answers."""

    __tablename__ = "quality_form_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("quality_forms.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    form: Mapped[CheckForm] = relationship(back_populates="versions")
    questions: Mapped[list["CheckQuestion"]] = relationship(
        back_populates="version", order_by="CheckQuestion.position", cascade="all, delete-orphan")

    __table_args__ = (UniqueConstraint("form_id", "number"),)

    def __repr__(self) -> str:
        return f"<CheckFormVersion {self.id} form={self.form_id} v{self.number}>"


class CheckQuestion(db.Model):
    __tablename__ = "quality_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("quality_form_versions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(400))
    kind: Mapped[str] = mapped_column(String(20))
    help_text: Mapped[str] = mapped_column(Text, default="")
    # "Kräver åtgärd vid nej": a "nej" opens an action with an owner and a due date.
    action_on_no: Mapped[bool] = mapped_column(Boolean, default=False)

    version: Mapped[CheckFormVersion] = relationship(back_populates="questions")

    def __repr__(self) -> str:
        return f"<CheckQuestion {self.id} v={self.version_id} {self.kind}>"

    @property
    def kind_label(self) -> str:
        return QUESTION_KIND_LABELS.get(self.kind, self.kind)


class Activity(db.Model):
    """A recurring duty of the quality year: what, when, for which units, who answers for it."""

    __tablename__ = "quality_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(30))
    recurrence: Mapped[str] = mapped_column(String(20))
    # Days of the year as "MM-DD": all of them for a yearly rule, the first one for the others.
    dates: Mapped[list] = mapped_column(JSON, default=list)
    responsible_role: Mapped[str] = mapped_column(String(20))
    lead_days: Mapped[int] = mapped_column(Integer, default=14)
    description: Mapped[str] = mapped_column(Text, default="")
    form_id: Mapped[int | None] = mapped_column(ForeignKey("quality_forms.id", ondelete="SET NULL"))
    routine_id: Mapped[int | None] = mapped_column(ForeignKey("routines.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # The units it is for; each with the units below it.
    units: Mapped[list[Unit]] = relationship(secondary=activity_units, order_by="Unit.name")
    form: Mapped[CheckForm | None] = relationship()
    routine = relationship("Routine")

    def __repr__(self) -> str:
        return f"<Activity {self.id} {self.name!r} {self.recurrence}>"

    @property
    def month_days(self) -> list[MonthDay]:
        return [MonthDay.parse(text) for text in self.dates]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def recurrence_label(self) -> str:
        return RECURRENCE_LABELS.get(self.recurrence, self.recurrence)


class Task(db.Model):
    """One occurrence of an activity for one unit: due on a date, given to a role there or handed to a person."""

    __tablename__ = "quality_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("quality_activities.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    assigned_role: Mapped[str] = mapped_column(String(20))
    assigned_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    handed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    handed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    activity: Mapped[Activity] = relationship()
    unit: Mapped[Unit] = relationship()
    assigned_user: Mapped[User | None] = relationship(foreign_keys=[assigned_user_id])
    handed_by: Mapped[User | None] = relationship(foreign_keys=[handed_by_id])
    done_by: Mapped[User | None] = relationship(foreign_keys=[done_by_id])

    __table_args__ = (
        UniqueConstraint("activity_id", "unit_id", "due_on"),
        # The daily reminders start from the open tasks due soon.
        Index("ix_quality_tasks_done_at_due_on", "done_at", "due_on"),
    )

    def __repr__(self) -> str:
        return f"<Task {self.id} activity={self.activity_id} unit={self.unit_id} {self.due_on}>"


class CheckResponse(db.Model):
    """The answers sent for one task's form, under the version they were given."""

    __tablename__ = "quality_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("quality_tasks.id", ondelete="CASCADE"), unique=True)
    # The phone's outbox gives every answer set a UUID: a replay of it is told apart from a second answer set.
    # None for answers posted by the page without JavaScript.
    client_uuid: Mapped[str | None] = mapped_column(String(36), unique=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("quality_form_versions.id", ondelete="RESTRICT"))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    task: Mapped[Task] = relationship()
    version: Mapped[CheckFormVersion] = relationship()
    answers: Mapped[list["CheckAnswer"]] = relationship(back_populates="response", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<CheckResponse {self.id} task={self.task_id}>"


class CheckAnswer(db.Model):
    __tablename__ = "quality_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("quality_responses.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("quality_questions.id", ondelete="RESTRICT"), index=True)
    value: Mapped[str] = mapped_column(Text)

    response: Mapped[CheckResponse] = relationship(back_populates="answers")
    question: Mapped[CheckQuestion] = relationship()

    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    def __repr__(self) -> str:
        return f"<CheckAnswer {self.id} q={self.question_id}>"


class CheckAction(db.Model):
    """An action opened by a "nej" that needs one: what, who, by when, and later whether it worked."""

    __tablename__ = "quality_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("quality_answers.id", ondelete="CASCADE"), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "Fungerade den?": the report actions' effect labels (ja, delvis, nej).
    effect: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    answer: Mapped[CheckAnswer] = relationship()
    unit: Mapped[Unit] = relationship()
    owner: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<CheckAction {self.id} unit={self.unit_id} {self.status}>"
