"""Statistics over the reports a user handles: per month and kind, harm, falls, medication, lead time, causes."""
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from statistics import median

from sqlalchemy import Integer, String, case, cast, func, select

from app.accounts.models import Unit, User
from app.accounts.permissions import unit_ids_in_scope
from app.accounts.rules import Role, units_in_scope
from app.extensions import db
from app.reports import rules
from app.reports.handling import handled_scope
from app.reports.models import Report, ReportAction
from app.views import LOCAL_ZONE

COLUMNS = (Report.received_at, Report.unit_id, Report.kinds, Report.harm, Report.topics, Report.status,
           Report.closed_at, Report.causes)


@dataclass(frozen=True)
class Filters:
    """The period (inclusive days), and optionally one unit and one kind."""

    start: date
    end: date
    unit_id: int | None = None
    kind: str | None = None


@dataclass
class Summary:
    total: int = 0
    months: list[str] = field(default_factory=list)
    per_month: dict[str, int] = field(default_factory=dict)
    per_kind: dict[str, int] = field(default_factory=dict)
    per_month_and_kind: dict[tuple[str, str], int] = field(default_factory=dict)
    with_harm: int = 0
    falls: int = 0
    medication: int = 0
    median_days_to_closed: float | None = None
    causes: list[tuple[str, int]] = field(default_factory=list)
    open_actions: int = 0
    overdue_actions: int = 0

    @property
    def harm_share(self) -> int:
        """Per cent of the reports where someone was hurt."""
        return round(100 * self.with_harm / self.total) if self.total else 0


def default_filters(today: date) -> Filters:
    """The last twelve months up to today."""
    return Filters(start=date(today.year - 1, today.month, 1), end=today)


def units_for(user: User) -> list[Unit]:
    """The units a user may filter on: all for quality, their own and below for a manager."""
    statement = select(Unit).order_by(Unit.name)
    if user.role != Role.QUALITY:
        statement = statement.where(Unit.id.in_(unit_ids_in_scope(user) or {-1}))
    return list(db.session.scalars(statement))


def local_start(day: date) -> datetime:
    return datetime.combine(day, time(), LOCAL_ZONE)


def filtered(user: User, filters: Filters, columns=COLUMNS):
    """A query of the handled reports received in the period, of the unit (and below) and kind chosen."""
    statement = select(*columns).where(
        handled_scope(user), Report.received_at >= local_start(filters.start),
        Report.received_at < local_start(filters.end + timedelta(days=1)))
    if filters.unit_id is not None:
        parent_of = dict(db.session.execute(select(Unit.id, Unit.parent_id)).all())
        statement = statement.where(Report.unit_id.in_(units_in_scope([filters.unit_id], parent_of)))
    if filters.kind:
        # Kinds are a JSON list; its text holds each code in quotes on SQLite and PostgreSQL alike.
        statement = statement.where(cast(Report.kinds, String).like(f'%"{filters.kind}"%'))
    return statement


def month_keys(start: date, end: date) -> list[str]:
    keys, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        keys.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def utc_day_and_late_hour():
    """(the UTC day as text, the UTC hour when 22 or later else -1): enough to find the local month exactly.

    Stockholm is UTC+1 or +2, so only a time from 22.00 UTC can fall on the next local day.
    """
    if db.engine.dialect.name == "sqlite":
        day, hour = func.substr(Report.received_at, 1, 10), cast(func.substr(Report.received_at, 12, 2), Integer)
    else:
        utc = func.timezone("UTC", Report.received_at)
        day, hour = func.to_char(utc, "YYYY-MM-DD"), cast(func.extract("hour", utc), Integer)
    return day, case((hour >= 22, hour), else_=-1)


def days_to_closed():
    if db.engine.dialect.name == "sqlite":
        return func.julianday(Report.closed_at) - func.julianday(Report.received_at)
    return func.extract("epoch", Report.closed_at - Report.received_at) / 86400


def local_month(day: str, late_hour: int) -> str:
    if late_hour < 0:
        return day[:7]
    moment = datetime.fromisoformat(day).replace(hour=late_hour, tzinfo=timezone.utc)
    return moment.astimezone(LOCAL_ZONE).strftime("%Y-%m")


def json_has(column, code: str):
    return case((cast(column, String).like(f'%"{code}"%'), 1), else_=0)


def summarise(user: User, filters: Filters, today: date) -> Summary:
    """The dashboard's figures for the filtered reports, counted by the database (GROUP BY)."""
    summary = Summary(months=month_keys(filters.start, filters.end))
    per_month, per_kind, per_month_kind, causes = Counter(), Counter(), Counter(), Counter()
    day, late_hour = utc_day_and_late_hour()
    grouped = filtered(user, filters, (
        day, late_hour, Report.kinds, func.count(), func.sum(case((Report.harm == rules.Harm.INJURY, 1), else_=0)),
        func.sum(json_has(Report.topics, rules.Topic.FALL)), func.sum(json_has(Report.topics, rules.Topic.MEDICATION)),
    )).group_by(day, late_hour, Report.kinds)
    for bucket_day, bucket_hour, kinds, count, harmed, falls, medication in db.session.execute(grouped):
        month = local_month(bucket_day, bucket_hour)
        per_month[month] += count
        for kind in kinds:
            per_kind[kind] += count
            per_month_kind[(month, kind)] += count
        summary.with_harm += harmed
        summary.falls += falls
        summary.medication += medication
    for report_causes, count in db.session.execute(
            filtered(user, filters, (Report.causes, func.count())).group_by(Report.causes)):
        for cause in report_causes:
            causes[cause] += count
    lead_days = list(db.session.scalars(filtered(user, filters, (days_to_closed(),))
                                        .where(Report.closed_at.is_not(None))))
    summary.total = sum(per_month.values())
    summary.per_month = {month: per_month[month] for month in summary.months}
    summary.per_kind = {kind: per_kind[kind] for kind in rules.KIND_LABELS if per_kind[kind]}
    summary.per_month_and_kind = dict(per_month_kind)
    summary.median_days_to_closed = round(median(lead_days), 1) if lead_days else None
    summary.causes = causes.most_common()
    report_ids = filtered(user, filters, (Report.id,)).subquery()
    actions = select(func.count()).select_from(ReportAction).where(
        ReportAction.report_id.in_(select(report_ids.c.id)), ReportAction.status != rules.ActionStatus.DONE)
    summary.open_actions = db.session.scalar(actions)
    summary.overdue_actions = db.session.scalar(actions.where(ReportAction.due_on < today))
    return summary


CSV_HEADER = ["mottagen", "enhet", "typer", "skada", "gäller", "status", "dagar_till_avslut", "orsaker"]


def csv_rows(user: User, filters: Filters):
    """One row per filtered report, with no names and no free text."""
    unit_names = dict(db.session.execute(select(Unit.id, Unit.name)).all())
    yield CSV_HEADER
    for received_at, unit_id, kinds, harm, topics, status, closed_at, causes in db.session.execute(
            filtered(user, filters).order_by(Report.received_at)):
        days = round((closed_at - received_at).total_seconds() / 86400, 1) if closed_at else ""
        yield [received_at.astimezone(LOCAL_ZONE).date().isoformat(), unit_names.get(unit_id, ""), ";".join(kinds),
               harm, ";".join(topics), status, days, ";".join(causes)]
