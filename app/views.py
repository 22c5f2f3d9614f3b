"""Helpers for views and templates: page or htmx fragment, Swedish dates."""
from datetime import date, datetime

from flask import render_template
from htmx_flask import request

from app.timestamps import LOCAL_ZONE


def wants_fragment() -> bool:
    """Whether htmx asked (HX-Request, not a boosted page load): answer with the fragment alone."""
    return bool(request.htmx) and not request.htmx.boosted


def render_page_or_fragment(page_template: str, fragment_template: str, **context) -> str:
    """Render the fragment alone for an htmx request (HX-Request), else the whole page."""
    if wants_fragment():
        return render_template(fragment_template, **context)
    return render_template(page_template, **context)


def vary_on_htmx(response):
    """Pages and their htmx fragments share URLs: caches must keep them apart."""
    if request.method == "GET" and response.mimetype == "text/html":
        response.vary.add("HX-Request")
    return response


def given(attributes: dict) -> dict:
    """The attributes that have a value (template helper for WTForms fields)."""
    return {name: value for name, value in attributes.items() if value is not None}


SWEDISH_MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
                  "oktober", "november", "december"]


def date_sv(value: date | datetime | None) -> str:
    """23 november 2026, in Swedish local time."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL_ZONE).date()
    return f"{value.day} {SWEDISH_MONTHS[value.month - 1]} {value.year}"


def datetime_sv(value: datetime | None) -> str:
    """23 november 2026 kl. 14.05, in Swedish local time."""
    if value is None:
        return ""
    local = value.astimezone(LOCAL_ZONE)
    return f"{date_sv(local)} kl. {local:%H.%M}"


def register_template_helpers(app) -> None:
    from app.routines.rules import KIND_LABELS

    app.jinja_env.globals.update(given=given, kind_label=lambda kind: KIND_LABELS.get(kind, kind))
    app.jinja_env.filters.update(date_sv=date_sv, datetime_sv=datetime_sv)
    app.after_request(vary_on_htmx)
