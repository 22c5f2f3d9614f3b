"""The one helper that decides between a full page and an htmx fragment."""
from flask import render_template
from htmx_flask import request


def render_page_or_fragment(page_template: str, fragment_template: str, **context) -> str:
    """Render the fragment alone for an htmx request (HX-Request), else the whole page."""
    if request.htmx and not request.htmx.boosted:
        return render_template(fragment_template, **context)
    return render_template(page_template, **context)


def given(attributes: dict) -> dict:
    """The attributes that have a value (template helper for WTForms fields)."""
    return {name: value for name, value in attributes.items() if value is not None}
