"""Two app instances (gunicorn processes) sharing PostgreSQL and Redis, as a municipality runs them."""
import json
import subprocess
import sys
import uuid
from contextlib import ExitStack, contextmanager
from pathlib import Path

import psycopg
import pytest
import requests

from tests.conftest import CSRF_META
from tests.faketime_support import environment_on_this_clock
from tests.reports.factories import jpeg, payload
from tests.servers import free_port, wait_until

ROOT = Path(__file__).resolve().parent.parent
LAUNCH = [sys.executable, "-m", "tests.faketime_support"]
REQUEST_TIMEOUT = 10
USERNAME_LIMIT = 3


@pytest.fixture(scope="module")
def shared_services(tmp_path_factory, postgres_url, redis_url):
    """A database of their own on the test PostgreSQL, migrated with Alembic and seeded as `make run` does.

    Made once for the module's tests, as the instances are: each test starts with Redis emptied (`instances`).
    """
    tmp_path = tmp_path_factory.mktemp("instances")
    server, _ = postgres_url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS fickan_instances WITH (FORCE)")
        connection.execute("CREATE DATABASE fickan_instances")
    # The instances keep the test's clock (under make test-any-day too): cookies expire by the same time on both sides.
    environment = environment_on_this_clock() | {
        "DATABASE_URL": f"{server}/fickan_instances",
        "REDIS_URL": redis_url,
        "SECRET_KEY": "shared-by-every-instance",
        "FICKAN_UPLOAD_DIR": str(tmp_path / "uploads"),
        "FICKAN_COOKIE_SECURE": "0",
        "FICKAN_LOGIN_LIMIT_USER": f"{USERNAME_LIMIT} per 5 minutes",
        "LOG_LEVEL": "WARNING",
    }
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([*LAUNCH, "flask", "--app", "wsgi", *command], cwd=ROOT, check=True, capture_output=True,
                       env=environment | {"FICKAN_INSTANCE_PATH": str(tmp_path / "setup")}, timeout=180)
    return environment


@contextmanager
def gunicorn_instance(environment: dict, instance_path: Path):
    port = free_port()
    process = subprocess.Popen(
        [*LAUNCH, "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2", "wsgi:app"],
        cwd=ROOT, env=environment | {"FICKAN_INSTANCE_PATH": str(instance_path)},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode())
        try:
            return requests.get(f"{base}/healthz", timeout=5).status_code == 200
        except (requests.ConnectionError, requests.Timeout):
            return False

    try:
        wait_until(healthy, "gunicorn")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stderr.close()


def csrf_token(session: requests.Session, url: str) -> str:
    return CSRF_META.search(session.get(url, timeout=REQUEST_TIMEOUT).text).group(1)


def login(session: requests.Session, base: str, username: str, password: str = "demo") -> requests.Response:
    data = {"username": username, "password": password, "csrf_token": csrf_token(session, f"{base}/login")}
    return session.post(f"{base}/login", data=data, allow_redirects=False, timeout=REQUEST_TIMEOUT)


@pytest.fixture(scope="module")
def running_instances(shared_services, tmp_path_factory):
    folder = tmp_path_factory.mktemp("instance")
    with ExitStack() as stack:
        yield [stack.enter_context(gunicorn_instance(shared_services, folder / name)) for name in ("a", "b")]


@pytest.fixture
def instances(running_instances, empty_redis):
    """Two gunicorn instances, with nothing counted (login limits) or queued in their shared Redis yet."""
    return running_instances


def test_a_report_sent_to_one_instance_is_read_through_the_other(instances):
    first, second = instances
    phone = requests.Session()
    assert login(phone, first, "usk.nord").status_code == 303
    report = payload(uuid=str(uuid.uuid4()), text="Brukaren föll i hallen, ingen skada syntes.")
    sent = phone.post(f"{first}/api/v1/reports", files=[("report", (None, json.dumps(report))),
                                                        ("photos", ("foto.jpg", jpeg(), "image/jpeg"))],
                      headers={"X-CSRFToken": csrf_token(phone, f"{first}/")}, timeout=REQUEST_TIMEOUT)
    assert sent.status_code == 201, sent.text

    manager = requests.Session()
    assert login(manager, second, "chef.nord").status_code == 303
    read = manager.get(f"{second}/api/v1/reports/{report['uuid']}", timeout=REQUEST_TIMEOUT)
    assert read.status_code == 200 and read.json()["text"] == report["text"]
    [photo] = read.json()["photos"]
    assert manager.get(f"{second}{photo['url']}", timeout=REQUEST_TIMEOUT).content[:2] == b"\xff\xd8"
    # The reporter's session cookie is good on either instance: they share the secret and the database.
    mine = phone.get(f"{second}/api/v1/reports/mine", timeout=REQUEST_TIMEOUT).json()["reports"]
    assert mine[0]["uuid"] == report["uuid"]


def test_the_login_limit_counts_failures_on_every_instance(instances):
    first, second = instances
    attempts = [login(requests.Session(), base, "usk.syd", "fel").status_code
                for base in (first, second, first)]
    assert attempts == [401] * USERNAME_LIMIT
    assert login(requests.Session(), second, "usk.syd").status_code == 429
    assert login(requests.Session(), first, "usk.nord").status_code == 303
