"""Rules of reports: the answers, the kinds, the classification table, status, personal identity numbers.

The classification table (CLASSIFICATION) is data that quality staff read on /rapporter/regler. The reporter
never chooses a kind: the answers to plain questions are mapped to suggested kinds here, and the manager
confirms or changes them.
"""
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import and_, or_

from app.accounts.rules import Role
from app.accounts.scope import Purpose, covers
from app.workdays import add_working_days


class Affected(StrEnum):
    CLIENT = "client"
    STAFF = "staff"
    OTHER = "other"
    NOBODY = "nobody"


AFFECTED_LABELS = {
    Affected.CLIENT: "En brukare eller patient",
    Affected.STAFF: "Jag eller en kollega",
    Affected.OTHER: "Någon annan",
    Affected.NOBODY: "Ingen – det var nära att hända",
}


class Harm(StrEnum):
    INJURY = "injury"
    RISK = "risk"
    NONE = "none"
    UNKNOWN = "unknown"


HARM_LABELS = {
    Harm.INJURY: "Ja, någon skadades",
    Harm.RISK: "Nej, men det fanns en risk",
    Harm.NONE: "Nej",
    Harm.UNKNOWN: "Vet inte",
}


class Topic(StrEnum):
    CARE = "care"
    MEDICATION = "medication"
    FALL = "fall"
    WORK_ENVIRONMENT = "work_environment"
    THREAT_VIOLENCE = "threat_violence"
    INFORMATION = "information"
    COMPLAINT = "complaint"
    OTHER = "other"


TOPIC_LABELS = {
    Topic.CARE: "Vård eller behandling",
    Topic.MEDICATION: "Läkemedel",
    Topic.FALL: "Ett fall",
    Topic.WORK_ENVIRONMENT: "Arbetsmiljön",
    Topic.THREAT_VIOLENCE: "Hot eller våld",
    Topic.INFORMATION: "Information eller personuppgifter",
    Topic.COMPLAINT: "Klagomål från brukare eller anhörig",
    Topic.OTHER: "Något annat",
}


class ReportKind(StrEnum):
    DEVIATION_SOL = "avvikelse_sol"
    DEVIATION_LSS = "avvikelse_lss"
    DEVIATION_HSL = "avvikelse_hsl"
    LEX_SARAH = "lex_sarah"
    LEX_MARIA = "lex_maria"
    COMPLAINT = "klagomal"
    WORK_NEAR_MISS = "arbetsmiljo_tillbud"
    WORK_INJURY = "arbetsmiljo_olycka"
    INFORMATION_SECURITY = "informationssakerhet"


KIND_LABELS = {
    ReportKind.DEVIATION_SOL: "Avvikelse i omsorgen (SoL)",
    ReportKind.DEVIATION_LSS: "Avvikelse i stöd och service (LSS)",
    ReportKind.DEVIATION_HSL: "Avvikelse i vården (HSL)",
    ReportKind.LEX_SARAH: "Möjligt missförhållande (Lex Sarah)",
    ReportKind.LEX_MARIA: "Möjlig vårdskada (Lex Maria)",
    ReportKind.COMPLAINT: "Klagomål eller synpunkt",
    ReportKind.WORK_NEAR_MISS: "Arbetsmiljö: tillbud",
    ReportKind.WORK_INJURY: "Arbetsmiljö: olycka eller arbetsskada",
    ReportKind.INFORMATION_SECURITY: "Informationssäkerhet eller personuppgiftsincident",
}


class ReportStatus(StrEnum):
    RECEIVED = "received"
    INVESTIGATING = "investigating"
    ACTIONS = "actions"
    CLOSED = "closed"


STATUS_LABELS = {
    ReportStatus.RECEIVED: "Mottagen",
    ReportStatus.INVESTIGATING: "Under utredning",
    ReportStatus.ACTIONS: "Åtgärder pågår",
    ReportStatus.CLOSED: "Avslutad",
}

