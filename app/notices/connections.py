"""Keep-alive connections to push services, shared by the sending threads of one fan-out.

A fan-out posts thousands of small bodies to a handful of origins, and urllib3's general-purpose request path
cost more per message than the encryption itself (bench/push.py). Here the request is written in one piece
(one write, so the push service is woken once per message) and the answer is read by http.client's own parser.
What urllib3 gave us is kept: certificates and host names checked (the default SSL context), no proxies, no
redirects, no retries of its own, a timeout, and a connection the other side closed is never reused.
"""
import functools
import http.client
import io
import itertools
import re
import select
import socket
import ssl
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

# A push service may close a connection it has not heard from; one idle longer than this is not tried again.
MAX_IDLE_SECONDS = 30
# An answer's body is only read for the log (500 characters); a larger one is not read and its connection closed.
MAX_ANSWER_BYTES = 64 * 1024
# What may not appear in a request line's path or a header value: it would end the line or the head early.
FORBIDDEN_IN_PATH = re.compile(r"[\x00-\x20\x7f]")
FORBIDDEN_IN_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
HEADER_NAME = re.compile(r"[A-Za-z0-9-]+")


@dataclass(slots=True)
class Answer:
    """A push service's answer: status, reason, headers we read (Retry-After) and the start of its body."""

    status: int
    reason: str
    headers: Mapping[str, str]  # .get is case-insensitive, as on http.client's HTTPMessage
    data: bytes


class AnswerHeaders(dict):
    """Header names lower-cased; get() takes any case."""

    def get(self, name: str, default=None):
        return super().get(name.lower(), default)


# http.client's own limits on an answer's head.
MAX_LINE = 65536
MAX_HEADERS = 100
PLAIN_STATUS = re.compile(rb"HTTP/1\.1 ([2-5][0-9][0-9])(?: ([^\r\n]*))?\r?\n")
NO_BODY_STATUSES = {204, 304}


# What one recv asks for: an answer's head and a short body fit.
RECEIVE_BYTES = 8192
HEAD_END = re.compile(rb"\n\r?\n")


def head_end(received: bytes) -> int | None:
    """Where the answer's head ends (after its blank line), as reading it line by line would find; None when it
    has not all arrived."""
    if received.startswith((b"\r\n", b"\n")):  # no status line: http.client says what is wrong
        return received.index(b"\n") + 1
    found = HEAD_END.search(received)
    return found.end() if found else None


def head_lines(head: bytes) -> list[bytes]:
    """The head's lines, each with its line end, split where readline would split them (at LF only)."""
    lines = head.split(b"\n")
    return [line + b"\n" for line in lines[:-1]]


def plain_answer(lines: list[bytes]) -> tuple[int, str, AnswerHeaders, int] | None:
    """(status, reason, headers, body length) of the usual answer: HTTP/1.1, a final status, a Content-Length (or
    a status without a body), no chunks, no folded lines, within the limits. None for anything else."""
    if len(lines) < 2 or lines[-1] not in (b"\r\n", b"\n") or len(lines) > MAX_HEADERS + 2:
        return None
    status_line = PLAIN_STATUS.fullmatch(lines[0])
    if status_line is None:
        return None
    headers = AnswerHeaders()
    for line in lines[1:-1]:
        name, colon, value = line.decode("latin-1").partition(":")
        name = name.lower()
        if not colon or not HEADER_NAME.fullmatch(name) or name in headers:
            return None
        headers[name] = value.strip(" \t\r\n")
    status = int(status_line.group(1))
    length = headers.get("content-length")
    if status in NO_BODY_STATUSES:
        length = "0"
    if "transfer-encoding" in headers or length is None or not length.isdigit() or int(length) > MAX_ANSWER_BYTES:
        return None
    return status, (status_line.group(2) or b"").decode("latin-1").strip(), headers, int(length)


class Replay(io.RawIOBase):
    """Bytes already read from an answer, then the rest of the stream: for http.client to read it from the start."""

    def __init__(self, head: bytes, rest):
        self.head, self.rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.head:
            count = min(len(buffer), len(self.head))
            buffer[:count], self.head = self.head[:count], self.head[count:]
            return count
        return self.rest.readinto1(buffer)

    def makefile(self, mode: str):
        return io.BufferedReader(self)


