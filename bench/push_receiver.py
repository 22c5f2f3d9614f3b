"""The push service stand-in for bench/push.py: 201 for each well-formed push on 127.0.0.1, counts at GET /count.

Run by bench/push.py as its own process (so it does not share the sender's GIL); prints its port, then serves
until stdin closes or --deadline seconds pass. It does not decrypt: it checks the VAPID Authorization header,
the aes128gcm Content-Encoding, a TTL and a body at least as long as the aes128gcm header.
"""
import argparse
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

AES128GCM_HEADER_BYTES = 86  # salt 16 + record size 4 + key id length 1 + key id 65


def serve(deadline: float) -> None:
    counts = {"ok": 0, "bad": 0}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):  # the name http.server calls
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            good = (self.headers.get("Authorization", "").startswith("vapid t=")
                    and self.headers.get("Content-Encoding") == "aes128gcm" and bool(self.headers.get("TTL"))
                    and len(body) > AES128GCM_HEADER_BYTES)
            with lock:
                counts["ok" if good else "bad"] += 1
            self.send_response_only(201 if good else 400)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self):
            with lock:
                data = json.dumps(counts).encode()
            self.send_response_only(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    print(server.server_address[1], flush=True)
    stopped = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stopped.set()), daemon=True).start()
    stopped.wait(deadline)
    server.shutdown()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deadline", type=float, default=600)
    serve(parser.parse_args().deadline)