# Where a handler may move a report next; closing has its own rule (feedback first).
NEXT_STATUSES = {
    ReportStatus.RECEIVED: (ReportStatus.INVESTIGATING,),
    ReportStatus.INVESTIGATING: (ReportStatus.ACTIONS, ReportStatus.CLOSED),
    ReportStatus.ACTIONS: (ReportStatus.INVESTIGATING, ReportStatus.CLOSED),
    ReportStatus.CLOSED: (ReportStatus.INVESTIGATING,),
}

MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 8 * 1024 * 1024
# One report with its photos in one request; the phone downscales photos to a long edge of 2048 px first.
MAX_REQUEST_BYTES = 10 * 1024 * 1024
MAX_TEXT_LENGTH = 20_000
THUMBNAIL_LONG_EDGE = 320


@dataclass(frozen=True)
class Rule:
    """One row of the classification table: when every given condition holds, suggest `kinds`.

    A condition left empty matches any answer. `affected` and `topics` match when the report names at least
    one of the listed values.
    """

    name: str
    kinds: tuple[ReportKind, ...]
    why: str
    affected: frozenset[Affected] = frozenset()
    harm: frozenset[Harm] = frozenset()
    topics: frozenset[Topic] = frozenset()

    def matches(self, affected: set[str], harm: str, topics: set[str]) -> bool:
        return ((not self.affected or bool(self.affected & affected))
                and (not self.harm or harm in self.harm)
                and (not self.topics or bool(self.topics & topics)))


def rule(name, kinds, why, affected=(), harm=(), topics=()) -> Rule:
    return Rule(name, tuple(kinds), why, frozenset(affected), frozenset(harm), frozenset(topics))


HURT_OR_RISK = (Harm.INJURY, Harm.RISK)
HEALTH_CARE = (Topic.CARE, Topic.MEDICATION, Topic.FALL)

CLASSIFICATION = [
    rule("vård-hsl", [ReportKind.DEVIATION_HSL],
         "Det gäller läkemedel, ett fall eller vård och behandling – en avvikelse i hälso- och sjukvården.",
         topics=HEALTH_CARE),
    rule("omsorg-sol", [ReportKind.DEVIATION_SOL],
         "En brukare berördes, och det gäller inte bara hälso- och sjukvård – en avvikelse i omsorgen.",
         affected=[Affected.CLIENT],
         topics=[Topic.CARE, Topic.THREAT_VIOLENCE, Topic.INFORMATION, Topic.COMPLAINT, Topic.OTHER]),
    rule("vårdskada", [ReportKind.LEX_MARIA],
         "En patient skadades eller riskerade att skadas i vård, av läkemedel eller vid ett fall – "
         "kan vara en vårdskada enligt Lex Maria.",
         affected=[Affected.CLIENT], harm=HURT_OR_RISK, topics=HEALTH_CARE),
    rule("missförhållande-hot", [ReportKind.LEX_SARAH],
         "En brukare utsattes för hot eller våld – kan vara ett missförhållande enligt Lex Sarah.",
         affected=[Affected.CLIENT], topics=[Topic.THREAT_VIOLENCE]),
    rule("missförhållande-omsorg", [ReportKind.LEX_SARAH],
         "En brukare skadades eller riskerade att skadas i omsorgen – kan vara ett missförhållande enligt Lex Sarah.",
         affected=[Affected.CLIENT], harm=HURT_OR_RISK, topics=[Topic.CARE, Topic.OTHER]),
    rule("klagomål", [ReportKind.COMPLAINT],
         "En brukare eller anhörig har klagat eller lämnat en synpunkt.",
         topics=[Topic.COMPLAINT]),
    rule("arbetsskada", [ReportKind.WORK_INJURY],
         "Någon i personalen skadades – en olycka eller arbetsskada.",
         affected=[Affected.STAFF], harm=[Harm.INJURY]),
    rule("tillbud-personal", [ReportKind.WORK_NEAR_MISS],
         "Någon i personalen kunde ha skadats – ett tillbud i arbetsmiljön.",
         affected=[Affected.STAFF], harm=[Harm.RISK, Harm.NONE, Harm.UNKNOWN]),
    rule("tillbud-arbetsmiljö", [ReportKind.WORK_NEAR_MISS],
         "Det gäller arbetsmiljön och ingen skadades – ett tillbud.",
         harm=[Harm.RISK, Harm.NONE, Harm.UNKNOWN], topics=[Topic.WORK_ENVIRONMENT]),
    rule("olycka-arbetsmiljö", [ReportKind.WORK_INJURY],
         "Det gäller arbetsmiljön och någon skadades – en olycka eller arbetsskada.",
         affected=[Affected.STAFF, Affected.NOBODY, Affected.OTHER], harm=[Harm.INJURY],
         topics=[Topic.WORK_ENVIRONMENT]),
    rule("informationssäkerhet", [ReportKind.INFORMATION_SECURITY],
         "Det gäller information eller personuppgifter – kan vara en personuppgiftsincident.",
         topics=[Topic.INFORMATION]),
]

