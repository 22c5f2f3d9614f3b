"""Egenkontroll: forms and their versions, sending the answers of a task, the actions a "nej" opens, results."""
import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.accounts import scope
from app.accounts.models import User
from app.accounts.rules import Role
from app.accounts.scope import Purpose
from app.errors import NotAllowed
from app.extensions import db
from app.quality import rules
from app.quality.models import (Activity, CheckAction, CheckAnswer, CheckForm, CheckFormVersion, CheckQuestion,
                                CheckResponse, Task)
from app.quality.services import QualityError, may_plan, may_work_on
from app.timestamps import LOCAL_ZONE, utcnow

log = logging.getLogger("fickan.quality")


@dataclass
class QuestionInput:
    text: str
    kind: str
    help_text: str = ""
    action_on_no: bool = False


def check_questions(questions: list[QuestionInput]) -> list[QuestionInput]:
    kept = [question for question in questions if question.text.strip()]
    if not kept:
        raise QualityError("questions_required", "Skriv minst en fråga.", field="questions")
    for question in kept:
        if question.kind not in set(rules.QuestionKind):
            raise QualityError("question_kind", "Välj vilken sorts svar frågan tar.", field="questions")
    return kept


def add_version(actor: User, form: CheckForm, questions: list[QuestionInput]) -> CheckFormVersion:
    number = (form.current.number + 1) if form.current else 1
    version = CheckFormVersion(form=form, number=number, created_by_id=actor.id, questions=[
        CheckQuestion(position=position, text=question.text.strip()[:400], kind=question.kind,
                      help_text=question.help_text.strip(),
                      action_on_no=question.action_on_no and question.kind == rules.QuestionKind.YES_NO)
        for position, question in enumerate(check_questions(questions), start=1)
    ])
    db.session.add(version)
    db.session.flush()
    return version


def create_form(actor: User, name: str, questions: list[QuestionInput]) -> CheckForm:
    """A new egenkontroll form with its first version (quality only)."""
    if not may_plan(actor):
        raise NotAllowed("Bara kvalitet gör formulär.")
    if not name.strip():
        raise QualityError("name_required", "Skriv vad formuläret heter.", field="name")
    form = CheckForm(name=name.strip()[:160], created_by_id=actor.id)
    db.session.add(form)
    add_version(actor, form, questions)
    log.info("form created", extra={"actor": actor.username, "form": form.id})
    return form


def revise_form(actor: User, form: CheckForm, name: str, questions: list[QuestionInput]) -> CheckFormVersion:
    """A new version of the form's questions; answers already sent keep theirs."""
    if not may_plan(actor):
        raise NotAllowed("Bara kvalitet gör formulär.")
    if name.strip():
        form.name = name.strip()[:160]
    return add_version(actor, form, questions)


def all_forms() -> list[CheckForm]:
    return list(db.session.scalars(select(CheckForm).order_by(CheckForm.name)))


# Answering

def response_of(task: Task) -> CheckResponse | None:
    return db.session.scalar(select(CheckResponse).where(CheckResponse.task_id == task.id))


def answer_problems(version: CheckFormVersion, values: dict[int, str]) -> dict[int, str]:
    """Swedish messages per question id for answers missing or not of the question's kind."""
    problems = {}
    for question in version.questions:
        if problem := rules.answer_problem(question.kind, values.get(question.id, "").strip()):
            problems[question.id] = problem
    return problems


def submit_answers(actor: User, task: Task, values: dict[int, str], *, version_id: int | None = None,
                   client_uuid: str | None = None) -> CheckResponse:
    """Send a task's egenkontroll: the answers under the form's current version, actions for each "nej" that
    needs one, and the task done. Sending twice is refused (the first answers stand), and so are answers given
    under a version that has since been replaced (`version_id`: the version the form was shown under)."""
    if not may_work_on(actor, task):
        raise NotAllowed("Uppgiften är inte din.")
    form = task.activity.form
    if form is None or form.current is None:
        raise QualityError("no_form", "Uppgiften har inget formulär.")
    if response_of(task) is not None or task.done_at is not None:
        raise already_sent()
    version = form.current
    if version_id is not None and version_id != version.id:
        raise QualityError("outdated_version", "Formuläret har ändrats sedan du började svara. Öppna uppgiften "
                                               "igen och svara på frågorna som de ser ut nu.", status=409)
    if problems := answer_problems(version, values):
        raise AnswerProblems(problems)
    now = utcnow()
    response = CheckResponse(task=task, version=version, submitted_by_id=actor.id, submitted_at=now,
                             client_uuid=client_uuid)
    db.session.add(response)
    for question in version.questions:
        value = values.get(question.id, "").strip()
        answer = CheckAnswer(response=response, question=question, value=value)
        db.session.add(answer)
        if rules.needs_action(question.kind, question.action_on_no, value):
            open_action(actor, task, answer, now.astimezone(LOCAL_ZONE).date())
    task.done_at, task.done_by_id = now, actor.id
    db.session.flush()
    log.info("self-check sent", extra={"actor": actor.username, "task": task.id})
    return response


