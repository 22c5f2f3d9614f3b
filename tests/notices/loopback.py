"""A raw HTTP/1.1 server on 127.0.0.1 for the push posting tests: each connection gets its own thread, and a subclass
says how to answer what it reads."""
import socket
import threading


class LoopbackService:
    """Accepts connections until stopped and counts them; answer_each(connection) is the subclass's."""

    def __init__(self, backlog: int = 5):
        self.connections = 0
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=backlog)
        self.origin = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self.answer_each, args=(connection,), daemon=True).start()

    def answer_each(self, connection):
        raise NotImplementedError

    def stop(self):
        self.listener.close()


def read_request(reader) -> bytes | None:
    """The next request's first line, its head and body read; None when the client has closed."""
    request_line = reader.readline()
    length = 0
    while (line := reader.readline()) not in (b"\r\n", b""):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    if not line:
        return None
    reader.read(length)
    return request_line
