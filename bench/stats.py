"""Dashboard render time with 100,000 reports: one unit (a manager) and all units (quality).

Also the printable learning page of one unit. Each is measured as a ratio to one indexed count query of the same
reports, timed in the same run.
Aim: the all-units dashboard under 300 ms.

Run: .venv/bin/python bench/stats.py [--reports 100000] [--units 30] [--repeats 15] [--postgres | --database-url URL]
Everything lives in a temporary folder that is removed afterwards; instance/ is never touched.
With --postgres (a throwaway server on 127.0.0.1, tests/servers.py, as the suite starts) or --database-url (a
throwaway PostgreSQL database) the same run measures PostgreSQL.
"""
import argparse
import contextlib
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import throwaway  # bench/throwaway.py, beside this file

AIM_ALL_UNITS_MS = 300.0
# One municipality's home care: the demo's two units among this many, the reports spread evenly over them.
MANAGER, QUALITY = "chef.nord", "kvalitet"


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=30, help="home-care units the reports are spread over")
    parser.add_argument("--repeats", type=int, default=15)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--database-url", help="a throwaway PostgreSQL database (dropped and made anew)")
    where.add_argument("--postgres", action="store_true",
                       help="start a throwaway PostgreSQL on 127.0.0.1 (tests/servers.py, as the suite does)")
    return parser.parse_args()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(function, repeats: int) -> list[float]:
    """Milliseconds of each call, after one untimed call that warms caches."""
    function()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def make_units(count: int) -> list[int]:
    """The demo's home-care units plus generated ones under the same district, until there are `count`."""
    from sqlalchemy import select

    from app.accounts import services
    from app.accounts.models import Unit
    from app.accounts.rules import UnitKind
    from app.extensions import db

    district = db.session.scalar(select(Unit).where(Unit.name == "Hemtjänst och hemsjukvård"))
    names = ["Hemvård Nord", "Hemvård Syd"] + [f"Hemvård {number}" for number in range(3, count + 1)]
    for name in names[2:]:
        services.create_unit(None, name=name, kind=UnitKind.UNIT, parent=district)
    db.session.commit()
    return [db.session.scalar(select(Unit.id).where(Unit.name == name)) for name in names]


def spread_reports(unit_ids: list[int]) -> None:
    """Deal the generated reports out over the units, so one unit holds about 1/len(units) of them."""
    from sqlalchemy import update

    from app.extensions import db
    from app.reports.models import Report

    for position, unit_id in enumerate(unit_ids):
        db.session.execute(update(Report).where(Report.id % len(unit_ids) == position).values(unit_id=unit_id))
    db.session.commit()


def seed(report_count: int, unit_count: int) -> None:
    from app.demo import seed_demo
    from app.extensions import db
    from app.reports.demo import seed_reports

    started = time.perf_counter()
    seed_demo()
    unit_ids = make_units(unit_count)
    seed_reports(count=report_count)
    spread_reports(unit_ids)
    if db.engine.dialect.name == "postgresql":
        # What autovacuum does for a live database: statistics, and the visibility map index-only scans need.
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    # No ANALYZE on SQLite: the app never runs it, so the plans measured are the plans it gets.
    db.session.commit()
    print(f"seeded {report_count:,} reports over {unit_count} units in {time.perf_counter() - started:.1f} s")


def logged_in_client(app, username: str):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    response = client.post("/login", data={"username": username, "password": "demo", "csrf_token": token})
    assert response.status_code == 303, response.status_code
    return client


def indexed_count(app, username: str):
    """One count of the user's reports in the dashboard's period, answered from an index."""
    from sqlalchemy import func, select

    from app.accounts.scope import Purpose, visible_unit_ids
    from app.accounts.rules import Role
    from app.accounts.services import find_user
    from app.extensions import db
    from app.reports.models import Report
    from app.reports.statistics import default_filters, local_start
    from app.views import LOCAL_ZONE

    with app.app_context():
        user = find_user(username)
        start = local_start(default_filters(datetime.now(LOCAL_ZONE).date()).start)
        statement = select(func.count()).select_from(Report).where(Report.received_at >= start)
        if user.role != Role.QUALITY:
            statement = statement.where(Report.unit_id.in_(visible_unit_ids(user, Purpose.HANDLE_REPORTS)))
        plan = ""
        if db.engine.dialect.name == "sqlite":
            compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
            plan = " / ".join(row[-1] for row in db.session.execute(db.text(f"EXPLAIN QUERY PLAN {compiled}")))

    def count():
        with app.app_context():
            return db.session.scalar(statement)

    return count, plan


