"""The benches still run: each figure in a closing note comes from one of them, and a bench broken by a refactor
(an import moved) went unnoticed once. Tiny sizes, so only whether it runs and prints its aim is checked here;
the figures themselves are measured by running the benches in full (README, "Benches")."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The browser and gunicorn benches (offline, shell, sync) and search_quality are left out: they take minutes,
# and the suite already drives the same code through the browser tests.
SMALL_RUNS = {
    "stats.py": (["--reports", "300", "--units", "3", "--repeats", "1"], "aim: all-units dashboard"),
    "search.py": (["--routines", "100", "--queries", "20"], "aim p95 < 20 ms"),
    "arshjul.py": (["--units", "5", "--days", "30", "--repeats", "1"], "count query plan"),
    "complaint_follow.py": (["--complaints", "50", "--requests", "50"], "real, first char changed"),
    "push.py": (["--subscriptions", "50", "--deadline", "60"], "receiver counted: 50 well-formed, 0 malformed"),
}


@pytest.mark.timeout(240)
@pytest.mark.parametrize("bench", sorted(SMALL_RUNS))
def test_the_bench_runs_and_prints_its_figures(bench):
    arguments, expected = SMALL_RUNS[bench]
    finished = subprocess.run([sys.executable, str(ROOT / "bench" / bench), *arguments], cwd=ROOT,
                              capture_output=True, text=True, timeout=200)
    assert finished.returncode == 0, finished.stderr[-3000:]
    assert expected in finished.stdout, finished.stdout[-3000:]
