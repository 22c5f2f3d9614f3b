"""Rules of the legal clocks: what the law asks after a report of a kind, by when, and who is told."""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from enum import StrEnum

from app.accounts.rules import Responsibility, Role
from app.reports.rules import ReportKind


# The durations are defaults; each can be overridden by configuration (FICKAN_CLOCK_<CODE>_HOURS).
@dataclass(frozen=True)
class LegalClock:
    """One row of the legal clocks table: for reports of `kinds`, `duty` is due `hours` after discovery.

    `hours` None means "the same day": by the end of the local day of discovery. `notify` are told when it runs
    out, `recorded_by` may record that it is done (roles and responsibilities, among the report's handlers).
    """

    code: str
    kinds: frozenset[ReportKind]
    authority: str
    duty: str
    hours: float | None
    notify: frozenset[Role | Responsibility]
    recorded_by: frozenset[Role | Responsibility]

    @property
    def setting(self) -> str:
        return f"FICKAN_CLOCK_{self.code.upper()}_HOURS"


MANAGER_AND_QUALITY = frozenset({Role.MANAGER, Role.QUALITY})
ONLY_MAS = frozenset({Responsibility.MAS})

LEGAL_CLOCKS = [
    LegalClock("lex_sarah", frozenset({ReportKind.LEX_SARAH}), "IVO",
               "Utred utan dröjsmål. Anmäl till IVO snarast om missförhållandet är allvarligt.",
               24, MANAGER_AND_QUALITY, MANAGER_AND_QUALITY),
    LegalClock("lex_maria", frozenset({ReportKind.LEX_MARIA}), "IVO",
               "MAS bedömer och anmäler till IVO snarast om vårdskadan är allvarlig.",
               48, ONLY_MAS, ONLY_MAS),
    LegalClock("av", frozenset({ReportKind.WORK_INJURY, ReportKind.WORK_NEAR_MISS}), "Arbetsmiljöverket",
               "Anmäl allvarlig olycka eller allvarligt tillbud till Arbetsmiljöverket utan dröjsmål.",
               None, frozenset({Role.MANAGER}), MANAGER_AND_QUALITY),
    LegalClock("imy", frozenset({ReportKind.INFORMATION_SECURITY}), "IMY",
               "Anmäl personuppgiftsincidenten till IMY inom 72 timmar från upptäckten.",
               72, MANAGER_AND_QUALITY, MANAGER_AND_QUALITY),
]
CLOCK_BY_CODE = {clock.code: clock for clock in LEGAL_CLOCKS}


class ClockOutcome(StrEnum):
    DONE = "done"
    NOT_NEEDED = "not_needed"


CLOCK_OUTCOME_LABELS = {
    ClockOutcome.DONE: "Anmält eller gjort",
    ClockOutcome.NOT_NEEDED: "Inte allvarligt – ingen anmälan behövs",
}


def clock_hours(clock: LegalClock, overrides: dict) -> float | None:
    """The clock's duration in hours: the configured override if any, else the default."""
    value = overrides.get(clock.setting)
    return float(value) if value not in (None, "") else clock.hours


def clock_due(clock: LegalClock, discovered_at: datetime, overrides: dict, zone: tzinfo) -> datetime:
    """When the duty falls due for something discovered at `discovered_at`."""
    hours = clock_hours(clock, overrides)
    if hours is None:
        local = discovered_at.astimezone(zone)
        return datetime.combine(local.date() + timedelta(days=1), time(), zone).astimezone(discovered_at.tzinfo)
    return discovered_at + timedelta(hours=hours)


def clocks_for(kinds: Iterable[str]) -> list[LegalClock]:
    """The clocks that run for a report of these kinds."""
    kinds = set(kinds)
    return [clock for clock in LEGAL_CLOCKS if clock.kinds & kinds]


def clock_is_overdue(due_at: datetime, stopped: bool, now: datetime) -> bool:
    return not stopped and now >= due_at
