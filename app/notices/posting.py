"""Many push messages posted from one thread, up to `in_flight` of them waiting for an answer at once.

Eight sending threads spent more CPU handing the GIL to each other than on anything but the encryption: a thread
let go of it at each write and each read, and waited for it again behind the others (bench/push.py, on 2 CPUs).
One thread encrypts the next message while the push service answers the ones in flight, and reads the answers
as they come (poll). The push service sees what the threads gave it: as many connections, each carrying one
request at a time, kept alive, one answer before the next request (no pipelining: a POST is not safe to send
again when a connection breaks with several unanswered).

An answer is read once poll says something arrived; the rest of an answer that comes in pieces is awaited by poll
too, except inside one TLS record and in an unusual answer (chunks, no length) that http.client reads: those the
read itself waits for, within the request's timeout. A connect (and
its TLS handshake) is made in this thread: rarely, since connections are kept between jobs.
"""
import http.client
import select
import threading
import time
import weakref
from collections.abc import Callable, Iterable

from app.notices.connections import Answer, Connection, PushConnections

EXTENSION = "push_connections"
_pool_lock = threading.Lock()


def connections_for(app) -> PushConnections:
    """The app's connections to push services, kept between fan-outs: a notice to a district is several jobs,
    and each opened as many connections (TLS handshakes to the push service) as it had messages in flight."""
    with _pool_lock:
        pool = app.extensions.get(EXTENSION)
        if pool is None:
            pool = app.extensions[EXTENSION] = PushConnections()
            weakref.finalize(app, pool.close)  # closed, not left to the garbage collector to warn about
        pool.close_idle()
        return pool


# What a request is: (its key for the caller, origin, path with query, body, headers: a dict or header_lines bytes).
Request = tuple[object, str, str, bytes, dict | bytes]
Answered = Callable[[object, Answer | OSError | http.client.HTTPException], None]


class Posting:
    """The connections of one post_all: those awaiting an answer, and those idle between two messages. All are
    watched by one poll: an answer is read when it arrives, and an idle connection that turns readable was closed
    by the push service (or sent what was never asked for), so it is closed here too."""

    def __init__(self, pool: PushConnections):
        self.pool = pool
        self.poller = select.poll()
        self.waiting: dict[int, tuple[Connection, object, str]] = {}  # by file descriptor
        self.idle: dict[str, list[Connection]] = {}
        self.idle_origin: dict[int, str] = {}
        # A new connection to an origin is opened only once the last new one has answered: no burst of connects
        # (TLS handshakes) at a push service, and none that overflows a small listen queue, whose dropped
        # connect the kernel tries again only after a second (the bench's stand-in queues five).
        self.opening: dict[str, int] = {}  # origin → the descriptor of its new connection, still unanswered

    def connection_to(self, origin: str, timeout: float) -> Connection | None:
        """An open connection to `origin` for the next message; None when one is being opened and has not
        answered yet."""
        stack = self.idle.get(origin)
        while stack:
            connection = stack.pop()
            descriptor = connection.sock.fileno()
            del self.idle_origin[descriptor]
            # Looked at again just before it is used: the push service may have closed it since the last poll.
            if connection.worth_reusing(time.monotonic()):
                return connection
            self.forget(descriptor, connection)
        connection = self.pool.take(origin)
        if connection is None:
            if origin in self.opening:
                return None
            connection = Connection(origin, timeout)
            self.opening[origin] = connection.sock.fileno()
        self.poller.register(connection.sock.fileno(), select.POLLIN)
        return connection

    def forget(self, descriptor: int, connection: Connection) -> None:
        self.poller.unregister(descriptor)
        connection.close()

    def failed(self, connection: Connection, origin: str) -> None:
        """A connection whose request could not be sent: closed, and no longer the one being opened."""
        descriptor = connection.sock.fileno()
        if self.opening.get(origin) == descriptor:
            del self.opening[origin]
        self.forget(descriptor, connection)

    def answered_on(self, descriptor: int) -> tuple[Connection, object, str]:
        connection, key, origin = self.waiting.pop(descriptor)
        if self.opening.get(origin) == descriptor:
            del self.opening[origin]
        return connection, key, origin

    def keep(self, descriptor: int, connection: Connection, origin: str) -> None:
        connection.idle_since = time.monotonic()
        self.idle.setdefault(origin, []).append(connection)
        self.idle_origin[descriptor] = origin

    def dropped(self, descriptor: int) -> None:
        """An idle connection turned readable: closed by the other side, or junk."""
        stack = self.idle[self.idle_origin.pop(descriptor)]
        connection = next(c for c in stack if c.sock.fileno() == descriptor)
        stack.remove(connection)
        self.forget(descriptor, connection)

    def close(self) -> None:
        """Idle connections go back to the pool for the next fan-out; any still awaiting an answer are closed."""
        for connection, _, _ in self.waiting.values():
            connection.close()
        for origin, stack in self.idle.items():
            for connection in stack:
                self.pool.give_back(origin, connection, True)


def post_all(pool: PushConnections, requests: Iterable[Request], in_flight: int, timeout: float,
             answered: Answered) -> None:
    """POST each request once, calling answered(key, answer or error) for each, in the order the answers come.

    `requests` is read one ahead of what is sent, so a lazy one encrypts the next message while answers are
    awaited. A network error, a broken answer or no answer within `timeout` is given to `answered` as an error,
    as PushConnections.post raises it; the connection it came on is closed.
    """
    posting = Posting(pool)
    waiting = posting.waiting
    pending = iter(requests)
    upcoming = next(pending, None)
    try:
        while upcoming is not None or waiting:
            while upcoming is not None and len(waiting) < in_flight:
                key, origin, path, body, headers = upcoming
                connection = None
                try:
                    connection = posting.connection_to(origin, timeout)
                    if connection is None:
                        break  # wait for an answer, which frees a connection or lets another be opened
                    connection.send(path, body, headers, timeout)
                except (OSError, http.client.HTTPException) as error:
                    if connection is not None:
                        posting.failed(connection, origin)
                    answered(key, error)
                except BaseException:
                    if connection is not None:
                        posting.failed(connection, origin)
                    raise
                else:
                    waiting[connection.sock.fileno()] = (connection, key, origin)
                upcoming = next(pending, None)  # encrypted now, while the push service answers
            if not waiting:
                continue
            first_deadline = min(connection.deadline for connection, _, _ in waiting.values())
            for descriptor, _ in posting.poller.poll(max(0, first_deadline - time.monotonic()) * 1000):
                if descriptor not in waiting:
                    posting.dropped(descriptor)
                    continue
                connection, key, origin = waiting[descriptor]
                try:
                    answer = connection.answer_so_far()
                except (OSError, http.client.HTTPException) as error:
                    posting.answered_on(descriptor)
                    posting.forget(descriptor, connection)
                    answered(key, error)
                    continue
                if answer is not None:
                    posting.answered_on(descriptor)
                    if answer[1]:
                        posting.keep(descriptor, connection, origin)
                    else:
                        posting.forget(descriptor, connection)
                    answered(key, answer[0])
            now = time.monotonic()
            if now >= first_deadline:
                for descriptor in [d for d, (connection, _, _) in waiting.items() if connection.deadline <= now]:
                    connection, key, _ = posting.answered_on(descriptor)
                    posting.forget(descriptor, connection)
                    answered(key, TimeoutError("timed out"))
    finally:  # also after an error of the caller's (or an interrupt): nothing is left open
        posting.close()
