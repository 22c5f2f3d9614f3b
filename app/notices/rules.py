"""Rules of notices and push: importance, delivery settings, allowed push services, who may send what."""
import ipaddress
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from enum import StrEnum
from urllib.parse import urlsplit

from app.accounts.rules import Role
from app.accounts.scope import NOTICE_SENDERS
from app.timestamps import LOCAL_ZONE
from app.views import date_sv


class Importance(StrEnum):
    NORMAL = "normal"
    IMPORTANT = "important"


IMPORTANCE_LABELS = {Importance.NORMAL: "Vanligt", Importance.IMPORTANT: "Viktigt"}


class InboxKind(StrEnum):
    NOTICE = "notice"
    ROUTINE = "routine"
    REPORT = "report"
    DEADLINE = "deadline"


KIND_LABELS = {
    InboxKind.NOTICE: "Meddelande",
    InboxKind.ROUTINE: "Rutin",
    InboxKind.REPORT: "Rapport",
    InboxKind.DEADLINE: "Påminnelse",
}


@dataclass(frozen=True)
class DeliverySettings:
    """How long a push service keeps a message for an offline phone, and how hard it tries to wake it."""

    ttl_seconds: int
    urgency: str


DELIVERY = {
    Importance.NORMAL: DeliverySettings(ttl_seconds=24 * 3600, urgency="normal"),
    Importance.IMPORTANT: DeliverySettings(ttl_seconds=3 * 24 * 3600, urgency="high"),
}

# Who writes notices, and to which units, is the scope table's (Purpose.SEND_NOTICES).
COMPOSER_ROLES = NOTICE_SENDERS
DEFAULT_TARGET_ROLES = (Role.STAFF,)
DEFAULT_NOTICE_DAYS = 14
# A notice shown longer than a year is a routine, not a notice; the limit also keeps dates far from year 9999.
MAX_NOTICE_DAYS = 366

# A routine change is pushed to readers who have it as a favourite, opened it this recently, or confirmed
# reading an earlier version (they must confirm again); a "viktig ändring" goes to everyone who can read it.
ROUTINE_OPENED_WITHIN_DAYS = 60

# The push services of the browsers that can install Fickan; "*." matches any subdomain. https on 443 only.
BUILTIN_PUSH_HOSTS = (
    "fcm.googleapis.com",
    "android.googleapis.com",
    "updates.push.services.mozilla.com",
    "*.push.services.mozilla.com",
    "web.push.apple.com",
    "*.push.apple.com",
    "*.notify.windows.com",
)

MAX_ENDPOINT_LENGTH = 2048
# The printable ASCII of a URL (RFC 3986) without the backslash; a host of DNS labels.
URL_CHARACTERS = re.compile(r"^[!#-\[\]-~]+$")
DNS_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
HOST_NAME = re.compile(rf"^(?=.{{1,253}}$){DNS_LABEL}(?:\.{DNS_LABEL})*$")
# RFC 8030: at most 32 characters of the base64url alphabet.
TOPIC_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
# A push message's plaintext must stay below ~3,990 bytes after aes128gcm; we keep well under 4 KB.
MAX_PAYLOAD_BYTES = 3900
PUSH_TITLE_CHARS = 120
PUSH_BODY_CHARS = 240
# A VAPID JWT may be valid for at most 24 hours; we sign for 12.
VAPID_VALID_SECONDS = 12 * 3600
GONE_STATUSES = frozenset({404, 410})


def is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_matches(pattern: str, host: str) -> bool:
    if pattern.startswith("*."):
        return host.endswith(pattern[1:]) and len(host) > len(pattern) - 1
    return host == pattern


def split_host_port(entry: str) -> tuple[str, int | None]:
    """'127.0.0.1:8443' → ('127.0.0.1', 8443); '[::1]:80' → ('::1', 80); 'host' → ('host', None)."""
    parts = urlsplit("//" + entry.strip().lower())
    return (parts.hostname or ""), parts.port


def endpoint_problem(endpoint: str, extra_hosts: list[str]) -> str | None:
    """A Swedish message if the server must not post to this push endpoint, else None.

    Built-in push services: https on the default port. Hosts from FICKAN_PUSH_ALLOWED_HOSTS: https, any
    port unless one is named; plain http only when such a host is on this machine (tests' receivers).
    """
    refused = "Aviseringar kan bara skickas via en känd push-tjänst."
    # A backslash, space or control character is read differently by browsers, urllib and the HTTP client:
    # "https://127.0.0.1\.notify.windows.com/" is a Windows push host to one and 127.0.0.1 to another.
    if len(endpoint) > MAX_ENDPOINT_LENGTH or not URL_CHARACTERS.match(endpoint):
        return refused
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return refused
    host = (parts.hostname or "").lower()
    if not host or parts.username is not None or parts.password is not None or parts.fragment:
        return refused
    if not (HOST_NAME.match(host) or is_ip_address(host)):
        return refused
    if (parts.scheme == "https" and port in (None, 443) and not is_ip_address(host)
            and any(host_matches(p, host) for p in BUILTIN_PUSH_HOSTS)):
        return None
    for entry in extra_hosts:
        allowed_host, allowed_port = split_host_port(entry)
        if not allowed_host or not host_matches(allowed_host, host):
            continue
        if allowed_port is not None and allowed_port != (port or (443 if parts.scheme == "https" else 80)):
            continue
        if parts.scheme == "https" or (parts.scheme == "http" and is_loopback(host)):
            return None
    return refused


def valid_topic(topic: str) -> bool:
    return bool(TOPIC_PATTERN.match(topic))


def may_compose(role: str) -> bool:
    return role in COMPOSER_ROLES


def shorten(text: str, limit: int) -> str:
    """The text on one line, cut at a word boundary with … when longer than `limit` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut + "…"


def recipient_phrase(count: int) -> str:
    return f"Meddelandet når {count} {'person' if count == 1 else 'personer'}"


def read_phrase(read: int, total: int) -> str:
    return f"Läst av {read} av {total}"


# A notice's end is inclusive: the coordinator picks the last day it is shown ("Visas till och med"); it is stored as
# the midnight after that day. These two functions are the only translation between the two, both ways.
def end_of_day(day: date) -> datetime:
    """Midnight after `day`, Swedish time, in UTC: a notice "visas till och med" that day."""
    return datetime.combine(day + timedelta(days=1), time(0), LOCAL_ZONE).astimezone(timezone.utc)


def last_day_shown(expires_at: datetime) -> date:
    """The last Swedish day a notice expiring at `expires_at` is shown (the inverse of end_of_day)."""
    return (expires_at.astimezone(LOCAL_ZONE) - timedelta(microseconds=1)).date()


def shown_through_phrase(expires_at: datetime | None) -> str:
    """How long a notice is shown, in the words of its form: "visas till och med 14 december 2026"."""
    return f"visas till och med {date_sv(last_day_shown(expires_at))}" if expires_at else ""
