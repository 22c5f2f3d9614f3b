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


class LimitedRequest(Request):
    """A request whose size limit is the view's declared one (MAX_CONTENT_LENGTH otherwise).

    The limit must hold before the CSRF check reads the form, so it cannot be set inside the view.
    """

    @Request.max_content_length.getter
    def max_content_length(self) -> int | None:
        if self._max_content_length is None and current_app:
            limit = declared_limit(self.endpoint)
            if limit is not None:
                return limit
        return Request.max_content_length.fget(self)
