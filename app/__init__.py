"""Fickan: routines and incident reports in the pocket of municipal home care staff."""
from pathlib import Path

from flask import Flask
from werkzeug.routing import IntegerConverter

from app.config import instance_path_from_env, load_config

# Scripts only from our own origin: no inline script, no eval. Styles likewise.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": ["'self'", "data:", "blob:"],
    "connect-src": "'self'",
    "font-src": "'self'",
    "manifest-src": "'self'",
    "worker-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


class DatabaseIdConverter(IntegerConverter):
    """<int:…> in a URL: a number larger than a database id (PostgreSQL INTEGER) is no page (404), not a crash."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def create_app(config: dict | None = None) -> Flask:
    """Build the Fickan application; `config` overrides settings (tests)."""
    config = config or {}
    instance_path = Path(config.get("INSTANCE_PATH") or instance_path_from_env()).resolve()
    app = Flask(__name__, instance_path=str(instance_path), instance_relative_config=True,
                static_folder="../static", template_folder="../templates")
    instance_path.mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(load_config(instance_path))
    app.config.from_mapping(config)
    app.url_map.converters["int"] = DatabaseIdConverter

    register_proxy(app)
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    return app


def register_proxy(app: Flask) -> None:
    """Behind FICKAN_PROXY_COUNT proxies, take the client's address and scheme from their headers."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    if count := app.config["PROXY_COUNT"]:
        # Only the last `count` entries are the proxies' own; what the client wrote before them is not trusted.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def register_extensions(app: Flask) -> None:
    from app import assets, errors, logs, privacy, queue
    from app.timestamps import render_migration_item
    from app.views import register_template_helpers
    from pwa.routes import release_of_app
    from app.accounts.permissions import enforce_declared_access
    from app.accounts.services import load_session_user
    from app.extensions import allow_index_hints, csrf, db, htmx, limiter, login_manager, migrate
    from app.request_limits import with_request_limits

    logs.init_app(app)
    db.init_app(app)
    with app.app_context():
        allow_index_hints(db.engine)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True, render_item=render_migration_item)
    csrf.init_app(app)
    limiter.init_app(app)
    htmx.init_app(app)
    app.request_class = with_request_limits(app.request_class)
    register_security_headers(app)
    privacy.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_session_user)
    login_manager.unauthorized_handler(errors.handle_unauthorized)
    app.before_request(enforce_declared_access)
    errors.init_app(app)
    queue.init_app(app)
    assets.init_app(app)
    app.jinja_env.globals["app_release"] = release_of_app
    register_template_helpers(app)


def register_security_headers(app: Flask) -> None:
    from app.extensions import talisman

    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_samesite="Lax",
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy="same-origin",
        frame_options="DENY",
        permissions_policy={"camera": "(self)", "geolocation": "()", "microphone": "()"},
    )


def register_blueprints(app: Flask) -> None:
    from app import home, navigation
    from app.accounts import admin_routes, routes as account_routes
    from app.complaints import routes as complaint_routes
    from app.notices import routes as notice_routes
    from app.quality import routes as quality_routes, task_routes
    from app.reports import routes as report_routes
    from app.routines import routes as routine_routes, search_words
    from pwa import routes as pwa_routes
    from sync import routes as sync_routes

    for module in (home, account_routes, admin_routes, routine_routes, search_words, report_routes, notice_routes,
                   quality_routes, task_routes, sync_routes, pwa_routes, complaint_routes):
        app.register_blueprint(module.bp)
    app.jinja_env.globals["unread_notice_count"] = notice_routes.unread_notice_count
    app.jinja_env.globals["main_nav"] = navigation.main_nav


def register_commands(app: Flask) -> None:
    from app import demo
    from app.accounts import jobs as account_jobs  # noqa: F401  (registers the nightly session clean-up)
    from app.accounts.cli import users_cli
    from app.complaints import jobs as complaint_jobs  # noqa: F401  (registers the answer mail with the worker)
    from app.notices import jobs as notice_jobs  # noqa: F401  (registers push delivery with the worker)
    from app.quality import jobs as quality_jobs  # noqa: F401  (registers the årshjul's tasks and reminders)
    from app.reports import jobs as report_jobs  # noqa: F401  (registers the deadline reminders with the worker)
    from app.routines import jobs  # noqa: F401  (registers the routines' scheduled jobs with the worker)
    from app.routines.cli import routines_cli

    demo.init_app(app)
    app.cli.add_command(users_cli)
    app.cli.add_command(routines_cli)