# When no row matches, the report is still an avvikelse: the manager decides what more it is.
FALLBACK_KINDS = (ReportKind.DEVIATION_SOL,)
FALLBACK_WHY = "Ingen annan regel passade – en avvikelse som enhetschefen bedömer."

# Kinds that go to quality at once, with the legal clock shown.
URGENT_KINDS = frozenset({ReportKind.LEX_SARAH, ReportKind.LEX_MARIA})
# Quality's own queue: possible Lex Sarah / Lex Maria cases and personal-data incidents.
QUALITY_QUEUE_KINDS = URGENT_KINDS | {ReportKind.INFORMATION_SECURITY}


def needs_quality(kinds: Iterable[str]) -> bool:
    """Whether a report with these kinds belongs in quality's queue."""
    return bool(QUALITY_QUEUE_KINDS & set(kinds))


def is_urgent(kinds: Iterable[str], harm: str) -> bool:
    """Urgent: a case for quality, or someone was hurt."""
    return needs_quality(kinds) or harm == Harm.INJURY


def is_urgent_sql(flagged, harm):
    """is_urgent as an SQL condition; `flagged` is the column that stores needs_quality(kinds)."""
    return or_(flagged, harm == Harm.INJURY)


def status_change_problem(current: str, new: str, feedback: str = "", feedback_required: bool = True) -> str | None:
    """A Swedish message if the report may not move from `current` to `new`, else None. Feedback is required to
    close unless there is no reporter to tell (a complaint from the public page: its answer is the rule there)."""
    if new not in NEXT_STATUSES.get(current, ()):
        return f"Rapporten kan inte gå från {STATUS_LABELS[current].lower()} till {STATUS_LABELS[new].lower()}."
    if new == ReportStatus.CLOSED and feedback_required and not feedback.strip():
        return "Skriv en återkoppling till den som rapporterade innan du avslutar."
    return None


def kind_change_problem(kinds: Iterable[str], reason: str) -> str | None:
    """A Swedish message if the confirmed kinds are not acceptable, else None."""
    kinds = list(kinds)
    if not kinds:
        return "Välj minst en typ."
    if any(kind not in KIND_LABELS for kind in kinds):
        return "Okänd typ."
    if not reason.strip():
        return "Skriv varför typerna ska vara så (motiveringen sparas)."
    return None


# Causes are system-focused: what in the organisation let it happen, never who.
class Cause(StrEnum):
    ROUTINE = "routine"
    COMMUNICATION = "communication"
    STAFFING = "staffing"
    COMPETENCE = "competence"
    EQUIPMENT = "equipment"
    ENVIRONMENT = "environment"
    OTHER = "other"


CAUSE_LABELS = {
    Cause.ROUTINE: "Rutin saknas eller är oklar",
    Cause.COMMUNICATION: "Kommunikation eller överlämning",
    Cause.STAFFING: "Bemanning eller tid",
    Cause.COMPETENCE: "Kompetens eller introduktion",
    Cause.EQUIPMENT: "Utrustning eller hjälpmedel",
    Cause.ENVIRONMENT: "Miljö",
    Cause.OTHER: "Annat",
}

