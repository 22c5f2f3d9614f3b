"""Paths of the app's pages from its URL map, in a request or outside one (jobs, CLI commands)."""
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, has_request_context, url_for


@contextmanager
def root_request_if_none() -> Iterator[None]:
    """Make url_for build paths here: the current request if there is one, else a request for the app's root."""
    if has_request_context():
        yield
        return
    # Outside a request Flask builds URLs only with SERVER_NAME set, which an installation need not know
    # (PUBLIC_URL is optional). A path does not depend on the host, so a request for "/" is enough.
    with current_app.test_request_context("/"):
        yield


def path_for(endpoint: str, **values) -> str:
    """url_for's path of `endpoint`, also in a job or a CLI command (for inbox items and pushes)."""
    with root_request_if_none():
        return url_for(endpoint, **values)
