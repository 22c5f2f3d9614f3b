"""The command line: demo data, users, migrations, the worker's queue."""
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import func, select

from app import create_app
from app.accounts import services
from app.accounts.models import Unit, User
from app.demo import DEMO_USERS
from app.extensions import db
from tests.conftest import make_test_config


def counts(app):
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(User)),
                db.session.scalar(select(func.count()).select_from(Unit)))


def test_seed_demo_twice_adds_nothing_the_second_time(app, runner):
    before = counts(app)
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0
    assert counts(app) == before == (len(DEMO_USERS), 4)
    assert result.output.count("Demodata klar") == 1


def test_seed_demo_prints_the_demo_logins(runner):
    output = runner.invoke(args=["seed-demo"]).output
    for username, *_ in DEMO_USERS:
        assert username in output
    assert "demo" in output


def test_users_create_makes_the_first_admin(app, runner):
    result = runner.invoke(args=["users", "create", "forsta.admin", "--role", "admin", "--name", "Första Admin",
                                 "--password", "ett-langt-losenord"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = services.find_user("forsta.admin")
        assert user.role == "admin" and [unit.name for unit in user.units] == ["Vård- och omsorgsförvaltningen"]


def test_users_create_refuses_an_unknown_unit(runner):
    result = runner.invoke(args=["users", "create", "x.y", "--role", "staff", "--unit", "Finns Inte",
                                 "--password", "ett-langt-losenord"])
    assert result.exit_code != 0 and "Okänd enhet: Finns Inte" in result.output


def test_users_create_refuses_a_weak_password(runner):
    result = runner.invoke(args=["users", "create", "x.y", "--role", "staff", "--password", "kort"])
    assert result.exit_code != 0 and "minst 10 tecken" in result.output


def test_users_create_on_an_empty_database_makes_a_top_unit(tmp_path):
    app = create_app(make_test_config(tmp_path, tmp_path / "empty.db"))
    with app.app_context():
        db.create_all()
    result = app.test_cli_runner().invoke(args=["users", "create", "admin", "--role", "admin",
                                                "--password", "ett-langt-losenord"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert [unit.kind for unit in services.find_user("admin").units] == ["forvaltning"]
        db.engine.dispose()


def test_users_deactivate(app, runner):
    result = runner.invoke(args=["users", "deactivate", "usk.syd"])
    assert result.exit_code == 0
    with app.app_context():
        assert services.find_user("usk.syd").active is False


def test_migrations_build_the_schema_the_models_describe(tmp_path):
    app = create_app(make_test_config(tmp_path, tmp_path / "migrated.db"))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
            journal_mode = connection.execute(sa.text("PRAGMA journal_mode")).scalar()
            foreign_keys = connection.execute(sa.text("PRAGMA foreign_keys")).scalar()
        db.engine.dispose()
    assert differences == []
    assert journal_mode == "wal" and foreign_keys == 1


def test_the_statistics_migration_fills_in_the_existing_reports(tmp_path):
    app = create_app(make_test_config(tmp_path, tmp_path / "migrated.db"))
    with app.app_context():
        upgrade(revision="d5349686b20f")
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO units (id, name, kind, created_at) VALUES (1, 'Hemvård', 'unit', '2026-01-01 00:00:00')"))
            connection.execute(sa.text(
                "INSERT INTO users (id, username, display_name, title, role, password_hash, active, session_version, "
                "created_at) VALUES (1, 'usk', 'U', '', 'staff', 'x', 1, 1, '2026-01-01 00:00:00')"))
            # In UTC: 23.30 on 31 January is already February in Stockholm.
            for report_id, kinds, received_at, closed_at in (
                    (1, '["lex_maria", "avvikelse_hsl"]', "2026-01-31 23:30:00", "2026-02-02 23:30:00"),
                    (2, "[]", "2026-01-31 22:30:00", None),
                    (3, '["klagomal"]', "2026-07-01 10:00:00", "2026-07-01 10:45:30")):
                connection.execute(sa.text(
                    "INSERT INTO reports (id, uuid, reporter_id, unit_id, text, affected, harm, topics, place, "
                    "client_reference, immediate_action, suggested_kinds, kinds, status, feedback, occurred_at, "
                    "created_at, received_at, updated_at, closed_at, flagged, causes, diary_number) VALUES (:id, "
                    ":uuid, 1, 1, 't', '[]', 'none', '[]', '', '', '', :kinds, :kinds, 'received', '', :at, :at, "
                    ":at, :at, :closed, 0, '[]', '')"),
                    {"id": report_id, "uuid": f"u{report_id}", "kinds": kinds, "at": received_at, "closed": closed_at})
            connection.execute(sa.text(
                "INSERT INTO report_actions (report_id, what, owner_name, status, effect, effect_note, created_by_id, "
                "created_at) VALUES (1, 'Ny rutin', 'Chefen', 'planned', '', '', 1, '2026-02-01 00:00:00')"))
        upgrade()
        with db.engine.connect() as connection:
            # The reports table is rebuilt by copy; what refers to it must survive that.
            assert connection.execute(sa.text("SELECT count(*) FROM report_actions")).scalar() == 1
            assert connection.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
            kinds = connection.execute(sa.text("SELECT report_id, kind FROM report_kinds ORDER BY report_id, kind"))
            kinds = [tuple(row) for row in kinds]
            reports = [tuple(row) for row in connection.execute(
                sa.text("SELECT id, received_month, minutes_to_closed FROM reports ORDER BY id"))]
        db.engine.dispose()
    assert kinds == [(1, "avvikelse_hsl"), (1, "lex_maria"), (3, "klagomal")]
    assert reports == [(1, "2026-02", 2880), (2, "2026-01", None), (3, "2026-07", 45)]


def test_a_background_job_runs_inside_the_app(app):
    from flask import current_app

    from app.queue import job

    @job()
    def name_of_app():
        return current_app.name

    with app.app_context():
        assert name_of_app()() == "app"
