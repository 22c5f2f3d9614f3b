"""One place that turns errors into a Swedish page, an htmx fragment or JSON."""
import logging

from flask import Flask, jsonify, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from htmx_flask import request as htmx_request
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger("fickan.errors")

MESSAGES = {
    400: ("bad_request", "Begäran kunde inte tolkas."),
    401: ("login_required", "Du behöver logga in."),
    403: ("forbidden", "Du har inte behörighet till det här."),
    404: ("not_found", "Sidan finns inte."),
    405: ("method_not_allowed", "Det går inte att göra så här."),
    413: ("too_large", "Det du skickade är för stort."),
    422: ("invalid", "Uppgifterna kunde inte sparas. Kontrollera dem och försök igen."),
    429: ("too_many_requests", "För många försök. Vänta en stund och försök igen."),
    500: ("server_error", "Något gick fel hos oss. Försök igen om en stund."),
}
CSRF_ERROR = ("csrf_failed", "Sidan hade blivit för gammal. Ladda om sidan och försök igen.")


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(status: int, code: str | None = None, message: str | None = None, fields: dict | None = None):
    """The response for an error, in the form the caller can use; `fields` holds field errors (JSON only)."""
    default_code, default_message = MESSAGES.get(status, MESSAGES[500] if status >= 500 else MESSAGES[400])
    code, message = code or default_code, message or default_message
    if wants_json():
        error = {"code": code, "message": message}
        if fields:
            error["fields"] = fields
        return jsonify(error=error), status
    if htmx_request.htmx:
        return render_template("errors/_error.html", message=message), status
    return render_template("errors/error.html", status=status, message=message), status


def handle_http_error(error: HTTPException):
    return error_response(error.code or 500)


def handle_csrf_error(error: CSRFError):
    # An API call whose session has expired has lost its CSRF token too: the phone must hear "log in again"
    # (401, its outbox waits) rather than a 400 it cannot fix.
    if wants_json() and not current_user.is_authenticated:
        return handle_unauthorized()
    return error_response(400, *CSRF_ERROR)


def handle_unexpected_error(error: Exception):
    log.exception("unhandled error", extra={"path": request.path})
    return error_response(500)


def handle_unauthorized():
    """Flask-Login's answer to a request that needs a login."""
    if wants_json():
        return error_response(401)
    login_url = url_for("accounts.login", next=request.full_path.rstrip("?"))
    if htmx_request.htmx:
        response = make_response(error_response(401))
        response.headers["HX-Redirect"] = login_url
        return response
    return redirect(login_url)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_unexpected_error)
    app.register_error_handler(Exception, handle_unexpected_error)
