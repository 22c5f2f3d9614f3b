"""The årshjul's morning job for 300 units over a year: making the tasks and sending one day's reminders.

The demo's quality year plus a monthly egenkontroll, all aimed at every home-care unit, each unit with its manager.
Measured: the daily task building over a whole year (per day and in total), the reminders of the busiest day (the
first run sends them; a second run of the same day finds them sent), each against one indexed count of the open
tasks due by that day (ix_quality_tasks_done_at_due_on), timed in the same run.

Run: .venv/bin/python bench/arshjul.py [--units 300] [--days 365] [--repeats 15] [--database-url URL]
Everything lives in a temporary folder that is removed afterwards; instance/ is never touched.
"""
import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

START = date(2027, 1, 1)


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--database-url", help="a throwaway PostgreSQL database (dropped and made anew)")
    return parser.parse_args()


def make_units_with_managers(count: int) -> None:
    """Home-care units under the demo's district until there are `count`, each with an active manager."""
    from sqlalchemy import insert, select

    from app.accounts.models import Unit, User, memberships
    from app.accounts.rules import Role, UnitKind
    from app.extensions import db

    district = db.session.scalar(select(Unit.id).where(Unit.name == "Hemtjänst och hemsjukvård"))
    db.session.execute(insert(Unit), [{"name": f"Hemvård {n}", "kind": UnitKind.UNIT, "parent_id": district}
                                      for n in range(3, count + 1)])
    # No password worth hashing: nobody logs in as these.
    db.session.execute(insert(User), [{"username": f"chef.{n}", "display_name": f"Chef {n}", "role": Role.MANAGER,
                                       "password_hash": "-"} for n in range(3, count + 1)])
    units = dict(db.session.execute(select(Unit.name, Unit.id)).all())
    users = dict(db.session.execute(select(User.username, User.id)).all())
    db.session.execute(insert(memberships), [{"user_id": users[f"chef.{n}"], "unit_id": units[f"Hemvård {n}"]}
                                             for n in range(3, count + 1)])
    db.session.commit()


def aim_everything_at_every_unit() -> None:
    """The demo's activities for the whole district, and its monthly hygiene check for every unit too."""
    from sqlalchemy import select

    from app.accounts.models import Unit
    from app.extensions import db
    from app.quality.models import Activity

    district = db.session.scalar(select(Unit).where(Unit.name == "Hemtjänst och hemsjukvård"))
    for activity in db.session.scalars(select(Activity)):
        if activity.responsible_role == "manager":
            activity.units = [district]
    db.session.commit()


def seed(units: int) -> None:
    from app.demo import seed_demo
    from app.extensions import db

    started = time.perf_counter()
    seed_demo()
    make_units_with_managers(units)
    aim_everything_at_every_unit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    print(f"seeded the demo and {units} units with managers in {time.perf_counter() - started:.1f} s")


def timed(function, repeats: int) -> list[float]:
    function()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def open_due_count(day: date):
    from sqlalchemy import func, select

    from app.extensions import db
    from app.quality.models import Task

    statement = select(func.count()).select_from(Task).where(Task.done_at.is_(None), Task.due_on <= day)
    plan = ""
    if db.engine.dialect.name == "sqlite":
        compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
        plan = " / ".join(row[-1] for row in db.session.execute(db.text(f"EXPLAIN QUERY PLAN {compiled}")))
    return (lambda: db.session.scalar(statement)), plan


def run(app, arguments) -> None:
    from datetime import datetime
    from datetime import time as day_time

    from sqlalchemy import func, select, update

    from app.extensions import db
    from app.notices.models import SentReminder
    from app.quality import reminders
    from app.quality.models import Task
    from app.timestamps import LOCAL_ZONE, clock

    build_times, made = [], 0
    with app.app_context():
        for offset in range(arguments.days):
            day = START + timedelta(days=offset)
            clock.pin(datetime.combine(day, day_time(7), LOCAL_ZONE))
            started = time.perf_counter()
            made += reminders.build_tasks(day)
            build_times.append((time.perf_counter() - started) * 1000)
            db.session.remove()
        due_days = Counter(db.session.scalars(select(Task.due_on)))
        busiest = max((day for day in due_days if day >= START + timedelta(days=30)), key=lambda d: due_days[d])
        tasks = db.session.scalar(select(func.count()).select_from(Task))
        clock.pin(datetime.combine(busiest, day_time(7), LOCAL_ZONE))
        # A working year: what fell due more than a week ago was done; the backlog is the last week's.
        db.session.execute(update(Task).where(Task.due_on < busiest - timedelta(days=7))
                           .values(done_at=clock.now()))
        db.session.commit()
        count, plan = open_due_count(busiest)
        started, cpu_started = time.perf_counter(), time.process_time()
        sent = reminders.send_reminders(busiest)
        first_run = (time.perf_counter() - started) * 1000
        first_run_cpu = (time.process_time() - cpu_started) * 1000
        rows = db.session.scalar(select(func.count()).select_from(SentReminder)
                                 .where(SentReminder.subject == reminders.TASK_SUBJECT))
        again = timed(lambda: reminders.send_reminders(busiest), arguments.repeats)
        count_times = timed(count, arguments.repeats)
        open_due = count()
        clock.unpin()
    count_p50 = statistics.median(count_times)
    print(f"\n{arguments.units} units, {arguments.days} days from {START}: {tasks:,} tasks made ({made:,} by the job)")
    print(f"{'step':<46}{'ms':>10}{'× count':>10}")
    print(f"{'build tasks, one morning (p50)':<46}{statistics.median(build_times):>10.1f}"
          f"{statistics.median(build_times) / count_p50:>9.0f}×")
    print(f"{'build tasks, one morning (max)':<46}{max(build_times):>10.1f}{max(build_times) / count_p50:>9.0f}×")
    print(f"{f'build tasks, all {arguments.days} mornings':<46}{sum(build_times):>10.0f}")
    print(f"{f'reminders of {busiest}, first run ({sent} sent)':<46}{first_run:>10.0f}{first_run / count_p50:>9.0f}×")
    print(f"{'  of which CPU in this process':<46}{first_run_cpu:>10.0f}"
          "  (the rest: waiting on the disk)")
    print(f"{'the same day again (all sent before, p50)':<46}{statistics.median(again):>10.1f}"
          f"{statistics.median(again) / count_p50:>9.0f}×")
    print(f"{f'indexed count of open tasks due ({open_due:,}), p50':<46}{count_p50:>10.2f}")
    print(f"sent_reminders rows for tasks: {rows:,}")
    if plan:
        print(f"count query plan: {plan}")


def main() -> None:
    arguments = parse_arguments()
    workdir = Path(tempfile.mkdtemp(prefix="fickan-bench-arshjul-"))
    os.environ["FICKAN_INSTANCE_PATH"] = str(workdir / "instance")
    os.environ["FICKAN_QUEUE"] = "immediate"
    try:
        from app import create_app
        from app.extensions import db

        database_url = arguments.database_url or f"sqlite:///{workdir / 'bench.db'}"
        app = create_app({"SECRET_KEY": "bench", "INSTANCE_PATH": str(workdir), "SQLALCHEMY_DATABASE_URI": database_url,
                          "LOG_LEVEL": "WARNING", "RATELIMIT_ENABLED": False})
        with app.app_context():
            if arguments.database_url:
                db.drop_all()
            db.create_all()
            seed(arguments.units)
            db.session.remove()
        run(app, arguments)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
