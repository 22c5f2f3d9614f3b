"""Demo complaints (issue 19): a year of synpunkter och klagomål over both units and every channel, some
anonymous, most of the older ones answered. Deterministic and idempotent (uuid5 keys), laid relative to now."""
import random
import uuid
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from app.accounts.models import Unit, User
from app.complaints import rules
from app.complaints.models import Complaint
from app.complaints.services import top_unit
from app.extensions import db
from app.reports.models import Report
from app.reports.rules import Affected, Cause, Harm, ReportStatus, Topic
from app.timestamps import utcnow

NAMESPACE = uuid.UUID("6f1c2a34-0d7e-4c55-9b1a-f1ccae2d0019")
COMPLAINT_COUNT = 40
RANDOM_SEED = 20261130

# (what the person wrote, the causes the investigation found, the answer's middle part)
STORIES = [
    ("Hemtjänsten kom över en timme för sent till mamma i tisdags kväll och ingen ringde och sa till.",
     [Cause.STAFFING, Cause.COMMUNICATION], "Vi har sett över kvällsturen och ringer alltid om vi blir försenade."),
    ("Det kommer nya personer hela tiden. Pappa blir orolig när han inte känner igen dem.",
     [Cause.STAFFING], "Vi har gjort ett mindre team kring din pappa så att det blir färre nya ansikten."),
    ("Maten värms inte ordentligt och står kvar på bänken när personalen har gått.",
     [Cause.ROUTINE, Cause.COMPETENCE], "Vi har gått igenom rutinen för måltider med all personal."),
    ("Jag vill tacka personalen för den fina omsorgen om min man de sista veckorna.",
     [], "Tack för dina fina ord. Vi har berättat det för personalen."),
    ("Ingen har hjälpt mig att duscha på två veckor fast det står i min plan.",
     [Cause.ROUTINE, Cause.COMMUNICATION], "Duschen är nu inlagd i planeringen varje tisdag och fredag."),
    ("Personalen pratar i telefon på ett annat språk under hela besöket. Det känns inte bra.",
     [Cause.COMPETENCE], "Vi har pratat med personalen om hur vi är när vi är hemma hos någon."),
    ("Nyckeln till mammas lägenhet kom bort och ingen berättade det för oss.",
     [Cause.ROUTINE, Cause.COMMUNICATION], "Låset är bytt och vi har skärpt rutinen för nycklar."),
    ("Trygghetslarmet gick i natt men det tog 50 minuter innan någon kom.",
     [Cause.STAFFING, Cause.EQUIPMENT], "Vi har gått igenom natten och hur larm fördelas mellan bilarna."),
    ("Min pappa har fått fel tabletter två gånger den här månaden.",
     [Cause.ROUTINE, Cause.COMPETENCE], "Sjuksköterskan har gått igenom läkemedelslistan och signeringen."),
    ("Bra att ni har börjat ringa innan ni kommer. Det gör stor skillnad för oss.",
     [], "Tack för att du berättar. Vi fortsätter med det."),
    ("Det är svårt att få tag på någon på enheten. Ingen svarar i telefon på eftermiddagarna.",
     [Cause.COMMUNICATION, Cause.STAFFING], "Vi har nu en telefontid varje eftermiddag klockan 13–15."),
    ("Rullatorn har varit trasig i tre veckor trots att vi har sagt till flera gånger.",
     [Cause.EQUIPMENT, Cause.COMMUNICATION], "Rullatorn är utbytt och vi har gjort en rutin för felanmälan."),
]
CHANNEL_WEIGHTS = {rules.Channel.WEB: 40, rules.Channel.PHONE: 20, rules.Channel.CONTACT_CENTRE: 15,
                   rules.Channel.EMAIL: 10, rules.Channel.LETTER: 8, rules.Channel.VISIT: 7}
UNIT_WEIGHTS = {"Hemvård Nord": 50, "Hemvård Syd": 40, None: 10}
# Who handles them in the demo: Hemvård Nord's manager; quality where the demo has no manager (Syd, unknown).
HANDLERS = {"Hemvård Nord": "chef.nord", "Hemvård Syd": "kvalitet", None: "kvalitet"}
REGISTRARS = {"Hemvård Nord": "usk.nord", "Hemvård Syd": "usk.syd", None: "usk.nord"}
NAMES = ["Anna Lindqvist", "Bengt Holm", "Karin Ek", "Lars Nyström", "Maria Sjöberg", "Sven Berg"]


def complaint_uuid(index: int) -> str:
    return str(uuid.uuid5(NAMESPACE, f"demo-complaint-{index}"))


