"""The one clock of the app, and UTC-aware timestamps stored the same way on SQLite and PostgreSQL."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


# Where the users are: days, months and deadlines are theirs.
LOCAL_ZONE = ZoneInfo("Europe/Stockholm")


class Clock:
    """Where "now" comes from. Nothing else in the app asks the wall clock, so a test can pin time here."""

    def __init__(self):
        self.pinned: datetime | None = None

    def now(self) -> datetime:
        return self.pinned if self.pinned is not None else datetime.now(timezone.utc)

    def pin(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("pin the clock to an aware datetime")
        self.pinned = moment.astimezone(timezone.utc)

    def unpin(self) -> None:
        self.pinned = None


clock = Clock()


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return clock.now()


def local_now() -> datetime:
    """The current time where the users are."""
    return utcnow().astimezone(LOCAL_ZONE)


def local_today() -> date:
    """Today's date where the users are (not the server's, which may run in UTC)."""
    return local_now().date()


def local_month(moment: datetime) -> str:
    """The month ("2026-03") the moment falls in for the users."""
    return moment.astimezone(LOCAL_ZONE).strftime("%Y-%m")


class UTCDateTime(TypeDecorator):
    """Stores UTC; always hands back an aware datetime (SQLite forgets the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def render_migration_item(type_, obj, autogen_context):
    """Alembic hook: write UTCDateTime as a plain DateTime, so migrations never import app code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
