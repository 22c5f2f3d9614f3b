"""Throwaway PostgreSQL and Redis for the suite: Debian's servers, on free 127.0.0.1 ports, in a temporary folder."""
import glob
import os
import pwd
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg
import redis

# The servers keep real time even when the suite runs under libfaketime (make test-any-day).
from tests.faketime_support import real_time_environment

STARTUP_SECONDS = 30


class ServerMissing(RuntimeError):
    """A server the suite needs is not installed (`make test` installs it)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_binary(name: str) -> str:
    """A PostgreSQL server program: Debian keeps them out of PATH, under /usr/lib/postgresql/<version>/bin."""
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda path: int(path.split("/")[4]))
    found = candidates[-1] if candidates else shutil.which(name)
    if not found:
        raise ServerMissing(f"{name} not found: install Debian's postgresql (make test does)")
    return found


def as_server_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root; root runs it as the postgres user Debian's package made."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def wait_until(ready, what: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start within {STARTUP_SECONDS} s")


@contextmanager
def throwaway_postgres(folder: Path):
    """Start PostgreSQL in `folder` and yield the URL of an empty database `fickan`; stopped and removed after."""
    data, port = folder / "data", free_port()
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(folder, account.pw_uid, account.pw_gid)
    environment = real_time_environment()
    subprocess.run(as_server_user([postgres_binary("initdb"), "--auth=trust", "--username=postgres",
                                   "--encoding=UTF8", "--locale=C.UTF-8", "-D", str(data)]),
                   check=True, capture_output=True, env=environment)
    # Durability is of no use to a database that is thrown away: no fsync makes the suite faster.
    options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
               "-c full_page_writes=off")
    pg_ctl = postgres_binary("pg_ctl")
    subprocess.run(as_server_user([pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "server.log"),
                                   "-w", "-t", str(STARTUP_SECONDS), "start"]),
                   check=True, capture_output=True, env=environment)
    try:
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres", autocommit=True) as connection:
            connection.execute("CREATE DATABASE fickan")
        yield f"postgresql://postgres@127.0.0.1:{port}/fickan"
    finally:
        subprocess.run(as_server_user([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]),
                       capture_output=True, env=environment)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def throwaway_redis(folder: Path):
    """Start redis-server with nothing saved to disk and yield its URL; stopped after."""
    binary = shutil.which("redis-server")
    if not binary:
        raise ServerMissing("redis-server not found: install Debian's redis-server (make test does)")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(folder)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=real_time_environment())
    client = redis.Redis.from_url(url)

    def answers() -> bool:
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            if server.poll() is not None:
                raise RuntimeError("redis-server stopped at start") from None
            return False

    try:
        wait_until(answers, "redis-server")
        yield url
    finally:
        client.close()
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
