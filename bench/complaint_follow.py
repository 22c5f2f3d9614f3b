"""The follow link /synpunkter/<token>: does a guess near a real token answer any slower or faster than a wild one?

Run: .venv/bin/python bench/complaint_follow.py [--complaints 2000] [--requests 3000]
In process (Flask's test client), SQLite in a temporary folder removed afterwards (instance/ is never touched).
Prints the median and the 10th/90th percentiles of the server's time for: a well-formed random token, a real token
with its last character changed, a real token with its first character changed, a malformed token, and a real one.
"""
import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

WORKDIR = Path(tempfile.mkdtemp(prefix="fickan-bench-follow-"))
os.environ["FICKAN_INSTANCE_PATH"] = str(WORKDIR / "instance")
os.environ["FICKAN_QUEUE"] = "immediate"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from app.complaints import rules, services  # noqa: E402
from app.demo import seed_units  # noqa: E402
from app.extensions import db  # noqa: E402

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def changed(token: str, position: int) -> str:
    return token[:position] + random.choice([c for c in ALPHABET if c != token[position]]) + token[position + 1:]


def timed(client, requests: list[tuple[str, str, int]]) -> dict[str, list[float]]:
    """Each request's server time in ms, per kind; the kinds interleaved so that load on the machine hits all alike."""
    times: dict[str, list[float]] = {}
    for name, path, expected in requests:
        start = time.perf_counter()
        response = client.get(path)
        times.setdefault(name, []).append((time.perf_counter() - start) * 1000)
        assert response.status_code == expected, (path, response.status_code)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{WORKDIR / 'bench.db'}", "RATELIMIT_ENABLED": False,
                      "SECRET_KEY": "bench", "LOG_LEVEL": "WARNING"})
    with app.app_context():
        db.create_all()
        seed_units()
        answers = services.ComplaintAnswers("Bench", None, "", rules.AnswerWay.NONE, "", "", "", "")
        tokens = [services.create_complaint(answers, rules.Channel.WEB)[1] for _ in range(args.complaints)]
        db.session.commit()
    client = app.test_client()
    n = args.requests
    kinds = {
        "random well-formed": ([f"/synpunkter/{rules.follow_token(str(i), 'other')}" for i in range(n)], 404),
        "real, last char changed": ([f"/synpunkter/{changed(random.choice(tokens), 42)}" for _ in range(n)], 404),
        "real, first char changed": ([f"/synpunkter/{changed(random.choice(tokens), 0)}" for _ in range(n)], 404),
        "malformed": ([f"/synpunkter/{random.choice(tokens)[:20]}" for _ in range(n)], 404),
        "real": ([f"/synpunkter/{random.choice(tokens)}" for _ in range(n)], 200),
    }
    requests = [(name, path, expected) for name, (paths, expected) in kinds.items() for path in paths]
    random.shuffle(requests)
    timed(client, requests[:200])  # warm up
    print(f"{args.complaints} complaints, {n} requests of each kind, interleaved; server time per request in ms")
    for name, times in timed(client, requests).items():
        times.sort()
        print(f"  {name:26} median {statistics.median(times):.3f}  p10 {times[n // 10]:.3f}  "
              f"p90 {times[9 * n // 10]:.3f}")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)
