"""What the targets of one fan-out share, worked out once: payloads, content and VAPID headers, allowed origins."""
import http.client
import time

from app.notices import rules
from app.notices.connections import header_lines
from app.notices.payload import Message, PayloadTemplates
from app.notices.vapid import VapidSigner


def content_headers(delivery: rules.DeliverySettings, topic: str) -> dict:
    return {"TTL": str(delivery.ttl_seconds), "Urgency": delivery.urgency, "Topic": topic,
            "Content-Type": "application/octet-stream", "Content-Encoding": "aes128gcm"}


class Prepared:
    """What is the same for many targets of one fan-out, worked out once: payloads, headers, allowed origins."""

    def __init__(self, settings):  # delivery.SendSettings
        self.extra_hosts = list(settings.allowed_hosts)
        self.origins: dict[str, bool] = {}
        self.payloads = PayloadTemplates()
        self.headers: dict[tuple[str, str], dict] = {}
        self.heads: dict[tuple[str, int], tuple[float, bytes]] = {}

    def allowed(self, endpoint: str, origin: str) -> bool:
        # The answer depends on scheme, host and port, plus a length and fragment check of the whole endpoint.
        if len(endpoint) > rules.MAX_ENDPOINT_LENGTH or "#" in endpoint:
            return rules.endpoint_problem(endpoint, self.extra_hosts) is None
        answer = self.origins.get(origin)
        if answer is None:
            answer = self.origins[origin] = rules.endpoint_problem(endpoint, self.extra_hosts) is None
        return answer

    def head(self, signer: VapidSigner, origin: str, content: dict) -> bytes | dict:
        """The header lines for `origin` and one of for_message's content headers, made again after a minute: the
        signer renews a token 10 minutes before it expires, so none is sent with less than 9 minutes left."""
        key = (origin, id(content))  # the content headers are this object's own, kept as long as it lives
        made = self.heads.get(key)
        if made is None or time.monotonic() - made[0] > 60:
            headers = signer.headers_for_origin(origin) | content
            try:
                made = self.heads[key] = (time.monotonic(), header_lines(tuple(headers.items())))
            except http.client.HTTPException:  # refused when it is sent, as a failed try
                return headers
        return made[1]

    def for_message(self, message: Message, base_url: str) -> tuple[bytes, dict]:
        """The JSON payload (the notice's part encoded once) and the content headers (once per topic)."""
        key = (message.importance, message.topic)
        headers = self.headers.get(key)
        if headers is None:
            headers = self.headers[key] = content_headers(rules.DELIVERY[rules.Importance(message.importance)],
                                                          message.topic)
        return self.payloads.payload(message, base_url), headers
