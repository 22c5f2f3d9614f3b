"""All of /api/v1 (docs/SYNC.md): session, routines feed, reports, egenkontroll answers and push subscriptions;
JSON, same-origin cookie."""
import json
import logging

from flask import Blueprint, abort, current_app, jsonify, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from marshmallow import ValidationError

from app.accounts import services as accounts
from app.accounts.permissions import access
from app.accounts.rules import Access
from app.errors import DomainError, error_response
from app.media.services import stored_image_response
from app.notices import services as notices
from app.notices.schemas import EndpointSchema, PushSubscriptionSchema, invalid_subscription
from app.quality import checks
from app.quality.schemas import SelfCheckReceiptSchema, load_self_check
from app.reports import rules as report_rules, services as reports
from app.reports.schemas import load_report
from app.reports.services import ReportError
from app.request_limits import limit_report_creation, max_request_bytes
from app.routines import synonyms
from app.routines.search_index import phone_documents
from sync import services
from sync.schemas import (
    ChangesQuerySchema,
    OwnReportsSchema,
    ReportDetailSchema,
    ReportReceiptSchema,
    RoutineChangesSchema,
)

log = logging.getLogger("fickan.sync")

# The JSON of one report is small; a larger part is not a report.
REPORT_PART_MAX_BYTES = 256 * 1024

bp = Blueprint("sync", __name__, url_prefix="/api/v1")


