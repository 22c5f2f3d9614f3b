"""VAPID (RFC 8292): the Authorization header a push service checks, signed once per origin and reused."""
import threading
from urllib.parse import urlsplit

from py_vapid import Vapid

from app.notices import rules
from app.timestamps import utcnow


def origin_of(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


class VapidSigner:
    """Authorization headers, signed once per push-service origin and reused until shortly before they expire."""

    def __init__(self, private_key_pem: str, subject: str):
        self.vapid = Vapid.from_pem(private_key_pem.encode())
        self.subject = subject
        self.signed: dict[str, tuple[float, dict]] = {}
        self.lock = threading.Lock()

    def headers_for(self, endpoint: str) -> dict:
        return self.headers_for_origin(origin_of(endpoint))

    def headers_for_origin(self, origin: str) -> dict:
        now = utcnow().timestamp()
        with self.lock:
            cached = self.signed.get(origin)
            if cached is None or cached[0] - now < 600:
                expires = int(now) + rules.VAPID_VALID_SECONDS
                # A fresh claims dict each time: signing libraries write aud/exp into the dict they are given.
                claims = {"aud": origin, "exp": expires, "sub": self.subject}
                cached = (expires, self.vapid.sign(claims))
                self.signed[origin] = cached
            return dict(cached[1])


_signers: dict[tuple[str, str], VapidSigner] = {}
_signers_lock = threading.Lock()


def signer_for(private_key_pem: str, subject: str) -> VapidSigner:
    """One signer per key in this process, so a token is signed once per origin per run, not once per job."""
    with _signers_lock:
        signer = _signers.get((private_key_pem, subject))
        if signer is None:
            signer = _signers[(private_key_pem, subject)] = VapidSigner(private_key_pem, subject)
        return signer