def contact_for(rng: random.Random, way: str, anonymous: bool) -> dict:
    if anonymous:
        return {}
    name = rng.choice(NAMES)
    handle = name.split()[0].lower()
    contact = {"contact_name": name}
    if way in (rules.AnswerWay.EMAIL, rules.AnswerWay.NONE):
        contact["contact_email"] = f"{handle}@example.org"
    if way == rules.AnswerWay.PHONE:
        contact["contact_phone"] = f"070-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    if way == rules.AnswerWay.LETTER:
        contact["contact_address"] = f"Storgatan {rng.randint(1, 60)}, 123 45 Kommunen"
    return contact


class Builder:
    def __init__(self, now: datetime, users: dict[str, User], units: dict[str | None, Unit]):
        self.rng, self.now, self.users, self.units = random.Random(RANDOM_SEED), now, users, units

    def complaint(self, index: int) -> Report:
        rng = self.rng
        unit_name = rng.choices(list(UNIT_WEIGHTS), list(UNIT_WEIGHTS.values()))[0]
        channel = rng.choices(list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values()))[0]
        text, causes, middle = rng.choice(STORIES)
        anonymous = channel == rules.Channel.WEB and rng.random() < 0.35
        way = rules.AnswerWay.NONE if anonymous else rng.choice(list(rules.AnswerWay))
        age = rng.uniform(2, 360)
        received = self.now - timedelta(days=age)
        report = Report(
            uuid=complaint_uuid(index), unit_id=self.units[unit_name].id, text=text,
            reporter_id=None if channel == rules.Channel.WEB else self.users[REGISTRARS[unit_name]].id,
            affected=[Affected.CLIENT], harm=Harm.UNKNOWN, topics=[Topic.COMPLAINT],
            suggested_kinds=[rules.COMPLAINT_KIND], kinds=[rules.COMPLAINT_KIND], flagged=False,
            status=ReportStatus.RECEIVED, occurred_at=received, created_at=received, received_at=received,
        )
        seed = rules.new_seed()
        complaint = Complaint(
            report=report, case_code=rules.new_case_code(), follow_seed=seed, channel=channel,
            follow_token_hash=rules.token_hash(rules.follow_token(seed, current_app.config["SECRET_KEY"])),
            unit_known=unit_name is not None, complainant=rng.choice(list(rules.Complainant)), answer_way=way,
            **contact_for(rng, way, anonymous), created_at=received,
        )
        if age > 3:
            self.handle(report, complaint, unit_name, causes, middle, received, age)
        return report

    def handle(self, report, complaint, unit_name, causes, middle, received, age) -> None:
        rng, handler = self.rng, self.users[HANDLERS[unit_name]]
        complaint.acknowledged_at = received + timedelta(days=rng.uniform(0.2, 3.5))
        report.status = ReportStatus.INVESTIGATING
        if age < 20:
            return
        report.causes = [str(cause) for cause in causes]
        if complaint.wants_answer and rng.random() < 0.9:
            complaint.answered_at = received + timedelta(days=rng.uniform(4, 34))
            complaint.answer = (f"Hej{' ' + complaint.contact_name if complaint.contact_name else ''},\n\nTack för att "
                                f"du hörde av dig. {middle}\n\nMed vänliga hälsningar\n{handler.display_name}")
            complaint.answered_by_id = handler.id
            complaint.answer_signed_name, complaint.answer_signed_title = handler.display_name, handler.title
        elif complaint.anonymous:
            complaint.no_answer_reason = rules.NoAnswerReason.ANONYMOUS
        if complaint.answer or complaint.no_answer_reason or not complaint.wants_answer:
            report.status = ReportStatus.CLOSED
            report.closed_at = (complaint.answered_at or received) + timedelta(days=rng.uniform(0.5, 5))
            report.feedback = "Klagomålet är utrett och besvarat." if report.reporter_id else ""


def seed_complaints(now: datetime | None = None, count: int = COMPLAINT_COUNT) -> int:
    """Add the demo complaints not yet there; returns how many were added."""
    wanted = [complaint_uuid(index) for index in range(count)]
    existing = set(db.session.scalars(select(Report.uuid).where(Report.uuid.in_(wanted))))
    if len(existing) == count:
        return 0
    users = {user.username: user for user in db.session.scalars(
        select(User).where(User.username.in_(set(HANDLERS.values()) | set(REGISTRARS.values()))))}
    units = {name: db.session.scalar(select(Unit).where(Unit.name == name)) for name in UNIT_WEIGHTS if name}
    units[None] = top_unit()
    builder = Builder(now or utcnow(), users, units)
    added = 0
    for index in range(count):
        report = builder.complaint(index)  # always built, so the random sequence is the same each time
        if report.uuid not in existing:
            db.session.add(report)
            added += 1
    db.session.commit()
    return added
