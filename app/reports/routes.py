"""Pages for reporting incidents and for handling them."""
import uuid
from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.permissions import access
from app.accounts.rules import Access, Role
from app.reports import rules, services
from app.reports.services import ReportError
from app.request_limits import max_request_bytes
from app.timestamps import utcnow
from app.views import LOCAL_ZONE

bp = Blueprint("reports", __name__)

# Form fields carry the names of the JSON answers, so the phone can serialise the form as it is.
TEXT_FIELDS = ("uuid", "created_at", "text", "occurred_at", "unit_id", "place", "harm", "client_reference",
               "immediate_action")
LIST_FIELDS = ("affected", "topics")


def form_answers(form) -> dict:
    """The answers of the /rapportera form as the API's JSON would carry them (blank optional fields left out)."""
    answers = {name: form.get(name, "") for name in TEXT_FIELDS}
    answers.update({name: form.getlist(name) for name in LIST_FIELDS})
    for name in ("occurred_at", "unit_id", "harm", "created_at"):
        if not answers[name].strip():
            del answers[name]
    answers.setdefault("created_at", utcnow().isoformat())
    return answers


def blank_answers() -> dict:
    unit = services.default_unit(current_user)
    return {
        "uuid": str(uuid.uuid4()),
        "occurred_at": datetime.now(LOCAL_ZONE).strftime("%Y-%m-%dT%H:%M"),
        "unit_id": str(unit.id) if unit else "",
        "harm": "",
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
def create():
    answers = form_answers(request.form)
    photos = [data for part in request.files.getlist("photos") if (data := part.read()) or part.filename]
    decision = request.form.get("personnummer")
    found = any(rules.has_personal_number(answers.get(name, "")) for name in services.WARNED_FIELDS)
    if found and decision not in ("remove", "keep"):
        # Ask before sending (the phone asks in its own script; this is the page without JavaScript).
        return render_form(answers, personal_number_found=True, had_photos=bool(photos)), 200
    if found and decision == "remove":
        for name in services.WARNED_FIELDS:
            answers[name] = rules.remove_personal_numbers(answers.get(name, ""))
    try:
        services.create_report(current_user, answers, photos)
    except ReportError as error:
        return render_form(answers, errors=error.fields, message=error.message, had_photos=bool(photos)), error.status
    flash("Rapporten är skickad", "success")
    return redirect(url_for("reports.mine"), code=303)


@bp.get("/rapportera/mina")
@access(Access.SIGNED_IN)
def mine():
    return render_template("reports/mine.html", reports=services.reports_of(current_user))


@bp.get("/rapporter")
@access(Role.MANAGER, Role.QUALITY)
def inbox():
    return render_template("coming_soon.html", title="Rapporter", what="Här tar du emot och utreder rapporter.")


@bp.get("/rapporter/regler")
@access(Role.MANAGER, Role.QUALITY)
def classification_rules():
    return render_template(
        "reports/rules.html", rows=rules.CLASSIFICATION, fallback_kinds=rules.FALLBACK_KINDS,
        fallback_why=rules.FALLBACK_WHY, kind_labels=rules.KIND_LABELS, affected_labels=rules.AFFECTED_LABELS,
        harm_labels=rules.HARM_LABELS, topic_labels=rules.TOPIC_LABELS, urgent_kinds=rules.URGENT_KINDS,
    )


@bp.get("/statistik")
@access(Role.MANAGER, Role.QUALITY)
def statistics():
    return render_template("coming_soon.html", title="Statistik", what="Här följer du rapporter och trender.")
