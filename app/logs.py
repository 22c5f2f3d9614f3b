"""Structured logging: one JSON object per line on stderr, and a line per request."""
import logging
import sys
import time

from flask import Flask, g, request
from flask_login import current_user
from pythonjsonlogger.json import JsonFormatter
from sqlalchemy import inspect


def configure_logging(level: str) -> None:
    """Send every fickan.* and Flask log record to stderr as JSON."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter("%(levelname)s %(name)s %(message)s", timestamp=True, json_ensure_ascii=False))
    for name in ("fickan", "flask.app"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False


def start_timer() -> None:
    g.request_started = time.perf_counter()


def log_request(response):
    # The path only: query strings can hold search words or other personal data.
    started = g.pop("request_started", None)
    logging.getLogger("fickan.requests").info(
        "request",
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
            "user": logged_user(),
        },
    )
    return response


def logged_user() -> str | None:
    """The signed-in user's id, read from the row's identity: a view that committed has expired the user, and
    reading its attributes (is_authenticated, get_id) would load it again, one query per request for a log line."""
    if current_user.is_anonymous:
        return None
    identity = inspect(current_user._get_current_object()).identity
    return str(identity[0]) if identity else current_user.get_id().split(":")[0]


def init_app(app: Flask) -> None:
    configure_logging(app.config["LOG_LEVEL"])
    app.before_request(start_timer)
    app.after_request(log_request)
