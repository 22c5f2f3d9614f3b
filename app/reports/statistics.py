"""Statistics over the reports a user handles: per month and kind, harm, falls, medication, lead time, causes."""
import functools
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import String, Text, case, cast, exists, func, select, type_coerce

from app.accounts import scope
from app.accounts.models import Unit, User
from app.accounts.scope import Purpose
from app.extensions import db
from app.reports import rules
from app.reports.handling import handled_scope
from app.reports.models import Report, ReportAction, ReportKindRow
from app.timestamps import LOCAL_ZONE

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
    """The units a user may filter on: those whose reports they handle."""
    statement = select(Unit).where(scope.unit_filter(user, Purpose.HANDLE_REPORTS, Unit.id)).order_by(Unit.name)
    return list(db.session.scalars(statement))


def local_start(day: date) -> datetime:
    return datetime.combine(day, time(), LOCAL_ZONE)


def conditions(user: User, filters: Filters) -> list:
    """What makes a report count: handled by the user, received in the period, of the unit (and below) and kind."""
    where = [handled_scope(user), Report.received_at >= local_start(filters.start),
             Report.received_at < local_start(filters.end + timedelta(days=1))]
    if filters.unit_id is not None:
        where.append(Report.unit_id.in_(scope.with_units_below([filters.unit_id])))
    if filters.kind:
        where.append(exists().where(ReportKindRow.report_id == Report.id, ReportKindRow.kind == filters.kind))
    return where


def filtered(user: User, filters: Filters, columns=COLUMNS):
    """A query of the handled reports received in the period, of the unit (and below) and kind chosen."""
    return select(*columns).where(*conditions(user, filters))


def month_keys(start: date, end: date) -> list[str]:
    keys, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        keys.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def as_text(column):
    """A JSON list column as its text, to group by: as stored on SQLite (so its index serves), cast on PostgreSQL."""
    if db.engine.dialect.name == "sqlite":
        return type_coerce(column, String)
    return cast(column, Text)


def in_kind_order(per_kind: Counter) -> dict[str, int]:
    """The counted kinds in the order of the kinds table, leaving out those not seen."""
    return {kind: per_kind[kind] for kind in rules.KIND_LABELS if per_kind[kind]}


def median_days_to_closed(where: list, closed: int) -> float | None:
    """The median, found by the database: the middle one or two of the sorted lead times."""
    if not closed:
        return None
    # Walking the index in order and stopping halfway beats sorting; SQLite would rather sort by received_at.
    middle = db.session.scalars(select(Report.minutes_to_closed).where(*where, Report.minutes_to_closed.is_not(None))
                                .with_hint(Report, "INDEXED BY ix_reports_minutes_to_closed", "sqlite")
                                .order_by(Report.minutes_to_closed).offset((closed - 1) // 2)
                                .limit(2 - closed % 2)).all()
    return round(sum(middle) / len(middle) / (24 * 60), 1)


def summarise(user: User, filters: Filters, today: date) -> Summary:
    """The dashboard's figures for the filtered reports, counted by the database.

    One GROUP BY over the combinations of month, kinds, causes, harm and topics (a few hundred even for a
    hundred thousand reports) gives every count; the median and the actions are one query each.
    """
    summary = Summary(months=month_keys(filters.start, filters.end))
    where = conditions(user, filters)
    kinds, causes, topics = as_text(Report.kinds), as_text(Report.causes), as_text(Report.topics)
    per_month, per_kind, per_month_and_kind, per_cause, closed = Counter(), Counter(), Counter(), Counter(), 0
    parsed = functools.lru_cache(maxsize=None)(json.loads)
    for month, kinds_json, causes_json, harm, topics_json, count, closed_count in db.session.execute(
            select(Report.received_month, kinds, causes, Report.harm, topics, func.count(),
                   func.count(Report.minutes_to_closed))
            # The months' range lets SQLite read the statistics index in order instead of sorting.
            .where(*where, Report.received_month.between(summary.months[0], summary.months[-1]))
            .group_by(Report.received_month, kinds, causes, Report.harm, topics)):
        per_month[month] += count
        closed += closed_count
        for kind in parsed(kinds_json):
            per_kind[kind] += count
            per_month_and_kind[(month, kind)] += count
        for cause in parsed(causes_json):
            per_cause[cause] += count
        summary.with_harm += count if harm == rules.Harm.INJURY else 0
        summary.falls += count if rules.Topic.FALL in parsed(topics_json) else 0
        summary.medication += count if rules.Topic.MEDICATION in parsed(topics_json) else 0
    summary.total = sum(per_month.values())
    summary.per_month = {key: per_month[key] for key in summary.months}
    summary.per_kind = in_kind_order(per_kind)
    summary.per_month_and_kind = dict(per_month_and_kind)
    summary.median_days_to_closed = median_days_to_closed(where, closed)
    summary.causes = per_cause.most_common()
    summary.open_actions, summary.overdue_actions = count_open_actions(where, today)
    return summary


def count_open_actions(where: list, today: date) -> tuple[int, int]:
    """How many actions on the filtered reports are not done, and how many of those are overdue."""
    open_statuses = [status for status in rules.ActionStatus if status != rules.ActionStatus.DONE]
    overdue = rules.action_is_overdue_sql(ReportAction.status, ReportAction.due_on, today)
    # From the few open actions to their reports, not from every report to its actions.
    return tuple(db.session.execute(
        select(func.count(), func.coalesce(func.sum(case((overdue, 1), else_=0)), 0))
        .where(ReportAction.status.in_(open_statuses),
               exists().where(Report.id == ReportAction.report_id, *where))).one())


# A spreadsheet takes a cell starting with one of these for a formula (or, after a tab or CR, a new cell).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A text cell a spreadsheet shows as text: a leading formula character gets a single quote before it."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


# The dates the dashboard can show: a date far outside (year 1, year 9999) is refused, not computed with.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
DATE_OUT_OF_RANGE = ("date_out_of_range", "Välj datum mellan år 2000 och 2099.")


CSV_HEADER = ["mottagen", "enhet", "typer", "skada", "gäller", "status", "dagar_till_avslut", "orsaker"]


def csv_rows(user: User, filters: Filters):
    """One row per filtered report, with no names and no free text."""
    unit_names = dict(db.session.execute(select(Unit.id, Unit.name)).all())
    yield CSV_HEADER
    for received_at, unit_id, kinds, harm, topics, status, closed_at, causes in db.session.execute(
            filtered(user, filters).order_by(Report.received_at)):
        days = round((closed_at - received_at).total_seconds() / 86400, 1) if closed_at else ""
        row = [received_at.astimezone(LOCAL_ZONE).date().isoformat(), unit_names.get(unit_id, ""), ";".join(kinds),
               harm, ";".join(topics), status, days, ";".join(causes)]
        yield [spreadsheet_safe(cell) for cell in row]
