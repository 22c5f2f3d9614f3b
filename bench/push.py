"""Push fan-out: one notice to 5,000 subscriptions against a local push receiver, per message vs a bare encryption.

Run: .venv/bin/python bench/push.py [--subscriptions 5000] [--threads 8] [--serial]
The notice goes through the real path: services.send_notice → inbox items → delivery jobs (FICKAN_QUEUE=immediate,
so the jobs run in this process, 500 items each) → delivery.fan_out, which encrypts (app/notices/encryption.py, the
bytes pywebpush's http_ece gives), signs VAPID once per push-service origin and posts from one thread with --threads
messages in flight (PUSH_FANOUT_THREADS; retries from as many threads). The receiver is a separate
process on 127.0.0.1 (bench/push_receiver.py, so it does not share our GIL) that reads each request, checks it
carries a VAPID Authorization header and an aes128gcm body, and answers 201 without decrypting. Loopback only,
bounded: it stops after the run or after --deadline seconds. The baseline is WebPusher(subscription).encode(payload)
of the same payload.
Everything lives in a temporary folder that is removed afterwards; instance/ is never touched.
"""
import argparse
import subprocess
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

AIM_RATIO = 3.0  # delivery per message ÷ a bare encode (issue 20)
WORKDIR = Path(tempfile.mkdtemp(prefix="fickan-bench-push-"))
# Before the app is imported: the job queue would otherwise open its database under instance/.
os.environ["FICKAN_INSTANCE_PATH"] = str(WORKDIR / "instance")
os.environ["FICKAN_QUEUE"] = "immediate"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from pywebpush import WebPusher  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from app import create_app  # noqa: E402
from app.accounts.models import Unit, User, memberships  # noqa: E402
from app.extensions import db  # noqa: E402
from app.notices import delivery, services  # noqa: E402
from app.notices.keys import b64url  # noqa: E402
from app.notices.models import PushDelivery, PushSubscription  # noqa: E402
from app.timestamps import utcnow  # noqa: E402


def browser_keys(count: int) -> list[tuple[str, str]]:
    """(p256dh, auth) pairs as browsers make them; a few reused, since the sender's cost does not depend on it."""
    keys = []
    for _ in range(count):
        point = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        keys.append((b64url(point), b64url(os.urandom(16))))
    return keys


def seed(subscriptions: int, origin: str) -> tuple[int, int]:
    """One unit, a coordinator, and `subscriptions` staff with one subscription each. Returns (coordinator, unit)."""
    db.create_all()
    unit = Unit(name="Hemvård Bänk", kind="enhet")
    db.session.add(unit)
    db.session.flush()
    coordinator = User(username="samordnare", display_name="Samordnare", role="coordinator", password_hash="x")
    coordinator.units = [unit]
    db.session.add(coordinator)
    db.session.flush()
    now = utcnow()
    db.session.execute(insert(User), [
        {"username": f"usk{n}", "display_name": f"Personal {n}", "role": "staff", "password_hash": "x",
         "created_at": now} for n in range(subscriptions)])
    staff_ids = list(db.session.scalars(select(User.id).where(User.role == "staff").order_by(User.id)))
    db.session.execute(insert(memberships), [{"user_id": uid, "unit_id": unit.id} for uid in staff_ids])
    keys = browser_keys(50)
    db.session.execute(insert(PushSubscription), [
        {"user_id": uid, "endpoint": f"{origin}/push/{uid}", "p256dh": keys[n % 50][0], "auth": keys[n % 50][1],
         "user_agent": "bench", "app_origin": "https://fickan.kommun.example", "created_at": now, "updated_at": now}
        for n, uid in enumerate(staff_ids)])
    db.session.commit()
    return coordinator.id, unit.id


