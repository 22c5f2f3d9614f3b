"""Report sync: 50 queued reports with 2 photos each, server CPU per photo against bare Pillow, 200 phones at once.

Run: .venv/bin/python bench/sync.py [--reports 50] [--clients 200] [--workers W] [--threads T] [--seed 7]
The app runs under gunicorn (gthread, as in production) in a subprocess on 127.0.0.1 only, with SQLite and its own
instance folder in a temporary folder that is removed afterwards (instance/ is never touched). The reports go
through the real HTTP API as the phone's outbox sends them (pwa/js/outbox/send.js): one multipart request each.
"""
import argparse
import io
import json
import os
import random
import re
import runpy
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

WORKDIR = Path(tempfile.mkdtemp(prefix="fickan-bench-sync-"))
# Before the app is imported (for the in-process baseline): the job queue would otherwise open instance/queue.db.
os.environ["FICKAN_INSTANCE_PATH"] = str(WORKDIR / "bench-instance")
os.environ["FICKAN_QUEUE"] = "immediate"
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import gunicorn  # noqa: E402
import requests  # noqa: E402
from PIL import Image  # noqa: E402

from app.demo import DEMO_PASSWORD  # noqa: E402
from app.media.rules import JPEG_QUALITY, MAX_LONG_EDGE  # noqa: E402
from app.reports.services import prepare_photo  # noqa: E402

AIM_CPU_RATIO = 1.5
AIM_ERRORS = 0

ORIGINAL_SIZE = (4000, 3000)  # a 12 MP phone camera
ORIGINAL_QUALITY = 90
PHONE_LONG_EDGE = 2048  # pwa/js/outbox/photos.js downscales before the report is queued
PHONE_QUALITY = 85
PHOTO_VARIANTS = 4
OVERHEAD_REPORTS = 20

REPORTER = "usk.nord"
# The phones of the burst share these logins (each phone its own connection and its own report).
BURST_REPORTERS = ["usk.nord", "usk.syd", "samordnare.nord", "chef.nord"]
GENEROUS_LOGIN_LIMIT = "1000 per minute"

SEND_TIMEOUT_S = 120  # the phone's SEND_TIMEOUT_MS
START_TIMEOUT_S = 60
OUTBOX_BUDGET_S = 75  # per outbox run: on a busy machine the run stops early and says so
BARRIER_TIMEOUT_S = 60
BURST_DEADLINE_S = 120
OVERALL_TIMEOUT_S = 330

CSRF_FIELD = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
MB = 1_000_000


# Photos -----------------------------------------------------------------------------------------------------------

def noise(rng: random.Random, size: tuple[int, int], mode: str) -> Image.Image:
    return Image.frombytes(mode, size, rng.randbytes(size[0] * size[1] * len(mode)))


