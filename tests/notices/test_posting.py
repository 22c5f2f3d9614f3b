"""Posting many messages from one thread: every request answered once, the failures of one kept to that one,
connections kept alive, reused only while open, opened one at a time, and none left open."""
import http.client
import socket
import time

import pytest

from app.notices.connections import PushConnections
from app.notices.posting import post_all
from tests.notices.loopback import LoopbackService, read_request
from tests.notices.test_connections import PushService

HEADERS = {"TTL": "60", "Content-Encoding": "aes128gcm", "Authorization": "vapid t=a.b.c, k=d"}


class ScriptedService(LoopbackService):
    """A loopback server that answers 201 to each POST, except: a path with /silent is never answered, /broken gets a
    body cut short and a close."""

    def __init__(self):
        super().__init__(backlog=64)

    def answer_each(self, connection):
        with connection, connection.makefile("rb") as reader:
            while (request_line := read_request(reader)) is not None:
                if b"/silent" in request_line:
                    continue
                if b"/broken" in request_line:
                    connection.sendall(b"HTTP/1.1 201 Created\r\nContent-Length: 10\r\n\r\nshort")
                    return
                connection.sendall(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")


@pytest.fixture
def hanging_up_service():
    running = PushService(hang_up=True)
    yield running
    running.stop()


@pytest.fixture
def scripted():
    service = ScriptedService()
    yield service
    service.stop()


def post(pool, origin, paths, in_flight=4, timeout=5.0):
    answers = {}
    post_all(pool, ((path, origin, path, b"x" * 50, HEADERS) for path in paths), in_flight, timeout,
             lambda key, answer: answers.__setitem__(key, answer))
    return answers


def statuses(answers):
    return {key: getattr(answer, "status", type(answer).__name__) for key, answer in answers.items()}


def test_every_message_is_answered_over_at_most_in_flight_kept_alive_connections(scripted):
    paths = [f"/push/{n}" for n in range(40)]
    with PushConnections() as pool:
        answers = post(pool, scripted.origin, paths, in_flight=4)
        assert statuses(answers) == {path: 201 for path in paths}
        assert 1 <= scripted.connections <= 4
        # Kept for the next fan-out, and used by it.
        opened = scripted.connections
        assert statuses(post(pool, scripted.origin, ["/push/again"])) == {"/push/again": 201}
        assert scripted.connections == opened


def test_a_message_without_an_answer_times_out_alone(scripted):
    paths = ["/push/1", "/silent/2", "/push/3", "/push/4", "/push/5"]
    with PushConnections() as pool:
        started = time.monotonic()
        answers = post(pool, scripted.origin, paths, in_flight=2, timeout=0.5)
        assert time.monotonic() - started < 3
    assert statuses(answers) == {"/push/1": 201, "/silent/2": "TimeoutError", "/push/3": 201, "/push/4": 201,
                                 "/push/5": 201}
    assert str(answers["/silent/2"]) == "timed out"


def test_a_broken_answer_is_an_error_for_its_message_only(scripted):
    with PushConnections() as pool:
        answers = post(pool, scripted.origin, ["/push/1", "/broken/2", "/push/3"], in_flight=1)
    assert statuses(answers) == {"/push/1": 201, "/broken/2": "IncompleteRead", "/push/3": 201}


def test_an_idle_connection_the_push_service_closed_between_messages_is_not_used(hanging_up_service):
    def requests():
        yield 1, hanging_up_service.origin, "/push/1", b"x", HEADERS
        # Read one ahead: by the time this one is sent, the service has answered the first and hung up.
        assert hanging_up_service.hung_up.wait(5)
        yield 2, hanging_up_service.origin, "/push/2", b"x", HEADERS

    answers = {}
    with PushConnections() as pool:
        post_all(pool, requests(), 1, 5, answers.__setitem__)
    assert statuses(answers) == {1: 201, 2: 201}
    assert hanging_up_service.connections == 2


def test_an_origin_that_cannot_be_reached_fails_its_messages_and_not_the_others(scripted):
    closed = socket.create_server(("127.0.0.1", 0))
    unreachable = f"http://127.0.0.1:{closed.getsockname()[1]}"
    closed.close()
    requests = [(1, unreachable, "/p/1", b"x", HEADERS), (2, scripted.origin, "/push/2", b"x", HEADERS),
                (3, unreachable, "/p/3", b"x", HEADERS)]
    answers = {}
    with PushConnections() as pool:
        post_all(pool, requests, 4, 5, answers.__setitem__)
    assert statuses(answers) == {1: "ConnectionRefusedError", 2: 201, 3: "ConnectionRefusedError"}


def test_a_header_that_would_split_the_request_fails_that_message(scripted):
    requests = [(1, scripted.origin, "/push/1", b"x", {"Topic": "a\r\nX: 1"}),
                (2, scripted.origin, "/push/2", b"x", HEADERS)]
    answers = {}
    with PushConnections() as pool:
        post_all(pool, requests, 2, 5, answers.__setitem__)
    assert isinstance(answers[1], http.client.HTTPException) and answers[2].status == 201


def test_new_connections_are_opened_one_at_a_time():
    """A listen queue that holds one connection: a burst of connects would wait for the kernel's second try."""
    service = PushService()
    service.server.socket.listen(0)
    try:
        with PushConnections() as pool:
            started = time.monotonic()
            answers = post(pool, service.origin, [f"/push/{n}" for n in range(30)], in_flight=8)
            assert time.monotonic() - started < 0.9
        assert set(statuses(answers).values()) == {201}
    finally:
        service.stop()


def test_an_error_of_the_caller_leaves_no_connection_open(scripted):
    def answered(key, answer):
        raise RuntimeError("the caller's own fault")

    requests = [(n, scripted.origin, f"/push/{n}", b"x", HEADERS) for n in range(10)]
    with PushConnections() as pool:
        with pytest.raises(RuntimeError):
            post_all(pool, requests, 4, 5, answered)
        # The connections still waiting were closed (an unclosed one would fail the test: a ResourceWarning is an
        # error here); an idle one went back to the pool.
        assert sum(len(stack) for stack in pool.idle.values()) <= 1
