"""Login and logout."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError

from app.accounts import rules, services
from app.accounts.forms import LoginForm
from app.accounts.permissions import access, is_static_endpoint
from app.accounts.rules import Access
from app.errors import handle_csrf_error
from app.extensions import db, limiter
from app.forms import EmptyForm

bp = Blueprint("accounts", __name__)


LOGIN_TOKEN_FAILED = "Sidan hade blivit för gammal, så du loggades inte in. Skriv lösenordet och försök igen."


def login_limit_per_ip() -> str:
    return current_app.config["LOGIN_RATE_LIMIT_PER_IP"]


def login_limit_per_username() -> str:
    return current_app.config["LOGIN_RATE_LIMIT_PER_USERNAME"]


def login_limit_per_username_everywhere() -> str:
    return current_app.config["LOGIN_RATE_LIMIT_PER_USERNAME_ALL"]


def username_key() -> str:
    return "login-user-all:" + services.normalise_username(request.form.get("username", ""))


def username_and_address_key() -> str:
    # The address is the client's (ProxyFix behind a configured proxy), not the proxy's.
    return f"login-user:{services.normalise_username(request.form.get('username', ''))}@{get_remote_address()}"


def failed_login(response) -> bool:
    return response.status_code != 303


def safe_next_url(target: str | None) -> str:
    """Only same-site paths: a login link must not send the user elsewhere."""
    return rules.same_site_path(target or "") or url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@access(Access.PUBLIC)
@limiter.limit(login_limit_per_ip, methods=["POST"])
@limiter.limit(login_limit_per_username, methods=["POST"], key_func=username_and_address_key,
               deduct_when=failed_login)
@limiter.limit(login_limit_per_username_everywhere, methods=["POST"], key_func=username_key,
               deduct_when=failed_login)
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next_url(request.args.get("next")))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data)
        if user is not None:
            # A fresh session at login, so nothing set before it (a planted id, an old token) survives.
            session.clear()
            services.start_session(user, remember=form.remember.data, user_agent=request.user_agent.string)
            login_user(user, remember=form.remember.data)
            session.permanent = True
            services.record_login(user)
            return redirect(safe_next_url(request.args.get("next")), code=303)
        error = "Fel användarnamn eller lösenord."
        current_app.logger.info("login failed", extra={"username": services.normalise_username(form.username.data)})
    status = 401 if error else 200
    return render_template("accounts/login.html", form=form, error=error), status


@bp.errorhandler(CSRFError)
def login_form_again_when_its_token_failed(error: CSRFError):
    # The token lives in the session, and a phone can lose or swap its session while the form is open (an
    # expired login, a background request answered by a new session). Then the form itself comes back with a
    # fresh token and the username kept, so one more tap logs in instead of a dead end.
    if request.endpoint != "accounts.login":
        return handle_csrf_error(error)
    form = LoginForm()
    form.password.data = None
    return render_template("accounts/login.html", form=form, error=LOGIN_TOKEN_FAILED), 400


@bp.before_app_request
def load_user_before_the_view():
    # Loading the user may note when the session was last seen (a commit): here nothing else is pending yet.
    if request.endpoint and not is_static_endpoint(request.endpoint):
        current_user._get_current_object()


@bp.post("/logout")
@access(Access.SIGNED_IN)
def logout():
    # CSRFProtect has already checked the token: a logout cannot be forced by another site.
    if request.form.get("everywhere") == "1":
        services.end_all_sessions(current_user, current_user)
    elif record := services.current_session_of(current_user):
        services.end_session(current_user, record.id)
    db.session.commit()
    # Clear first: logout_user() then marks the "stay logged in" cookie for deletion in the fresh session.
    session.clear()
    logout_user()
    return redirect(url_for("accounts.login"), code=303)


@bp.get("/inloggningar")
@access(Access.SIGNED_IN)
def sessions():
    current = services.current_session_of(current_user)
    return render_template("accounts/sessions.html", sessions=services.sessions_of(current_user),
                           current_id=current.id if current else None, button_form=EmptyForm())


@bp.post("/inloggningar/<int:session_id>/avsluta")
@access(Access.SIGNED_IN)
def end_session(session_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    if services.end_session(current_user, session_id):
        db.session.commit()
        flash("Den inloggningen är utloggad.", "success")
    return redirect(url_for("accounts.sessions"), code=303)
