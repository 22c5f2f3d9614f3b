"""A WSGI middleware between the phone and one API route of the test's server, for the outbox's failure tests."""
import socket
import threading

from werkzeug.wsgi import get_input_stream


class ApiFaults:
    """Stands between the phone and one API route: answers 500, or cuts the connection after the server has
    committed, as many times as a test asks. Records the status of every post to the route."""

    def __init__(self, app, method: str, path: str):
        self.lock = threading.Lock()
        self.fail_with_500 = 0
        self.cut_after_commit = 0
        self.answers: list[int] = []
        inner = app.wsgi_app

        def faulty(environ, start_response):
            if (environ["REQUEST_METHOD"], environ["PATH_INFO"]) != (method, path):
                return inner(environ, start_response)
            with self.lock:
                fail, cut = self.fail_with_500 > 0, self.fail_with_500 <= 0 and self.cut_after_commit > 0
                self.fail_with_500 -= fail
                self.cut_after_commit -= cut
            if fail:
                get_input_stream(environ).read()
                self.answers.append(500)
                start_response("500 INTERNAL SERVER ERROR", [("Content-Type", "text/html")])
                return [b"<h1>Serverfel</h1>"]
            statuses = []
            body = b"".join(inner(environ, lambda status, headers, exc_info=None: statuses.append(status)))
            self.answers.append(int(statuses[0].split()[0]))
            if cut:
                environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)
                raise ConnectionAbortedError("the test cut the connection after the commit")
            start_response(statuses[0], [("Content-Type", "application/json")])
            return [body]

        app.wsgi_app = faulty