# Risk of recurrence: probability × consequence, 1–4 each (the 4×4 matrix).
PROBABILITY_LABELS = {1: "Mycket liten", 2: "Liten", 3: "Stor", 4: "Mycket stor"}
CONSEQUENCE_LABELS = {1: "Försumbar", 2: "Lindrig", 3: "Betydande", 4: "Katastrofal"}
# (highest score, level, label), checked in order.
RISK_LEVELS = ((3, "low", "Låg risk"), (6, "moderate", "Måttlig risk"), (9, "high", "Hög risk"),
               (16, "very_high", "Mycket hög risk"))


def risk_level(probability: int, consequence: int) -> tuple[int, str, str]:
    """(score, level code, Swedish label) of a probability and a consequence, each 1–4."""
    if probability not in PROBABILITY_LABELS or consequence not in CONSEQUENCE_LABELS:
        raise ValueError("probability and consequence are 1–4")
    score = probability * consequence
    return next((score, code, label) for highest, code, label in RISK_LEVELS if score <= highest)


class EntryKind(StrEnum):
    FACT = "fact"
    ASSESSMENT = "assessment"


ENTRY_LABELS = {EntryKind.FACT: "Fakta", EntryKind.ASSESSMENT: "Bedömning"}


class ActionStatus(StrEnum):
    PLANNED = "planned"
    RUNNING = "running"
    DONE = "done"


ACTION_STATUS_LABELS = {
    ActionStatus.PLANNED: "Planerad",
    ActionStatus.RUNNING: "Pågår",
    ActionStatus.DONE: "Genomförd",
}


class Effect(StrEnum):
    WORKED = "worked"
    PARTLY = "partly"
    DID_NOT_WORK = "did_not_work"


EFFECT_LABELS = {
    Effect.WORKED: "Ja, den fungerade",
    Effect.PARTLY: "Delvis",
    Effect.DID_NOT_WORK: "Nej, den fungerade inte",
}


# A report still received is reminded of for this long at most (older ones were reminded of in their time).
UNHANDLED_LOOKBACK_DAYS = 60


def unhandled_reminder_steps(received_on: date, today: date, working_days: int) -> list[str]:
    """The reminders due for a report still received: its manager after `working_days` working days, quality one
    working day after that."""
    manager_from = add_working_days(received_on, working_days)
    steps = ["manager"] if today >= manager_from else []
    if today >= add_working_days(manager_from, 1):
        steps.append("quality")
    return steps


def action_is_overdue(status: str, due_on: date | None, today: date) -> bool:
    """An action not done whose due date has passed."""
    return status != ActionStatus.DONE and due_on is not None and due_on < today


def action_is_overdue_sql(status, due_on, today: date):
    """action_is_overdue as an SQL condition on the status and due date columns."""
    return and_(status != ActionStatus.DONE, due_on.is_not(None), due_on < today)


def classify(affected: Iterable[str], harm: str, topics: Iterable[str]) -> list[ReportKind]:
    """The kinds the answers suggest, in the order of KIND_LABELS; never empty."""
    affected, topics = set(affected), set(topics)
    found = {kind for row in CLASSIFICATION if row.matches(affected, harm, topics) for kind in row.kinds}
    return [kind for kind in KIND_LABELS if kind in (found or set(FALLBACK_KINDS))]


# Personal identity numbers (personnummer and samordningsnummer): ÅÅÅÅMMDD-XXXX, ÅÅMMDD-XXXX, ÅÅMMDD+XXXX,
# with or without the dash, 12 or 10 digits, also with a space, dot, slash or dash between the date's parts.
# A date and the Luhn check keep phone numbers and the like out.
PERSONAL_NUMBER = re.compile(
    r"(?<![\d-])(?:(?P<century>18|19|20)[ ./-]?)?(?P<yy>\d{2})[ ./-]?(?P<mm>\d{2})[ ./-]?(?P<dd>\d{2})"
    r"\s?[-+]?\s?(?P<serial>\d{4})(?![\d])"
)
# Looked for after each of these characters is read as the one it stands for: dashes and minus signs as "-",
# other spaces (no-break, thin, zero-width) as " ", full-width digits as digits. One character for one, so
# a match's place is the same in the text as written.
PERSONAL_NUMBER_LOOKALIKES = {
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    **dict.fromkeys("\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
                    "\u200b\u202f\u205f\u2060\u3000\ufeff", " "),
    **{chr(0xFF10 + digit): str(digit) for digit in range(10)},
}
_LOOKALIKE_TABLE = str.maketrans(PERSONAL_NUMBER_LOOKALIKES)
PERSONAL_NUMBER_REPLACEMENT = "[personnummer borttaget]"


