"""Unusual rises: each unit's reports of one kind over the last four weeks against the same unit's year before.

The test is a one-sided exact Poisson test. Reports of a kind arrive one by one and independently enough that,
if nothing has changed, the count in four weeks is Poisson with the unit's own rate of the previous twelve
months; small counts are the rule, so the exact tail is used rather than a normal approximation. The level is
strict (0.1 %) because every unit and kind is tested each week: with some forty pairs a week, 1 % would cry wolf
every few weeks, 0.1 % about twice a year (fewer in practice: with small rates the exact test is conservative).
"""
import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import case, func, select

from app.accounts import scope
from app.accounts.models import Unit, User
from app.accounts.rules import Role
from app.accounts.scope import Purpose
from app.extensions import db
from app.notices.rules import Importance
from app.notices.reminders import remind_once
from app.reports import rules
from app.reports.models import Report, ReportKindRow
from app.timestamps import LOCAL_ZONE
from app.urls import path_for

RECENT_DAYS = 28
BASELINE_DAYS = 364
SIGNIFICANCE = 0.001
# A rise of one or two reports is never news, whatever the rate before.
MIN_RECENT = 3
# A kind the unit never reported in a year is not "impossible" now: at least one report per eight weeks.
MIN_EXPECTED = 0.5
RISE_SUBJECT = "unusual_rise"


def poisson_upper_tail(observed: int, expected: float) -> float:
    """P(X >= observed) for X ~ Poisson(expected), summed in log space so large counts do not overflow."""
    if observed <= 0:
        return 1.0
    below = sum(math.exp(k * math.log(expected) - expected - math.lgamma(k + 1)) for k in range(observed))
    return max(0.0, 1.0 - below)


def expected_count(baseline_count: int) -> float:
    """The count four weeks would hold at the unit's rate of the previous twelve months."""
    return max(MIN_EXPECTED, baseline_count * RECENT_DAYS / BASELINE_DAYS)


def is_unusual_rise(recent_count: int, baseline_count: int) -> bool:
    """Whether the last four weeks' count is unlikely by chance at the rate of the year before."""
    if recent_count < MIN_RECENT:
        return False
    return poisson_upper_tail(recent_count, expected_count(baseline_count)) < SIGNIFICANCE


@dataclass(frozen=True)
class Rise:
    unit_id: int
    kind: str
    recent: int
    expected: float


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), LOCAL_ZONE)


def counts_by_unit_and_kind(today: date) -> list[tuple[int, str, int, int]]:
    """(unit, kind, reports in the last four weeks, reports in the twelve months before them)."""
    recent_start = local_midnight(today - timedelta(days=RECENT_DAYS))
    baseline_start = local_midnight(today - timedelta(days=RECENT_DAYS + BASELINE_DAYS))
    in_recent = Report.received_at >= recent_start
    rows = db.session.execute(
        select(Report.unit_id, ReportKindRow.kind, func.sum(case((in_recent, 1), else_=0)),
               func.sum(case((in_recent, 0), else_=1)))
        .join(ReportKindRow, ReportKindRow.report_id == Report.id)
        .where(Report.received_at >= baseline_start, Report.received_at < local_midnight(today))
        .group_by(Report.unit_id, ReportKindRow.kind))
    return [(unit_id, kind, int(recent), int(baseline)) for unit_id, kind, recent, baseline in rows]


def find_rises(today: date) -> list[Rise]:
    return [Rise(unit_id, kind, recent, expected_count(baseline))
            for unit_id, kind, recent, baseline in counts_by_unit_and_kind(today)
            if is_unusual_rise(recent, baseline)]


def told_of_rise(unit_id: int) -> list[User]:
    """The unit's managers (those who handle its reports) and quality, MAS included."""
    parent_of = scope.parent_map()
    users = db.session.scalars(select(User).where(User.active, User.role.in_((Role.MANAGER, Role.QUALITY)))
                               .order_by(User.id))
    return [user for user in users
            if user.role == Role.QUALITY or unit_id in scope.visible_unit_ids(user, Purpose.HANDLE_REPORTS, parent_of)]


def flag_unusual_rises(today: date) -> int:
    """Tell each unit's managers and quality of each unusual rise, once per unit, kind and week."""
    sent = 0
    for rise in find_rises(today):
        unit = db.session.get(Unit, rise.unit_id)
        label = rules.KIND_LABELS.get(rise.kind, rise.kind)
        link = path_for("reports.statistics", enhet=rise.unit_id, typ=rise.kind,
                        fran=(today - timedelta(days=RECENT_DAYS + BASELINE_DAYS)).isoformat(),
                        till=today.isoformat())
        sent += remind_once(
            told_of_rise(rise.unit_id), subject=RISE_SUBJECT, subject_id=rise.unit_id, step=rise.kind[:20],
            about_date=today - timedelta(days=today.weekday()),
            title=f"Ovanligt många rapporter: {label}, {unit.name}",
            body=(f"{rise.recent} de senaste fyra veckorna, mot ungefär {rise.expected:.1f} på fyra veckor "
                  "under året innan. Titta på statistiken för enheten."),
            url=link, importance=Importance.IMPORTANT)
    return sent
