"""marshmallow schemas of the push API: a PushSubscription as the browser's toJSON() gives it."""
import binascii

from cryptography.hazmat.primitives.asymmetric import ec
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate

from app.errors import InvalidInput, invalid_input
from app.notices.keys import b64url_decode
from app.notices.rules import MAX_ENDPOINT_LENGTH

FIELD_MESSAGES = {
    "endpoint": "Prenumerationen saknar en giltig adress (endpoint).",
    "keys": "Prenumerationen saknar giltiga nycklar (keys.p256dh och keys.auth).",
    "expirationTime": "expirationTime ska vara ett tal i millisekunder eller null.",
}


def b64url_bytes(value: str) -> bytes:
    try:
        return b64url_decode(value)
    except (binascii.Error, ValueError):
        raise ValidationError("not base64url") from None


def check_p256dh(value: str) -> None:
    """The browser's public key: base64url of an uncompressed point on P-256."""
    raw = b64url_bytes(value)
    if len(raw) != 65 or raw[0] != 4:
        raise ValidationError("not an uncompressed P-256 point")
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        raise ValidationError("not a point on P-256") from None


def check_auth(value: str) -> None:
    if len(b64url_bytes(value)) != 16:
        raise ValidationError("the auth secret must be 16 bytes")


class SubscriptionKeysSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    p256dh = fields.String(required=True, validate=[validate.Length(max=120), check_p256dh])
    auth = fields.String(required=True, validate=[validate.Length(max=60), check_auth])


class PushSubscriptionSchema(Schema):
    """POST /api/v1/push/subscriptions: {endpoint, expirationTime, keys: {p256dh, auth}}."""

    class Meta:
        unknown = EXCLUDE

    endpoint = fields.Url(required=True, schemes={"https", "http"}, require_tld=False,
                          validate=validate.Length(max=MAX_ENDPOINT_LENGTH))
    expirationTime = fields.Float(allow_none=True, load_default=None, validate=validate.Range(min=0))
    keys = fields.Nested(SubscriptionKeysSchema, required=True)

    @post_load
    def flatten(self, data, **_):
        expires = data.get("expirationTime")
        return {"endpoint": data["endpoint"], "expiration_time": int(expires) if expires else None,
                "p256dh": data["keys"]["p256dh"], "auth": data["keys"]["auth"]}


class EndpointSchema(Schema):
    """DELETE /api/v1/push/subscriptions: {endpoint}."""

    class Meta:
        unknown = EXCLUDE

    endpoint = fields.String(required=True, validate=validate.Length(min=1, max=MAX_ENDPOINT_LENGTH))


def explain_field(field: str, _message: str) -> tuple[str, str]:
    """One Swedish message per field: marshmallow's English details are for the log, not the phone."""
    return "invalid", FIELD_MESSAGES.get(field, "Ogiltigt värde.")


def invalid_subscription(messages) -> InvalidInput:
    """The error for a PushSubscription that does not pass its schema, fields in the order of the JSON."""
    return invalid_input(messages, explain_field, ("endpoint", "expirationTime", "keys"))
