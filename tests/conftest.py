"""Fixtures: a fresh database per test (copied from a seeded template), clients and login helpers."""
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from tests.faketime_support import patch_sleep_under_faketime
from tests.compiled_once import compile_once

# Before the app is imported, so that default arguments (sleep=time.sleep) take the patched one.
patch_sleep_under_faketime()
compile_once()

import psycopg  # noqa: E402
import pytest  # noqa: E402
import redis  # noqa: E402

from app import create_app  # noqa: E402
from app.demo import seed_demo  # noqa: E402
from app.extensions import db  # noqa: E402
from app.timestamps import clock as app_clock  # noqa: E402
from tests.servers import throwaway_postgres, throwaway_redis  # noqa: E402

# Parameters of a fixture that runs on both databases the app supports.
DATABASES = ["sqlite", "postgresql"]

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')

# One user of every role, from the demo data (CONTRACT.md).
USER_OF_ROLE = {
    "staff": "usk.nord",
    "coordinator": "samordnare.nord",
    "manager": "chef.nord",
    "nurse": "ssk.nord",
    "quality": "kvalitet",
    "admin": "admin",
}


# Every test commits to a SQLite file of its own; on this disk each commit's fsync costs ~15 ms, in memory nothing.
MEMORY_FOLDER = Path("/dev/shm")


def pytest_configure(config):
    """Temporary files (each test's database and uploads, the throwaway servers' data) in memory where there is one.

    A TMPDIR set by hand wins. pyproject.toml's tmp_path_retention_policy = "failed" removes a passed test's
    folder at once, so the memory holds only the tests running and those that failed.
    """
    if "TMPDIR" in os.environ or not (MEMORY_FOLDER.is_dir() and os.access(MEMORY_FOLDER, os.W_OK)):
        return
    os.environ["TMPDIR"] = str(MEMORY_FOLDER)  # the app instances and servers a test starts too
    tempfile.tempdir = str(MEMORY_FOLDER)


def make_test_config(instance_path, database_path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "INSTANCE_PATH": str(instance_path),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database_path}",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "LOG_LEVEL": "WARNING",
        "JOB_QUEUE": "immediate",
        "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
    }


@pytest.fixture(scope="session")
def postgres_url():
    """A throwaway PostgreSQL database for the whole run (FICKAN_TEST_POSTGRES_URL names one of your own instead:
    the suite creates and drops databases beside it, named after it: <name>_template, <name>_demo)."""
    if url := os.environ.get("FICKAN_TEST_POSTGRES_URL"):
        yield url
        return
    with throwaway_postgres(Path(tempfile.mkdtemp(prefix="fickan-test-postgres-"))) as url:
        yield url


@pytest.fixture(scope="session")
def redis_url():
    """A throwaway Redis for the whole run (or FICKAN_TEST_REDIS_URL: it is flushed)."""
    if url := os.environ.get("FICKAN_TEST_REDIS_URL"):
        yield url
        return
    with throwaway_redis(Path(tempfile.mkdtemp(prefix="fickan-test-redis-"))) as url:
        yield url


@pytest.fixture
def empty_redis(redis_url):
    """The throwaway Redis, emptied for this test."""
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    client.close()
    return redis_url


def sqlalchemy_url(postgres_url: str) -> str:
    return postgres_url.replace("postgresql://", "postgresql+psycopg://", 1)


@pytest.fixture(scope="session")
def template_database(tmp_path_factory):
    """A database with the schema and the demo data, made once and copied for every test."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.db"
    app = create_app(make_test_config(folder, path))
    with app.app_context():
        db.create_all()
        seed_demo()
        db.session.remove()
        db.engine.dispose()
    return path


def template_made_from(template: Path, folder: Path, prepare) -> Path:
    """The demo template changed by `prepare` (run in an app context), as the template of one module's tests.

    A module that needs the same changes before each of its tests overrides `template_database` with this, and
    they are made once, not once per test.
    """
    path = folder / "template.db"
    shutil.copy(template, path)
    shutil.copytree(template.parent / "uploads", folder / "uploads", dirs_exist_ok=True)
    app = create_app(make_test_config(folder, path))
    with app.app_context():
        prepare()
        db.session.remove()
        db.engine.dispose()
    return path


@pytest.fixture
def app_config(tmp_path) -> dict:
    """The config of the test's app: a fixture that runs before `app` may change it (say, Redis for the limits)."""
    return make_test_config(tmp_path, tmp_path / "fickan.db")


