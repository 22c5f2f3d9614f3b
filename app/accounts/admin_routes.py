"""Administration of users and units (the admin role only)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from app.accounts import services
from app.accounts.forms import NewUserForm, PasswordResetForm, UnitForm, UserDetailsForm
from app.forms import EmptyForm, as_choices
from app.accounts.models import Unit, User
from app.accounts.permissions import access
from app.accounts.rules import ROLE_LABELS, UNIT_KIND_LABELS, Role
from app.extensions import db
from app.views import render_page_or_fragment

bp = Blueprint("admin", __name__, url_prefix="/admin")


def unit_choices() -> list[SelectChoice]:
    return as_choices((unit.id, "\u2003" * depth + unit.name) for unit, depth in services.unit_tree())


def user_or_404(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


@bp.get("/")
@access(Role.ADMIN)
def index():
    return redirect(url_for("admin.users"))


@bp.get("/anvandare")
@access(Role.ADMIN)
def users():
    query = request.args.get("q", "")
    return render_page_or_fragment(
        "admin/users.html", "admin/_user_list.html", users=services.list_users(query), query=query,
        role_labels=ROLE_LABELS
    )


@bp.route("/anvandare/ny", methods=["GET", "POST"])
@access(Role.ADMIN)
def new_user():
    form = NewUserForm()
    form.units.choices = unit_choices()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                current_user,
                username=form.username.data,
                display_name=form.display_name.data,
                title=form.title.data or "",
                role=form.role.data,
                password=form.password.data,
                units=services.units_by_ids(form.units.data),
                is_mas=form.is_mas.data,
            )
        except services.AccountError as error:
            form.form_errors.append(str(error))
        else:
            flash(f"Kontot {user.username} är skapat.", "success")
            return redirect(url_for("admin.edit_user", user_id=user.id), code=303)
    return render_template("admin/user_new.html", form=form), 422 if form.errors or form.form_errors else 200


@bp.route("/anvandare/<int:user_id>", methods=["GET", "POST"])
@access(Role.ADMIN)
def edit_user(user_id: int):
    user = user_or_404(user_id)
    form = UserDetailsForm(obj=None if request.method == "POST" else user)
    form.units.choices = unit_choices()
    if request.method == "GET":
        form.units.data = [unit.id for unit in user.units]
    if form.validate_on_submit():
        try:
            services.update_user(
                current_user,
                user,
                display_name=form.display_name.data,
                title=form.title.data or "",
                role=form.role.data,
                units=services.units_by_ids(form.units.data),
                is_mas=form.is_mas.data,
            )
        except services.AccountError as error:
            form.form_errors.append(str(error))
        else:
            flash("Ändringarna är sparade.", "success")
            return redirect(url_for("admin.edit_user", user_id=user.id), code=303)
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "admin/user_edit.html",
        user=user,
        form=form,
        password_form=PasswordResetForm(formdata=None),
        button_form=EmptyForm(),
        role_labels=ROLE_LABELS,
        session_count=len(services.sessions_of(user)),
    ), status


@bp.post("/anvandare/<int:user_id>/aktiv")
@access(Role.ADMIN)
def set_active(user_id: int):
    user = user_or_404(user_id)
    activate = request.form.get("active") == "1"
    try:
        services.set_user_active(current_user, user, activate)
    except services.AccountError as error:
        flash(str(error), "error")
    else:
        flash("Kontot är aktivt igen." if activate else "Kontot är inaktiverat och utloggat.", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id), code=303)


@bp.post("/anvandare/<int:user_id>/utloggning")
@access(Role.ADMIN)
def end_sessions(user_id: int):
    user = user_or_404(user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.end_all_sessions(current_user, user)
    db.session.commit()
    flash(f"{user.display_name} är utloggad på alla telefoner och webbläsare.", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id), code=303)


@bp.post("/anvandare/<int:user_id>/losenord")
@access(Role.ADMIN)
def reset_password(user_id: int):
    user = user_or_404(user_id)
    form = PasswordResetForm()
    if form.validate_on_submit():
        try:
            services.reset_password(current_user, user, form.password.data)
        except services.AccountError as error:
            flash(str(error), "error")
        else:
            flash("Lösenordet är bytt. Personen loggas ut på alla enheter.", "success")
    else:
        flash("Skriv ett nytt lösenord.", "error")
    return redirect(url_for("admin.edit_user", user_id=user.id), code=303)


@bp.route("/enheter", methods=["GET", "POST"])
@access(Role.ADMIN)
def units():
    form = UnitForm()
    form.parent_id.choices = as_choices([(0, "– ingen (högst upp) –")]) + unit_choices()
    if form.validate_on_submit():
        parent = db.session.get(Unit, form.parent_id.data) if form.parent_id.data else None
        try:
            unit = services.create_unit(current_user, name=form.name.data, kind=form.kind.data, parent=parent)
        except services.AccountError as error:
            form.form_errors.append(str(error))
        else:
            flash(f"{unit.name} är tillagd.", "success")
            return redirect(url_for("admin.units"), code=303)
    status = 422 if form.errors or form.form_errors else 200
    page = render_template("admin/units.html", form=form, tree=services.unit_tree(), kind_labels=UNIT_KIND_LABELS)
    return page, status
