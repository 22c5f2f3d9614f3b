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
from app.routines.search import include_object
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
            context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                                  "include_object": include_object})
            differences = compare_metadata(context, db.metadata)
            journal_mode = connection.execute(sa.text("PRAGMA journal_mode")).scalar()
            foreign_keys = connection.execute(sa.text("PRAGMA foreign_keys")).scalar()
        db.engine.dispose()
    assert differences == []
    assert journal_mode == "wal" and foreign_keys == 1


def test_a_background_job_runs_inside_the_app(app):
    from flask import current_app

    from app.queue import job

    @job()
    def name_of_app():
        return current_app.name

    with app.app_context():
        assert name_of_app()() == "app"
