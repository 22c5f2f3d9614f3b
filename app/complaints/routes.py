"""Synpunkter och klagomål: the public page (no login), the receipt, the follow link; the handler's answer."""
from dataclasses import replace

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for)
from flask_login import current_user

from app.accounts.permissions import access
from app.accounts.rules import Access
from app.accounts.scope import HANDLERS
from app.accounts import scope
from app.accounts.scope import Purpose
from app.complaints import jobs, rules, services, statistics
from app.extensions import db, limiter
from app.forms import EmptyForm
from app.reports import services as reports
from app.reports.routes import submit as submit_on_report
from app.reports.rules import CAUSE_LABELS, ReportStatus
from app.request_limits import limit_report_creation, max_request_bytes
from app.timestamps import local_today, utcnow

bp = Blueprint("complaints", __name__)

RECEIPT = "complaint_receipt"
VERSIONS = {"vanlig": "complaints/form.html", "lattlast": "complaints/easy.html"}
COMPLAINT_FIELDS = ("text",)


def complaint_rate() -> str:
    return current_app.config["COMPLAINT_RATE_LIMIT"]


def render_form(version: str, answers: dict | None = None, errors: dict | None = None,
                personal_number_found: bool = False):
    return render_template(
        VERSIONS.get(version, VERSIONS["vanlig"]), answers=answers or {}, errors=errors or {}, version=version,
        personal_number_found=personal_number_found, units=services.public_units(),
        complainant_labels=rules.COMPLAINANT_LABELS, answer_way_labels=rules.ANSWER_WAY_LABELS,
        honeypot=rules.HONEYPOT_FIELD, max_text=rules.MAX_TEXT_LENGTH,
        acknowledge_days=current_app.config.get(rules.ACKNOWLEDGE.setting, rules.ACKNOWLEDGE.default),
        answer_days=current_app.config.get(rules.ANSWER.setting, rules.ANSWER.default),
    )


@bp.get("/synpunkter")
@access(Access.PUBLIC)
def form():
    return render_form("vanlig")


@bp.get("/synpunkter/lattlast")
@access(Access.PUBLIC)
def easy_form():
    return render_form("lattlast")


@bp.post("/synpunkter")
@access(Access.PUBLIC)
@max_request_bytes(rules.MAX_REQUEST_BYTES)
@limiter.limit(complaint_rate, methods=["POST"], scope="complaints", error_message=rules.TOO_MANY_MESSAGE)
def submit():
    version = request.form.get("version", "vanlig")
    if request.files:
        abort(400)
    if request.form.get(rules.HONEYPOT_FIELD):
        # A person never sees the field: a robot filled it in. Nothing is stored.
        current_app.logger.info("complaint refused: honeypot")
        return render_form(version, errors={"form": "Det gick inte att skicka. Försök igen."}), 400
    answers, errors = services.read_answers(request.form)
    posted = request.form.to_dict()
    if errors:
        return render_form(version, posted, errors), 422
    decided = reports.after_personal_number_decision({"text": answers.text}, request.form.get("personnummer"),
                                                     COMPLAINT_FIELDS)
    if decided is None:
        return render_form(version, posted, personal_number_found=True), 200
    answers = replace(answers, text=decided["text"])
    complaint, token = services.create_complaint(answers, rules.Channel.WEB)
    db.session.commit()
    services.announce(complaint)
    session[RECEIPT] = {"code": complaint.case_code, "token": token, "version": version}
    return redirect(url_for("complaints.receipt"), code=303)


@bp.get("/synpunkter/kvitto")
@access(Access.PUBLIC)
def receipt():
    shown = session.get(RECEIPT)
    if not shown:
        return redirect(url_for("complaints.form"))
    follow_url = url_for("complaints.follow", token=shown["token"], _external=True)
    return render_template("complaints/receipt.html", code=shown["code"], follow_url=follow_url,
                           easy=shown.get("version") == "lattlast")


@bp.get("/synpunkter/<token>")
@access(Access.PUBLIC)
def follow(token: str):
    complaint = services.find_by_token(token)
    if complaint is None:
        abort(404)
    # Private: never cached (app/privacy.py, every /synpunkter page); the page's meta tag keeps the link out of
    # referrers (the app's header already keeps it on this site).
    return render_template("complaints/follow.html", complaint=complaint, report=complaint.report,
                           received=complaint.report.received_at)


# Staff registering a complaint that came by phone, visit, letter, e-mail or the contact centre.

def render_staff_form(answers: dict | None = None, errors: dict | None = None, personal_number_found: bool = False):
    return render_template(
        "complaints/register.html", answers=answers or {}, errors=errors or {}, units=services.public_units(),
        personal_number_found=personal_number_found, channel_labels=rules.STAFF_CHANNELS,
        complainant_labels=rules.COMPLAINANT_STAFF_LABELS, answer_way_labels=rules.ANSWER_WAY_STAFF_LABELS,
        max_text=rules.MAX_TEXT_LENGTH,
    )


@bp.get("/rapportera/klagomal")
@access(Access.SIGNED_IN)
def register_form():
    return render_staff_form()