def photo_like(rng: random.Random, turn: int) -> Image.Image:
    """An RGB picture with a photo's mix of content: light falling off, soft shapes, texture and sensor grain."""
    width, height = ORIGINAL_SIZE
    light = Image.linear_gradient("L").rotate(90 * turn).resize(ORIGINAL_SIZE).convert("RGB")
    shapes = noise(rng, (16, 12), "RGB").resize(ORIGINAL_SIZE, Image.Resampling.BILINEAR)
    muted = Image.blend(shapes, shapes.convert("L").convert("RGB"), 0.5)
    texture = noise(rng, (width // 8, height // 8), "L").resize(ORIGINAL_SIZE, Image.Resampling.BILINEAR)
    grain = noise(rng, ORIGINAL_SIZE, "RGB")
    # Weights chosen so that an original is about 1.5 MB at quality 90 and its phone copy about 300 KB.
    picture = Image.blend(Image.blend(muted, light, 0.4), texture.convert("RGB"), 0.08)
    return Image.blend(picture, grain, 0.04)


def jpeg(image: Image.Image, quality: int) -> bytes:
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=quality)
    return output.getvalue()


def phone_copy(original: bytes) -> bytes:
    """The photo as the phone queues it: long edge 2048 px, JPEG quality 0.85."""
    with Image.open(io.BytesIO(original)) as image:
        image.thumbnail((PHONE_LONG_EDGE, PHONE_LONG_EDGE))
        return jpeg(image, PHONE_QUALITY)


def make_photos(seed: int) -> tuple[list[bytes], list[bytes]]:
    """(originals, phone-sized copies), PHOTO_VARIANTS of each."""
    rng = random.Random(seed)
    originals = [jpeg(photo_like(rng, turn), ORIGINAL_QUALITY) for turn in range(PHOTO_VARIANTS)]
    return originals, [phone_copy(original) for original in originals]


def pairs(photos: list[bytes], count: int) -> list[list[bytes]]:
    """Two photos for each of `count` reports, taking the variants in turn."""
    return [[photos[(2 * number) % len(photos)], photos[(2 * number + 1) % len(photos)]] for number in range(count)]


# CPU baselines in this process -------------------------------------------------------------------------------------

def bare_pillow(data: bytes) -> bytes:
    """Decode, shrink to the long edge the server keeps, encode as JPEG: what a server that re-encodes every photo
    must do at the least (the issue's baseline). A phone-sized JPEG is not re-encoded by the app (media.jpeg)."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        image.thumbnail((MAX_LONG_EDGE, MAX_LONG_EDGE))
        return jpeg(image, JPEG_QUALITY)


def app_pipeline(data: bytes):
    """The server's own image work on one photo (decode, clean copy, thumbnail), without HTTP or storage."""
    return prepare_photo(1, data)


@dataclass
class Baseline:
    """Median CPU ms per photo in this process: bare Pillow, and the app's own image work (prepare_photo)."""

    bare_ms: float
    pipeline_ms: float


class BaselineSampler:
    """Bare Pillow and prepare_photo() on one photo in this process after each answer of an outbox run, while the
    server waits for the next request. Both sides of the ratio are then measured over the same minutes: on a shared
    machine a quarter of a second of samples before the run (as this bench did) swung the same code's median by a
    third from one run to the next, far more than the server's average over the whole run did."""

    def __init__(self, photos: list[bytes]):
        self.photos, self.bare, self.pipeline, self.seconds = photos, [], [], 0.0
        bare_pillow(photos[0])  # warm up; not measured
        app_pipeline(photos[0])

    def sample(self, number: int) -> float:
        """Take one sample of each, of the photo variants in turn; returns the seconds it took (not the run's)."""
        started = time.perf_counter()
        data = self.photos[number % len(self.photos)]
        for function, samples in ((bare_pillow, self.bare), (app_pipeline, self.pipeline)):
            cpu = time.process_time()
            function(data)
            samples.append((time.process_time() - cpu) * 1000)
        took = time.perf_counter() - started
        self.seconds += took
        return took

    def result(self) -> Baseline:
        return Baseline(statistics.median(self.bare), statistics.median(self.pipeline))


# The server --------------------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def process_stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (state first), or None if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2:].split()


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := process_stat(int(entry.name))) and int(stat[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


class GunicornServer:
    """The app under gunicorn (gthread) on 127.0.0.1 in a subprocess, with its own instance folder and demo data."""

    def __init__(self, instance: Path, workers: int, threads: int):
        self.instance, self.workers, self.threads = instance, workers, threads
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = instance.parent / "server.log"
        self.secret_key = secrets.token_urlsafe(32)
        self.process: subprocess.Popen | None = None
        self.started_workers: dict[int, str] = {}

    @property
    def database(self) -> Path:
        return self.instance / "fickan.db"

    def environment(self) -> dict:
        # Nothing from a real installation may leak in: no database URL, no Redis, no upload folder.
        ignored = {"DATABASE_URL", "REDIS_URL", "FICKAN_UPLOAD_DIR", "WEB_CONCURRENCY", "GUNICORN_THREADS"}
        environment = {name: value for name, value in os.environ.items() if name not in ignored}
        return environment | {
            "FICKAN_INSTANCE_PATH": str(self.instance),
            "SECRET_KEY": self.secret_key,
            "FICKAN_COOKIE_SECURE": "0",
            "FICKAN_QUEUE": "immediate",
            "FICKAN_LOGIN_LIMIT_IP": GENEROUS_LOGIN_LIMIT,
            "FICKAN_LOGIN_LIMIT_USER": GENEROUS_LOGIN_LIMIT,
            # The bench's phones send far more reports a minute than a person does (30 per minute per user).
            "FICKAN_REPORT_LIMIT_USER": GENEROUS_LOGIN_LIMIT,
        }

    def prepare(self) -> None:
        """Migrate the empty database and load the demo data, as an installation does."""
        flask = Path(sys.executable).with_name("flask")
        for command in (["db", "upgrade"], ["seed-demo"]):
            subprocess.run([str(flask), "--app", "wsgi", *command], cwd=ROOT, env=self.environment(), check=True,
                           capture_output=True, timeout=120)

    def start(self) -> None:
        command = [str(Path(sys.executable).with_name("gunicorn")), "--config", "gunicorn.conf.py",
                   "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
                   "--threads", str(self.threads), "--worker-class", "gthread", "wsgi:app"]
        with open(self.log_path, "wb") as log:
            # Its own session: a Ctrl-C in the terminal reaches this script, which then stops the server in order.
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.environment(), stdout=log, stderr=log,
                                            start_new_session=True)
        self.wait_until_ready()
        self.started_workers = {pid: process_stat(pid)[19] for pid in self.worker_pids()}

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                healthy = requests.get(f"{self.url}/healthz", timeout=2).status_code == 200
            except requests.RequestException:
                healthy = False
            if healthy and len(self.worker_pids()) == self.workers:
                return
            time.sleep(0.1)
        raise TimeoutError(f"gunicorn did not answer within {START_TIMEOUT_S} s:\n{self.log_tail()}")

    def worker_pids(self) -> list[int]:
        return children_of(self.process.pid) if self.process else []

    def cpu_seconds(self) -> float:
        """User + system CPU seconds of all worker processes so far (all their threads)."""
        ticks = 0
        for pid in self.worker_pids():
            if stat := process_stat(pid):
                ticks += int(stat[11]) + int(stat[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def logged_errors(self) -> int:
        """Lines in the server's log that tell of an error (app errors, tracebacks, gunicorn's own)."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        markers = ('"levelname": "ERROR"', '"levelname": "CRITICAL"', "Traceback", "[ERROR]", "[CRITICAL]")
        return sum(any(marker in line for marker in markers) for line in text.splitlines())

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # gunicorn's graceful shutdown stops the workers too
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        for pid, started in self.started_workers.items():
            stat = process_stat(pid)
            if stat and stat[19] == started:  # still the same worker process (not a reused pid)
                os.kill(pid, signal.SIGKILL)


# The phone's side --------------------------------------------------------------------------------------------------

def login(url: str, username: str) -> requests.Session:
    """A browser session logged in through the /login form, with the form's CSRF token."""
    http = requests.Session()
    page = http.get(f"{url}/login", timeout=10)
    token = CSRF_FIELD.search(page.text)
    if token is None:
        raise RuntimeError("no csrf_token field on /login")
    answer = http.post(f"{url}/login", data={"username": username, "password": DEMO_PASSWORD,
                                              "csrf_token": token.group(1)}, allow_redirects=False, timeout=30)
    if answer.status_code != 303:
        raise RuntimeError(f"login as {username}: HTTP {answer.status_code}")
    return http


def api_token(http: requests.Session, url: str) -> str:
    """The CSRF token for the API, asked for as the outbox does before it sends."""
    answer = http.get(f"{url}/api/v1/session", headers={"Accept": "application/json"}, timeout=(10, SEND_TIMEOUT_S))
    answer.raise_for_status()
    return answer.json()["csrf_token"]


def report_json(number: int) -> dict:
    return {
        "uuid": str(uuid.uuid4()),
        "text": f"Brukaren halkade i badrummet och slog i armen (bench {number}).",
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "affected": ["client"],
        "harm": "injury",
        "topics": ["fall"],
        "place": "Badrummet",
        "immediate_action": "Kontaktade sjuksköterskan.",
    }


def send_report(http: requests.Session, url: str, token: str, report: dict, photos: list[bytes]) -> requests.Response:
    """POST one report as pwa/js/outbox/send.js does: the JSON as a file part, then the photos."""
    parts = [("report", ("report.json", json.dumps(report).encode(), "application/json"))]
    parts += [("photos", (f"foto-{number}.jpg", data, "image/jpeg")) for number, data in enumerate(photos, start=1)]
    return http.post(f"{url}/api/v1/reports", files=parts, headers={"X-CSRFToken": token, "Accept": "application/json"},
                     timeout=(10, SEND_TIMEOUT_S))


def receipt(response: requests.Response, report: dict, status: int) -> int | None:
    """The server id if the answer is the expected status for this report's uuid, else None."""
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("id") if response.status_code == status and body.get("uuid") == report["uuid"] else None


# 1 and 2: a queued outbox sent in a row ----------------------------------------------------------------------------

@dataclass
class OutboxRun:
    label: str
    planned: int
    reports: int
    photos: int
    seconds: float
    bytes_sent: int
    server_cpu_s: float
    failures: Counter
    workers_restarted: bool


def sync_outbox(server: GunicornServer, http: requests.Session, label: str, photo_sets: list[list[bytes]],
                sent: list[str], sampler: BaselineSampler | None = None) -> OutboxRun:
    """Send every report one after the other, as the outbox does; server CPU measured around the whole run. With a
    sampler, it samples the baselines after each answer; their time is left out of the run's seconds and budget."""
    workers, failures, bytes_sent, reports, photo_count = server.worker_pids(), Counter(), 0, 0, 0
    cpu_before, started = server.cpu_seconds(), time.perf_counter()
    deadline = time.monotonic() + OUTBOX_BUDGET_S
    token = api_token(http, server.url)
    for number, photos in enumerate(photo_sets):
        if time.monotonic() > deadline:
            break
        reports, photo_count = reports + 1, photo_count + len(photos)
        report = report_json(number)
        sent.append(report["uuid"])
        try:
            response = send_report(http, server.url, token, report, photos)
        except requests.RequestException as error:
            failures[type(error).__name__] += 1
            response = None
        if sampler is not None:
            deadline += sampler.sample(number)
        if response is None:
            continue
        bytes_sent += len(response.request.body)
        if receipt(response, report, 201) is None:
            failures[f"HTTP {response.status_code}"] += 1
    seconds = time.perf_counter() - started - (sampler.seconds if sampler is not None else 0.0)
    return OutboxRun(label, len(photo_sets), reports, photo_count, seconds, bytes_sent,
                     server.cpu_seconds() - cpu_before, failures, server.worker_pids() != workers)


# 3: every phone at once after an outage ----------------------------------------------------------------------------

@dataclass
class PhoneOutcome:
    uuid: str = ""
    first_s: float | None = None
    replay_s: float | None = None
    errors: list[str] = field(default_factory=list)


def phone_after_outage(url: str, cookies, photo: bytes, number: int, barrier: threading.Barrier,
                       outcome: PhoneOutcome) -> None:
    """One phone: its outbox asks for the session, sends its report, then sends it again (a lost answer)."""
    report = report_json(number)
    outcome.uuid = report["uuid"]
    http = requests.Session()
    http.cookies.update(cookies)
    try:
        barrier.wait(timeout=BARRIER_TIMEOUT_S)
        token = api_token(http, url)
        ids = []
        for kind, status in (("first", 201), ("replay", 200)):
            started = time.perf_counter()
            response = send_report(http, url, token, report, [photo])
            setattr(outcome, f"{kind}_s", time.perf_counter() - started)
            ids.append(receipt(response, report, status))
            if ids[-1] is None:
                outcome.errors.append(f"{kind}: HTTP {response.status_code}")
        if None not in ids and ids[0] != ids[1]:
            outcome.errors.append("replay: another id")
    except (requests.RequestException, ValueError, KeyError, threading.BrokenBarrierError) as error:
        outcome.errors.append(type(error).__name__)
    finally:
        http.close()


@dataclass
class BurstRun:
    outcomes: list[PhoneOutcome]
    seconds: float
    server_cpu_s: float
    unfinished: int

    @property
    def errors(self) -> Counter:
        counted = Counter(error for outcome in self.outcomes for error in outcome.errors)
        if self.unfinished:
            counted["no answer before the deadline"] += self.unfinished
        return counted


def burst(server: GunicornServer, logins: list[requests.Session], photos: list[bytes], clients: int,
          sent: list[str]) -> BurstRun:
    """`clients` phones, released together by a barrier, each on its own connection with a shared login."""
    barrier = threading.Barrier(clients + 1)
    outcomes = [PhoneOutcome() for _ in range(clients)]
    threads = [
        threading.Thread(target=phone_after_outage, daemon=True,
                         args=(server.url, logins[number % len(logins)].cookies.copy(), photos[number % len(photos)],
                               number, barrier, outcomes[number]))
        for number in range(clients)
    ]
    for thread in threads:
        thread.start()
    cpu_before = server.cpu_seconds()
    barrier.wait(timeout=BARRIER_TIMEOUT_S)
    started = time.perf_counter()
    deadline = time.monotonic() + BURST_DEADLINE_S
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    seconds = time.perf_counter() - started
    sent.extend(outcome.uuid for outcome in outcomes)
    unfinished = sum(thread.is_alive() for thread in threads)
    return BurstRun(outcomes, seconds, server.cpu_seconds() - cpu_before, unfinished)


# Checks and the report ---------------------------------------------------------------------------------------------

@dataclass
class Stored:
    reports: int
    matching: bool
    photos: int
    files: int
    partial_files: int


def stored(server: GunicornServer, sent: list[str]) -> Stored:
    """What the server holds of the reports this run sent (the demo data's year is not ours to count): reports
    (and whether they are exactly the uuids sent), their photos, and those photos' files on disk."""
    connection = sqlite3.connect(f"file:{server.database}?mode=ro", uri=True)
    try:
        connection.execute("CREATE TEMP TABLE sent (uuid TEXT PRIMARY KEY)")
        connection.executemany("INSERT INTO sent VALUES (?)", [(uuid,) for uuid in sent])
        uuids = [row[0] for row in connection.execute("SELECT reports.uuid FROM reports JOIN sent USING (uuid)")]
        names = [name for row in connection.execute(
            "SELECT stored_name, thumbnail_name FROM report_photos JOIN reports ON reports.id = report_photos.report_id"
            " JOIN sent USING (uuid)") for name in row]
    finally:
        connection.close()
    folder = server.instance / "uploads" / "reports"
    on_disk = {path.name for path in folder.iterdir()} if folder.is_dir() else set()
    partial = sum(name.endswith(".part") for name in on_disk)
    return Stored(len(uuids), sorted(uuids) == sorted(sent), len(names) // 2,
                  sum(name in on_disk for name in names), partial)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def describe_photos(label: str, photos: list[bytes]) -> str:
    with Image.open(io.BytesIO(photos[0])) as image:
        width, height = image.size
    sizes = [len(data) / MB for data in photos]
    return f"{label} {width}×{height}: {statistics.mean(sizes):.2f} MB each ({min(sizes):.2f}–{max(sizes):.2f})"


def print_outbox(run: OutboxRun) -> None:
    failed = f", FAILED: {dict(run.failures)}" if run.failures else ""
    restarted = " (a worker was restarted during the run!)" if run.workers_restarted else ""
    if run.reports < run.planned:
        restarted += f" (STOPPED by the {OUTBOX_BUDGET_S} s budget after {run.reports} of {run.planned})"
    print(f"  {run.label:<22}{run.seconds:>8.1f} s{run.seconds / run.reports * 1000:>9.0f} ms/report"
          f"{run.bytes_sent / MB / run.seconds:>9.2f} MB/s   {run.bytes_sent / MB:.0f} MB in {run.reports} requests"
          f"{failed}{restarted}")


def print_burst(run: BurstRun, clients: int) -> None:
    firsts = [o.first_s * 1000 for o in run.outcomes if o.first_s is not None]
    replays = [o.replay_s * 1000 for o in run.outcomes if o.replay_s is not None]
    print(f"  {clients} phones × (GET /api/v1/session, POST report with 1 photo, POST the same report again) = "
          f"{3 * clients} requests, all released by one barrier")
    for name, values in (("first send (201)", firsts), ("replay (200)", replays)):
        if values:
            print(f"  {name:<22} p50 {percentile(values, 0.5):>7.0f} ms   p95 {percentile(values, 0.95):>7.0f} ms"
                  f"   max {max(values):>7.0f} ms   (n={len(values)})")
    finished = "all answered" if not run.unfinished else f"{clients - run.unfinished} answered"
    print(f"  {finished} in {run.seconds:.1f} s ({clients / run.seconds:.1f} reports/s); server CPU "
          f"{run.server_cpu_s * 1000 / clients:.0f} ms per report with 1 photo (replays included)")
    errors = run.errors
    print(f"  errors: {sum(errors.values())}" + (f"  {dict(errors)}" if errors else ""))


def print_header(r: dict) -> None:
    server = r["server"]
    workers = f"{server.workers} worker{'s' if server.workers > 1 else ''}"
    print(f"Fickan sync bench — gunicorn {gunicorn.__version__} in a subprocess on 127.0.0.1 (not RunningServer): "
          f"{workers} × {server.threads} threads (gthread), timeout {r['timeout']} s, SQLite WAL, "
          f"FICKAN_QUEUE=immediate")
    print(f"  {os.cpu_count()} CPUs shared with the load generator (this process), load average {r['load_after']:.1f} "
          f"at the end; server CPU read from /proc/<worker>/stat (psutil is not installed)")
    print(f"  photos: {describe_photos('originals', r['originals'])}; "
          f"{describe_photos('phone-sized', r['phone_photos'])}; made in {r['photo_seconds']:.1f} s")
    print(f"  set-up (flask db upgrade + seed-demo + gunicorn start): {r['setup_seconds']:.1f} s")


def cpu_per_photo_ms(run: OutboxRun) -> float:
    return run.server_cpu_s * 1000 / run.photos


def print_cpu(r: dict) -> None:
    phone_base, original_base = r["phone_baseline"], r["original_baseline"]
    phone_cpu, original_cpu = cpu_per_photo_ms(r["phone_run"]), cpu_per_photo_ms(r["original_run"])
    overhead = r["overhead_run"]
    print("2. CPU ms per photo. The server's: its workers' CPU over the run above ÷ photos (request handling "
          "included);")
    print(f"   the others: medians in this process of one sample after each answer of that run ({r['baseline_samples']}"
          f" phone-sized, the {PHOTO_VARIANTS} photos in turn), while the server waited")
    print(f"  {'':<54}{'phone-sized':>12}{'originals':>12}")
    rows = [("bare Pillow: open+load, thumbnail 2048, save JPEG q85", phone_base.bare_ms, original_base.bare_ms),
            ("prepare_photo(): the server's image work alone", phone_base.pipeline_ms, original_base.pipeline_ms),
            ("server, per photo", phone_cpu, original_cpu)]
    for name, phone_ms, original_ms in rows:
        print(f"  {name:<54}{phone_ms:>12.0f}{original_ms:>12.0f}")
    print(f"  {'ratio server / bare Pillow':<54}{phone_cpu / phone_base.bare_ms:>11.2f}×"
          f"{original_cpu / original_base.bare_ms:>11.2f}×")
    print(f"  {'ratio prepare_photo() / bare Pillow':<54}{phone_base.pipeline_ms / phone_base.bare_ms:>11.2f}×"
          f"{original_base.pipeline_ms / original_base.bare_ms:>11.2f}×")
    print(f"  server CPU for a report without photos (the request itself): "
          f"{overhead.server_cpu_s * 1000 / overhead.reports:.0f} ms ({overhead.reports} reports); "
          f"half of it is in each 'per photo' figure above")


def print_stored(r: dict) -> None:
    check = r["stored"]
    print(f"  stored: {check.reports} reports in the database for {len(r['sent'])} sent "
          f"({'exactly the uuids sent' if check.matching else 'the uuids DIFFER from those sent'}), "
          f"{check.photos} photos for {r['photos_sent']} sent, {check.files} files on disk (photo + thumbnail each), "
          f"{check.partial_files} half-written; server log: {r['logged_errors']} error lines")


def aims(r: dict) -> list[tuple[str, str, str, str]]:
    """(figure, aim, measured, met/missed) rows."""
    phone, original, bursted, check = r["phone_run"], r["original_run"], r["burst_run"], r["stored"]
    phone_ratio = cpu_per_photo_ms(phone) / r["phone_baseline"].bare_ms
    original_ratio = cpu_per_photo_ms(original) / r["original_baseline"].bare_ms
    errors = sum(bursted.errors.values()) + sum(sum(run.failures.values()) for run in r["outbox_runs"])
    firsts = [outcome.first_s for outcome in bursted.outcomes if outcome.first_s is not None]
    exact = (check.matching and check.photos == r["photos_sent"] and check.files == 2 * r["photos_sent"]
             and not check.partial_files)
    return [
        (f"{phone.reports} reports × 2 phone-sized photos", "—",
         f"{phone.seconds:.1f} s, {phone.seconds / phone.reports:.2f} s/report", "(figure)"),
        (f"{original.reports} reports × 2 originals (~3 MB)", "—",
         f"{original.seconds:.1f} s, {original.seconds / original.reports:.2f} s/report", "(figure)"),
        ("server CPU/photo ÷ bare Pillow, phone-sized", f"< {AIM_CPU_RATIO}", f"{phone_ratio:.2f}",
         verdict(phone_ratio < AIM_CPU_RATIO)),
        ("server CPU/photo ÷ bare Pillow, originals", f"< {AIM_CPU_RATIO}", f"{original_ratio:.2f}",
         verdict(original_ratio < AIM_CPU_RATIO)),
        (f"errors: {r['clients']} phones at once + the outbox runs", f"{AIM_ERRORS}", f"{errors}",
         verdict(errors <= AIM_ERRORS)),
        (f"first send p50 / p95 / max, {r['clients']} at once", "—",
         f"{percentile(firsts, 0.5):.1f} / {percentile(firsts, 0.95):.1f} / {max(firsts):.1f} s"
         if firsts else "none answered", "(figure)"),
        ("stored = sent (reports, photos, files)", "exact",
         f"{check.reports}/{len(r['sent'])}, {check.photos}/{r['photos_sent']}, {check.files}/{2 * r['photos_sent']}",
         verdict(exact)),
    ]


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def report(r: dict) -> None:
    print_header(r)
    print()
    print(f"1. {r['reports']} queued reports × 2 photos, sent one after the other like the outbox "
          f"(one GET /api/v1/session, then one POST per report)")
    print_outbox(r["phone_run"])
    print_outbox(r["original_run"])
    print()
    print_cpu(r)
    print()
    print(f"3. After an outage: {r['clients']} phones at once, {len(BURST_REPORTERS)} logins shared, one phone-sized "
          f"photo each ({statistics.mean(map(len, r['phone_photos'])) / 1000:.0f} KB)")
    print_burst(r["burst_run"], r["clients"])
    print()
    print_stored(r)
    print()
    print(f"  {'figure':<50}{'aim':>6}  {'measured':<34}result")
    for name, aim, measured, result in aims(r):
        print(f"  {name:<50}{aim:>6}  {measured:<34}{result}")


def run(report_count: int, clients: int, workers: int, threads: int, timeout: int, seed: int) -> None:
    started = time.perf_counter()
    originals, phone_photos = make_photos(seed)
    photo_seconds = time.perf_counter() - started
    server = GunicornServer(WORKDIR / "instance", workers, threads)
    try:
        started = time.perf_counter()
        server.prepare()
        server.start()
        setup_seconds = time.perf_counter() - started
        sent: list[str] = []
        reporter = login(server.url, REPORTER)
        warm_up = sync_outbox(server, reporter, "warm-up", [phone_photos[:2]], sent)  # first requests; not shown
        # Each baseline sampled during the run it is compared with: other work on the machine changes over time.
        sampler = BaselineSampler(phone_photos)
        phone_run = sync_outbox(server, reporter, "phone-sized (2048 px)", pairs(phone_photos, report_count), sent,
                                sampler)
        phone_baseline, baseline_samples = sampler.result(), len(sampler.bare)
        sampler = BaselineSampler(originals)
        original_run = sync_outbox(server, reporter, "originals (4000×3000)", pairs(originals, report_count), sent,
                                   sampler)
        original_baseline = sampler.result()
        overhead_run = sync_outbox(server, reporter, "no photos", [[] for _ in range(OVERHEAD_REPORTS)], sent)
        logins = [login(server.url, username) for username in BURST_REPORTERS]
        burst_run = burst(server, logins, phone_photos, clients, sent)
        outbox_runs = [warm_up, phone_run, original_run, overhead_run]
        photos_sent = sum(run.photos for run in outbox_runs) + clients
        check = stored(server, sent)
        logged_errors = server.logged_errors()
    except Exception:
        if tail := server.log_tail():
            print(f"server log (last lines):\n{tail}", file=sys.stderr)
        raise
    finally:
        server.stop()
    report(locals() | {"reports": report_count, "stored": check, "load_after": os.getloadavg()[0]})


def gunicorn_defaults() -> dict:
    """workers, threads and timeout as gunicorn.conf.py sets them (from the same environment)."""
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    return {name: settings[name] for name in ("workers", "threads", "timeout")}


def stop_when_too_long(signal_number, frame):
    raise TimeoutError(f"bench/sync.py ran longer than {OVERALL_TIMEOUT_S} s")


def stop_when_terminated(signal_number, frame):
    raise SystemExit(128 + signal_number)


def parse_arguments() -> argparse.Namespace:
    defaults = gunicorn_defaults()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=50, help="queued reports per outbox run (2 photos each)")
    parser.add_argument("--clients", type=int, default=200, help="phones sending at once after the outage")
    parser.add_argument("--workers", type=int, default=defaults["workers"], help="gunicorn workers "
                        "(default: gunicorn.conf.py's, one for SQLite)")
    parser.add_argument("--threads", type=int, default=defaults["threads"], help="threads per gunicorn worker "
                        "(default: gunicorn.conf.py's)")
    parser.add_argument("--seed", type=int, default=7, help="for the generated photos")
    parser.set_defaults(timeout=defaults["timeout"])
    return parser.parse_args()


def main() -> None:
    signal.signal(signal.SIGALRM, stop_when_too_long)
    signal.signal(signal.SIGTERM, stop_when_terminated)
    signal.alarm(OVERALL_TIMEOUT_S)
    try:
        arguments = parse_arguments()  # inside: --help exits here, and WORKDIR must still be removed
        run(arguments.reports, arguments.clients, arguments.workers, arguments.threads, arguments.timeout,
            arguments.seed)
    finally:
        signal.alarm(0)
        shutil.rmtree(WORKDIR, ignore_errors=True)


if __name__ == "__main__":
    main()
