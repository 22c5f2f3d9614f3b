"""Pages of the quality year: the årshjul, planning, egenkontroll forms, results; "Att göra" is in task_routes."""
import csv
import io
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import Unit
from app.accounts.permissions import access
from app.accounts.rules import Role
from app.accounts.scope import QUALITY_YEAR_READERS
from app.extensions import db
from app.quality import checks, rules, services, wheel
from app.quality.forms import QUESTION_ROWS, ActivityForm, CheckFormForm
from app.quality.models import CheckForm
from app.routines.models import Routine

bp = Blueprint("quality", __name__)

READERS = tuple(QUALITY_YEAR_READERS)


@bp.get("/arshjul")
@access(*READERS)
def wheel_page():
    activities = services.visible_activities(current_user)
    return render_template("quality/wheel.html", activities=activities, segments=wheel.segments(),
                           marks=wheel.marks(activities), months=wheel.by_month(activities),
                           kind_labels=rules.KIND_LABELS, may_plan=services.may_plan(current_user),
                           size=wheel.SIZE)


def activity_form(formdata=None, activity=None) -> ActivityForm:
    form = ActivityForm(formdata=formdata, obj=activity if formdata is None else None)
    form.units.choices = [(unit.id, unit.name) for unit in db.session.scalars(select(Unit).order_by(Unit.name))]
    form.form_id.choices = [("", "Inget formulär")] + [(f.id, f.name) for f in checks.all_forms()]
    routines = db.session.scalars(select(Routine).where(Routine.archived_at.is_(None))
                                  .options(selectinload(Routine.current_version)))
    titles = sorted(((routine.id, routine.title) for routine in routines), key=lambda pair: pair[1])
    form.routine_id.choices = [("", "Ingen rutin"), *titles]
    if formdata is None and activity is not None:
        form.units.data = [unit.id for unit in activity.units]
        form.dates.data = ", ".join(activity.dates)
    return form


def activity_input(form: ActivityForm) -> services.ActivityInput:
    return services.ActivityInput(
        name=form.name.data, kind=form.kind.data, recurrence=form.recurrence.data, dates=form.parsed_dates,
        unit_ids=form.units.data or [], responsible_role=form.responsible_role.data,
        lead_days=form.lead_days.data or 0, description=form.description.data or "",
        form_id=form.form_id.data, routine_id=form.routine_id.data)


def saved_or_shown_again(form, save, outcome, template: str, **context):
    """A posted, valid form is saved (`save()`), committed, and followed by `outcome(saved)`'s message and page;
    otherwise the form is shown again, with 422 after a post so a failed save never looks like a success."""
    if request.method == "POST" and form.validate():
        try:
            saved = save()
        except services.QualityError as error:
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            message, next_page = outcome(saved)
            flash(message, "success")
            return redirect(next_page, code=303)
    return render_template(template, form=form, **context), (422 if request.method == "POST" else 200)


@bp.route("/arshjul/ny", methods=["GET", "POST"])
@access(Role.QUALITY)
def new_activity():
    form = activity_form(request.form if request.method == "POST" else None)
    return saved_or_shown_again(
        form, lambda: services.create_activity(current_user, activity_input(form)),
        lambda created: (f"{created.name} är planerad i årshjulet.", url_for("quality.wheel_page")),
        "quality/activity_edit.html", activity=None)


@bp.route("/arshjul/<int:activity_id>/andra", methods=["GET", "POST"])
@access(Role.QUALITY)
def edit_activity(activity_id: int):
    activity = services.activity_for(current_user, activity_id) or abort(404)
    form = activity_form(request.form if request.method == "POST" else None, activity)
    return saved_or_shown_again(
        form, lambda: services.update_activity(current_user, activity, activity_input(form)),
        lambda _: ("Ändringen är sparad.", url_for("quality.activity", activity_id=activity.id)),
        "quality/activity_edit.html", activity=activity)


@bp.get("/arshjul/<int:activity_id>")
@access(*READERS)
def activity(activity_id: int):
    activity = services.activity_for(current_user, activity_id) or abort(404)
    return render_template("quality/activity.html", activity=activity, rounds=checks.rounds_of(activity),
                           may_plan=services.may_plan(current_user))


def round_or_404(activity_id: int, due_on: str):
    activity = services.activity_for(current_user, activity_id) or abort(404)
    try:
        day = date.fromisoformat(due_on)
    except ValueError:
        abort(404)
    return checks.round_result(current_user, activity, day)


@bp.get("/arshjul/<int:activity_id>/omgang/<due_on>")
@access(*READERS)
def round_result(activity_id: int, due_on: str):
    result = round_or_404(activity_id, due_on)
    return render_template("quality/results.html", result=result,
                           answer_values=[value for value, _ in rules.YES_NO_CHOICES])


@bp.get("/arshjul/<int:activity_id>/omgang/<due_on>.csv")
@access(*READERS)
def round_csv(activity_id: int, due_on: str):
    result = round_or_404(activity_id, due_on)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Fråga", "Enhet", "Svar", "Antal", "Antal förra omgången"])
    for question in result.questions:
        for unit in sorted(set(question.counts) | set(question.previous)):
            now, before = question.counts.get(unit, {}), question.previous.get(unit, {})
            for value in sorted(set(now) | set(before)):
                writer.writerow([question.text, unit, value, now.get(value, 0), before.get(value, 0)])
    name = f"egenkontroll-{result.activity.id}-{result.due_on}.csv"
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# Egenkontroll forms

def question_inputs(form: CheckFormForm) -> list[checks.QuestionInput]:
    return [checks.QuestionInput(text=row.text.data or "", kind=row.kind.data, help_text=row.help_text.data or "",
                                 action_on_no=bool(row.action_on_no.data)) for row in form.questions]


@bp.get("/egenkontroll/formular")
@access(Role.QUALITY)
def forms():
    return render_template("quality/forms.html", forms=checks.all_forms())


@bp.route("/egenkontroll/formular/ny", methods=["GET", "POST"])
@access(Role.QUALITY)
def new_form():
    form = CheckFormForm(formdata=request.form if request.method == "POST" else None)
    return saved_or_shown_again(
        form, lambda: checks.create_form(current_user, form.name.data, question_inputs(form)),
        lambda created: (f"Formuläret {created.name} är sparat.", url_for("quality.forms")),
        "quality/form_edit.html", check_form=None)


@bp.route("/egenkontroll/formular/<int:form_id>", methods=["GET", "POST"])
@access(Role.QUALITY)
def edit_form(form_id: int):
    check_form = db.session.get(CheckForm, form_id) or abort(404)
    form = CheckFormForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        form.name.data = check_form.name
        for row, question in zip(form.questions, check_form.current.questions[:QUESTION_ROWS], strict=False):
            row.text.data, row.kind.data = question.text, question.kind
            row.help_text.data, row.action_on_no.data = question.help_text, question.action_on_no
    return saved_or_shown_again(
        form, lambda: checks.revise_form(current_user, check_form, form.name.data, question_inputs(form)),
        lambda version: (f"Version {version.number} av formuläret är sparad. Svar som redan kommit in behåller "
                         "sin version.", url_for("quality.forms")),
        "quality/form_edit.html", check_form=check_form)