@bp.post("/rapportera/klagomal")
@access(Access.SIGNED_IN)
@max_request_bytes(rules.MAX_REQUEST_BYTES)
@limit_report_creation
def register():
    answers, errors = services.read_answers(request.form)
    channel = request.form.get("channel", "")
    if channel not in rules.STAFF_CHANNELS:
        errors["channel"] = "Välj hur klagomålet kom in."
    posted = request.form.to_dict()
    if errors:
        return render_staff_form(posted, errors), 422
    decided = reports.after_personal_number_decision({"text": answers.text}, request.form.get("personnummer"),
                                                     COMPLAINT_FIELDS)
    if decided is None:
        return render_staff_form(posted, personal_number_found=True), 200
    complaint, token = services.create_complaint(replace(answers, text=decided["text"]), channel,
                                                 reporter=current_user)
    db.session.commit()
    services.announce(complaint)
    flash(f"Klagomålet är registrerat med koden {complaint.case_code}. Ge personen följ-länken: "
          f"{url_for('complaints.follow', token=token, _external=True)}", "success")
    return redirect(url_for("reports.mine"), code=303)


# The handler's side, on the report's handling page.

def handled_complaint(report_uuid):
    report = reports.find_report(str(report_uuid))
    complaint = services.complaint_of(report) if report is not None else None
    if complaint is None or not reports.is_handler(current_user, report):
        abort(404)
    return complaint


# The handling page's own way: saved, back to the complaint's section, which says so; refused, the page again
# with the message there and the typed answer kept (reports.routes.submit).
SECTION = "klagomal"


@bp.post("/rapporter/<uuid:report_uuid>/klagomal/mottaget")
@access(*HANDLERS)
def acknowledge(report_uuid):
    complaint = handled_complaint(report_uuid)
    return submit_on_report(complaint.report, SECTION, EmptyForm(), lambda: services.acknowledge(current_user,
                                                                                                 complaint))


@bp.post("/rapporter/<uuid:report_uuid>/klagomal/svar")
@access(*HANDLERS)
def answer(report_uuid):
    complaint = handled_complaint(report_uuid)
    response = current_app.make_response(submit_on_report(complaint.report, SECTION, EmptyForm(), lambda: (
        services.give_answer(current_user, complaint, request.form.get("answer", "")))))
    if response.status_code == 303 and services.mail_due(complaint):
        jobs.mail_answer(complaint.id, current_app.config.get("PUBLIC_URL") or request.host_url)
    return response


@bp.post("/rapporter/<uuid:report_uuid>/klagomal/inget-svar")
@access(*HANDLERS)
def no_answer(report_uuid):
    complaint = handled_complaint(report_uuid)
    return submit_on_report(complaint.report, SECTION, EmptyForm(), lambda: services.record_no_answer(
        current_user, complaint, request.form.get("reason", ""), request.form.get("note", "")))


@bp.post("/rapporter/<uuid:report_uuid>/klagomal/enhet")
@access(*HANDLERS)
def place(report_uuid):
    complaint = handled_complaint(report_uuid)
    unit_id = request.form.get("unit_id", type=int)
    response = current_app.make_response(submit_on_report(
        complaint.report, SECTION, EmptyForm(), lambda: services.place_in_unit(current_user, complaint, unit_id),
        form_key="klagomal-enhet"))
    if response.status_code == 303:
        # As a complaint about a named unit is: its managers are told (inbox and push).
        services.announce(complaint)
    return response


def complaint_panel(report) -> dict | None:
    """What the handling page shows of a report's complaint side, for the signed-in handler (None: no complaint)."""
    complaint = services.complaint_of(report)
    if complaint is None:
        return None
    return {
        "complaint": complaint,
        "clocks": services.clock_states(complaint, current_app.config, utcnow()),
        "draft": complaint.answer or services.answer_draft(current_user, complaint),
        "follow_url": url_for("complaints.follow", token=services.token_of(complaint), _external=True),
        "complainant_labels": rules.COMPLAINANT_STAFF_LABELS, "answer_way_labels": rules.ANSWER_WAY_STAFF_LABELS,
        "no_answer_labels": rules.NO_ANSWER_REASON_LABELS, "received_status": ReportStatus.RECEIVED,
        "units": [] if complaint.unit_known else services.public_units(),
    }


def complaint_statistics(filters) -> dict:
    """The dashboard's complaint section for the signed-in handler, over the dashboard's own filters."""
    return {"stats": statistics.summarise(current_user, filters, current_app.config),
            "channel_labels": rules.CHANNEL_LABELS, "outcome_labels": rules.OUTCOME_LABELS}


@bp.app_context_processor
def complaint_helpers():
    return {"complaint_panel": complaint_panel, "complaint_statistics": complaint_statistics}


@bp.get("/statistik/klagomal")
@access(*HANDLERS)
def tertial():
    today = local_today()
    year, number = statistics.previous_tertial(today)
    chosen = request.args.get("tertial", f"{year}-{number}")
    try:
        year, number = (int(part) for part in chosen.split("-"))
        if not (2000 <= year <= 2099 and 1 <= number <= 3):
            raise ValueError
    except ValueError:
        abort(400)
    start, end = rules.tertial_days(year, number)
    current_year, current_number = rules.tertial_of(today)
    choices = [(f"{y}-{n}", f"Tertial {n} {y}") for y in range(current_year, current_year - 3, -1) for n in (3, 2, 1)
               if (y, n) <= (current_year, current_number)]
    return render_template(
        "complaints/tertial.html", year=year, number=number, start=start, end=end, chosen=f"{year}-{number}",
        choices=choices, stats=statistics.summarise(current_user, statistics.tertial_filters(year, number),
                                                    current_app.config),
        channel_labels=rules.CHANNEL_LABELS, outcome_labels=rules.OUTCOME_LABELS, cause_labels=CAUSE_LABELS,
        sees_every_unit=scope.sees_every_unit(current_user, Purpose.HANDLE_REPORTS))
