"""Paths of the app's pages from its URL map, in a request or outside one (jobs, CLI commands)."""
from collections.abc import Callable, Iterator
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


# The largest id an <int:…> in a URL takes (app.DatabaseIdConverter): a number no other part of a path holds.
ID_MARKER = 2**31 - 1


def path_maker(endpoint: str, name: str) -> Callable[[int], str]:
    """A function from an id to url_for's path of `endpoint` with that id as `name`, built once: a push fan-out
    makes thousands of these paths, and url_for each time cost more than the rest of a target. Call it where
    url_for works (root_request_if_none); where the path does not hold the id as written, url_for runs per id."""
    marker = str(ID_MARKER)
    before, found, after = url_for(endpoint, **{name: ID_MARKER}).partition(marker)
    if not found or marker in after:
        return lambda value: url_for(endpoint, **{name: value})
    return lambda value: f"{before}{int(value)}{after}"
