"""Routines, their versions and history, and what readers do with them."""
from datetime import date, datetime

from sqlalchemy import JSON, Column, Date, ForeignKey, Integer, String, Table, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Unit, User
from app.extensions import db
from app.timestamps import UTCDateTime, utcnow

routine_favourites = Table(
    "routine_favourites",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("routine_id", ForeignKey("routines.id", ondelete="CASCADE"), primary_key=True),
)


class Routine(db.Model):
    """A routine, process or checklist: stored once, published in numbered versions."""

    __tablename__ = "routines"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(80), default="Övrigt")
    # None: a central routine, for every unit. Otherwise the unit (and the units below it) it applies to.
    scope_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    review_due_on: Mapped[date] = mapped_column(Date)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("routine_versions.id", ondelete="SET NULL", use_alter=True, name="fk_routines_current_version")
    )
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the routine last changed in a way readers see (published, archived, scope or category changed).
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    scope_unit: Mapped[Unit | None] = relationship()
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    approver: Mapped[User | None] = relationship(foreign_keys=[approver_id])
    current_version: Mapped["RoutineVersion | None"] = relationship(foreign_keys=[current_version_id], post_update=True)
    versions: Mapped[list["RoutineVersion"]] = relationship(
        back_populates="routine", foreign_keys="RoutineVersion.routine_id", order_by="RoutineVersion.id"
    )

    def __repr__(self) -> str:
        return f"<Routine {self.id} {self.slug!r}>"

    @property
    def title(self) -> str:
        version = self.current_version or (self.versions[-1] if self.versions else None)
        return version.title if version else self.slug

    @property
    def is_central(self) -> bool:
        return self.scope_unit_id is None

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class RoutineVersion(db.Model):
    """One version of a routine's text: a draft until it is approved and published."""

    __tablename__ = "routine_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    routine_id: Mapped[int] = mapped_column(ForeignKey("routines.id", ondelete="CASCADE"), index=True)
    # Assigned when published: 1, 2, 3 ... Drafts have none.
    number: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(200))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    body_md: Mapped[str] = mapped_column(Text, default="")
    change_summary: Mapped[str] = mapped_column(Text, default="")
    # "Viktig ändring": when published, everyone who can read the routine is told, not only its regular readers.
    important_change: Mapped[bool] = mapped_column(default=False, server_default=false())
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_comment: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    routine: Mapped[Routine] = relationship(back_populates="versions", foreign_keys=[routine_id])
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    __table_args__ = (UniqueConstraint("routine_id", "number"),)

    def __repr__(self) -> str:
        return f"<RoutineVersion {self.id} routine={self.routine_id} {self.status} no={self.number}>"


class RoutineEvent(db.Model):
    """The history of a routine: who did what, when."""

    __tablename__ = "routine_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    routine_id: Mapped[int] = mapped_column(ForeignKey("routines.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("routine_versions.id", ondelete="SET NULL"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(30))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()
    version: Mapped[RoutineVersion | None] = relationship()

    def __repr__(self) -> str:
        return f"<RoutineEvent {self.id} routine={self.routine_id} {self.action}>"


class RoutineScopeMove(db.Model):
    """A routine moved out of a scope (None: central): the phones of that scope's readers must drop it."""

    __tablename__ = "routine_scope_moves"

    id: Mapped[int] = mapped_column(primary_key=True)
    routine_id: Mapped[int] = mapped_column(ForeignKey("routines.id", ondelete="CASCADE"), index=True)
    from_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    moved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<RoutineScopeMove routine={self.routine_id} from={self.from_unit_id}>"


class RoutineLink(db.Model):
    """A published routine's body links to another routine ([[slug]]); a process's steps are such links."""

    __tablename__ = "routine_links"

    from_routine_id: Mapped[int] = mapped_column(ForeignKey("routines.id", ondelete="CASCADE"), primary_key=True)
    to_routine_id: Mapped[int] = mapped_column(ForeignKey("routines.id", ondelete="CASCADE"), primary_key=True,
                                               index=True)

    def __repr__(self) -> str:
        return f"<RoutineLink {self.from_routine_id}->{self.to_routine_id}>"


class ReadConfirmation(db.Model):
    """A reader's "Jag har läst" for one published version."""

    __tablename__ = "read_confirmations"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    routine_id: Mapped[int] = mapped_column(ForeignKey("routines.id", ondelete="CASCADE"), primary_key=True)
    version_number: Mapped[int] = mapped_column(primary_key=True)
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<ReadConfirmation user={self.user_id} routine={self.routine_id} v{self.version_number}>"


class RoutineOpening(db.Model):
    """When a user last opened a routine (for "Nyligen öppnade" and for who to tell of a change)."""

    __tablename__ = "routine_openings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    routine_id: Mapped[int] = mapped_column(ForeignKey("routines.id", ondelete="CASCADE"), primary_key=True)
    last_opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<RoutineOpening user={self.user_id} routine={self.routine_id}>"


class ChangeProposal(db.Model):
    """A reader's "Föreslå ändring" to the routine's owner, and the owner's answer."""

    __tablename__ = "change_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    routine_id: Mapped[int] = mapped_column(ForeignKey("routines.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when a handler linked a report to the routine: a review request from a deviation.
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"), index=True)

    routine: Mapped[Routine] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])

    def __repr__(self) -> str:
        return f"<ChangeProposal {self.id} routine={self.routine_id}>"


class RoutineImage(db.Model):
    """An image for routine bodies (referenced as /rutiner/bilder/<id>); stored re-encoded, without metadata."""

    __tablename__ = "routine_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    # Of the uploaded bytes: importing the same picture again reuses the stored image.
    source_sha256: Mapped[str] = mapped_column(String(64), index=True)
    content_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    byte_size: Mapped[int] = mapped_column()
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<RoutineImage {self.id} {self.stored_name}>"


class Synonym(db.Model):
    """An everyday word and the professional term search should also look for (medicin → läkemedel)."""

    __tablename__ = "search_synonyms"

    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(String(80), unique=True)
    means: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Synonym {self.word!r} -> {self.means!r}>"


class RoutineSearchDocument(db.Model):
    """The searchable text of a routine's published version, kept in step by the services.

    The folded columns (lower case, å/ä/ö → a/a/o) are what the search index reads; they have the
    same length as the originals, so match positions map back for highlighted snippets.
    """

    __tablename__ = "routine_search_documents"

    routine_id: Mapped[int] = mapped_column(ForeignKey("routines.id", ondelete="CASCADE"), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    tags: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    folded_title: Mapped[str] = mapped_column(String(200))
    folded_tags: Mapped[str] = mapped_column(Text, default="")
    folded_body: Mapped[str] = mapped_column(Text, default="")
    indexed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<RoutineSearchDocument routine={self.routine_id}>"


class SearchMiss(db.Model):
    """A search that found nothing: the folded query, how often and when last; no user (kept 90 days)."""

    __tablename__ = "search_misses"

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(String(200), unique=True)
    count: Mapped[int] = mapped_column(Integer, default=1)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<SearchMiss {self.query!r} x{self.count}>"
