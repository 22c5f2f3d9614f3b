"""Complaints counted for the dashboard and the tertial summary: per unit, month, channel, outcome and cause."""
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.accounts.models import Unit, User
from app.complaints import rules
from app.complaints.models import Complaint
from app.extensions import db
from app.reports.models import Report
from app.reports.rules import ReportStatus
from app.reports.statistics import Filters, conditions, month_keys
from app.timestamps import LOCAL_ZONE

UNKNOWN_UNIT = "Okänd enhet"


@dataclass
class ComplaintSummary:
    total: int = 0
    months: list[str] = field(default_factory=list)
    per_month: dict[str, int] = field(default_factory=dict)
    per_unit: list[tuple[str, int]] = field(default_factory=list)
    per_channel: dict[str, int] = field(default_factory=dict)
    per_outcome: dict[str, int] = field(default_factory=dict)
    causes: list[tuple[str, int]] = field(default_factory=list)
    answer_wanted: int = 0
    answered_in_time: int = 0
    anonymous: int = 0

    @property
    def in_time_share(self) -> int | None:
        """Per cent of the complaints that wanted an answer and got it within the answer clock."""
        return round(100 * self.answered_in_time / self.answer_wanted) if self.answer_wanted else None


def summarise(user: User, filters: Filters, configured: dict) -> ComplaintSummary:
    """The complaints among the reports the user handles in the filtered period (the dashboard's own rule)."""
    rows = db.session.execute(
        select(Complaint, Report.received_at, Report.status, Report.causes, Unit.name)
        .join(Report, Report.id == Complaint.report_id).join(Unit, Unit.id == Report.unit_id)
        .where(*conditions(user, Filters(filters.start, filters.end, filters.unit_id)),
               # From the few complaints to their reports: left to itself SQLite walks a year of reports by date.
               Report.id.in_(select(Complaint.report_id))))
    summary = ComplaintSummary(months=month_keys(filters.start, filters.end))
    per_month, per_unit, per_channel, per_outcome, causes = Counter(), Counter(), Counter(), Counter(), Counter()
    for complaint, received_at, status, report_causes, unit_name in rows:
        received_on = received_at.astimezone(LOCAL_ZONE).date()
        per_month[received_on.strftime("%Y-%m")] += 1
        per_unit[unit_name if complaint.unit_known else UNKNOWN_UNIT] += 1
        per_channel[complaint.channel] += 1
        per_outcome[rules.outcome(bool(complaint.answer), complaint.no_answer_reason,
                                  status == ReportStatus.CLOSED)] += 1
        causes.update(report_causes)
        summary.anonymous += complaint.anonymous
        if complaint.wants_answer:
            summary.answer_wanted += 1
            answered_on = complaint.answered_at.astimezone(LOCAL_ZONE).date() if complaint.answered_at else None
            summary.answered_in_time += rules.answered_in_time(received_on, answered_on, configured)
    summary.total = sum(per_month.values())
    summary.per_month = {key: per_month[key] for key in summary.months}
    summary.per_unit = sorted(per_unit.items())
    summary.per_channel = {code: per_channel[code] for code in rules.CHANNEL_LABELS if per_channel[code]}
    summary.per_outcome = {code: per_outcome[code] for code in rules.OUTCOME_LABELS if per_outcome[code]}
    summary.causes = causes.most_common()
    return summary


def tertial_filters(year: int, number: int) -> Filters:
    start, end = rules.tertial_days(year, number)
    return Filters(start, end)


def previous_tertial(today: date) -> tuple[int, int]:
    """The last whole tertial before today's."""
    year, number = rules.tertial_of(today)
    return (year - 1, 3) if number == 1 else (year, number - 1)
