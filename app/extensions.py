"""Unbound Flask extensions, bound to the app in create_app()."""
import sqlite3

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf import CSRFProtect
from htmx_flask import Htmx
from sqlalchemy import MetaData, event
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so Alembic migrations work the same on SQLite (batch mode) and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
talisman = Talisman()
htmx = Htmx()


@event.listens_for(Engine, "connect")
def configure_sqlite(dbapi_connection, _record):
    """WAL lets readers work while a report is written; foreign keys are off by default in SQLite."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


class SQLiteCompilerWithIndexHints(SQLiteCompiler):
    """SQLite's compiler, also writing Select.with_hint(table, "INDEXED BY name", "sqlite") after the table name.

    Without statistics of value ranges, SQLite takes any two-sided range for a narrow one; where that is wrong
    and costly the query names its index.
    """

    def get_from_hint_text(self, table, text):
        return text


def allow_index_hints(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        engine.dialect.statement_compiler = SQLiteCompilerWithIndexHints
