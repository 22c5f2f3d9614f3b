"""The background job queue (huey): SQLite under instance/ by default, Redis when REDIS_URL is set."""
import functools
import logging
import os
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask import Flask, has_app_context
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey
from huey.consumer import Consumer

log = logging.getLogger("fickan.queue")

DEFAULT_INSTANCE_PATH = Path(__file__).resolve().parent.parent / "instance"


def instance_path_from_env() -> Path:
    return Path(os.environ.get("FICKAN_INSTANCE_PATH") or DEFAULT_INSTANCE_PATH)


def build_huey() -> Huey:
    """Choose the queue backend from the environment (tests run jobs immediately, in process)."""
    if os.environ.get("FICKAN_QUEUE") == "immediate":
        return MemoryHuey("fickan", immediate=True)
    if redis_url := os.environ.get("REDIS_URL"):
        return RedisHuey("fickan", url=redis_url)
    instance_path = instance_path_from_env()
    instance_path.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("fickan", filename=str(instance_path / "queue.db"))


huey = build_huey()
_bound_app: Flask | None = None


def in_app_context(function):
    """Run `function` inside an app context: the request's in the web process, the bound app's in the worker."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        if has_app_context():
            return function(*args, **kwargs)
        if _bound_app is None:
            raise RuntimeError("the queue is not bound to an app: call queue.init_app(app)")
        with _bound_app.app_context():
            return function(*args, **kwargs)

    return run


def job(**settings):
    """Declare a background job."""

    def declare(function):
        return huey.task(name=function.__qualname__, **settings)(in_app_context(function))

    return declare


def periodic_job(schedule):
    """Declare a job the worker runs on a schedule (a huey crontab)."""

    def declare(function):
        return huey.periodic_task(schedule, name=function.__qualname__)(in_app_context(function))

    return declare


@click.command("worker")
@with_appcontext
@click.option("--workers", default=2, show_default=True, help="Parallel job threads.")
def worker_command(workers: int) -> None:
    """Run the background worker (push delivery, photo processing, reminders)."""
    log.info("worker starting", extra={"backend": type(huey).__name__, "workers": workers})
    Consumer(huey, workers=workers, worker_type="thread").run()


def init_app(app: Flask) -> None:
    global _bound_app
    _bound_app = app
    app.cli.add_command(worker_command)


