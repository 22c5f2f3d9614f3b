"""The job queue on its real backends: a job queued by the web instance runs in the worker, on SQLite and Redis."""
import pytest
from flask import current_app

from app import create_app
from app.queue import job, queue_of, task_of
from tests.conftest import make_test_config


@job()
def instance_that_ran(number: int) -> tuple[str, int]:
    return current_app.config["INSTANCE_NAME"], number * 2


def instance(tmp_path, name: str, backend: str, request) -> object:
    config = make_test_config(tmp_path / name, tmp_path / f"{name}.db")
    config["INSTANCE_NAME"] = name
    config["JOB_QUEUE"] = None
    if backend == "redis":
        config["REDIS_URL"] = request.getfixturevalue("empty_redis")
    else:
        # Both processes of one installation share instance/ and with it the queue's SQLite file.
        config["INSTANCE_PATH"] = str(tmp_path / "shared")
    return create_app(config)


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_a_job_queued_by_the_web_runs_in_the_worker(tmp_path, request, backend):
    web, worker = instance(tmp_path, "web", backend, request), instance(tmp_path, "worker", backend, request)
    assert type(queue_of(web)).__name__ == {"sqlite": "SqliteHuey", "redis": "RedisHuey"}[backend]
    with web.app_context():
        result = instance_that_ran(21)
    assert result.get() is None  # queued, not run in the web process
    with worker.app_context():
        huey = queue_of(worker)
        task_of(worker, instance_that_ran)  # the worker command registers every declared job at start
        task = huey.dequeue()
    huey.execute(task)
    assert result.get(blocking=True, timeout=5) == ("worker", 42)

