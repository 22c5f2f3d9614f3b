"""What the report handling page (and its printable export) shows of one report, for one handler at one moment."""
from dataclasses import dataclass, fields
from datetime import date, datetime

from app.accounts.models import User
from app.accounts.rules import Role
from app.extensions import db
from app.reports import clock_rules, clocks, handling, rules, services
from app.reports.clocks import ClockState
from app.reports.models import InvestigationEntry, KindChange, Report, ReportAccess, ReportAction
from app.routines import services as routines
from app.routines.models import Routine
from app.timestamps import LOCAL_ZONE

# The rules tables the page reads; the same for every report, so passed to the templates as they are.
HANDLING_TABLES = dict(
    kind_labels=rules.KIND_LABELS, affected_labels=rules.AFFECTED_LABELS, harm_labels=rules.HARM_LABELS,
    topic_labels=rules.TOPIC_LABELS, cause_labels=rules.CAUSE_LABELS, probability_labels=rules.PROBABILITY_LABELS,
    consequence_labels=rules.CONSEQUENCE_LABELS, risk_level=rules.risk_level, entry_labels=rules.ENTRY_LABELS,
    action_status_labels=rules.ACTION_STATUS_LABELS, effect_labels=rules.EFFECT_LABELS,
    status_labels=rules.STATUS_LABELS, action_is_overdue=rules.action_is_overdue,
    authority_names=clock_rules.AUTHORITY_NAMES, local_zone=LOCAL_ZONE,
)


@dataclass(frozen=True)
class ReportPage:
    """One report as its handler sees it: the case, its history, the investigation, actions and deadlines."""

    report: Report
    now: datetime
    today: date
    next_statuses: tuple[str, ...]
    history: list[KindChange]
    entries: list[InvestigationEntry]
    actions: list[ReportAction]
    clocks: list[ClockState]
    similar: list[Report]
    owners: list[User]
    routines: list[Routine]
    linked_routine: Routine | None
    # Who opened the report: shown to quality only (None hides the log).
    accesses: list[ReportAccess] | None
    # The clocks whose outcome this handler may record (Lex Maria: MAS only); the others are shown.
    recordable: frozenset[str]

    def template_context(self) -> dict:
        """The page's values as template names, together with the rules tables."""
        values = {field.name: getattr(self, field.name) for field in fields(self)}
        return {**HANDLING_TABLES, **values, "may_record": lambda clock: clock.code in self.recordable}


def handling_page(user: User, report: Report, now: datetime, clock_overrides: dict) -> ReportPage:
    """The handling page of `report` for `user` at `now` (legal clocks with the configured durations)."""
    return ReportPage(
        report=report, now=now, today=now.astimezone(LOCAL_ZONE).date(),
        next_statuses=rules.NEXT_STATUSES.get(rules.ReportStatus(report.status), ()),
        history=handling.kind_history(report), entries=handling.entries(report), actions=handling.actions_of(report),
        clocks=clocks.clock_states(report, clocks.records_of(report), now, clock_overrides),
        similar=handling.similar_reports(report), owners=handling.possible_owners(report),
        routines=routines.readable_routines(user), linked_routine=linked_routine(report),
        accesses=services.accesses(report) if user.role == Role.QUALITY else None,
        recordable=frozenset(clock.code for clock in clock_rules.LEGAL_CLOCKS if clocks.may_record(user, clock)),
    )


def linked_routine(report: Report) -> Routine | None:
    return db.session.get(Routine, report.routine_id) if report.routine_id else None
