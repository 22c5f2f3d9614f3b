"""Pages for reporting incidents and for handling them."""
import csv
import io
import uuid
from datetime import date

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template, request, session,
                   url_for)
from flask_login import current_user

from app.accounts import scope
from app.accounts.permissions import access
from app.accounts.rules import Access, Role
from app.accounts.scope import HANDLERS, Purpose
from app.errors import DomainError
from app.extensions import db
from app.forms import first_error
from app.paging import PAGE_PARAMETER, page_number, paginate
from app.reports import clocks, handling, learning, rules, services, statistics
from app.reports.forms import (ActionForm, ActionProgressForm, AssessmentForm, ClockStopForm, EntryForm, KindsForm,
                                RoutineLinkForm, StatusForm)
from app.reports.handling import HandlingError
from app.reports.models import ReportAction
from app.reports.page import handling_page
from app.reports.schemas import load_report
from app.request_limits import limit_report_creation, max_request_bytes
from app.routines import services as routines
from app.timestamps import local_now, local_today, utcnow
from app.views import render_page_or_fragment

bp = Blueprint("reports", __name__)

# Form fields carry the names of the JSON answers, so the phone can serialise the form as it is.
TEXT_FIELDS = ("uuid", "created_at", "text", "occurred_at", "unit_id", "place", "harm", "client_reference",
               "immediate_action", "bypass_manager")
LIST_FIELDS = ("affected", "topics")


def form_answers(form) -> dict:
    """The answers of the /rapportera form as the API's JSON would carry them (blank optional fields left out)."""
    answers = {name: form.get(name, "") for name in TEXT_FIELDS}
    answers.update({name: form.getlist(name) for name in LIST_FIELDS})
    for name in ("occurred_at", "unit_id", "harm", "created_at", "bypass_manager"):
        if not answers[name].strip():
            del answers[name]
    answers.setdefault("created_at", utcnow().isoformat())
    return answers


def blank_answers() -> dict:
    unit = services.default_unit(current_user)
    return {
        "uuid": str(uuid.uuid4()),
        "occurred_at": local_now().strftime("%Y-%m-%dT%H:%M"),
        "unit_id": str(unit.id) if unit else "",
        "harm": "",
        "bypass_manager": "false",
        "affected": [],
        "topics": [],
    }


def render_form(answers: dict, errors: dict | None = None, message: str | None = None,
                personal_number_found: bool = False, had_photos: bool = False):
    return render_template(
        "reports/new.html", answers=answers, errors=errors or {}, message=message,
        personal_number_found=personal_number_found, had_photos=had_photos,
        units=services.reportable_units(current_user), affected_labels=rules.AFFECTED_LABELS,
        harm_labels=rules.HARM_LABELS, topic_labels=rules.TOPIC_LABELS, max_photos=rules.MAX_PHOTOS,
    )


@bp.get("/rapportera")
@access(Access.SIGNED_IN)
def new():
    return render_form(blank_answers())


@bp.post("/rapportera")
@access(Access.SIGNED_IN)
@max_request_bytes(rules.MAX_REQUEST_BYTES)
@limit_report_creation
def create():
    answers = form_answers(request.form)
    photos = [data for part in request.files.getlist("photos") if (data := part.read()) or part.filename]
    decided = services.after_personal_number_decision(answers, request.form.get("personnummer"))
    if decided is None:
        # Ask before sending (the phone asks in its own script; this is the page without JavaScript).
        return render_form(answers, personal_number_found=True, had_photos=bool(photos)), 200
    try:
        services.create_report(current_user, load_report(decided), photos)
    except DomainError as error:
        return render_form(decided, errors=error.fields, message=error.message, had_photos=bool(photos)), error.status
    flash("Rapporten är skickad", "success")
    return redirect(url_for("reports.mine"), code=303)


@bp.get("/rapportera/mina")
@access(Access.SIGNED_IN)
def mine():
    status = request.args.get("status", "")
    status = status if status in rules.STATUS_LABELS else ""
    page = paginate(services.own_reports_query(current_user, status or None),
                    page_number(request.args.get(PAGE_PARAMETER)))
    return render_template("reports/mine.html", page=page, reports=page.items, status=status,
                           filters={"status": status} if status else {}, status_labels=rules.STATUS_LABELS)


QUALITY_QUEUE = "kvalitet"


