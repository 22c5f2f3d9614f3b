"""The sync API (SYNC.md): JSON for the phone, same-origin session cookie."""
from flask import Blueprint, request, url_for
from flask_login import current_user
from marshmallow import ValidationError

from app.accounts.permissions import access
from app.accounts.rules import Access
from app.errors import error_response
from app.routines import services as routine_services
from sync import services
from sync.schemas import ChangesQuerySchema, RoutineChangesSchema

bp = Blueprint("sync", __name__, url_prefix="/api/v1")


@bp.get("/routines/changes")
@access(Access.SIGNED_IN)
def routine_changes():
    try:
        query = ChangesQuerySchema().load(request.args)
    except ValidationError:
        return error_response(400, "invalid_query", "Frågan kunde inte tolkas.")
    changes = services.routine_changes(current_user, query["since"])
    body = {
        "routines": [
            {
                "id": routine.id,
                "slug": routine.slug,
                "title": routine.title,
                "kind": routine.kind,
                "category": routine.category,
                "version": routine.current_version.number,
                "tags": routine.current_version.tags or [],
                "url": url_for("routines.show", slug=routine.slug),
                "updated_at": routine.changed_at,
            }
            for routine in changes.routines
        ],
        "removed": changes.removed,
        "token": changes.token,
        "full": changes.full,
        # Small and rarely changed: the phone's offline search expands everyday words with it.
        "synonyms": [{"word": synonym.word, "means": synonym.means} for synonym in routine_services.synonyms()],
    }
    return RoutineChangesSchema().dump(body)
