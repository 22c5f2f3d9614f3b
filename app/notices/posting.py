"""Many push messages posted from one thread, up to `in_flight` of them waiting for an answer at once.

Eight sending threads spent more CPU handing the GIL to each other than on anything but the encryption: a thread
let go of it at each write and each read, and waited for it again behind the others (bench/push.py, on 2 CPUs).
One thread encrypts the next message while the push service answers the ones in flight, and reads the answers
as they come (poll). The push service sees what the threads gave it: as many connections, each carrying one
request at a time, kept alive, one answer before the next request (no pipelining: a POST is not safe to send
again when a connection breaks with several unanswered).
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


# What a request is: (its key for the caller, origin, path with query, body, headers).
Request = tuple[object, str, str, bytes, dict]


def post_all(pool: PushConnections, requests: Iterable[Request], in_flight: int, timeout: float,
             answered: Callable[[object, Answer | OSError | http.client.HTTPException], None]) -> None:
    """POST each request once, calling answered(key, answer or error) for each, in the order the answers come.

    `requests` is read one ahead of what is sent, so a lazy one encrypts the next message while answers are
    awaited. A network error, a broken answer or no answer within `timeout` is given to `answered` as an error,
    as PushConnections.post raises it; the connection it came on is closed.
    """
    poller = select.poll()
    waiting: dict[int, tuple[Connection, object, str]] = {}  # by file descriptor
    # A new connection to an origin is opened only once the last new one has answered: no burst of connects
    # (TLS handshakes) at a push service, and none that overflows a small listen queue, whose dropped connect
    # the kernel tries again only after a second (the bench's stand-in queues five).
    opening: dict[str, int] = {}  # origin → the descriptor of its new connection still unanswered

    def done(descriptor: int) -> tuple[Connection, object, str]:
        poller.unregister(descriptor)
        connection, key, origin = waiting.pop(descriptor)
        if opening.get(origin) == descriptor:
            del opening[origin]
        return connection, key, origin

    pending = iter(requests)
    upcoming = next(pending, None)
    try:
        while upcoming is not None or waiting:
            while upcoming is not None and len(waiting) < in_flight:
                key, origin, path, body, headers = upcoming
                connection = pool.take(origin)
                if connection is None and origin in opening:
                    break  # wait for an answer, which frees a connection or lets another be opened
                new = connection is None
                try:
                    if new:
                        connection = Connection(origin, timeout)
                    connection.send(path, body, headers, timeout)
                except (OSError, http.client.HTTPException) as error:
                    if connection is not None:
                        connection.close()
                    answered(key, error)
                else:
                    descriptor = connection.sock.fileno()
                    waiting[descriptor] = (connection, key, origin)
                    poller.register(descriptor, select.POLLIN)
                    if new:
                        opening[origin] = descriptor
                upcoming = next(pending, None)  # encrypted now, while the push service answers
            if not waiting:
                continue
            first_deadline = min(connection.deadline for connection, _, _ in waiting.values())
            for descriptor, _ in poller.poll(max(0, first_deadline - time.monotonic()) * 1000):
                connection, key, origin = waiting[descriptor]
                try:
                    answer = connection.answer_so_far()
                except (OSError, http.client.HTTPException) as error:
                    done(descriptor)
                    connection.close()
                    answered(key, error)
                    continue
                if answer is not None:
                    done(descriptor)
                    pool.give_back(origin, connection, answer[1])
                    answered(key, answer[0])
            now = time.monotonic()
            for descriptor in [d for d, (connection, _, _) in waiting.items() if connection.deadline <= now]:
                connection, key, _ = done(descriptor)
                connection.close()
                answered(key, TimeoutError("timed out"))
    finally:  # an error of the caller's (or an interrupt): nothing is left open
        for connection, _, _ in waiting.values():
            connection.close()
