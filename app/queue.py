"""The background job queue (huey), built from the app's config: SQLite under instance/, or Redis with REDIS_URL."""
import functools
import logging
from dataclasses import dataclass, field
from pathlib import Path

import click
from flask import Flask, current_app, has_app_context
from flask.cli import with_appcontext
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey
from huey.consumer import Consumer

log = logging.getLogger("fickan.queue")

EXTENSION = "fickan.queue"


def build_huey(config: dict, instance_path: Path) -> Huey:
    """The queue backend the config asks for ("immediate" runs each job at once, in process: tests and benches)."""
    if config.get("JOB_QUEUE") == "immediate":
        return MemoryHuey("fickan", immediate=True)
    if redis_url := config.get("REDIS_URL"):
        return RedisHuey("fickan", url=redis_url)
    instance_path.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("fickan", filename=str(instance_path / "queue.db"))


@dataclass
class Job:
    """A function declared as a background job; calling it hands it to the current app's queue."""

    function: callable
    settings: dict = field(default_factory=dict)
    schedule: object | None = None

    @property
    def name(self) -> str:
        return self.function.__qualname__

    def __call__(self, *args, **kwargs):
        return task_of(current_app, self)(*args, **kwargs)

    def call_local(self, *args, **kwargs):
        """Run the job here and now, in the current app context."""
        return self.function(*args, **kwargs)


_declared: list[Job] = []


def job(**settings):
    """Declare a background job."""

    def declare(function) -> Job:
        declared = Job(function, settings)
        _declared.append(declared)
        return functools.update_wrapper(declared, function, updated=())

    return declare


def periodic_job(schedule):
    """Declare a job the worker runs on a schedule (a huey crontab)."""

    def declare(function) -> Job:
        declared = Job(function, schedule=schedule)
        _declared.append(declared)
        return functools.update_wrapper(declared, function, updated=())

    return declare


def in_context_of(app: Flask, function):
    """Run `function` inside an app context: the request's in the web process, this app's in the worker."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        if has_app_context():
            return function(*args, **kwargs)
        with app.app_context():
            return function(*args, **kwargs)

    return run


def task_of(app: Flask, declared: Job):
    """The app's huey task for a declared job, registered the first time it is asked for."""
    huey, tasks = app.extensions[EXTENSION]
    if declared.name not in tasks:
        function = in_context_of(app, declared.function)
        if declared.schedule is not None:
            tasks[declared.name] = huey.periodic_task(declared.schedule, name=declared.name)(function)
        else:
            tasks[declared.name] = huey.task(name=declared.name, **declared.settings)(function)
    return tasks[declared.name]


def queue_of(app: Flask) -> Huey:
    return app.extensions[EXTENSION][0]


@click.command("worker")
@with_appcontext
@click.option("--workers", default=2, show_default=True, help="Parallel job threads.")
def worker_command(workers: int) -> None:
    """Run the background worker (push delivery, photo processing, reminders)."""
    for declared in _declared:
        task_of(current_app, declared)
    huey = queue_of(current_app)
    log.info("worker starting", extra={"backend": type(huey).__name__, "workers": workers})
    Consumer(huey, workers=workers, worker_type="thread").run()


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = (build_huey(app.config, Path(app.instance_path)), {})
    app.cli.add_command(worker_command)