@bp.get("/rapporter")
@access(*HANDLERS)
def inbox():
    status = request.args.get("status", "")
    status = status if status in rules.STATUS_LABELS else ""
    quality_queue = request.args.get("ko") == QUALITY_QUEUE and current_user.role == Role.QUALITY
    kind = request.args.get("typ") if request.args.get("typ") in rules.KIND_LABELS else ""
    units = statistics.units_for(current_user)
    unit_id = request.args.get("enhet", type=int)
    unit_id = unit_id if unit_id in {unit.id for unit in units} else None
    # The filters as the address carries them: every link of the page keeps them.
    filters = {name: value for name, value in (("status", status), ("ko", QUALITY_QUEUE if quality_queue else ""),
                                               ("typ", kind), ("enhet", unit_id)) if value}
    page = paginate(handling.inbox_query(current_user, status or None, quality_queue, kind or None, unit_id),
                    page_number(request.args.get(PAGE_PARAMETER)))
    return render_page_or_fragment(
        "reports/inbox.html", "reports/_inbox_list.html",
        page=page, reports=page.items, status=status, kind=kind, unit_id=unit_id, units=units, filters=filters,
        quality_queue=quality_queue, counts=handling.status_counts(current_user, quality_queue),
        status_labels=rules.STATUS_LABELS, overdue=handling.overdue_actions(current_user, local_today()),
        kind_labels=rules.KIND_LABELS, quality_kinds=rules.QUALITY_QUEUE_KINDS, is_urgent=rules.is_urgent,
        sees_every_unit=scope.sees_every_unit(current_user, Purpose.HANDLE_REPORTS),
    )


def handled_or_404(report_uuid, what: str = "report"):
    # 404, not 403: whether a report exists is told only to those who handle it.
    return handling.handled_report(current_user, str(report_uuid), what) or abort(404)


def page_of(report) -> dict:
    """The handling page's template values for the signed-in handler, now."""
    page = handling_page(current_user, report, utcnow(), current_app.config.get("LEGAL_CLOCK_HOURS", {}))
    return page.template_context()


# The section of the handling page whose form was just saved: its "Sparat" is shown there, not at the top.
SAVED_SECTION = "reports.saved_section"


@bp.get("/rapporter/<uuid:report_uuid>")
@access(*HANDLERS)
def handle(report_uuid):
    report = handled_or_404(report_uuid)
    return render_template("reports/handle.html", **page_of(report), saved_section=session.pop(SAVED_SECTION, None))


@bp.get("/rapporter/<uuid:report_uuid>/utskrift")
@access(*HANDLERS)
def export(report_uuid):
    report = handled_or_404(report_uuid, "export")
    return render_template("reports/export.html", **page_of(report))


def back_to(report, anchor: str = ""):
    return redirect(url_for("reports.handle", report_uuid=report.uuid) + (f"#{anchor}" if anchor else ""), code=303)


def posted_report(report_uuid):
    """The report a handler's form changes (not logged as a read: the page after the redirect is)."""
    report = services.find_report(str(report_uuid))
    if report is None or not services.is_handler(current_user, report):
        abort(404)
    return report


def submit(report, anchor: str, form, change, form_key: str | None = None):
    """Check the posted form, then make the change and commit.

    Saved: back to the form's part of the page, which says so. Refused: the page again with the message in that
    part and what was typed kept (`form_key` names the form when a part has several).
    """
    if not form.validate():
        return refused(report, anchor, first_error(form), form_key)
    try:
        change()
        db.session.commit()
    except HandlingError as error:
        db.session.rollback()
        return refused(report, anchor, str(error), form_key)
    session[SAVED_SECTION] = anchor
    # The message itself is the address's target: the browser scrolls to it and focuses it (it is focusable).
    return back_to(report, f"{anchor}-meddelande")


def refused(report, anchor: str, message: str, form_key: str | None = None):
    """The handling page with a refused form's message in its section and the posted values kept (422)."""
    report = handled_or_404(report.uuid)
    return render_template("reports/handle.html", **page_of(report), error_section=anchor, error_message=message,
                           posted=request.form, posted_form=form_key or anchor), 422


@bp.post("/rapporter/<uuid:report_uuid>/typer")
@access(*HANDLERS)
def confirm_kinds(report_uuid):
    report = posted_report(report_uuid)
    form = KindsForm()
    return submit(report, "typer", form, lambda: handling.confirm_kinds(
        current_user, report, form.kinds.data, form.reason.data))


@bp.post("/rapporter/<uuid:report_uuid>/status")
@access(*HANDLERS)
def change_status(report_uuid):
    report = posted_report(report_uuid)
    form = StatusForm(current_status=report.status, feedback_required=report.reporter_id is not None)
    return submit(report, "status", form, lambda: handling.change_status(
        current_user, report, form.status.data, form.feedback.data))


@bp.post("/rapporter/<uuid:report_uuid>/anteckningar")
@access(*HANDLERS)
def add_entry(report_uuid):
    report = posted_report(report_uuid)
    form = EntryForm()
    return submit(report, "utredning", form, lambda: handling.add_entry(
        current_user, report, form.kind.data, form.text.data))


@bp.post("/rapporter/<uuid:report_uuid>/bedomning")
@access(*HANDLERS)
def record_assessment(report_uuid):
    report = posted_report(report_uuid)
    form = AssessmentForm()
    return submit(report, "bedomning", form, lambda: handling.record_assessment(
        current_user, report, noticed_at=form.noticed_at.data, causes=form.causes.data,
        probability=form.probability.data, consequence=form.consequence.data, diary_number=form.diary_number.data))


