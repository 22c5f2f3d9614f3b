"""The words search knows, kept by quality staff: synonyms, and the searches that found nothing."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.permissions import access
from app.accounts.rules import Role
from app.extensions import db
from app.forms import EmptyForm
from app.routines import misses, synonyms
from app.routines.forms import SynonymForm
from app.routines.models import Synonym

bp = Blueprint("search_words", __name__, url_prefix="/rutiner")


@bp.route("/synonymer", methods=["GET", "POST"])
@access(Role.QUALITY)
def synonym_list():
    form = SynonymForm()
    if request.method == "GET" and request.args.get("ord"):
        form.word.data = request.args["ord"][:80]  # from "Sökningar utan träff"
    if form.validate_on_submit():
        synonyms.save_synonym(current_user, form.word.data, form.means.data)
        db.session.commit()
        flash("Synonymen är sparad.", "success")
        return redirect(url_for("search_words.synonym_list"), code=303)
    return render_template("routines/synonyms.html", form=form, synonyms=synonyms.synonyms(),
                           button_form=EmptyForm()), 422 if form.errors else 200


@bp.post("/synonymer/<int:synonym_id>/ta-bort")
@access(Role.QUALITY)
def delete_synonym(synonym_id: int):
    synonym = db.session.get(Synonym, synonym_id) or abort(404)
    synonyms.delete_synonym(current_user, synonym)
    db.session.commit()
    flash(f"{synonym.word} är borttagen.", "success")
    return redirect(url_for("search_words.synonym_list"), code=303)


@bp.get("/sokningar-utan-traff")
@access(Role.QUALITY)
def search_misses():
    return render_template("routines/search_misses.html", misses=misses.frequent_misses(),
                           keep_days=misses.KEEP.days)
