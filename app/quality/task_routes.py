""""Att göra": the signed-in person's tasks from the årshjul, doing, handing and answering them."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.permissions import access
from app.accounts.rules import Access
from app.extensions import db
from app.forms import EmptyForm
from app.quality import checks, reminders, rules, services
from app.quality.forms import EffectForm, HandForm
from app.quality.models import CheckAction
from app.timestamps import local_today

bp = Blueprint("tasks", __name__)


@bp.get("/att-gora")
@access(Access.SIGNED_IN)
def index():
    return render_template("quality/tasks.html", open_tasks=services.tasks_of(current_user, done=False),
                           done_tasks=services.tasks_of(current_user, done=True),
                           actions=checks.actions_of(current_user), today=local_today(),
                           effect_form=EffectForm())


def task_or_404(task_id: int):
    return services.task_for(current_user, task_id) or abort(404)


def render_task(task, *, problems=None, values=None, hand_form=None, status=200):
    hand_form = hand_form or HandForm()
    hand_form.colleague.choices = [("", "Välj kollega")] + [
        (user.id, f"{user.display_name} ({user.role_label.lower()})")
        for user in services.colleagues(current_user, task)]
    form = task.activity.form
    return render_template(
        "quality/task.html", task=task, version=form.current if form else None,
        response=checks.response_of(task), problems=problems or {}, values=values or {},
        sent_reminders=reminders.reminders_of(task), step_labels=rules.STEP_LABELS,
        hand_form=hand_form, done_form=EmptyForm(), today=local_today(),
        yes_no=rules.YES_NO_CHOICES, scale=rules.SCALE_CHOICES, kinds=rules.QuestionKind,
    ), status


@bp.get("/att-gora/<int:task_id>")
@access(Access.SIGNED_IN)
def task(task_id: int):
    return render_task(task_or_404(task_id))


@bp.post("/att-gora/<int:task_id>/klar")
@access(Access.SIGNED_IN)
def done(task_id: int):
    task = task_or_404(task_id)
    if not EmptyForm().validate():
        abort(400)
    if task.activity.form is not None:
        flash("Uppgiften blir klar när egenkontrollen är inskickad.", "error")
        return redirect(url_for("tasks.task", task_id=task.id), code=303)
    services.complete_task(current_user, task)
    db.session.commit()
    flash(f"{task.activity.name} är klar.", "success")
    return redirect(url_for("tasks.index"), code=303)


@bp.post("/att-gora/<int:task_id>/lamna")
@access(Access.SIGNED_IN)
def hand(task_id: int):
    task = task_or_404(task_id)
    form = HandForm(request.form)
    form.colleague.choices = [(user.id, user.display_name) for user in services.colleagues(current_user, task)]
    if not form.validate():
        return render_task(task, hand_form=form, status=422)
    try:
        services.hand_task(current_user, task, form.colleague.data)
    except services.QualityError as error:
        form.colleague.errors = [error.message]
        return render_task(task, hand_form=form, status=422)
    db.session.commit()
    flash(f"Uppgiften är lämnad till {task.assigned_user.display_name}.", "success")
    return redirect(url_for("tasks.index"), code=303)


@bp.post("/att-gora/<int:task_id>/skicka")
@access(Access.SIGNED_IN)
def submit(task_id: int):
    task = task_or_404(task_id)
    if not EmptyForm().validate():
        abort(400)
    values = {}
    for name, value in request.form.items():
        if name.startswith("q-") and name[2:].isdigit():
            values[int(name[2:])] = value
    try:
        # A page opened before the form got a new version carries the old version's id: refused, not mixed.
        response = checks.submit_answers(current_user, task, values,
                                         version_id=request.form.get("version_id", type=int))
    except checks.AnswerProblems as error:
        return render_task(task, problems=error.problems, values=values, status=422)
    except services.QualityError as error:
        flash(error.message, "error")
        return redirect(url_for("tasks.task", task_id=task.id), code=303)
    db.session.commit()
    opened = sum(1 for answer in response.answers if checks.action_of(answer) is not None)
    message = "Egenkontrollen är inskickad."
    if opened:
        message += f" {opened} {'åtgärd' if opened == 1 else 'åtgärder'} har skapats och ligger under Att göra."
    flash(message, "success")
    return redirect(url_for("tasks.index"), code=303)


@bp.post("/att-gora/atgard/<int:action_id>")
@access(Access.SIGNED_IN)
def finish_action(action_id: int):
    action = db.session.get(CheckAction, action_id)
    if action is None or action.owner_id != current_user.id:
        abort(404)
    form = EffectForm(request.form)
    if not form.validate():
        abort(400)
    checks.finish_action(current_user, action, form.effect.data)
    db.session.commit()
    flash("Åtgärden är klar.", "success")
    return redirect(url_for("tasks.index"), code=303)
