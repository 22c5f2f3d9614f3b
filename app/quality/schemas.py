"""marshmallow schemas of the egenkontroll API: the answer set a phone's outbox sends, and the receipt."""
from collections.abc import Mapping

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, pre_load, validates

from app.client_ids import is_client_uuid
from app.errors import InvalidInput, invalid_input

# An answer is at most a few lines of free text; a form has at most a few dozen questions.
MAX_ANSWER_LENGTH = 4000
MAX_ANSWERS = 200

FIELD_MESSAGES = {
    "required": "Uppgiften saknas.",
    "invalid": "Uppgiften är inte giltig.",
    "bad_uuid": "Svarens id är inte ett giltigt UUID (version 4).",
    "not_number": "Uppgiften ska vara ett nummer.",
    "bad_answers": "Svaren ska vara frågornas nummer med ett svar i text var.",
    "too_long": f"Ett svar är för långt (högst {MAX_ANSWER_LENGTH} tecken).",
}
CODE_OF_MESSAGE = {message: code for code, message in FIELD_MESSAGES.items()}
NUMBER_ERRORS = {"invalid": FIELD_MESSAGES["not_number"], "required": FIELD_MESSAGES["required"],
                 "null": FIELD_MESSAGES["required"]}
FIELD_ORDER = ["self_check", "uuid", "task_id", "version_id", "answers"]


class SelfCheckSchema(Schema):
    """POST /api/v1/self-checks: {uuid, task_id, version_id, answers: {question id: value}}."""

    class Meta:
        unknown = EXCLUDE  # a newer phone may send more (its clock, say) than this server reads

    uuid = fields.String(required=True, error_messages={"required": FIELD_MESSAGES["required"],
                                                        "invalid": FIELD_MESSAGES["bad_uuid"]})
    task_id = fields.Integer(required=True, strict=True, error_messages=NUMBER_ERRORS)
    version_id = fields.Integer(required=True, strict=True, error_messages=NUMBER_ERRORS)
    answers = fields.Dict(required=True, error_messages={"required": FIELD_MESSAGES["required"],
                                                         "invalid": FIELD_MESSAGES["bad_answers"]})

    @pre_load
    def require_an_object(self, data, **kwargs):
        if not isinstance(data, Mapping):
            raise ValidationError({"self_check": [FIELD_MESSAGES["invalid"]]})
        return data

    @validates("uuid")
    def validate_uuid(self, value: str, **kwargs) -> None:
        if not is_client_uuid(value):
            raise ValidationError(FIELD_MESSAGES["bad_uuid"])

    @validates("answers")
    def validate_answers(self, value: dict, **kwargs) -> None:
        if len(value) > MAX_ANSWERS:
            raise ValidationError(FIELD_MESSAGES["bad_answers"])
        for key, answer in value.items():
            if not (isinstance(key, str) and key.isdigit() and len(key) < 10 and isinstance(answer, str)):
                raise ValidationError(FIELD_MESSAGES["bad_answers"])
            if len(answer) > MAX_ANSWER_LENGTH:
                raise ValidationError(FIELD_MESSAGES["too_long"])

    @post_load
    def normalise(self, data: dict, **kwargs) -> dict:
        data["uuid"] = data["uuid"].strip().lower()
        data["answers"] = {int(key): answer for key, answer in data["answers"].items()}
        return data


def explain_message(_field: str, message: str) -> tuple[str, str]:
    if message in CODE_OF_MESSAGE:
        return CODE_OF_MESSAGE[message], message
    return "invalid", FIELD_MESSAGES["invalid"]


def load_self_check(data) -> dict:
    """The answer set, checked; raises InvalidInput with status 400: a phone of ours never sends this shape,
    so retrying it cannot help (answers missing or of the wrong kind are 422, as on the page)."""
    try:
        return SelfCheckSchema().load(data)
    except ValidationError as error:
        invalid: InvalidInput = invalid_input(error.messages, explain_message, FIELD_ORDER)
        invalid.status = 400
        raise invalid from None


class SelfCheckReceiptSchema(Schema):
    uuid = fields.String()
    id = fields.Integer()
    task_id = fields.Integer()
    actions = fields.Integer()