@bp.post("/rapporter/<uuid:report_uuid>/atgarder")
@access(*HANDLERS)
def add_action(report_uuid):
    report = posted_report(report_uuid)
    form = ActionForm()
    return submit(report, "atgarder", form, lambda: handling.add_action(
        current_user, report, what=form.what.data, owner_id=form.owner_id.data, owner_name=form.owner_name.data,
        due_on=form.due_on.data), form_key="ny-atgard")


@bp.post("/rapporter/<uuid:report_uuid>/atgarder/<int:action_id>")
@access(*HANDLERS)
def update_action(report_uuid, action_id: int):
    report = posted_report(report_uuid)
    action = db.session.get(ReportAction, action_id)
    if action is None or action.report_id != report.id:
        abort(404)
    form = ActionProgressForm()
    return submit(report, "atgarder", form, lambda: handling.update_action(
        current_user, action, status=form.status.data, effect=form.effect.data, effect_note=form.effect_note.data),
        form_key=f"atgard-{action.id}")


@bp.get("/rapporter/regler")
@access(*HANDLERS)
def classification_rules():
    return render_template(
        "reports/rules.html", rows=rules.CLASSIFICATION, fallback_kinds=rules.FALLBACK_KINDS,
        fallback_why=rules.FALLBACK_WHY, kind_labels=rules.KIND_LABELS, affected_labels=rules.AFFECTED_LABELS,
        harm_labels=rules.HARM_LABELS, topic_labels=rules.TOPIC_LABELS, urgent_kinds=rules.URGENT_KINDS,
    )


def statistics_filters():
    """The dashboard's filters from the query string; a unit outside the user's scope is ignored."""
    today = local_today()
    filters = statistics.default_filters(today)
    try:
        start = date.fromisoformat(request.args["fran"]) if request.args.get("fran") else filters.start
        end = date.fromisoformat(request.args["till"]) if request.args.get("till") else filters.end
    except ValueError:
        start, end = filters.start, filters.end
    if end < start:
        start, end = end, start
    if start < statistics.FIRST_DAY or end > statistics.LAST_DAY:
        raise DomainError(*statistics.DATE_OUT_OF_RANGE, status=400)
    allowed_units = {unit.id for unit in statistics.units_for(current_user)}
    unit_id = request.args.get("enhet", type=int)
    kind = request.args.get("typ") if request.args.get("typ") in rules.KIND_LABELS else None
    return statistics.Filters(start, end, unit_id if unit_id in allowed_units else None, kind), today


@bp.get("/statistik", endpoint="statistics")
@access(*HANDLERS)
def statistics_page():
    filters, today = statistics_filters()
    return render_template(
        "reports/statistics.html", filters=filters, summary=statistics.summarise(current_user, filters, today),
        units=statistics.units_for(current_user), kind_labels=rules.KIND_LABELS, cause_labels=rules.CAUSE_LABELS,
        query=request.args.to_dict(), sees_every_unit=scope.sees_every_unit(current_user, Purpose.HANDLE_REPORTS),
    )


# The learning page pages its events with ?sida= and its actions with this one.
ACTIONS_PAGE_PARAMETER = "atgardssida"


@bp.get("/statistik/larande", endpoint="learning")
@access(*HANDLERS)
def learning_page():
    filters, _today = statistics_filters()
    units = statistics.units_for(current_user)
    pages = page_number(request.args.get(PAGE_PARAMETER)), page_number(request.args.get(ACTIONS_PAGE_PARAMETER))
    return render_template(
        "reports/learning.html", filters=filters, learning=learning.learning(current_user, filters, *pages),
        units=units, query={name: value for name, value in request.args.items()
                            if name not in (PAGE_PARAMETER, ACTIONS_PAGE_PARAMETER)},
        unit=next((unit for unit in units if unit.id == filters.unit_id), None), kind_labels=rules.KIND_LABELS,
        printed_at=learning.printed_at(), sees_every_unit=scope.sees_every_unit(current_user, Purpose.HANDLE_REPORTS),
    )


@bp.get("/statistik/export.csv")
@access(*HANDLERS)
def statistics_csv():
    filters, _today = statistics_filters()
    output = io.StringIO()
    csv.writer(output).writerows(statistics.csv_rows(current_user, filters))
    return Response(output.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=fickan-rapporter-{filters.start}-"
                                                    f"{filters.end}.csv"})


@bp.post("/rapporter/<uuid:report_uuid>/tidsfrister/<code>")
@access(*HANDLERS)
def stop_clock(report_uuid, code: str):
    report = posted_report(report_uuid)
    form = ClockStopForm()
    return submit(report, "tidsfrister", form, lambda: clocks.stop_clock(
        current_user, report, code, form.outcome.data, form.note.data, utcnow()), form_key=f"tidsfrist-{code}")


@bp.post("/rapporter/<uuid:report_uuid>/rutin")
@access(*HANDLERS)
def link_routine(report_uuid):
    report = posted_report(report_uuid)
    form = RoutineLinkForm()
    routine = routines.readable_routine(current_user, form.routine.data)
    if routine is None:
        return refused(report, "rutin", "Välj en rutin.")
    return submit(report, "rutin", form, lambda: handling.link_routine(current_user, report, routine,
                                                                         form.reason.data))
