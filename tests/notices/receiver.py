"""A push service on 127.0.0.1 for tests: checks the VAPID JWT, decrypts aes128gcm, answers as told."""
import base64
import os
import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class VapidProblem(Exception):
    """The request's Authorization header is not a valid VAPID token for this receiver."""


def verify_vapid(authorization: str, audience: str) -> tuple[dict, str]:
    """(claims, public key k) of a valid `vapid t=..., k=...` header (RFC 8292), else VapidProblem."""
    scheme, _, params = authorization.partition(" ")
    if scheme.lower() != "vapid":
        raise VapidProblem(f"scheme {scheme!r}")
    parts = dict(part.strip().split("=", 1) for part in params.split(","))
    token, key = parts.get("t", ""), parts.get("k", "")
    header_b64, claims_b64, signature_b64 = token.split(".")
    header = json.loads(b64url_decode(header_b64))
    if header.get("alg") != "ES256":
        raise VapidProblem(f"alg {header.get('alg')!r}")
    public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(key))
    signature = b64url_decode(signature_b64)
    if len(signature) != 64:
        raise VapidProblem("ES256 signatures are 64 bytes (r || s)")
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    try:
        public_key.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise VapidProblem("bad signature") from None
    claims = json.loads(b64url_decode(claims_b64))
    now = time.time()
    if claims.get("aud") != audience:
        raise VapidProblem(f"aud {claims.get('aud')!r} is not {audience!r}")
    if not now < claims.get("exp", 0) <= now + 24 * 3600:
        raise VapidProblem(f"exp {claims.get('exp')!r} is not within 24 h")
    if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
        raise VapidProblem("sub missing")
    return claims, key


@dataclass
class Browser:
    """One subscribed browser: its key pair and auth secret, as the browser would make them."""

    path: str
    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes

    def subscription(self, origin: str) -> dict:
        point = self.private_key.public_key().public_bytes(serialization.Encoding.X962,
                                                           serialization.PublicFormat.UncompressedPoint)
        return {"endpoint": origin + self.path, "expirationTime": None,
                "keys": {"p256dh": b64url(point), "auth": b64url(self.auth_secret)}}


@dataclass
class Received:
    path: str
    headers: dict
    status: int
    claims: dict | None = None
    vapid_key: str | None = None
    payload: dict | None = None
    plaintext_bytes: int = 0
    body_bytes: int = 0
    problem: str = ""


@dataclass
class PushReceiver:
    decrypt: bool = True
    browsers: dict = field(default_factory=dict)
    planned: dict = field(default_factory=lambda: defaultdict(deque))
    received: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> "PushReceiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # the name http.server calls
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status, headers = receiver.handle(self.path, dict(self.headers.items()), body)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def origin(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def host(self) -> str:
        return self.origin.removeprefix("http://")

    def new_browser(self) -> Browser:
        with self.lock:
            path = f"/push/{len(self.browsers) + 1}"
            browser = Browser(path, ec.generate_private_key(ec.SECP256R1()), os.urandom(16))
            self.browsers[path] = browser
        return browser

    def answer(self, path: str, *statuses: int, retry_after: str | None = "0") -> None:
        """The next answers to posts on `path` (then 201 again)."""
        with self.lock:
            self.planned[path].extend((status, retry_after) for status in statuses)

    def handle(self, path: str, headers: dict, body: bytes) -> tuple[int, dict]:
        with self.lock:
            planned = self.planned[path].popleft() if self.planned[path] else (201, None)
        status, retry_after = planned
        record = Received(path=path, headers=headers, status=status, body_bytes=len(body))
        try:
            record.claims, record.vapid_key = verify_vapid(headers.get("Authorization", ""), self.origin)
            if self.decrypt and status == 201:
                browser = self.browsers[path]
                plaintext = http_ece.decrypt(body, private_key=browser.private_key, auth_secret=browser.auth_secret,
                                             version="aes128gcm")
                record.plaintext_bytes = len(plaintext)
                record.payload = json.loads(plaintext)
        except Exception as error:  # any fault is the sender's: record it for the test to see
            record.problem, record.status, status = f"{type(error).__name__}: {error}", 400, 400
        with self.lock:
            self.received.append(record)
        return status, ({"Retry-After": retry_after} if retry_after is not None and status in (429, 503) else {})

    def delivered(self, path: str | None = None) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.status == 201 and (path is None or r.path == path)]
