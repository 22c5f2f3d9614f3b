"""The push connections: kept alive and reused, never reused once the push service closed them, no split requests."""
import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from app.notices.connections import PushConnections, request_head
from app.notices.delivery import split_endpoint


class PushService:
    """A loopback server answering 201; counts connections and can hang up after each answer."""

    def __init__(self, hang_up: bool = False):
        self.connections = 0
        self.hung_up = threading.Event()
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self):
                super().setup()
                service.connections += 1

            def do_POST(self):  # the name http.server calls
                self.rfile.read(int(self.headers["Content-Length"]))
                self.send_response_only(201)
                self.send_header("Content-Length", "0")
                self.end_headers()
                # Closed without "Connection: close": the client finds out only from the socket.
                self.close_connection = hang_up

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            def shutdown_request(self, request):
                # Told once the socket is closed, not when the handler finishes (before the close): a client that
                # looks at once must find the connection gone.
                super().shutdown_request(request)
                service.hung_up.set()

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def service():
    running = PushService()
    yield running
    running.stop()


@pytest.fixture
def hanging_up_service():
    running = PushService(hang_up=True)
    yield running
    running.stop()


HEADERS = {"TTL": "60", "Content-Encoding": "aes128gcm", "Authorization": "vapid t=a.b.c, k=d"}


def test_one_connection_carries_many_messages(service):
    with PushConnections() as pool:
        answers = [pool.post(service.origin, f"/push/{n}", b"x" * 100, HEADERS, 5) for n in range(5)]
    assert [answer.status for answer in answers] == [201] * 5
    assert service.connections == 1


def test_a_connection_the_push_service_closed_is_not_used_again(hanging_up_service):
    with PushConnections() as pool:
        first = pool.post(hanging_up_service.origin, "/push/1", b"x", HEADERS, 5)
        assert hanging_up_service.hung_up.wait(5)
        second = pool.post(hanging_up_service.origin, "/push/2", b"x", HEADERS, 5)
    assert (first.status, second.status) == (201, 201)
    assert hanging_up_service.connections == 2


@pytest.mark.parametrize("headers", [{"Topic": "a\r\nX-Injected: 1"}, {"Topic": "a\nb"}, {"Bad Name": "1"}])
def test_a_header_that_would_split_the_request_is_refused(headers):
    with pytest.raises(http.client.HTTPException):
        request_head("push.example", "/push/1", headers, 1)


@pytest.mark.parametrize("path", ["/push/1 HTTP/1.1\r\nX: y", "/push/a b", "push/1"])
def test_a_path_that_would_split_the_request_line_is_refused(path):
    with pytest.raises(http.client.HTTPException):
        request_head("push.example", path, {}, 1)


@pytest.mark.parametrize("endpoint", [
    "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91b-_x~y.z%2F",
    "https://updates.push.services.mozilla.com/wpush/v2/gAAAAA?x=1&y=2",
    "https://web.push.apple.com:443/QF2x?", "https://web.push.apple.com/QF2x??a?", "http://127.0.0.1:8080/push/1",
    "https://FCM.googleapis.com/fcm/send/x", "HTTPS://fcm.googleapis.com/x", "https://fcm.googleapis.com",
    "https://[::1]:8443/push", "https://user:pw@host.example/p", "https://host.example/p#frag",
    "https://host.example/p q", "https://host.example/\tp", " https://host.example/p", "https://host.example:/p",
    "https://host.example/å", "https://host.example/p?å=1", "https://host.example/p?a b",
])
def test_an_endpoint_is_taken_apart_as_urlsplit_does(endpoint):
    parts = urlsplit(endpoint)
    assert split_endpoint(endpoint) == (f"{parts.scheme}://{parts.netloc}", (parts.path or "/") + (
        f"?{parts.query}" if parts.query else ""), parts.hostname or "")
