"""How a push service's answer is read: the usual one directly, any other (chunks, no length, HTTP/1.0, a 100
first, a malformed head) by http.client, with the same status, headers, body and reuse of the connection."""
import contextlib
import http.client
import time

import pytest

from app.notices.connections import MAX_ANSWER_BYTES, PushConnections
from tests.notices.loopback import LoopbackService, read_request

HEADERS = {"TTL": "60", "Content-Encoding": "aes128gcm", "Authorization": "vapid t=a.b.c, k=d"}


class CannedService(LoopbackService):
    """A loopback server that reads each POST and writes the same raw answer; counts connections."""

    def __init__(self, answer: bytes, split_at: tuple[int, ...] = ()):
        self.answer, self.split_at = answer, split_at
        super().__init__()

    def answer_each(self, connection):
        with connection, connection.makefile("rb") as reader, contextlib.suppress(OSError):
            while read_request(reader) is not None:
                start = 0
                for end in self.split_at:  # in pieces, each its own segment, as a slow network delivers them
                    connection.sendall(self.answer[start:end])
                    time.sleep(0.02)
                    start = end
                connection.sendall(self.answer[start:])
                if b"Connection: close" in self.answer or b"HTTP/1.0" in self.answer:
                    return


def post_twice(answer: bytes, split_at: tuple[int, ...] = ()):
    service = CannedService(answer, split_at)
    try:
        with PushConnections() as pool:
            answers = [pool.post(service.origin, f"/push/{n}", b"x", HEADERS, 5) for n in (1, 2)]
        return answers, service.connections
    finally:
        service.stop()


@pytest.mark.parametrize(("raw", "status", "data", "retry_after", "connections"), [
    (b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n", 201, b"", None, 1),
    (b"HTTP/1.1 429 Too Many\r\nretry-after: 7\r\nContent-Length: 4\r\n\r\nslow", 429, b"slow", "7", 1),
    (b"HTTP/1.1 201 Created\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", 201, b"", None, 2),
    (b"HTTP/1.1 410 Gone\r\nTransfer-Encoding: chunked\r\n\r\n4\r\ngone\r\n0\r\n\r\n", 410, b"gone", None, 1),
    (b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok", 201, b"ok", None, 1),
    (b"HTTP/1.0 503 Busy\r\nRetry-After: 3\r\n\r\nlater", 503, b"later", "3", 2),
    (b"HTTP/1.1 204 No Content\r\n\r\n", 204, b"", None, 1),
])
def test_every_kind_of_answer_is_read_the_same_and_its_connection_reused_only_when_it_may_be(
        raw, status, data, retry_after, connections):
    answers, opened = post_twice(raw)
    assert [(answer.status, answer.data, answer.headers.get("Retry-After")) for answer in answers] == [
        (status, data, retry_after)] * 2
    assert opened == connections


def test_a_long_body_is_cut_and_its_connection_not_reused():
    answers, opened = post_twice(b"HTTP/1.1 400 Bad\r\nContent-Length: %d\r\n\r\n" % (MAX_ANSWER_BYTES + 10)
                                 + b"y" * (MAX_ANSWER_BYTES + 10))
    assert [len(answer.data) for answer in answers] == [MAX_ANSWER_BYTES] * 2
    assert opened == 2


@pytest.mark.parametrize("raw", [b"HTTP/1.1 201 Created\r\nContent-Length: 10\r\n\r\nshort",
                                 b"garbage\r\n\r\n", b"HTTP/1.1 201 Created\r\n" + b"X: y\r\n" * 101 + b"\r\n"])
def test_a_broken_answer_is_an_error_the_sender_retries(raw):
    service = CannedService(raw)
    try:
        with PushConnections() as pool, pytest.raises((http.client.HTTPException, OSError)):
            pool.post(service.origin, "/push/1", b"x", HEADERS, 1)
    finally:
        service.stop()


@pytest.mark.parametrize("split_at", [(5,), (20, 40), (44,), (47, 49), (len(b"HTTP/1.1 429 Too Many\r\n"),)])
def test_an_answer_that_arrives_in_pieces_is_read_whole(split_at):
    answers, opened = post_twice(b"HTTP/1.1 429 Too Many\r\nRetry-After: 7\r\nContent-Length: 4\r\n\r\nslow", split_at)
    assert [(answer.status, answer.data, answer.headers.get("Retry-After")) for answer in answers] == [
        (429, b"slow", "7")] * 2
    assert opened == 1


def test_bare_line_feeds_end_the_head_as_they_do_for_http_client():
    answers, opened = post_twice(b"HTTP/1.1 429 Too Many\nRetry-After: 7\nContent-Length: 4\n\nslow")
    assert [(answer.status, answer.data, answer.headers.get("Retry-After")) for answer in answers] == [
        (429, b"slow", "7")] * 2
    assert opened == 1


def test_a_connection_with_bytes_after_the_answer_is_not_used_again():
    answers, opened = post_twice(b"HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nokJUNK")
    assert [(answer.status, answer.data) for answer in answers] == [(201, b"ok")] * 2
    assert opened == 2
