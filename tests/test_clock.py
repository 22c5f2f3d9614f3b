"""One clock: the app asks app.timestamps for the time and nothing else, so tests can pin it."""
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from app.timestamps import LOCAL_ZONE, local_today, utcnow

ROOT = Path(__file__).resolve().parent.parent
WALL_CLOCK = re.compile(r"datetime\.now\(|datetime\.utcnow\(|date\.today\(|time\.time\(|func\.now\(|"
                        r"CURRENT_TIMESTAMP|datetime\.today\(")
CLOCK_MODULE = ROOT / "app" / "timestamps.py"
# Outside the app's clock on purpose: the stand-in push service checks tokens as a real one would, by real time.
REAL_TIME_TEST_HELPERS = {ROOT / "tests" / "notices" / "receiver.py", ROOT / "tests" / "servers.py",
                          ROOT / "tests" / "faketime_support.py", Path(__file__).resolve()}


def test_only_the_clock_module_reads_the_wall_clock():
    readers = [f"{path.relative_to(ROOT)}:{number}"
               for folder in ("app", "sync", "pwa", "tests") for path in sorted((ROOT / folder).rglob("*.py"))
               if path != CLOCK_MODULE and path not in REAL_TIME_TEST_HELPERS
               for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
               if WALL_CLOCK.search(line)]
    assert readers == []


def test_a_pinned_clock_is_what_the_app_sees(clock):
    clock.pin(datetime(2027, 3, 28, 0, 59, tzinfo=timezone.utc))
    assert utcnow() == datetime(2027, 3, 28, 0, 59, tzinfo=timezone.utc)
    assert local_today() == date(2027, 3, 28)
    clock.advance(timedelta(minutes=2))
    # Summer time began at 01:00 UTC: 03:01 in Stockholm.
    assert utcnow().astimezone(LOCAL_ZONE).hour == 3


def test_the_local_day_is_stockholms_not_the_servers(clock):
    clock.pin(datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc))
    assert local_today() == date(2027, 1, 1)
