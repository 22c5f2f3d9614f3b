"""What the phone may not keep: paths never cached by the service worker, and no-store on health and user data."""
from flask import Flask, request

# Pages of the people who handle reports and run the app: never kept on a phone (the service worker reads
# this list from the generated constants module). Only staff's own pages and routines are kept. The public
# complaint pages too: a follow link opened on a staff phone must not stay in its caches.
NEVER_CACHED_PATHS = ("/rapporter", "/statistik", "/admin", "/meddelanden/skicka", "/synpunkter")

# Answers outside those paths that hold reports or user data (the phone's own pages and the JSON API).
PRIVATE_ENDPOINTS = frozenset({
    "reports.mine", "reports.create",
    "notices.inbox", "notices.show", "notices.recipients", "complaints.register",
    "sync.current_session", "sync.create_report", "sync.my_reports", "sync.report", "sync.report_photo",
    "sync.report_thumbnail", "sync.submit_self_check",
})
PRIVATE_CACHE_CONTROL = "private, no-store"


def is_never_cached(path: str) -> bool:
    """True for a path at or below one of NEVER_CACHED_PATHS (whole segments: /rapportera is not /rapporter)."""
    return any(path == prefix or path.startswith(prefix + "/") for prefix in NEVER_CACHED_PATHS)


def mark_private(response):
    if is_never_cached(request.path) or request.endpoint in PRIVATE_ENDPOINTS:
        response.headers["Cache-Control"] = PRIVATE_CACHE_CONTROL
    return response


def init_app(app: Flask) -> None:
    app.after_request(mark_private)
