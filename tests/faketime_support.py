"""Python under libfaketime (make test-any-day): time.sleep without the call libfaketime breaks.

libfaketime 0.9.10 answers EINVAL to the absolute monotonic clock_nanosleep that time.sleep uses, while relative
waits (select, locks, queues) work. `python -m tests.faketime_support MODULE ARGS` runs a module (gunicorn,
flask) with the patch, so the app instances a test starts keep the test's clock.
"""
import os
import runpy
import select
import sys
import time


def sleep_by_select(seconds: float) -> None:
    select.select([], [], [], max(0.0, seconds))


def patch_sleep_under_faketime() -> None:
    if "faketime" in os.environ.get("LD_PRELOAD", ""):
        time.sleep = sleep_by_select


if __name__ == "__main__":
    patch_sleep_under_faketime()
    module, sys.argv = sys.argv[1], sys.argv[1:]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