def luhn_ok(digits: str) -> bool:
    """The Luhn check of Swedish identity numbers, over ten digits (ÅÅMMDDNNNC)."""
    total = 0
    for position, character in enumerate(digits):
        product = int(character) * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return total % 10 == 0


def plausible_date(century: str | None, yy: str, mm: str, dd: str) -> bool:
    """Whether the digits are a real birth date (a samordningsnummer adds 60 to the day)."""
    day = int(dd) - 60 if int(dd) > 60 else int(dd)
    years = [int(century + yy)] if century else [1900 + int(yy), 2000 + int(yy)]
    for year in years:
        try:
            date(year, int(mm), day)
        except ValueError:
            continue
        return True
    return False


def find_personal_numbers(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of what looks like a Swedish personal identity number in the text."""
    spans = []
    for match in PERSONAL_NUMBER.finditer((text or "").translate(_LOOKALIKE_TABLE)):
        parts = match.groupdict()
        if not plausible_date(parts["century"], parts["yy"], parts["mm"], parts["dd"]):
            continue
        if luhn_ok(parts["yy"] + parts["mm"] + parts["dd"] + parts["serial"]):
            spans.append(match.span())
    return spans


def has_personal_number(text: str) -> bool:
    return bool(find_personal_numbers(text))


def remove_personal_numbers(text: str) -> str:
    """The text with every personal identity number replaced by a placeholder."""
    for start, end in reversed(find_personal_numbers(text)):
        text = text[:start] + PERSONAL_NUMBER_REPLACEMENT + text[end:]
    return text


# The kinds a role handles of the units it reaches (scope.REACH); a role not listed handles every kind. A nurse
# takes part in the HSL deviations (and possible vårdskador) only; a report of other kinds does not exist to them.
HSL_KINDS = frozenset({ReportKind.DEVIATION_HSL, ReportKind.LEX_MARIA})
HANDLED_KINDS: dict[Role, frozenset[ReportKind]] = {Role.NURSE: HSL_KINDS}
# A report that concerns the reporter's own manager ("Gäller det din chef?": bypass_manager) does not exist to
# these roles; it goes to quality instead.
BYPASSED_ROLES = frozenset({Role.MANAGER})


def handles(role: str, report_unit_id: int, kinds: Iterable[str], handled_unit_ids: set[int],
            bypass_manager: bool = False) -> bool:
    """Whether a user of `role`, reaching `handled_unit_ids`, handles a report of this unit and these kinds."""
    if not covers(role, Purpose.HANDLE_REPORTS, report_unit_id, handled_unit_ids):
        return False
    if bypass_manager and role in BYPASSED_ROLES:
        return False
    wanted = HANDLED_KINDS.get(role)
    return wanted is None or bool(wanted & set(kinds))


def handles_sql(role: str, unit_condition, has_any_kind, bypass_manager):
    """handles as an SQL condition: `unit_condition` is scope.unit_filter on the report's unit,
    `has_any_kind(kinds)` a condition that the report has one of the kinds now, `bypass_manager` the column."""
    conditions = [unit_condition]
    if role in BYPASSED_ROLES:
        conditions.append(bypass_manager.is_(False))
    if (wanted := HANDLED_KINDS.get(role)) is not None:
        conditions.append(has_any_kind(sorted(wanted)))
    return and_(*conditions)


def may_read(role: str, user_id: int, reporter_id: int, report_unit_id: int, kinds: Iterable[str],
             handled_unit_ids: set[int], bypass_manager: bool = False) -> bool:
    """The reporter and those who handle the report read it; to anyone else it does not exist."""
    return user_id == reporter_id or handles(role, report_unit_id, kinds, handled_unit_ids, bypass_manager)
