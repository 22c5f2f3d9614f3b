"""The one permission helper: every view states who may use it; a view that does not is refused."""
from collections.abc import Callable

from flask import abort, current_app, request
from flask_login import current_user

from app.accounts.rules import Access, Role, may_access
from app.extensions import login_manager

ACCESS_ATTRIBUTE = "fickan_access"


def access(*allowed: Access | Role) -> Callable:
    """Declare who may use a view: Access.PUBLIC, Access.SIGNED_IN, or one or more roles."""
    if len(allowed) == 1 and isinstance(allowed[0], Access):
        rule: Access | frozenset[Role] = allowed[0]
    elif allowed and all(isinstance(role, Role) for role in allowed):
        rule = frozenset(allowed)
    else:
        raise TypeError("access() takes one Access level or one or more roles")

    def declare(view: Callable) -> Callable:
        setattr(view, ACCESS_ATTRIBUTE, rule)
        return view

    return declare


def declared_access(view: Callable) -> Access | frozenset[Role] | None:
    """The access a view declared, or None."""
    return getattr(view, ACCESS_ATTRIBUTE, None)


def is_static_endpoint(endpoint: str) -> bool:
    return endpoint == "static" or endpoint.endswith(".static")


def enforce_declared_access():
    """before_request hook: deny by default, then apply the view's declaration."""
    endpoint = request.endpoint
    if endpoint is None or is_static_endpoint(endpoint):
        return None
    rule = declared_access(current_app.view_functions[endpoint])
    if rule is None:
        current_app.logger.error("view without access declaration", extra={"endpoint": endpoint})
        abort(403)
    if rule == Access.PUBLIC:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not may_access(current_user.role, rule):
        abort(403)
    return None