@pytest.fixture
def app(tmp_path, template_database, app_config):
    shutil.copy(template_database, tmp_path / "fickan.db")
    # The demo routines' images were stored beside the template when it was seeded.
    shutil.copytree(template_database.parent / "uploads", tmp_path / "uploads", dirs_exist_ok=True)
    app = create_app(app_config)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


class PinnedClock:
    """The app's clock in a test: pin it to a moment, then move it; it is let go when the test ends."""

    def pin(self, moment: datetime) -> datetime:
        app_clock.pin(moment)
        return app_clock.now()

    def advance(self, delta: timedelta) -> datetime:
        return self.pin(app_clock.now() + delta)

    def now(self) -> datetime:
        return app_clock.now()


@pytest.fixture
def clock():
    yield PinnedClock()
    app_clock.unpin()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token_from(client, path="/login") -> str:
    """The CSRF token of the client's session, read from a page as the browser would."""
    page = client.get(path)
    match = CSRF_META.search(page.get_data(as_text=True))
    assert match, f"no csrf-token meta on {path}"
    return match.group(1)


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, username="usk.nord", password="demo", remember=False, next_url=None):
        token = csrf_token_from(self.client, "/login")
        data = {"username": username, "password": password, "csrf_token": token}
        if remember:
            data["remember"] = "y"
        url = "/login" + (f"?next={next_url}" if next_url else "")
        return self.client.post(url, data=data)

    def login_as_role(self, role: str):
        response = self.login(USER_OF_ROLE[role])
        assert response.status_code == 303, response.get_data(as_text=True)
        return response

    def logout(self):
        token = csrf_token_from(self.client, "/")
        return self.client.post("/logout", data={"csrf_token": token})

    def post(self, path, data=None, token_from="/", **kwargs):
        """POST a form with the session's CSRF token."""
        data = dict(data or {})
        data["csrf_token"] = csrf_token_from(self.client, token_from)
        return self.client.post(path, data=data, **kwargs)


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture(scope="session")
def postgres_template(postgres_url, tmp_path_factory):
    """The demo data on PostgreSQL, seeded once: a database every test copies (CREATE DATABASE … TEMPLATE).

    Seeding takes seconds on PostgreSQL, a copy a fraction of one. Yields the server's URL without a database,
    the template's name and the folder holding the demo routines' images.
    """
    folder = tmp_path_factory.mktemp("postgres-template")
    server, name = postgres_url.rsplit("/", 1)
    template = f"{name}_template"
    recreate_database(server, template)
    config = make_test_config(folder, folder / "unused.db")
    config["SQLALCHEMY_DATABASE_URI"] = sqlalchemy_url(f"{server}/{template}")
    app = create_app(config)
    with app.app_context():
        db.create_all()
        seed_demo()
        db.session.remove()
        # A template must have no connection when it is copied.
        db.engine.dispose()
    yield server, template, folder
    drop_database(server, template)


def recreate_database(server: str, name: str, template: str | None = None) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


def drop_database(server: str, name: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def demo_database(request, tmp_path):
    """An app context on the demo data: the test's SQLite copy, or PostgreSQL (request.param from DATABASES)."""
    if request.param == "sqlite":
        with request.getfixturevalue("app").app_context():
            yield
            db.session.remove()
        return
    server, template, folder = request.getfixturevalue("postgres_template")
    name = f"{template.removesuffix('_template')}_demo"
    recreate_database(server, name, template=template)
    # The demo routines' images were stored beside the template when it was seeded.
    shutil.copytree(folder / "uploads", tmp_path / "uploads", dirs_exist_ok=True)
    config = make_test_config(tmp_path, tmp_path / "unused.db")
    config["SQLALCHEMY_DATABASE_URI"] = sqlalchemy_url(f"{server}/{name}")
    app = create_app(config)
    try:
        with app.app_context():
            yield
            db.session.remove()
    finally:
        with app.app_context():
            db.engine.dispose()
        drop_database(server, name)
