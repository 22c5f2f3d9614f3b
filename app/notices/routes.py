"""The inbox of notices."""
from flask import Blueprint, render_template

from app.accounts.permissions import access
from app.accounts.rules import Access

bp = Blueprint("notices", __name__)


@bp.get("/meddelanden")
@access(Access.SIGNED_IN)
def inbox():
    return render_template("coming_soon.html", title="Meddelanden", what="Här får du meddelanden från din enhet.")