def bare_encode_seconds(payload: bytes, repeats: int) -> float:
    """Median seconds for WebPusher(subscription).encode(payload): pywebpush's aes128gcm encryption alone."""
    p256dh, auth = browser_keys(1)[0]
    subscription = {"endpoint": "https://fcm.googleapis.com/fcm/send/x", "keys": {"p256dh": p256dh, "auth": auth}}
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        WebPusher(subscription).encode(payload)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def fan_out_once(app, coordinator_id: int, unit_id: int, threads: int) -> dict:
    app.config["PUSH_FANOUT_THREADS"] = threads
    db.session.execute(PushDelivery.__table__.delete())
    db.session.commit()
    delivered_in, cpu_in = [], []
    real_deliver = delivery.deliver_items

    def timed_deliver(item_ids):
        start, cpu_start = time.perf_counter(), time.process_time()
        # In its own app context, so its own database session, as the worker runs each job (app/queue.py):
        # FICKAN_QUEUE=immediate would otherwise run it in send_notice's session, where every chunk's commit
        # expires the notice's thousands of inbox items again, a cost no worker has.
        with app.app_context():
            outcomes = real_deliver(item_ids)
        delivered_in.append(time.perf_counter() - start)
        cpu_in.append(time.process_time() - cpu_start)
        return outcomes

    delivery.deliver_items = timed_deliver
    try:
        start = time.perf_counter()
        notice = services.send_notice(db.session.get(User, coordinator_id), title="Ny nyckelrutin från måndag",
                                      body="Nycklarna hämtas i receptionen från och med måndag. " * 3,
                                      importance="normal", expires_on=None, unit_ids=[unit_id], roles=["staff"])
        total = time.perf_counter() - start
    finally:
        delivery.deliver_items = real_deliver
    sent = db.session.scalar(select(func.count()).select_from(PushDelivery).where(PushDelivery.status_code == 201))
    return {"notice": notice, "total": total, "delivery": sum(delivered_in), "cpu": sum(cpu_in),
            "jobs": len(delivered_in), "sent": sent}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--serial", action="store_true", help="also run with one sending thread")
    parser.add_argument("--deadline", type=float, default=600, help="the receiver stops after this many seconds")
    args = parser.parse_args()

    # The receiver is its own process, so it does not share our GIL; it stops when its stdin closes.
    receiver = subprocess.Popen([sys.executable, str(Path(__file__).with_name("push_receiver.py")), "--deadline",
                                 str(args.deadline)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        port = int(receiver.stdout.readline())
        origin = f"http://127.0.0.1:{port}"
        app = create_app({
            "SECRET_KEY": "bench", "INSTANCE_PATH": str(WORKDIR / "instance"), "LOG_LEVEL": "WARNING",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{WORKDIR / 'bench.db'}",
            "PUSH_ALLOWED_HOSTS": [f"127.0.0.1:{port}"], "VAPID_SUBJECT": "mailto:it@kommun.example",
        })
        with app.app_context():
            coordinator_id, unit_id = seed(args.subscriptions, origin)
            runs = [(args.threads, fan_out_once(app, coordinator_id, unit_id, args.threads))]
            if args.serial and args.threads != 1:
                runs.append((1, fan_out_once(app, coordinator_id, unit_id, 1)))
            item = services.inbox(db.session.get(User, coordinator_id + 1))[0]
            message = delivery.Message(item.title, item.body, f"/meddelanden/{item.id}", item.topic, item.importance,
                                       item.kind, item.id, f"/meddelanden/{item.id}")
            payload = delivery.payload_for(message, "https://fickan.kommun.example")
            encode = bare_encode_seconds(payload, repeats=500)
        counts = requests.get(origin + "/count", timeout=5).json()
    finally:
        receiver.stdin.close()
        receiver.wait(timeout=30)
        shutil.rmtree(WORKDIR, ignore_errors=True)

    print(f"push fan-out: one notice to {args.subscriptions:,} subscriptions, local receiver on 127.0.0.1 "
          f"(separate process, no decryption), {os.cpu_count()} cores")
    print(f"payload: {len(payload)} bytes JSON (Declarative Web Push), aes128gcm")
    print(f"bare pywebpush WebPusher(...).encode(payload): {encode * 1e3:.3f} ms per message (median of 500)")
    for threads, run in runs:
        per_message = run["delivery"] / max(run["sent"], 1)
        print(f"threads={threads}: send_notice total {run['total']:.2f} s (inbox rows + {run['jobs']} delivery jobs); "
              f"delivery {run['delivery']:.2f} s for {run['sent']:,} pushes answered 201 → "
              f"{per_message * 1e3:.3f} ms per message = {per_message / encode:.1f}× a bare encode; "
              f"{run['sent'] / run['delivery']:.0f} pushes/s")
        # The sender's own CPU (all its threads): what the aim is about without the machine's other load.
        cpu_per_message = run["cpu"] / max(run["sent"], 1)
        verdict = "met" if per_message / encode <= AIM_RATIO else "missed"
        print(f"  sender CPU {cpu_per_message * 1e3:.3f} ms per message = {cpu_per_message / encode:.1f}× a bare encode"
              f"; aim ≤ {AIM_RATIO:.0f}× per message (wall): {verdict}")
    print(f"receiver counted: {counts['ok']:,} well-formed, {counts['bad']} malformed")


if __name__ == "__main__":
    main()
