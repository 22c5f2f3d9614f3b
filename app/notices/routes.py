"""The inbox, composing notices, and push settings (the push API for the phone is in sync/)."""
from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.permissions import access
from app.accounts.rules import Access
from app.errors import DomainError
from app.forms import EmptyForm
from app.notices import rules, services
from app.notices.forms import NoticeForm
from app.notices.rules import InboxKind
from app.timestamps import local_today
from app.views import render_page_or_fragment

bp = Blueprint("notices", __name__)

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
        recipient_phrase=rules.recipient_phrase, shown_through_phrase=rules.shown_through_phrase,
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
