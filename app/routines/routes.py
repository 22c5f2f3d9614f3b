"""Pages of the routine library."""
from flask import Blueprint, render_template

from app.accounts.permissions import access
from app.accounts.rules import Access

bp = Blueprint("routines", __name__)


@bp.get("/rutiner")
@access(Access.SIGNED_IN)
def index():
    return render_template("coming_soon.html", title="Rutiner", what="Här hittar du rutinerna för ditt arbete.")
