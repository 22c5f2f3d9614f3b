"""Demo quality year (CONTRACT.md): the governing document's årshjul, two finished rounds of egenkontroll
läkemedelshantering for Hemvård Nord and Syd with two actions, and a monthly hygiene egenkontroll for Hemvård Nord,
so chef.nord always has one due within the coming month. Laid relative to the clock; running it again adds nothing."""
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app.accounts.models import Unit, User
from app.extensions import db
from app.quality import checks, reminders, rules, services
from app.quality.checks import QuestionInput
from app.quality.models import Activity, CheckAction, CheckForm
from app.quality.rules import ActivityKind, MonthDay, QuestionKind, Recurrence
from app.routines.models import Routine
from app.timestamps import LOCAL_ZONE, local_today

YES_NO, SCALE, NUMBER, TEXT = QuestionKind.YES_NO, QuestionKind.SCALE, QuestionKind.NUMBER, QuestionKind.TEXT

MEDICINES_FORM = ("Egenkontroll läkemedelshantering", [
    QuestionInput("Förvaras läkemedlen inlåsta hos de brukare där vi har ansvar för läkemedlen?", YES_NO,
                  "Titta hos fem brukare som får hjälp med läkemedel.", True),
    QuestionInput("Finns en aktuell läkemedelslista hos brukaren?", YES_NO, "Listan ska vara från den senaste "
                  "ordinationsändringen.", True),
    QuestionInput("Signeras given dos direkt i signeringslistan?", YES_NO, "", True),
    QuestionInput("Har all personal som ger läkemedel en giltig delegering?", YES_NO,
                  "Jämför schemat för veckan med listan över delegeringar.", True),
    QuestionInput("Hur väl följs rutinen för läkemedelshantering?", SCALE, "1 = inte alls, 5 = helt och hållet."),
    QuestionInput("Hur många avvikelser om läkemedel har enheten haft sedan förra egenkontrollen?", NUMBER),
    QuestionInput("Övriga iakttagelser", TEXT),
])

HYGIENE_FORM = ("Egenkontroll basala hygienrutiner", [
    QuestionInput("Följer personalen basala hygienrutiner vid besöken?", YES_NO,
                  "Observera minst tre besök: handdesinfektion, handskar, förkläde.", True),
    QuestionInput("Finns handdesinfektion och handskar i alla bilar?", YES_NO, "", True),
    QuestionInput("Hur väl följs klädreglerna (kort ärm, inga smycken, uppsatt hår)?", SCALE,
                  "1 = inte alls, 5 = helt och hållet."),
    QuestionInput("Övriga iakttagelser", TEXT),
])

DISTRICT, ADMINISTRATION, NORD, SYD = ("Hemtjänst och hemsjukvård", "Vård- och omsorgsförvaltningen",
                                       "Hemvård Nord", "Hemvård Syd")

# (name, kind, recurrence, dates, units, responsible role, lead days, form, routine slug, description)
ACTIVITIES = [
    ("Egenkontroll läkemedelshantering", ActivityKind.SELF_CHECK, Recurrence.TWICE_A_YEAR, ["03-31"], [DISTRICT],
     "manager", 21, MEDICINES_FORM[0], "lakemedelshantering-i-hemtjanst",
     "Enligt ledningssystemet: egenkontroll av läkemedelshanteringen i mars och september."),
    ("Egenkontroll basala hygienrutiner", ActivityKind.SELF_CHECK, Recurrence.MONTHLY, ["01-20"], [NORD],
     "manager", 14, HYGIENE_FORM[0], "basala-hygienrutiner",
     "Månatlig kontroll av basala hygienrutiner i Hemvård Nord."),
    ("Lex Sarah-genomgång med alla chefer", ActivityKind.BRIEFING, Recurrence.TWICE_A_YEAR, ["04-15"],
     [ADMINISTRATION], "manager", 21, None, "lex-sarah-rapportera-missforhallanden",
     "Genomgång av rapporteringsskyldigheten enligt lex Sarah, två gånger om året."),
    ("Kvalitetsuppföljning", ActivityKind.FOLLOW_UP, Recurrence.YEARLY,
     ["01-31", "02-28", "03-31", "04-30", "05-31", "06-15", "08-31", "09-30", "10-31", "11-30"], [DISTRICT],
     "manager", 7, None, None, "Tio uppföljningar om året av mål, avvikelser och synpunkter."),
    ("Riskanalys inför sommaren", ActivityKind.RISK_ANALYSIS, Recurrence.YEARLY, ["05-15"], [DISTRICT],
     "manager", 30, None, None, "Bemanning, värmebölja och nya vikarier."),
    ("Patientsäkerhetsberättelse", ActivityKind.ACCOUNT, Recurrence.YEARLY, ["03-01"], [ADMINISTRATION],
     "quality", 45, None, None, "Ska vara klar senast 1 mars (patientsäkerhetslagen)."),
    ("Kvalitetsberättelse", ActivityKind.ACCOUNT, Recurrence.YEARLY, ["05-31"], [ADMINISTRATION],
     "quality", 45, None, None, "Verksamhetens kvalitetsberättelse för förra året."),
]