@bp.get("/session")
@access(Access.SIGNED_IN)
def current_session():
    # The phone's outbox may send from a page cached long ago, or from the service worker, which
    # has no page at all: it asks here who is signed in and for a token that fits this session.
    response = jsonify(user=current_user.id, csrf_token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/routines/changes")
@access(Access.SIGNED_IN)
def routine_changes():
    try:
        query = ChangesQuerySchema().load(request.args)
    except ValidationError:
        return error_response(400, "invalid_query", "Frågan kunde inte tolkas.")
    changes = services.routine_changes(current_user, query["since"])
    # What the server's search index holds for each routine, so the phone ranks offline as the server does.
    analysed = phone_documents([routine.id for routine in changes.routines])
    synonym_rows, synonyms_version = synonyms.phone_list()
    body = {
        "routines": [
            {
                "id": routine.id,
                "slug": routine.slug,
                "title": routine.title,
                "kind": routine.kind,
                "category": routine.category,
                # Two routines may share a title: the unit (none: central) tells them apart on the phone too.
                "unit": routine.scope_unit.name if routine.scope_unit else None,
                "version": routine.current_version.number,
                "tags": routine.current_version.tags or [],
                "url": url_for("routines.show", slug=routine.slug),
                "updated_at": routine.changed_at,
                "search": analysed.get(routine.id),
            }
            for routine in changes.routines
        ],
        "removed": changes.removed,
        "token": changes.token,
        "full": changes.full,
        "synonyms_version": synonyms_version,
    }
    # The phone's offline search expands everyday words with the synonyms (in the order they were saved, as
    # the server's search reads them). Rarely changed and larger than a routine page: sent only to a phone
    # that does not hold this version. A phone that names no version (an older app) gets them every time.
    if query["synonyms_version"] != synonyms_version:
        body["synonyms"] = synonym_rows
    return RoutineChangesSchema().dump(body)


# Reports (docs/SYNC.md): intake from the phone's outbox, status back, reading for those who handle them.

def report_part():
    """The decoded JSON of the part `report` (a form field or a file part), or of the body if it is JSON."""
    if request.is_json:
        raw = request.get_data()
    elif "report" in request.form:
        raw = request.form["report"]
    elif "report" in request.files:
        raw = request.files["report"].read(REPORT_PART_MAX_BYTES + 1)
    else:
        raise ReportError("report_missing", "Rapporten saknas i det som skickades (delen report).", status=400)
    if len(raw) > REPORT_PART_MAX_BYTES:
        raise ReportError("too_large", "Rapportens text är för stor.", status=413)
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: arrays or objects nested thousands deep
        raise ReportError("bad_json", "Rapporten kunde inte tolkas (ogiltig JSON).", status=400) from None


def photo_parts() -> list[bytes]:
    """The bytes of each part `photos`; an empty file input sends an empty part, which is no photo."""
    photos = []
    for part in request.files.getlist("photos"):
        data = part.read()
        if data or part.filename:
            photos.append(data)
    return photos


def photo_links(report) -> list[dict]:
    return [
        {
            "number": photo.number,
            "url": url_for("sync.report_photo", report_uuid=report.uuid, number=photo.number),
            "thumbnail_url": url_for("sync.report_thumbnail", report_uuid=report.uuid, number=photo.number),
            "width": photo.width,
            "height": photo.height,
            "content_type": photo.content_type,
        }
        for photo in report.photos
    ]


def own_report_body(report) -> dict:
    return {
        "uuid": report.uuid,
        "id": report.id,
        "text": report.text,
        "status": report.status,
        "status_label": report.status_label,
        "feedback": report.feedback or None,
        "unit": {"id": report.unit.id, "name": report.unit.name},
        "created_at": report.created_at,
        "occurred_at": report.occurred_at,
        "received_at": report.received_at,
        "photo_count": len(report.photos),
    }


def kind_list(codes) -> list[dict]:
    return [{"code": code, "label": report_rules.KIND_LABELS.get(code, code)} for code in codes]


# One instance for every answer (it keeps no state between dumps; building one deep-copies every field).
RECEIPT_SCHEMA = ReportReceiptSchema()


@bp.post("/reports")
@access(Access.SIGNED_IN)
@max_request_bytes(report_rules.MAX_REQUEST_BYTES)
@limit_report_creation
def create_report():
    try:
        report, created = reports.create_report(current_user, load_report(report_part()), photo_parts())
    except DomainError as error:
        return error_response(error.status, error.code, error.message, error.fields)
    body = RECEIPT_SCHEMA.dump(
        {"uuid": report.uuid, "id": report.id, "status": report.status, "warnings": reports.warnings_for(report)}
    )
    return body, 201 if created else 200, {"Location": url_for("sync.report", report_uuid=report.uuid)}


@bp.get("/reports/mine")
@access(Access.SIGNED_IN)
def my_reports():
    own = [own_report_body(report) for report in reports.reports_of(current_user)]
    return OwnReportsSchema().dump({"reports": own})


@bp.get("/reports/<uuid:report_uuid>")
@access(Access.SIGNED_IN)
def report(report_uuid):
    # 404, not 403, for a report the user may not read: its existence is not told.
    found = reports.readable_report(current_user, str(report_uuid)) or abort(404)
    body = own_report_body(found) | {
        "affected": found.affected,
        "harm": found.harm,
        "topics": found.topics,
        "place": found.place,
        "client_reference": found.client_reference,
        "immediate_action": found.immediate_action,
        "bypass_manager": found.bypass_manager,
        "photos": photo_links(found),
        "warnings": reports.warnings_for(found),
    }
    if reports.is_handler(current_user, found):
        body |= {
            # None for a complaint from the public page: nobody signed in wrote it.
            "reporter": {"id": found.reporter.id, "name": found.reporter.display_name} if found.reporter else None,
            "kinds": kind_list(found.kinds),
            "suggested_kinds": kind_list(found.suggested_kinds),
        }
    return ReportDetailSchema().dump(body)


def send_report_photo(report_uuid, number: int, thumbnail: bool):
    photo = reports.readable_photo(current_user, str(report_uuid), number, thumbnail) or abort(404)
    path = reports.photo_path(photo, thumbnail)
    if not path.is_file():
        log.error("report photo missing on disk", extra={"photo": photo.id})
        abort(404)
    response = stored_image_response(path, "image/jpeg" if thumbnail else photo.content_type, max_age=0)
    # Health data: no shared cache and no copy left in the browser's HTTP cache.
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/reports/<uuid:report_uuid>/photos/<int:number>")
@access(Access.SIGNED_IN)
def report_photo(report_uuid, number: int):
    return send_report_photo(report_uuid, number, thumbnail=False)


@bp.get("/reports/<uuid:report_uuid>/photos/<int:number>/thumbnail")
@access(Access.SIGNED_IN)
def report_thumbnail(report_uuid, number: int):
    return send_report_photo(report_uuid, number, thumbnail=True)


# Push (JSON, same-origin session cookie, X-CSRFToken on POST and DELETE): the phone subscribes its browser.

@bp.get("/push/key")
@access(Access.PUBLIC)
def push_key():
    return {"public_key": current_app.config["VAPID_PUBLIC_KEY"]}


def json_object_body() -> dict | None:
    """The request's JSON body if it is an object, else None."""
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nested thousands deep
        return None
    return body if isinstance(body, dict) else None


@bp.post("/push/subscriptions")
@access(Access.SIGNED_IN)
def subscribe_to_push():
    body = json_object_body()
    if body is None:
        return error_response(400, "bad_json", "Prenumerationen kunde inte tolkas (ogiltig JSON).")
    try:
        data = PushSubscriptionSchema().load(body)
    except ValidationError as error:
        raise invalid_subscription(error.messages) from None
    try:
        login = accounts.current_session_of(current_user)
        subscription, created = notices.subscribe(
            current_user, data, session_id=login.id if login else None, user_agent=request.user_agent.string,
            app_origin=request.host_url.rstrip("/"), allowed_hosts=current_app.config["PUSH_ALLOWED_HOSTS"],
        )
    except notices.NoticeError as error:
        return error_response(error.status, error.code, error.message, error.fields)
    return jsonify(id=subscription.id, endpoint=subscription.endpoint, created=created), 201 if created else 200


@bp.delete("/push/subscriptions")
@access(Access.SIGNED_IN)
def unsubscribe_from_push():
    try:
        data = EndpointSchema().load(json_object_body() or {})
    except ValidationError:
        return error_response(422, "invalid", "Ange prenumerationens adress (endpoint).")
    if not notices.unsubscribe(current_user, data["endpoint"]):
        return error_response(404, "not_found", "Den prenumerationen finns inte.")
    return "", 204


@bp.post("/self-checks")
@access(Access.SIGNED_IN)
def submit_self_check():
    # Who may answer is the task's rule (checks.submit_answers), as on the page: the assignee or the unit's
    # responsible role, or quality.
    body = json_object_body()
    if body is None:
        return error_response(400, "bad_json", "Svaren kunde inte tolkas (ogiltig JSON).")
    try:
        response, created = checks.receive_from_phone(current_user, load_self_check(body))
    except checks.AnswerProblems as error:
        fields = {f"q-{question_id}": [{"code": "answer", "message": message}]
                  for question_id, message in error.problems.items()}
        return error_response(error.status, error.code, error.message, fields)
    opened = sum(1 for answer in response.answers if checks.action_of(answer) is not None)
    receipt = SelfCheckReceiptSchema().dump(
        {"uuid": response.client_uuid, "id": response.id, "task_id": response.task_id, "actions": opened})
    return receipt, 201 if created else 200
