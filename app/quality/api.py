"""POST /api/v1/self-checks: an egenkontroll's answers from the phone's outbox (docs/SYNC.md), stored once."""
from flask import Blueprint, request
from flask_login import current_user

from app.accounts.permissions import access
from app.accounts.rules import Access
from app.errors import error_response
from app.quality import checks
from app.quality.schemas import SelfCheckReceiptSchema, load_self_check

bp = Blueprint("quality_api", __name__, url_prefix="/api/v1")


def json_body():
    try:
        return request.get_json(silent=True)
    except RecursionError:  # nested thousands deep
        return None


@bp.post("/self-checks")
@access(Access.SIGNED_IN)
def submit_self_check():
    # Who may answer is the task's rule (checks.submit_answers), as on the page: the assignee or the unit's
    # responsible role, or quality.
    body = json_body()
    if body is None:
        return error_response(400, "bad_json", "Svaren kunde inte tolkas (ogiltig JSON).")
    try:
        response, created = checks.receive_from_phone(current_user, load_self_check(body))
    except checks.AnswerProblems as error:
        fields = {f"q-{question_id}": [{"code": "answer", "message": message}]
                  for question_id, message in error.problems.items()}
        return error_response(error.status, error.code, error.message, fields)
    opened = sum(1 for answer in response.answers if checks.action_of(answer) is not None)
    receipt = SelfCheckReceiptSchema().dump(
        {"uuid": response.client_uuid, "id": response.id, "task_id": response.task_id, "actions": opened})
    return receipt, 201 if created else 200
