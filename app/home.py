"""The start page and the health check."""
from flask import Blueprint, jsonify, render_template
from flask_login import current_user
from sqlalchemy import text

from app.accounts.permissions import access
from app.accounts.rules import Access, Role
from app.accounts.scope import HANDLERS, QUALITY_YEAR_READERS
from app.extensions import db
from app.quality.services import open_task_count

bp = Blueprint("home", __name__)


@bp.get("/")
@access(Access.SIGNED_IN)
def index():
    return render_template(
        "home.html",
        is_handler=current_user.role in HANDLERS,
        is_admin=current_user.role == Role.ADMIN,
        sees_quality_year=current_user.role in QUALITY_YEAR_READERS,
        task_count=open_task_count(current_user),
    )


@bp.get("/healthz")
@access(Access.PUBLIC)
def healthz():
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")