def receive_from_phone(actor: User, payload: dict) -> tuple[CheckResponse, bool]:
    """Store an answer set from the phone's outbox and commit; (response, True) the first time, (the same
    response, False) for a replay of its uuid: the phone may send again after an answer it never heard."""
    if (existing := replayed(actor, payload)) is not None:
        return existing, False
    # One answer for a task that does not exist and one that is not the actor's: they learn nothing of it.
    task = db.session.get(Task, payload["task_id"])
    if task is None or not may_work_on(actor, task):
        raise NotAllowed("Uppgiften finns inte, eller är inte din.")
    try:
        response = submit_answers(actor, task, payload["answers"], version_id=payload["version_id"],
                                  client_uuid=payload["uuid"])
        db.session.commit()
        return response, True
    except IntegrityError:
        db.session.rollback()
        refusal = already_sent()
    except QualityError as error:
        db.session.rollback()
        if error.code != "already_sent":
            raise
        refusal = error
    # Two copies at once (two tabs, or a tab and the service worker): the second finds the task done, or meets
    # the UNIQUE constraints; either way the first copy's answers are this uuid's.
    if (existing := replayed(actor, payload)) is not None:
        return existing, False
    raise refusal


def replayed(actor: User, payload: dict) -> CheckResponse | None:
    existing = db.session.scalar(select(CheckResponse).where(CheckResponse.client_uuid == payload["uuid"]))
    if existing is None:
        return None
    if existing.submitted_by_id != actor.id or existing.task_id != payload["task_id"]:
        raise QualityError("uuid_taken", "Svarens id används redan. Svara på egenkontrollen på nytt.", status=409)
    return existing


def already_sent() -> QualityError:
    return QualityError("already_sent", "Egenkontrollen är redan inskickad.", status=409)


class AnswerProblems(QualityError):
    def __init__(self, problems: dict[int, str]):
        super().__init__("answers", "Några frågor saknar svar eller har fel sorts svar.")
        self.problems = problems


def open_action(actor: User, task: Task, answer: CheckAnswer, today: date) -> CheckAction:
    """An action for a "nej": owned by whoever sent the answers (a unit's manager, as a rule), due in a month."""
    action = CheckAction(answer=answer, unit_id=task.unit_id, what=f"Åtgärda: {answer.question.text}",
                         owner_id=actor.id, due_on=today + timedelta(days=rules.ACTION_DAYS))
    db.session.add(action)
    return action


def actions_of(user: User) -> list[CheckAction]:
    """Open actions the user owns."""
    return list(db.session.scalars(select(CheckAction).where(CheckAction.owner_id == user.id,
                                                             CheckAction.status != "done")
                                   .order_by(CheckAction.due_on)))


def finish_action(actor: User, action: CheckAction, effect: str) -> CheckAction:
    """Mark an action done, with whether it worked ("Fungerade den?")."""
    if action.owner_id != actor.id and actor.role != Role.QUALITY:
        raise NotAllowed("Åtgärden är inte din.")
    if effect not in {"worked", "partly", "did_not_work"}:
        raise QualityError("effect_required", "Svara om åtgärden fungerade.", field="effect")
    action.status, action.effect, action.done_at = "done", effect, utcnow()
    db.session.flush()
    return action


# Results

@dataclass
class QuestionResult:
    text: str
    kind: str
    # unit name → {answer value → count} for this round, and the same for the round before.
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    previous: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class RoundResult:
    activity: Activity
    due_on: date
    previous_due_on: date | None
    questions: list[QuestionResult]
    tasks: int
    on_time: int
    units_on_time: dict[str, tuple[int, int]]


def rounds_of(activity: Activity) -> list[date]:
    """The dates of the activity's rounds with answers, latest first."""
    return list(db.session.scalars(select(Task.due_on).join(CheckResponse, CheckResponse.task_id == Task.id)
                                   .where(Task.activity_id == activity.id).distinct()
                                   .order_by(Task.due_on.desc())))


def visible_tasks(viewer: User, activity: Activity, due_on: date) -> list[Task]:
    statement = (select(Task).where(Task.activity_id == activity.id, Task.due_on == due_on,
                                    scope.unit_filter(viewer, Purpose.QUALITY_YEAR, Task.unit_id))
                 .options(selectinload(Task.unit)))
    return list(db.session.scalars(statement))


def tally(tasks: list[Task]) -> dict[str, dict[str, dict[str, int]]]:
    """question text → unit name → answer value → count; numbers and free text are counted as given."""
    result: dict[str, dict[str, dict[str, int]]] = {}
    for task in tasks:
        response = response_of(task)
        if response is None:
            continue
        for answer in response.answers:
            per_unit = result.setdefault(answer.question.text, {}).setdefault(task.unit.name, {})
            value = answer.value if answer.question.kind != rules.QuestionKind.TEXT else "svar"
            per_unit[value] = per_unit.get(value, 0) + 1
    return result


def round_result(viewer: User, activity: Activity, due_on: date) -> RoundResult:
    """A round's answers per unit and question beside the round before; no names of whoever answered."""
    tasks = visible_tasks(viewer, activity, due_on)
    earlier = [day for day in rounds_of(activity) if day < due_on]
    previous_due_on = earlier[0] if earlier else None
    now_counts = tally(tasks)
    before = tally(visible_tasks(viewer, activity, previous_due_on)) if previous_due_on else {}
    questions = []
    version = activity.form.current if activity.form else None
    for question in (version.questions if version else []):
        questions.append(QuestionResult(question.text, question.kind, now_counts.get(question.text, {}),
                                        before.get(question.text, {})))
    units_on_time = {}
    for task in tasks:
        done_on = task.done_at.astimezone(LOCAL_ZONE).date() if task.done_at else None
        units_on_time[task.unit.name] = (int(rules.done_on_time(task.due_on, done_on)), 1)
    on_time = sum(done for done, _ in units_on_time.values())
    return RoundResult(activity, due_on, previous_due_on, questions, len(tasks), on_time, units_on_time)


def action_of(answer: CheckAnswer) -> CheckAction | None:
    return db.session.scalar(select(CheckAction).where(CheckAction.answer_id == answer.id))
