"""The inbox, composing notices, push settings, and the push API for the phone."""
from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError

from app.accounts.permissions import access
from app.accounts.rules import Access
from app.errors import DomainError, error_response
from app.forms import EmptyForm
from app.notices import rules, services
from app.notices.forms import NoticeForm
from app.notices.rules import InboxKind
from app.notices.schemas import EndpointSchema, InboxSchema, PushSubscriptionSchema, invalid_subscription
from app.timestamps import local_today
from app.views import render_page_or_fragment

bp = Blueprint("notices", __name__)
api = Blueprint("push_api", __name__, url_prefix="/api/v1")

COMPOSERS = rules.COMPOSER_ROLES


def notice_form(formdata=None) -> NoticeForm:
    """The compose form with the units this user may reach; staff of their own units by default."""
    form = NoticeForm(formdata=formdata)
    form.units.choices = [(unit.id, unit.name) for unit in services.target_units(current_user)]
    if formdata is None:
        form.units.data = services.default_unit_ids(current_user)
        form.roles.data = [str(role) for role in rules.DEFAULT_TARGET_ROLES]
        form.expires_on.data = local_today() + timedelta(days=rules.DEFAULT_NOTICE_DAYS)
    return form


def recipient_count(form: NoticeForm) -> int:
    try:
        return services.count_recipients(current_user, form.units.data or [], form.roles.data or [])
    except DomainError:
        return 0


def render_inbox(form: NoticeForm | None = None, status: int = 200):
    composer = rules.may_compose(current_user.role)
    if composer and form is None:
        form = notice_form()
    return render_template(
        "notices/inbox.html", items=services.inbox(current_user), form=form,
        recipients=recipient_count(form) if composer else 0,
        sent=services.notices_sent_by(current_user) if composer else [],
        kind_labels=rules.KIND_LABELS, importance_labels=rules.IMPORTANCE_LABELS,
        recipient_phrase=rules.recipient_phrase,
    ), status


@bp.get("/meddelanden")
@access(Access.SIGNED_IN)
def inbox():
    return render_inbox()


@bp.post("/meddelanden")
@access(*COMPOSERS)
def send():
    form = notice_form(request.form)
    if not form.validate():
        return render_inbox(form, 422)
    try:
        notice = services.send_notice(
            current_user, title=form.title.data, body=form.body.data, importance=form.importance.data,
            expires_on=form.expires_on.data, unit_ids=form.units.data or [], roles=form.roles.data or [],
        )
    except services.NotAllowed:
        abort(403)
    except services.NoticeError as error:
        form.form_errors.append(error.message)
        return render_inbox(form, 422)
    flash(f"Meddelandet är skickat till {notice.recipient_count} "
          f"{'person' if notice.recipient_count == 1 else 'personer'}.", "success")
    return redirect(url_for("notices.inbox"), code=303)


@bp.get("/meddelanden/mottagare")
@access(*COMPOSERS)
def recipients():
    form = notice_form(request.args)
    return render_page_or_fragment("notices/recipients.html", "notices/_recipients.html",
                                   recipients=recipient_count(form), recipient_phrase=rules.recipient_phrase)


@bp.get("/meddelanden/<int:item_id>")
@access(Access.SIGNED_IN)
def show(item_id: int):
    # Someone else's item is "not found": its existence is not told.
    item = services.open_item(current_user, item_id) or abort(404)
    if item.kind != InboxKind.NOTICE and item.url:
        return redirect(item.url, code=303)
    return render_template("notices/show.html", item=item, kind_labels=rules.KIND_LABELS)


@bp.get("/meddelanden/installningar")
@access(Access.SIGNED_IN)
def settings():
    return render_template("notices/settings.html", subscriptions=services.subscriptions_of(current_user),
                           button_form=EmptyForm())


@bp.post("/meddelanden/installningar/test")
@access(Access.SIGNED_IN)
def send_test():
    if not EmptyForm().validate_on_submit():
        abort(400)
    count = services.send_test_push(current_user)
    if count:
        flash(f"Testaviseringen är på väg till {count} webbläsare.", "success")
    else:
        flash("Aviseringar är inte påslagna någonstans än. Tryck på Slå på aviseringar först.", "error")
    return redirect(url_for("notices.settings"), code=303)


def unread_notice_count() -> int:
    """Template global: the signed-in user's unread inbox items (the badge on Meddelanden)."""
    if not current_user.is_authenticated:
        return 0
    return services.unread_count(current_user)


# The push API (JSON, same-origin session cookie, X-CSRFToken on POST and DELETE)

@api.get("/push/key")
@access(Access.PUBLIC)
def push_key():
    return {"public_key": current_app.config["VAPID_PUBLIC_KEY"]}


def json_body():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return None
    return body


@api.post("/push/subscriptions")
@access(Access.SIGNED_IN)
def subscribe():
    body = json_body()
    if body is None:
        return error_response(400, "bad_json", "Prenumerationen kunde inte tolkas (ogiltig JSON).")
    try:
        data = PushSubscriptionSchema().load(body)
    except ValidationError as error:
        raise invalid_subscription(error.messages) from None
    try:
        subscription, created = services.subscribe(
            current_user, data, user_agent=request.user_agent.string, app_origin=request.host_url.rstrip("/"),
            allowed_hosts=current_app.config["PUSH_ALLOWED_HOSTS"],
        )
    except services.NoticeError as error:
        return error_response(422, error.code, error.message, error.fields)
    return jsonify(id=subscription.id, endpoint=subscription.endpoint, created=created), 201 if created else 200


@api.delete("/push/subscriptions")
@access(Access.SIGNED_IN)
def unsubscribe():
    try:
        data = EndpointSchema().load(json_body() or {})
    except ValidationError:
        return error_response(422, "invalid", "Ange prenumerationens adress (endpoint).")
    if not services.unsubscribe(current_user, data["endpoint"]):
        return error_response(404, "not_found", "Den prenumerationen finns inte.")
    return "", 204


@api.get("/inbox")
@access(Access.SIGNED_IN)
def inbox_items():
    items = [
        {"id": item.id, "kind": item.kind, "title": item.title, "body": item.body,
         "url": url_for("notices.show", item_id=item.id), "target_url": item.url or None,
         "importance": item.importance, "created_at": item.created_at, "read_at": item.read_at}
        for item in services.inbox(current_user)
    ]
    response = jsonify(InboxSchema().dump({"unread": services.unread_count(current_user), "items": items}))
    response.headers["Cache-Control"] = "no-store"
    return response
