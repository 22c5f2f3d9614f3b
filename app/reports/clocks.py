"""Clocks and reminders: notification clocks, overdue actions and reports left unhandled; each told once."""
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.accounts.rules import Role, takes_part
from app.errors import NotAllowed
from app.extensions import db
from app.notices.reminders import remind_once
from app.notices.services import notify_overdue_deadline
from app.reports import clock_rules, rules
from app.reports.handling import HandlingError
from app.reports.models import Report, ReportAction, ReportClock
from app.reports.handlers import responsible_users
from app.reports.services import is_handler
from app.timestamps import LOCAL_ZONE
from app.urls import path_for
from app.views import date_sv

log = logging.getLogger("fickan.reports")


@dataclass(frozen=True)
class ClockState:
    """One legal clock of one report as it stands at `now`."""

    clock: clock_rules.LegalClock
    due_at: datetime
    overdue: bool
    record: ReportClock | None
    hours: float | None = None  # the internal deadline as configured

    @property
    def internal_phrase(self) -> str:
        return clock_rules.hours_phrase(self.hours)

    @property
    def internal_is_statutory(self) -> bool:
        """Whether our internal deadline is the law's own hour limit (IMY's 72 hours, unless configured shorter)."""
        return self.clock.statutory_hours is not None and self.hours == self.clock.statutory_hours

    @property
    def stopped(self) -> bool:
        return bool(self.record and self.record.stopped_at)

    @property
    def outcome_label(self) -> str:
        return clock_rules.outcome_labels(self.clock).get(self.record.outcome, "") if self.stopped else ""

    @property
    def outcome_labels(self) -> dict[str, str]:
        return clock_rules.outcome_labels(self.clock)


def discovered_at(report: Report) -> datetime:
    """When the event was discovered: the handler's date if given, else when the reporter wrote it down."""
    return report.noticed_at or report.created_at


def clock_states(report: Report, records: list[ReportClock], now: datetime, overrides: dict) -> list[ClockState]:
    """The legal clocks that run for the report, with their due times, at `now`."""
    by_code = {record.code: record for record in records}
    states = []
    for clock in clock_rules.clocks_for(report.kinds):
        record = by_code.get(clock.code)
        due_at = clock_rules.clock_due(clock, discovered_at(report), overrides, LOCAL_ZONE)
        stopped = bool(record and record.stopped_at)
        states.append(ClockState(clock, due_at, clock_rules.clock_is_overdue(due_at, stopped, now), record,
                                 clock_rules.clock_hours(clock, overrides)))
    return states


def records_of(report: Report) -> list[ReportClock]:
    return list(db.session.scalars(select(ReportClock).where(ReportClock.report_id == report.id)))


def record_for(report: Report, code: str) -> ReportClock:
    record = db.session.scalar(select(ReportClock).where(ReportClock.report_id == report.id,
                                                         ReportClock.code == code))
    if record is None:
        record = ReportClock(report_id=report.id, code=code)
        db.session.add(record)
    return record


def stop_clock(actor: User, report: Report, code: str, outcome: str, note: str, now: datetime) -> ReportClock:
    """A handler records that the duty is done, or that it does not apply (not serious)."""
    if not is_handler(actor, report):
        raise NotAllowed("Du handlägger inte den här rapporten.")
    if code not in {clock.code for clock in clock_rules.clocks_for(report.kinds)}:
        raise HandlingError("clock_not_applicable", "Den tidsfristen gäller inte den här rapporten.")
    if not may_record(actor, clock_rules.CLOCK_BY_CODE[code]):
        raise NotAllowed("Bara MAS anmäler en vårdskada (Lex Maria) till IVO."
                         if code == "lex_maria" else "Du kan inte registrera den här anmälan.")
    if outcome not in clock_rules.CLOCK_OUTCOME_LABELS:
        raise HandlingError("outcome_required", "Välj vad som har gjorts.")
    record = record_for(report, code)
    record.outcome, record.note, record.stopped_by_id, record.stopped_at = outcome, note.strip(), actor.id, now
    db.session.flush()
    return record


def may_record(user: User, clock: clock_rules.LegalClock) -> bool:
    """Whether the user may record what became of the clock (Lex Maria: MAS only); others only see it."""
    return takes_part(user.role, user.is_mas, clock.recorded_by)


def open_reports_with_clocks():
    kinds = {kind for clock in clock_rules.LEGAL_CLOCKS for kind in clock.kinds}
    reports = db.session.scalars(select(Report).where(Report.status != rules.ReportStatus.CLOSED))
    return [report for report in reports if kinds & set(report.kinds)]


def remind_overdue_clocks(now: datetime, overrides: dict) -> int:
    """Tell the responsible roles of each legal clock that has run out, once per clock."""
    told = 0
    for report in open_reports_with_clocks():
        for state in clock_states(report, records_of(report), now, overrides):
            if not state.overdue or (state.record and state.record.overdue_notified_at):
                continue
            # A report past its manager reaches none of the managers a clock names: quality hears instead.
            users = (responsible_users(report, state.clock.notify)
                     or responsible_users(report, frozenset({Role.QUALITY})))
            notify_overdue_deadline(users, url=path_for("reports.handle", report_uuid=report.uuid),
                                    topic=f"clock-{report.id}-{state.clock.code}")
            record_for(report, state.clock.code).overdue_notified_at = now
            db.session.commit()
            log.info("legal clock overdue", extra={"report": report.id, "clock": state.clock.code})
            told += 1
    return told


def remind_overdue_actions(now: datetime) -> int:
    """Tell the handlers (and the owner, if a user) of each action past its due date, once per action."""
    today = now.astimezone(LOCAL_ZONE).date()
    overdue = db.session.scalars(select(ReportAction).where(
        rules.action_is_overdue_sql(ReportAction.status, ReportAction.due_on, today),
        ReportAction.overdue_notified_at.is_(None)))
    told = 0
    for action in list(overdue):
        users = responsible_users(action.report, frozenset({Role.MANAGER}))
        # The owner is told too if they can open the report; staff learn of it from their manager.
        if action.owner and is_handler(action.owner, action.report) and action.owner not in users:
            users.append(action.owner)
        url = path_for("reports.handle", report_uuid=action.report.uuid, _anchor="atgarder")
        notify_overdue_deadline(users, url=url, topic=f"action-{action.id}")
        action.overdue_notified_at = now
        db.session.commit()
        told += 1
    return told


UNHANDLED_SUBJECT = "unhandled_report"


def remind_unhandled_reports(today: date, working_days: int) -> int:
    """Remind of reports still received after `working_days` working days: the manager, then quality; once each."""
    since = datetime.combine(today - timedelta(days=rules.UNHANDLED_LOOKBACK_DAYS), time(), LOCAL_ZONE)
    reports = db.session.scalars(select(Report).where(Report.status == rules.ReportStatus.RECEIVED,
                                                      Report.received_at >= since).order_by(Report.id))
    sent = 0
    for report in list(reports):
        received_on = report.received_at.astimezone(LOCAL_ZONE).date()
        for step in rules.unhandled_reminder_steps(received_on, today, working_days):
            users = responsible_users(report, frozenset({Role.MANAGER if step == "manager" else Role.QUALITY}))
            sent += remind_once(
                users, subject=UNHANDLED_SUBJECT, subject_id=report.id, step=step, about_date=received_on,
                title=f"En rapport från {report.unit.name} väntar",
                body=f"Den kom in {date_sv(received_on)} och är fortfarande mottagen. Öppna den och ta ställning.",
                url=path_for("reports.handle", report_uuid=report.uuid))
    return sent
