"""marshmallow schemas of reports: the JSON a phone sends, with Swedish messages and machine-readable codes."""
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, pre_load, validate, validates

from app.client_ids import is_client_uuid
from app.errors import invalid_input
from app.reports.rules import MAX_TEXT_LENGTH, Affected, Harm, Topic, has_personal_number
from app.timestamps import LOCAL_ZONE, utcnow

EARLIEST_TIME = datetime(2000, 1, 1, tzinfo=UTC)
TIME_AHEAD = timedelta(days=1)

# code → the Swedish message the reporter sees. Every message is unique, so a message also tells its code.
FIELD_MESSAGES = {
    "required": "Uppgiften saknas.",
    "text_required": "Skriv vad som hände.",
    "text_too_long": f"Texten är för lång (högst {MAX_TEXT_LENGTH} tecken).",
    "not_text": "Uppgiften ska vara text.",
    "not_list": "Uppgiften ska vara en lista.",
    "not_number": "Uppgiften ska vara ett nummer.",
    "bad_uuid": "Rapportens id är inte ett giltigt UUID (version 4).",
    "bad_datetime": "Tidpunkten kunde inte tolkas (ISO 8601, till exempel 2026-11-23T14:05:00+01:00).",
    "bad_choice": "Svaret finns inte bland alternativen.",
    "too_long": "Texten är för lång.",
    "personnummer": "Skriv inte personnummer här. Använd en annan hänvisning till brukaren, till exempel initialer.",
    "null": "Uppgiften får inte vara tom.",
    "not_yes_no": "Svaret ska vara ja eller nej.",
    "invalid": "Uppgiften är inte giltig.",
    "implausible_time": "Tidpunkten kan inte stämma: den ligger före år 2000 eller mer än ett dygn fram i tiden. "
                        "Kontrollera telefonens klocka.",
}
CODE_OF_MESSAGE = {message: code for code, message in FIELD_MESSAGES.items()}

STRING_ERRORS = {"invalid": FIELD_MESSAGES["not_text"], "invalid_utf8": FIELD_MESSAGES["not_text"],
                 "required": FIELD_MESSAGES["required"], "null": FIELD_MESSAGES["null"]}
LIST_ERRORS = {"invalid": FIELD_MESSAGES["not_list"], "null": FIELD_MESSAGES["null"]}
DATETIME_ERRORS = {"invalid": FIELD_MESSAGES["bad_datetime"], "format": FIELD_MESSAGES["bad_datetime"],
                   "invalid_awareness": FIELD_MESSAGES["bad_datetime"], "required": FIELD_MESSAGES["required"],
                   "null": FIELD_MESSAGES["null"]}


def text_field(max_length: int, **kwargs) -> fields.String:
    return fields.String(validate=validate.Length(max=max_length, error=FIELD_MESSAGES["too_long"]),
                         error_messages=STRING_ERRORS, **kwargs)


def choice_list(choices) -> fields.List:
    allowed = validate.OneOf([str(choice) for choice in choices], error=FIELD_MESSAGES["bad_choice"])
    item = fields.String(validate=allowed, error_messages=STRING_ERRORS)
    return fields.List(item, load_default=list, error_messages=LIST_ERRORS)


def plausible_time(moment: datetime, now: datetime) -> bool:
    """A phone's time worth storing: from 2000 on, and at most a day ahead of the server (a clock set a bit fast)."""
    return EARLIEST_TIME <= moment <= now + TIME_AHEAD


def local_datetime(**kwargs) -> fields.AwareDateTime:
    # A time without a zone (an <input type="datetime-local">) is Swedish local time.
    return fields.AwareDateTime(default_timezone=LOCAL_ZONE, error_messages=DATETIME_ERRORS, **kwargs)


