"""Per-view limits on the size of a request body, declared on the view like access(); per-user rate limits."""
from collections.abc import Callable

from flask import Request, current_app
from flask_limiter.util import get_remote_address
from flask_login import current_user

from app.extensions import limiter

LIMIT_ATTRIBUTE = "fickan_max_request_bytes"


def max_request_bytes(limit: int) -> Callable:
    """Declare the largest request body a view accepts; larger ones get 413 before anything is parsed."""

    def declare(view: Callable) -> Callable:
        setattr(view, LIMIT_ATTRIBUTE, limit)
        return view

    return declare


def per_user_key() -> str:
    """The signed-in user (one person on many networks, or many people behind one), else the address."""
    return f"user:{current_user.id}" if current_user.is_authenticated else get_remote_address()


def report_creation_rate() -> str:
    return current_app.config["REPORT_RATE_LIMIT_PER_USER"]


# One budget for the web form and the API together: each report decodes up to five photos.
limit_report_creation = limiter.shared_limit(report_creation_rate, scope="report-creation", key_func=per_user_key,
                                             methods=["POST"])


def declared_limit(endpoint: str | None) -> int | None:
    view = current_app.view_functions.get(endpoint) if endpoint else None
    return getattr(view, LIMIT_ATTRIBUTE, None)


class RequestLimitMixin:
    """Makes a request's size limit the view's declared one (MAX_CONTENT_LENGTH otherwise).

    The limit must hold before the CSRF check reads the form, so it cannot be set inside the view.
    """

    _max_content_length: int | None

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is None and current_app:
            limit = declared_limit(self.endpoint)
            if limit is not None:
                return limit
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value


def with_request_limits(request_class: type[Request]) -> type[Request]:
    """The app's request class (htmx-flask has already replaced Flask's) with per-view size limits."""
    return type(request_class.__name__, (RequestLimitMixin, request_class), {})
