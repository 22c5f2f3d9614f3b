"""What a push says: the Declarative Web Push JSON for one message, built once per notice and filled in per item."""
import json
import secrets
import threading
from dataclasses import dataclass
from json.encoder import encode_basestring

from app.notices import rules

# The Declarative Web Push magic number (WebKit): an iPhone shows `notification` without running the worker.
DECLARATIVE_WEB_PUSH = 8030


@dataclass(frozen=True)
class Message:
    """What one push says, before it is encrypted for each subscription."""

    title: str
    body: str
    path: str  # where a tap leads, relative to the app
    topic: str
    importance: str = rules.Importance.NORMAL
    kind: str = ""
    inbox_id: int | None = None
    inbox_path: str = ""


def item_fields(message: Message, base_url: str) -> tuple:
    """What differs between the items of one notice: (navigate, url, inbox_id, inbox_url)."""
    return (base_url + (message.inbox_path or message.path), base_url + message.path, message.inbox_id,
            base_url + message.inbox_path if message.inbox_path else None)


def document_for(message: Message, title: str, body: str, fields: tuple) -> dict:
    navigate, url, inbox_id, inbox_url = fields
    return {
        "web_push": DECLARATIVE_WEB_PUSH,
        "notification": {
            "title": title,
            "body": body,
            "navigate": navigate,
            "tag": message.topic,
            "lang": "sv",
            "dir": "ltr",
            "silent": False,
            "require_interaction": message.importance == rules.Importance.IMPORTANT,
            "data": {
                "kind": message.kind,
                "url": url,
                "inbox_id": inbox_id,
                "inbox_url": inbox_url,
                "importance": message.importance,
            },
        },
    }


def encode(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def payload_for(message: Message, base_url: str) -> bytes:
    """The JSON the phone gets: Declarative Web Push (title, body, navigate, tag) with our data; never over 4 KB."""
    title = rules.shorten(message.title, rules.PUSH_TITLE_CHARS)
    body = rules.shorten(message.body, rules.PUSH_BODY_CHARS)
    document = document_for(message, title, body, item_fields(message, base_url))
    encoded = encode(document)
    while len(encoded) > rules.MAX_PAYLOAD_BYTES and document["notification"]["body"]:
        document["notification"]["body"] = rules.shorten(body, len(document["notification"]["body"]) // 2)
        encoded = encode(document)
    if len(encoded) > rules.MAX_PAYLOAD_BYTES:
        raise ValueError("push payload too large")
    return encoded


# Stand-ins for the item fields in a template: a NUL and a random token, which no title or body will contain.
_MARKER = f"\x00{secrets.token_hex(16)}-"
MARKERS = tuple(f"{_MARKER}{number}\x00" for number in range(4))
ENCODED_MARKERS = tuple(encode_basestring(marker) for marker in MARKERS)


def json_value(value) -> str:
    """One item field as json.dumps writes it inside the document (a str, an int or None)."""
    if value is None:
        return "null"
    if type(value) is int:
        return int.__repr__(value)
    return encode_basestring(value)


class PayloadTemplates:
    """payload_for(message, base_url), with the JSON of what a notice's items share encoded once.

    A notice to a district is thousands of items that differ only in their inbox id and links; each payload is the
    shared JSON with those four values written in, byte for byte what payload_for gives. A payload over the size
    limit is left to payload_for, which shortens the body.
    """

    def __init__(self):
        self.templates: dict[tuple, tuple[tuple[str, ...], tuple[int, ...]]] = {}
        self.lock = threading.Lock()

    def payload(self, message: Message, base_url: str) -> bytes:
        key = (message.title, message.body, message.topic, message.importance, message.kind)
        template = self.templates.get(key)
        if template is None:
            template = self.template_for(message)
            with self.lock:
                self.templates[key] = template
        parts, order = template
        fields = item_fields(message, base_url)
        pieces = [parts[0]]
        for number, part in zip(order, parts[1:], strict=True):
            pieces.append(json_value(fields[number]))
            pieces.append(part)
        encoded = "".join(pieces).encode()
        if len(encoded) > rules.MAX_PAYLOAD_BYTES:
            return payload_for(message, base_url)
        return encoded

    @staticmethod
    def template_for(message: Message) -> tuple[tuple[str, ...], tuple[int, ...]]:
        """(the JSON between the item fields, which field goes in each gap)."""
        title = rules.shorten(message.title, rules.PUSH_TITLE_CHARS)
        body = rules.shorten(message.body, rules.PUSH_BODY_CHARS)
        text = json.dumps(document_for(message, title, body, MARKERS), ensure_ascii=False, separators=(",", ":"))
        order = sorted(range(len(MARKERS)), key=lambda number: text.index(ENCODED_MARKERS[number]))
        parts = []
        for number in order:
            part, text = text.split(ENCODED_MARKERS[number])
            parts.append(part)
        parts.append(text)
        return tuple(parts), tuple(order)