@functools.cache
def ssl_context() -> ssl.SSLContext:
    """The default context (certificates and host names checked), made once: loading the CA store takes ms."""
    return ssl.create_default_context()


def request_head(host: str, path: str, headers: dict | bytes, length: int) -> bytes:
    """The request line and headers of one POST; refuses anything that could split the request. The headers are
    a dict, or what header_lines made of one."""
    if FORBIDDEN_IN_PATH.search(path) or not path.startswith("/"):
        raise http.client.InvalidURL(f"push endpoint path cannot be sent: {path!r}")
    lines = headers if type(headers) is bytes else header_lines(tuple(headers.items()))
    return (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: identity\r\nContent-Length: {length}\r\n"
            .encode("latin-1") + lines)


@functools.lru_cache(maxsize=1024)
def header_lines(headers: tuple[tuple[str, object], ...]) -> bytes:
    """The checked header lines and the blank line after them, once per set of headers: a fan-out sends the same
    VAPID token, topic and urgency to a push service thousands of times."""
    lines = []
    for name, given in headers:
        value = str(given)
        if not HEADER_NAME.fullmatch(name) or FORBIDDEN_IN_VALUE.search(value):
            raise http.client.HTTPException(f"header {name!r} cannot be sent")
        lines.append(f"{name}: {value}\r\n")
    lines.append("\r\n")
    return "".join(lines).encode("latin-1")


class Connection:
    """One keep-alive TCP (or TLS) connection to a push service's origin."""

    def __init__(self, origin: str, timeout: float):
        parts = urlsplit(origin)
        self.host = parts.netloc
        self.tls = tls = parts.scheme == "https"
        self.received, self.deadline = b"", 0.0
        sock = socket.create_connection((parts.hostname, parts.port or (443 if tls else 80)), timeout)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.sock = ssl_context().wrap_socket(sock, server_hostname=parts.hostname) if tls else sock
        except BaseException:
            sock.close()
            raise
        self.idle_since = time.monotonic()

    def idle_too_long(self, now: float) -> bool:
        return now - self.idle_since > MAX_IDLE_SECONDS

    def worth_reusing(self, now: float) -> bool:
        """An idle connection that may carry the next message: not idle too long, not closed by the other side."""
        return not self.idle_too_long(now) and not self.dropped()

    def dropped(self) -> bool:
        """True when the other side closed (or wrote to) the idle connection: readable means EOF or junk."""
        if isinstance(self.sock, ssl.SSLSocket) and self.sock.pending():
            return True
        try:  # poll, not select: a busy worker may hold descriptors above select's limit
            poller = select.poll()
            poller.register(self.sock, select.POLLIN)
            return bool(poller.poll(0))
        except (OSError, ValueError):
            return True

    def send(self, path: str, body: bytes, headers: dict | bytes, timeout: float) -> None:
        """Write one POST in one piece; its answer is then read by answer_so_far, within `timeout` of now."""
        self.deadline = time.monotonic() + timeout
        self.received = b""
        self.sock.settimeout(timeout)
        self.sock.sendall(request_head(self.host, path, headers, len(body)) + body)

    def post(self, path: str, body: bytes, headers: dict, timeout: float) -> tuple[Answer, bool]:
        """(the answer, whether the connection may be used again)."""
        self.send(path, body, headers, timeout)
        while (answered := self.answer_so_far()) is None:
            pass
        return answered

    def answer_so_far(self) -> tuple[Answer, bool] | None:
        """Reads what has arrived (waiting for something, up to the deadline); (the answer, whether the connection
        may be used again) once the answer is whole, None while more is to come."""
        # The answer gets what is left of the timeout, as urllib3's total timeout did.
        self.sock.settimeout(max(0.001, self.deadline - time.monotonic()))
        more = self.sock.recv(RECEIVE_BYTES)
        # TLS may have taken more off the socket than it gave us: a poll would not see it.
        while more and self.tls and self.sock.pending():
            more += self.sock.recv(RECEIVE_BYTES)
        received = self.received = self.received + more
        end = head_end(received)
        if more and end is None and len(received) <= MAX_LINE:
            return None
        if end is not None and end <= MAX_LINE and (plain := plain_answer(head_lines(received[:end]))):
            # The usual answer (201, a length, nothing else) read here from what recv gave, most often in one
            # piece: http.client's header parser (the email package) cost a fifth of a message's CPU, and a file
            # object per answer with a readline per header line most of the rest.
            status, reason, answer_headers, length = plain
            data = received[end:]
            if len(data) < length:
                if more:
                    return None
                raise http.client.IncompleteRead(data, length - len(data))
            self.received = b""
            # Bytes after the answer were never asked for: the connection is not trusted with another message.
            reusable = len(data) == length and "close" not in answer_headers.get("connection", "").lower()
            return Answer(status, reason, answer_headers, data[:length]), reusable
        # Anything else, or the other side closed: as http.client reads it, from the start.
        self.received = b""
        with self.sock.makefile("rb") as fp:
            return self.read_by_http_client(Replay(received, fp))

    @staticmethod
    def read_by_http_client(source) -> tuple[Answer, bool]:
        """Any other answer (chunks, no length, 1xx first, HTTP/1.0, a malformed head) as http.client reads it."""
        response = http.client.HTTPResponse(source, method="POST")
        try:
            response.begin()
            data = response.read(MAX_ANSWER_BYTES)
        finally:
            reusable = response.isclosed() and not response.will_close
            response.close()
        return Answer(response.status, response.reason, response.headers, data), reusable

    def close(self) -> None:
        self.sock.close()


