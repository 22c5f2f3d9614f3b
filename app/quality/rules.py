"""Rules of the quality year: kinds, recurrences, reminder steps, question kinds. Pure functions, no database."""
import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy import and_, false, or_

from app.accounts.rules import Role


class ActivityKind(StrEnum):
    SELF_CHECK = "egenkontroll"
    FOLLOW_UP = "kvalitetsuppfoljning"
    BRIEFING = "genomgang"
    RISK_ANALYSIS = "riskanalys"
    ACCOUNT = "berattelse"
    OTHER = "annat"


KIND_LABELS = {
    ActivityKind.SELF_CHECK: "Egenkontroll",
    ActivityKind.FOLLOW_UP: "Kvalitetsuppföljning",
    ActivityKind.BRIEFING: "Genomgång",
    ActivityKind.RISK_ANALYSIS: "Riskanalys",
    ActivityKind.ACCOUNT: "Berättelse eller rapport",
    ActivityKind.OTHER: "Annat",
}


class Recurrence(StrEnum):
    YEARLY = "yearly"  # on each of the given dates, every year
    TWICE_A_YEAR = "twice_a_year"  # the given date and six months later
    TERTIAL = "tertial"  # the given date and every four months
    MONTHLY = "monthly"  # the given day of every month


RECURRENCE_LABELS = {
    Recurrence.YEARLY: "Varje år på datumen",
    Recurrence.TWICE_A_YEAR: "Två gånger om året",
    Recurrence.TERTIAL: "Varje tertial",
    Recurrence.MONTHLY: "Varje månad",
}

# Months between occurrences of a rule anchored on one date; YEARLY takes its dates as given.
STEP_MONTHS = {Recurrence.TWICE_A_YEAR: 6, Recurrence.TERTIAL: 4, Recurrence.MONTHLY: 1}

# The roles a task can be given to in a unit.
RESPONSIBLE_ROLES = (Role.MANAGER, Role.NURSE, Role.COORDINATOR, Role.QUALITY)

MONTH_NAMES = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
               "oktober", "november", "december"]


