"""Rules of synpunkter och klagomål: the answers the public gives, limits, the two clocks, and when a case may close.

A complaint is a report of kind klagomål (app/reports); what is its own (who complained, how they want an answer,
the private follow link, the answer) is kept here and in app/complaints/models.py.
"""
import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from app.reports.rules import ReportKind
from app.workdays import add_working_days

COMPLAINT_KIND = ReportKind.COMPLAINT


class Channel(StrEnum):
    WEB = "webb"
    PHONE = "telefon"
    VISIT = "besok"
    LETTER = "brev"
    EMAIL = "e-post"
    CONTACT_CENTRE = "kontaktcenter"


CHANNEL_LABELS = {
    Channel.WEB: "Webbformuläret",
    Channel.PHONE: "Telefon",
    Channel.VISIT: "Besök",
    Channel.LETTER: "Brev",
    Channel.EMAIL: "E-post",
    Channel.CONTACT_CENTRE: "Kontaktcenter",
}
# What staff choose when they register a complaint on someone's behalf (the web form is the public's own).
STAFF_CHANNELS = {code: label for code, label in CHANNEL_LABELS.items() if code != Channel.WEB}


class Complainant(StrEnum):
    CLIENT = "client"
    RELATIVE = "relative"
    OTHER = "other"


COMPLAINANT_LABELS = {
    Complainant.CLIENT: "Jag får hjälp eller vård av kommunen",
    Complainant.RELATIVE: "Jag är anhörig eller närstående",
    Complainant.OTHER: "Någon annan",
}
# The same, said of the complainant by staff (the handling page, the staff form).
COMPLAINANT_STAFF_LABELS = {
    Complainant.CLIENT: "Brukare eller patient",
    Complainant.RELATIVE: "Anhörig eller närstående",
    Complainant.OTHER: "Någon annan",
}


class AnswerWay(StrEnum):
    NONE = "none"
    EMAIL = "email"
    PHONE = "phone"
    LETTER = "letter"


ANSWER_WAY_LABELS = {
    AnswerWay.NONE: "Nej, jag vill inte ha något svar",
    AnswerWay.EMAIL: "Ja, med e-post",
    AnswerWay.PHONE: "Ja, per telefon",
    AnswerWay.LETTER: "Ja, med brev",
}
ANSWER_WAY_STAFF_LABELS = {
    AnswerWay.NONE: "Vill inte ha svar",
    AnswerWay.EMAIL: "Svar med e-post",
    AnswerWay.PHONE: "Svar per telefon",
    AnswerWay.LETTER: "Svar med brev",
}

# Limits on what the public may send: text only, no files (the form is not multipart).
MAX_TEXT_LENGTH = 5000
MAX_NAME_LENGTH = 120
MAX_EMAIL_LENGTH = 200
MAX_PHONE_LENGTH = 40
MAX_ADDRESS_LENGTH = 300
MAX_REQUEST_BYTES = 64 * 1024
TOO_MANY_MESSAGE = ("Du har skickat många meddelanden på kort tid. Vänta en stund och försök igen, eller ring "
                    "kommunens kontaktcenter.")
# The field a person never sees (it is hidden from eyes and screen readers alike); robots fill it in.
HONEYPOT_FIELD = "webbplats"

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^[0-9+()\- ]{5,40}$")


def contact_problems(way: str, name: str, email: str, phone: str, address: str) -> dict[str, str]:
    """Per field, a Swedish message if the contact does not fit the chosen way of answering."""
    problems = {}
    if email and not EMAIL.match(email):
        problems["email"] = "Skriv en e-postadress som namn@exempel.se."
    if phone and not PHONE.match(phone):
        problems["phone"] = "Skriv telefonnumret med siffror, till exempel 070-123 45 67."
    if way == AnswerWay.EMAIL and not email:
        problems["email"] = "Skriv din e-postadress, så att vi kan svara dig."
    if way == AnswerWay.PHONE and not phone:
        problems["phone"] = "Skriv ditt telefonnummer, så att vi kan ringa dig."
    if way == AnswerWay.LETTER and not (name and address):
        problems["address"] = "Skriv ditt namn och din adress, så att vi kan skicka ett brev."
    return problems


# The two clocks of a complaint: the municipality's own targets (no law sets hours for them), configurable.
@dataclass(frozen=True)
class ComplaintClock:
    code: str
    label: str
    setting: str
    default: int
    working_days: bool  # counted in Swedish working days (app/workdays.py), else calendar days

    def due_on(self, received_on: date, configured: dict) -> date:
        count = int(configured.get(self.setting, self.default))
        return add_working_days(received_on, count) if self.working_days else received_on + timedelta(days=count)


