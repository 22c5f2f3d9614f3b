"""Pages for reporting incidents and for handling them."""
from flask import Blueprint, render_template

from app.accounts.permissions import access
from app.accounts.rules import Access, Role

bp = Blueprint("reports", __name__)


@bp.get("/rapportera")
@access(Access.SIGNED_IN)
def new():
    return render_template("coming_soon.html", title="Rapportera", what="Här rapporterar du en avvikelse eller ett tillbud.")


@bp.get("/rapporter")
@access(Role.MANAGER, Role.QUALITY)
def inbox():
    return render_template("coming_soon.html", title="Rapporter", what="Här tar du emot och utreder rapporter.")


@bp.get("/statistik")
@access(Role.MANAGER, Role.QUALITY)
def statistics():
    return render_template("coming_soon.html", title="Statistik", what="Här följer du rapporter och trender.")