@dataclass(frozen=True)
class MonthDay:
    """A day of the year without a year: 31 falls back to the month's last day (30 April, 28 or 29 February)."""

    month: int
    day: int

    def __post_init__(self):
        if not 1 <= self.month <= 12 or not 1 <= self.day <= 31:
            raise ValueError(f"no such day of the year: {self.month}-{self.day}")

    def in_year(self, year: int) -> date:
        return date(year, self.month, min(self.day, calendar.monthrange(year, self.month)[1]))

    @classmethod
    def parse(cls, text: str) -> "MonthDay":
        """"03-15" (or "3-15") as 15 March."""
        month, _, day = text.strip().partition("-")
        return cls(int(month), int(day))

    def __str__(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"


def parse_dates(text: str) -> list[MonthDay]:
    """Dates typed as "03-15, 09-15"; raises ValueError with a Swedish message when one cannot be read."""
    parts = [part for part in text.replace(";", ",").replace(" ", ",").split(",") if part.strip()]
    if not parts:
        raise ValueError("Skriv minst ett datum som MM-DD, till exempel 03-15.")
    try:
        return sorted({MonthDay.parse(part) for part in parts}, key=lambda day: (day.month, day.day))
    except ValueError:
        raise ValueError("Skriv datumen som MM-DD, till exempel 03-15, 09-15.") from None


def anchors(recurrence: str, dates: list[MonthDay]) -> list[MonthDay]:
    """The days of the year the rule falls on."""
    if recurrence == Recurrence.YEARLY:
        return sorted(set(dates), key=lambda day: (day.month, day.day))
    first = dates[0]
    step = STEP_MONTHS[Recurrence(recurrence)]
    return sorted((MonthDay((first.month - 1 + step * i) % 12 + 1, first.day) for i in range(12 // step)),
                  key=lambda day: (day.month, day.day))


def occurrences(recurrence: str, dates: list[MonthDay], start: date, end: date) -> list[date]:
    """Every date the rule falls on from `start` to `end`, both included, across year ends."""
    days = anchors(recurrence, dates)
    found = [day.in_year(year) for year in range(start.year, end.year + 1) for day in days]
    return sorted(day for day in set(found) if start <= day <= end)


def months_of(recurrence: str, dates: list[MonthDay]) -> list[int]:
    """The months (1–12) the rule falls in, for the wheel."""
    return sorted({day.month for day in anchors(recurrence, dates)})


# Reminders of a task: at the lead time, on the due date, the day after (to the person), then to quality.
class Step(StrEnum):
    LEAD = "lead"
    DUE = "due"
    OVERDUE = "overdue"
    QUALITY = "quality"


OVERDUE_TO_QUALITY_DAYS = 7

STEP_LABELS = {
    Step.LEAD: "Snart dags",
    Step.DUE: "Dagen den ska vara klar",
    Step.OVERDUE: "Försenad",
    Step.QUALITY: "Försenad en vecka, till kvalitet",
}


def step_dates(due_on: date, lead_days: int) -> dict[Step, date]:
    """The day each reminder step of a task falls due."""
    return {
        Step.LEAD: due_on - timedelta(days=max(lead_days, 0)),
        Step.DUE: due_on,
        Step.OVERDUE: due_on + timedelta(days=1),
        Step.QUALITY: due_on + timedelta(days=OVERDUE_TO_QUALITY_DAYS),
    }


def reminder_steps(due_on: date, lead_days: int, today: date) -> list[Step]:
    """The steps that are due today for an open task (each is sent once; a missed day sends only the latest)."""
    dates = step_dates(due_on, lead_days)
    if today >= dates[Step.QUALITY]:
        return [Step.OVERDUE, Step.QUALITY]
    if today >= dates[Step.OVERDUE]:
        return [Step.OVERDUE]
    if today == due_on:
        return [Step.DUE]
    if lead_days > 0 and dates[Step.LEAD] <= today < due_on:
        return [Step.LEAD]
    return []


def reminder_candidates_sql(due_on_column, done_at_column, today: date, max_lead_days: int):
    """SQL for reminder_steps' candidates: open tasks due within the longest lead time, or past due."""
    return and_(done_at_column.is_(None), due_on_column <= today + timedelta(days=max(max_lead_days, 0)))


def is_overdue(due_on: date, done: bool, today: date) -> bool:
    return not done and due_on < today


def is_overdue_sql(due_on_column, done_at_column, today: date):
    return and_(done_at_column.is_(None), due_on_column < today)


def done_on_time(due_on: date, done_on: date | None) -> bool:
    return done_on is not None and done_on <= due_on


# Questions of an egenkontroll form
class QuestionKind(StrEnum):
    YES_NO = "ja_nej"  # ja / nej / delvis
    SCALE = "skala"  # 1–5
    NUMBER = "tal"
    TEXT = "text"


QUESTION_KIND_LABELS = {
    QuestionKind.YES_NO: "Ja, nej eller delvis",
    QuestionKind.SCALE: "Skala 1–5",
    QuestionKind.NUMBER: "Ett tal",
    QuestionKind.TEXT: "Fritext",
}

YES_NO_CHOICES = (("ja", "Ja"), ("nej", "Nej"), ("delvis", "Delvis"))
SCALE_CHOICES = tuple((str(n), str(n)) for n in range(1, 6))
ACTION_DAYS = 30


def answer_problem(kind: str, value: str) -> str | None:
    """A Swedish message if the answer is not one the question takes; only free text may be left blank."""
    if not value and kind != QuestionKind.TEXT:
        return "Svara på frågan."
    if kind == QuestionKind.YES_NO and value not in dict(YES_NO_CHOICES):
        return "Välj ja, nej eller delvis."
    if kind == QuestionKind.SCALE and value not in dict(SCALE_CHOICES):
        return "Välj ett värde från 1 till 5."
    if kind == QuestionKind.NUMBER:
        try:
            float(value.replace(",", "."))
        except ValueError:
            return "Skriv ett tal, till exempel 3 eller 2,5."
    if kind == QuestionKind.TEXT and len(value) > 4000:
        return "Svaret får vara högst 4000 tecken."
    return None


def needs_action(kind: str, action_on_no: bool, value: str) -> bool:
    """Whether an answer opens an action: a "nej" to a question that asks for one."""
    return action_on_no and kind == QuestionKind.YES_NO and value == "nej"


def open_to(user_id: int, role: str, unit_ids: set[int], assigned_user_id, assigned_role, unit_id) -> bool:
    """Whether a task is the user's: handed to them, or not handed and for their role in one of their units."""
    if assigned_user_id is not None:
        return assigned_user_id == user_id
    return assigned_role == role and unit_id in unit_ids


def open_to_sql(user_id: int, role: str, unit_ids: set[int], assigned_user_column, assigned_role_column,
                unit_column):
    """open_to as an SQL condition."""
    return or_(assigned_user_column == user_id,
               and_(assigned_user_column.is_(None), assigned_role_column == role,
                    unit_column.in_(unit_ids) if unit_ids else false()))