class PushConnections:
    """Idle connections per origin; a thread takes one for a request and gives it back after a clean answer."""

    def __init__(self):
        self.idle: dict[str, list[Connection]] = {}
        self.lock = threading.Lock()

    def __enter__(self) -> "PushConnections":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def take(self, origin: str) -> Connection | None:
        """An idle connection to `origin` that is still open, or None."""
        now = time.monotonic()
        while True:
            with self.lock:
                stack = self.idle.get(origin)
                if not stack:
                    return None
                connection = stack.pop()
            if connection.worth_reusing(now):
                return connection
            connection.close()

    def close_idle(self) -> None:
        """Close the connections idle too long to be tried again, whatever their origin."""
        now = time.monotonic()
        with self.lock:
            stale = [c for stack in self.idle.values() for c in stack if c.idle_too_long(now)]
            self.idle = {origin: [c for c in stack if c not in stale] for origin, stack in self.idle.items()}
        for connection in stale:
            connection.close()

    def post(self, origin: str, path: str, body: bytes, headers: dict, timeout: float) -> Answer:
        """POST once; errors are raised, and a connection that failed or will not be reused is closed."""
        connection = self.take(origin) or Connection(origin, timeout)
        try:
            answer, reusable = connection.post(path, body, headers, timeout)
        except BaseException:
            connection.close()
            raise
        self.give_back(origin, connection, reusable)
        return answer

    def give_back(self, origin: str, connection: Connection, reusable: bool) -> None:
        """Keep a connection after its answer for the next message to `origin`, or close it."""
        if reusable:
            connection.idle_since = time.monotonic()
            with self.lock:
                self.idle.setdefault(origin, []).append(connection)
        else:
            connection.close()

    def close(self) -> None:
        with self.lock:
            stacks, self.idle = self.idle, {}
        for stack in stacks.values():
            for connection in stack:
                connection.close()


def send_all(targets: list, threads: int, send) -> list:
    """send(target) for every target from `threads` threads, outcomes in the order of the targets.

    Each thread takes the next target itself, rather than one Future per target: the waiting thread was woken for
    each of thousands of results and took the GIL from the senders each time. As executor.map did, every target
    is tried even when one raises, and then the first error (in target order) is raised.
    """
    outcomes: list = [None] * len(targets)
    errors: dict[int, BaseException] = {}
    indexes = itertools.count()  # next() on it is atomic under the GIL: no two threads get the same index

    def work() -> None:
        for index in indexes:
            if index >= len(targets):
                return
            try:
                outcomes[index] = send(targets[index])
            except BaseException as error:  # raised in the calling thread below, as executor.map did
                errors[index] = error

    workers = [threading.Thread(target=work, name=f"push-{number}", daemon=True) for number in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise errors[min(errors)]
    return outcomes