def measure(app, username: str, label: str, repeats: int, query: str = "", path: str = "/statistik") -> dict:
    from app.extensions import db

    client = logged_in_client(app, username)

    def render():
        response = client.get(f"{path}{query}")
        assert response.status_code == 200, response.status_code
        return response

    count, plan = indexed_count(app, username)
    with app.app_context():
        counted = count()
    shown = int(re.search(r"data-(?:learning-)?total>(\d+)<", render().get_data(as_text=True)).group(1))
    # Without a kind filter both count the same reports, or the ratio would compare different work.
    assert query or shown == counted, f"the dashboard shows {shown} reports, the count says {counted}"
    render_times, count_times = timed(render, repeats), timed(count, repeats)
    with app.app_context():
        db.session.remove()
    render_median, count_median = statistics.median(render_times), statistics.median(count_times)
    return dict(label=label, reports=shown, render_p50=render_median, render_p95=percentile(render_times, 0.95),
                count_p50=count_median, ratio=render_median / count_median, plan=plan)


def main() -> None:
    arguments = parse_arguments()
    workdir = Path(tempfile.mkdtemp(prefix="fickan-bench-stats-"))
    # Before the app is imported: the job queue would otherwise open its database under instance/.
    os.environ["FICKAN_INSTANCE_PATH"] = str(workdir / "instance")
    os.environ["FICKAN_QUEUE"] = "immediate"
    try:
        with contextlib.ExitStack() as stack:
            run(arguments, workdir, stack)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(arguments: argparse.Namespace, workdir: Path, stack: contextlib.ExitStack) -> None:
    from app import create_app
    from app.extensions import db

    database_url = (throwaway.database_url(stack, arguments.database_url, arguments.postgres, "stats")
                    or f"sqlite:///{workdir / 'bench.db'}")
    app = create_app({"SECRET_KEY": "bench", "INSTANCE_PATH": str(workdir), "SQLALCHEMY_DATABASE_URI": database_url,
                      "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False, "LOG_LEVEL": "WARNING",
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        if database_url.startswith("postgresql"):
            db.drop_all()
        db.create_all()
        seed(arguments.reports, arguments.units)
        db.session.remove()
    results = [
        measure(app, MANAGER, "one unit (manager)", arguments.repeats),
        measure(app, QUALITY, "all units (quality)", arguments.repeats),
        measure(app, QUALITY, "all units, one kind", arguments.repeats, "?typ=avvikelse_hsl"),
        measure(app, MANAGER, "learning page, one unit", arguments.repeats, path="/statistik/larande"),
    ]
    print(f"\n{database_url.split(':')[0]}, "
          f"{arguments.repeats} renders of each page (last twelve months)\n")
    print(f"{'dashboard':<24}{'reports':>9}{'p50 ms':>9}{'p95 ms':>9}{'count ms':>10}{'ratio':>9}")
    for result in results:
        print(f"{result['label']:<24}{result['reports']:>9,}{result['render_p50']:>9.1f}{result['render_p95']:>9.1f}"
              f"{result['count_p50']:>10.2f}{result['ratio']:>8.0f}×")
    for result in results[:2]:
        if result["plan"]:
            print(f"count query plan, {result['label']}: {result['plan']}")
    all_units = results[1]["render_p50"]
    verdict = "met" if all_units < AIM_ALL_UNITS_MS else "missed"
    print(f"\naim: all-units dashboard under {AIM_ALL_UNITS_MS:.0f} ms: {verdict} (p50 {all_units:.1f} ms)")


if __name__ == "__main__":
    main()