class ReportSchema(Schema):
    """The part `report` of POST /api/v1/reports, and the same answers from the /rapportera form."""

    class Meta:
        unknown = EXCLUDE  # a newer phone may send more than this server knows

    uuid = fields.String(required=True, error_messages=STRING_ERRORS)
    text = fields.String(required=True, error_messages={**STRING_ERRORS, "required": FIELD_MESSAGES["text_required"]})
    created_at = local_datetime(required=True)
    occurred_at = local_datetime(load_default=None, allow_none=True)
    unit_id = fields.Integer(load_default=None, allow_none=True,
                             error_messages={"invalid": FIELD_MESSAGES["not_number"], "null": FIELD_MESSAGES["null"]})
    place = text_field(200, load_default="", allow_none=True)
    affected = choice_list(Affected)
    harm = fields.String(load_default=Harm.UNKNOWN.value, allow_none=True, error_messages=STRING_ERRORS,
                         validate=validate.OneOf([harm.value for harm in Harm], error=FIELD_MESSAGES["bad_choice"]))
    topics = choice_list(Topic)
    client_reference = text_field(100, load_default="", allow_none=True)
    immediate_action = text_field(MAX_TEXT_LENGTH, load_default="", allow_none=True)
    # "Gäller det din chef?" (optional, default no): yes sends the report past the unit's managers.
    bypass_manager = fields.Boolean(load_default=False, allow_none=True,
                                    error_messages={"invalid": FIELD_MESSAGES["not_yes_no"]})

    @pre_load
    def require_an_object(self, data, **kwargs):
        if not isinstance(data, Mapping):
            raise ValidationError({"report": [FIELD_MESSAGES["invalid"]]})
        return data

    @validates("uuid")
    def validate_uuid(self, value: str, **kwargs) -> None:
        if not is_client_uuid(value):
            raise ValidationError(FIELD_MESSAGES["bad_uuid"])

    @validates("created_at", "occurred_at")
    def validate_plausible_time(self, value: datetime | None, **kwargs) -> None:
        if value is not None and not plausible_time(value, utcnow()):
            raise ValidationError(FIELD_MESSAGES["implausible_time"])

    @validates("text")
    def validate_text(self, value: str, **kwargs) -> None:
        if not value.strip():
            raise ValidationError(FIELD_MESSAGES["text_required"])
        if len(value) > MAX_TEXT_LENGTH:
            raise ValidationError(FIELD_MESSAGES["text_too_long"])

    @validates("client_reference")
    def validate_client_reference(self, value: str | None, **kwargs) -> None:
        if value and has_personal_number(value):
            raise ValidationError(FIELD_MESSAGES["personnummer"])

    @post_load
    def normalise(self, data: dict, **kwargs) -> dict:
        data["uuid"] = data["uuid"].strip().lower()
        data["text"] = data["text"].strip()
        for name in ("place", "client_reference", "immediate_action"):
            data[name] = (data.get(name) or "").strip()
        data["harm"] = data.get("harm") or Harm.UNKNOWN.value
        data["affected"] = list(dict.fromkeys(data["affected"]))
        data["topics"] = list(dict.fromkeys(data["topics"]))
        data["occurred_at"] = data.get("occurred_at") or data["created_at"]
        data["bypass_manager"] = bool(data.get("bypass_manager"))
        return data


# Answer order for the field errors, so the first error named is the first field on the form.
FIELD_ORDER = ["report", "uuid", "text", "affected", "harm", "topics", "occurred_at", "unit_id", "place",
               "client_reference", "immediate_action", "bypass_manager", "created_at", "photos"]


def explain_message(_field: str, message: str) -> tuple[str, str]:
    """(code, Swedish message) for one of ReportSchema's messages; marshmallow's own become "invalid"."""
    if message in CODE_OF_MESSAGE:
        return CODE_OF_MESSAGE[message], message
    return "invalid", FIELD_MESSAGES["invalid"]


# One instance for every report: it keeps no state between loads, and building one deep-copies every field.
REPORT_SCHEMA = ReportSchema()


def load_report(data) -> dict:
    """The answers of a report, checked and normalised; raises InvalidInput (422) naming every field's errors."""
    try:
        return REPORT_SCHEMA.load(data)
    except ValidationError as error:
        raise invalid_input(error.messages, explain_message, FIELD_ORDER) from None
