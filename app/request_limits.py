"""Per-view limits on the size of a request body, declared on the view like access()."""
from collections.abc import Callable

from flask import Request, current_app

LIMIT_ATTRIBUTE = "fickan_max_request_bytes"


def max_request_bytes(limit: int) -> Callable:
    """Declare the largest request body a view accepts; larger ones get 413 before anything is parsed."""

    def declare(view: Callable) -> Callable:
        setattr(view, LIMIT_ATTRIBUTE, limit)
        return view

    return declare


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
