"""Rules of the notification clocks: what the law asks after a report of a kind, in the law's own words and with its
source, and the municipality's own internal deadline for it (labelled so: only IMY's 72 hours are statutory)."""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from enum import StrEnum

from app.accounts.rules import Responsibility, Role
from app.reports.rules import ReportKind


# The internal durations are defaults; each can be overridden by configuration (FICKAN_CLOCK_<CODE>_HOURS).
@dataclass(frozen=True)
class LegalClock:
    """One row of the clocks table: for reports of `kinds`, `duty` towards `authority`, which the law asks for
    `law_time` (its words: "snarast", "utan dröjsmål", "inom 72 timmar") under `source`; `statutory_hours` when
    the law itself counts hours (IMY only). `hours` is our internal deadline after discovery, not the law's.

    `hours` None means "the same day": by the end of the local day of discovery. `notify` are told when it runs
    out, `recorded_by` may record that it is done (roles and responsibilities, among the report's handlers).
    """

    code: str
    kinds: frozenset[ReportKind]
    authority: str
    duty: str
    law_time: str
    source: str
    statutory_hours: float | None
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
               "Utred missförhållandet och anmäl det till IVO om det är allvarligt.",
               "snarast", "SOSFS 2011:5 (Lex Sarah)", None,
               24, MANAGER_AND_QUALITY, MANAGER_AND_QUALITY),
    LegalClock("lex_maria", frozenset({ReportKind.LEX_MARIA}), "IVO",
               "MAS (medicinskt ansvarig sjuksköterska) bedömer vårdskadan och anmäler den till IVO om den är "
               "allvarlig.",
               "snarast", "HSLF-FS 2017:40 (Lex Maria)", None,
               48, ONLY_MAS, ONLY_MAS),
    LegalClock("av", frozenset({ReportKind.WORK_INJURY, ReportKind.WORK_NEAR_MISS}), "Arbetsmiljöverket",
               "Anmäl en allvarlig olycka eller ett allvarligt tillbud till Arbetsmiljöverket.",
               "utan dröjsmål", "arbetsmiljöförordningen (1977:1166) 2 §", None,
               None, frozenset({Role.MANAGER}), MANAGER_AND_QUALITY),
    LegalClock("imy", frozenset({ReportKind.INFORMATION_SECURITY}), "IMY",
               "Anmäl personuppgiftsincidenten till IMY, om den inte är osannolik att medföra en risk.",
               "inom 72 timmar från upptäckten", "dataskyddsförordningen (GDPR) artikel 33", 72,
               72, MANAGER_AND_QUALITY, MANAGER_AND_QUALITY),
]
CLOCK_BY_CODE = {clock.code: clock for clock in LEGAL_CLOCKS}
# The authorities written out where a clock is shown: an abbreviation alone tells a new reader nothing.
AUTHORITY_NAMES = {
    "IVO": "Inspektionen för vård och omsorg (IVO)",
    "IMY": "Integritetsskyddsmyndigheten (IMY)",
}


class ClockOutcome(StrEnum):
    DONE = "done"
    NOT_NEEDED = "not_needed"


# Generic words for the outcomes; a clock's own form and record name its authority (outcome_labels).
CLOCK_OUTCOME_LABELS = {
    ClockOutcome.DONE: "Anmälan är gjord",
    ClockOutcome.NOT_NEEDED: "Ingen anmälan behövs – bedömd som inte allvarlig",
}


def outcome_labels(clock: LegalClock) -> dict[str, str]:
    """The outcomes of one clock in plain words that name its authority ("Anmälan till IVO är gjord")."""
    return {
        ClockOutcome.DONE: f"Anmälan till {clock.authority} är gjord",
        ClockOutcome.NOT_NEEDED: "Ingen anmälan behövs – bedömd som inte allvarlig",
    }


def clock_hours(clock: LegalClock, overrides: dict) -> float | None:
    """The clock's duration in hours: the configured override if any, else the default."""
    value = overrides.get(clock.setting)
    return float(value) if value not in (None, "") else clock.hours


def hours_phrase(hours: float | None) -> str:
    """An internal deadline in words: "24 timmar efter upptäckten", or "samma dag" for None."""
    if hours is None:
        return "samma dag som händelsen upptäcktes"
    return f"{hours:g} {'timme' if hours == 1 else 'timmar'} efter upptäckten"


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
