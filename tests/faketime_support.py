"""Python under libfaketime (make test-any-day): time.sleep without the call libfaketime breaks.

libfaketime 0.9.10 answers EINVAL to the absolute monotonic clock_nanosleep that time.sleep uses, while relative
waits (select, locks, queues) work. `python -m tests.faketime_support MODULE ARGS` runs a module (gunicorn,
flask) with the patch, so the app instances a test starts keep the test's clock.
"""
import os
import runpy
import select
import subprocess
import sys
import time

FAKETIME_VARIABLES = ("LD_PRELOAD", "FAKETIME", "FAKETIME_DONT_FAKE_MONOTONIC", "FAKETIME_SHARED")


def under_faketime() -> bool:
    return "faketime" in os.environ.get("LD_PRELOAD", "")


def sleep_by_select(seconds: float) -> None:
    select.select([], [], [], max(0.0, seconds))


def patch_sleep_under_faketime() -> None:
    if under_faketime():
        time.sleep = sleep_by_select


def real_time_environment() -> dict:
    """This process's environment without libfaketime (for servers that must keep real time)."""
    return {name: value for name, value in os.environ.items() if name not in FAKETIME_VARIABLES}


def environment_on_this_clock() -> dict:
    """The environment for a child process whose clock reads the same as this one.

    libfaketime's "@date" starts every process's clock at that date when the process starts, so children
    started later would lag behind: they are given this process's offset from the real clock instead.
    """
    if not under_faketime():
        return dict(os.environ)
    real = subprocess.run(["date", "+%s.%N"], env=real_time_environment(), capture_output=True, text=True,
                          check=True).stdout
    offset = time.time() - float(real)
    return {name: value for name, value in os.environ.items() if name != "FAKETIME_SHARED"} | {
        "FAKETIME": f"{offset:+.3f}s"}


if __name__ == "__main__":
    patch_sleep_under_faketime()
    module, sys.argv = sys.argv[1], sys.argv[1:]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