# Answers per round (the latest first) and unit, in the order of the medicines form's questions.
MEDICINE_ROUNDS = [
    {NORD: ["ja", "nej", "delvis", "ja", "3", "4", "Två brukare saknade uppdaterad lista efter sjukhusvistelse."],
     SYD: ["ja", "ja", "ja", "nej", "4", "2", "En vikarie gav läkemedel innan delegeringen var klar."]},
    {NORD: ["ja", "delvis", "delvis", "ja", "3", "6", "Signeringslistorna saknades i två hem under en helg."],
     SYD: ["ja", "ja", "delvis", "ja", "4", "3", ""]},
]


def find(model, **where):
    return db.session.scalar(select(model).filter_by(**where))


def routine_id(slug: str | None) -> int | None:
    return db.session.scalar(select(Routine.id).where(Routine.slug == slug)) if slug else None


def seed_forms(author: User) -> None:
    for name, questions in (MEDICINES_FORM, HYGIENE_FORM):
        if find(CheckForm, name=name) is None:
            checks.create_form(author, name, questions)


def seed_activities(author: User) -> None:
    units = dict(db.session.execute(select(Unit.name, Unit.id)).all())
    for name, kind, recurrence, dates, unit_names, role, lead, form_name, hint, description in ACTIVITIES:
        if find(Activity, name=name) is not None:
            continue
        form = find(CheckForm, name=form_name) if form_name else None
        services.create_activity(author, services.ActivityInput(
            name=name, kind=kind, recurrence=recurrence, dates=[MonthDay.parse(text) for text in dates],
            unit_ids=[units[unit] for unit in unit_names], responsible_role=role, lead_days=lead,
            description=description, form_id=form.id if form else None, routine_id=routine_id(hint)))


def at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), LOCAL_ZONE)


def seed_rounds(today: date) -> None:
    """The two latest rounds of the medicines egenkontroll, sent three days before they were due."""
    activity = find(Activity, name=ACTIVITIES[0][0])
    if checks.rounds_of(activity):
        return  # seeded before, maybe on another day: the rounds then are the demo's
    past = rules.occurrences(activity.recurrence, activity.month_days, today - timedelta(days=400),
                             today - timedelta(days=1))[-2:]
    answerers = {NORD: find(User, username="chef.nord"), SYD: find(User, username="kvalitet")}
    for due_on, answers in zip(reversed(past), MEDICINE_ROUNDS, strict=False):
        for unit_name, values in answers.items():
            task = services.ensure_task(activity, find(Unit, name=unit_name).id, due_on)
            if task.done_at is not None:
                continue
            questions = activity.form.current.questions
            response = checks.submit_answers(answerers[unit_name], task,
                                             {question.id: value for question, value in zip(questions, values,
                                                                                            strict=True)})
            sent = at_noon(due_on - timedelta(days=3))
            response.submitted_at = task.done_at = sent
            for answer in response.answers:
                if (action := checks.action_of(answer)) is not None:
                    action.created_at, action.due_on = sent, due_on + timedelta(days=rules.ACTION_DAYS)
    # One of the two actions is done and judged; the other is still open.
    done = db.session.scalar(select(CheckAction).join(Unit).where(Unit.name == SYD))
    if done is not None and done.status != "done":
        done.status, done.effect, done.done_at = "done", "worked", at_noon(done.due_on - timedelta(days=10))


def seed_quality() -> None:
    """Load the demo quality year; running it again adds nothing twice."""
    author = find(User, username="kvalitet")
    if author is None or find(Unit, name=NORD) is None:
        return
    seed_forms(author)
    seed_activities(author)
    db.session.flush()
    seed_rounds(local_today())
    db.session.commit()
    reminders.build_tasks(local_today())
