"""The ids a phone makes for what it sends (reports, egenkontroll answers): the key that makes a resend harmless."""
import uuid


def is_client_uuid(value) -> bool:
    """A UUID version 4 written the canonical way (any case, surrounding space allowed)."""
    try:
        parsed = uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        return False
    return parsed.version == 4 and str(parsed) == value.strip().lower()