ACKNOWLEDGE = ComplaintClock("acknowledge", "Bekräfta att klagomålet har tagits emot", "COMPLAINT_ACKNOWLEDGE_WORKDAYS",
                             2, True)
ANSWER = ComplaintClock("answer", "Svara den som klagade", "COMPLAINT_ANSWER_DAYS", 28, False)
COMPLAINT_CLOCKS = (ACKNOWLEDGE, ANSWER)


def due_at(day: date, zone) -> datetime:
    """The end of a due day: a deadline "senast 3 mars" runs out when 4 March begins."""
    return datetime.combine(day + timedelta(days=1), time(), zone)


def answered_in_time(received_on: date, answered_on: date | None, configured: dict) -> bool:
    return answered_on is not None and answered_on <= ANSWER.due_on(received_on, configured)


def closing_problem(answer: str, no_answer_reason: str) -> str | None:
    """A complaint closes only with the answer given, or a recorded reason why none could be given."""
    if answer.strip() or no_answer_reason.strip():
        return None
    return "Skriv svaret till den som klagade, eller varför inget svar kunde ges, innan du avslutar."


class NoAnswerReason(StrEnum):
    ANONYMOUS = "anonymous"
    NO_CONTACT = "no_contact"
    DECLINED = "declined"
    OTHER = "other"


NO_ANSWER_REASON_LABELS = {
    NoAnswerReason.ANONYMOUS: "Anonym – vi vet inte vem som skrev",
    NoAnswerReason.NO_CONTACT: "Kontaktuppgifterna räcker inte för att nå personen",
    NoAnswerReason.DECLINED: "Personen ville inte ha något svar",
    NoAnswerReason.OTHER: "Annat skäl",
}


# The private follow link: a random seed is stored, the token is an HMAC of it under the app's secret, and only
# the token's SHA-256 is looked up. The database alone gives no link; the answer mail can still carry it.
def new_seed() -> str:
    return secrets.token_urlsafe(24)


def follow_token(seed: str, secret_key: str) -> str:
    digest = hmac.new(secret_key.encode(), b"complaint-follow:" + seed.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")

# Case codes the public can read out on the phone: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_case_code() -> str:
    """A random case code like "K-4F7Q-M2XD": no running number, so nothing tells how many cases there are."""
    letters = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"K-{letters[:4]}-{letters[4:]}"


ANSWER_TEMPLATE = """Hej{greeting},

Tack för att du hörde av dig till oss den {received}. Vi har läst det du skrev och tagit det på allvar.

[Skriv här vad ni har tittat på, vad ni kom fram till och vad som ändras.]

Har du frågor om svaret är du välkommen att kontakta oss igen.

Med vänliga hälsningar
{signature}
{unit}"""


def answer_draft(name: str, received: str, signature: str, unit: str) -> str:
    """The answer template filled in with what is known: the handler edits the middle."""
    return ANSWER_TEMPLATE.format(greeting=f" {name}" if name else "", received=received, signature=signature,
                                  unit=unit)


class Outcome(StrEnum):
    ANSWERED = "answered"
    NO_ANSWER = "no_answer"
    NOT_WANTED = "not_wanted"
    OPEN = "open"


OUTCOME_LABELS = {
    Outcome.ANSWERED: "Besvarat",
    Outcome.NO_ANSWER: "Inget svar kunde ges",
    Outcome.NOT_WANTED: "Avslutat, inget svar önskat",
    Outcome.OPEN: "Pågår",
}


def outcome(answered: bool, no_answer_reason: str, closed: bool) -> Outcome:
    """What became of a complaint, for the statistics."""
    if answered:
        return Outcome.ANSWERED
    if no_answer_reason:
        return Outcome.NO_ANSWER
    return Outcome.NOT_WANTED if closed else Outcome.OPEN


def tertial_of(day: date) -> tuple[int, int]:
    """(year, 1–3): January–April, May–August, September–December."""
    return day.year, (day.month - 1) // 4 + 1


def tertial_days(year: int, number: int) -> tuple[date, date]:
    """The first and last day of a tertial."""
    first = date(year, 4 * (number - 1) + 1, 1)
    last = date(year + 1, 1, 1) if number == 3 else date(year, 4 * number + 1, 1)
    return first, last - timedelta(days=1)
