"""One place that turns errors into a Swedish page, an htmx fragment or JSON; the domains' error classes."""
import logging
from collections.abc import Callable, Mapping, Sequence

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


class DomainError(ValueError):
    """A request a domain rule refuses: `code` is machine-readable, `message` Swedish, `fields` per field."""

    status = 422

    def __init__(self, code: str, message: str, *, status: int | None = None, field: str | None = None,
                 fields: dict | None = None):
        super().__init__(message)
        self.code, self.message, self.field = code, message, field
        self.status = status or self.status
        self.fields = fields or ({field: [{"code": code, "message": message}]} if field else {})


class NotAllowed(DomainError):
    """The acting user may not do this."""

    status = 403

    def __init__(self, message: str = MESSAGES[403][1], code: str = "forbidden", **details):
        super().__init__(code, message, **details)


class InvalidInput(DomainError):
    """Input that does not pass its schema; `fields` holds every field's errors, the first one is `code`."""


def flatten_messages(messages) -> list[str]:
    """marshmallow's nested messages (lists, {index: [...]}) as one flat list."""
    if isinstance(messages, str):
        return [messages]
    if isinstance(messages, Mapping):
        return [message for value in messages.values() for message in flatten_messages(value)]
    return [message for value in messages for message in flatten_messages(value)]


def invalid_input(messages: Mapping, explain: Callable[[str, str], tuple[str, str]],
                  order: Sequence[str] = ()) -> InvalidInput:
    """The error for a marshmallow ValidationError's messages; `explain(field, message)` gives (code, Swedish)."""
    position = {name: index for index, name in enumerate(order)}
    fields = {}
    for name in sorted(messages, key=lambda name: (position.get(name, len(position)), str(name))):
        explained = dict.fromkeys(explain(str(name), message) for message in flatten_messages(messages[name]))
        fields[str(name)] = [{"code": code, "message": message} for code, message in explained]
    first = next(iter(fields.values()))[0]
    return InvalidInput(first["code"], first["message"], fields=fields)


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


def handle_domain_error(error: DomainError):
    return error_response(error.status, error.code, error.message, error.fields)


def handle_http_error(error: HTTPException):
    # A rate limit may carry its own Swedish message (limiter.limit(..., error_message=...)).
    custom = getattr(getattr(error, "limit", None), "error_message", None)
    return error_response(error.code or 500, message=custom if isinstance(custom, str) else None)


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
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_unexpected_error)
    app.register_error_handler(Exception, handle_unexpected_error)
