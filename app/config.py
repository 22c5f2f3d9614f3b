"""Settings from the environment with safe defaults; secrets generated into instance/ on first run."""
import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from app.notices.keys import load_vapid_keys

TRUE_WORDS = {"1", "true", "yes", "on"}
DEFAULT_INSTANCE_PATH = Path(__file__).resolve().parent.parent / "instance"


def instance_path_from_env() -> Path:
    return Path(os.environ.get("FICKAN_INSTANCE_PATH") or DEFAULT_INSTANCE_PATH)


def env_flag(name: str, default: bool) -> bool:
    """Read a boolean environment variable."""
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in TRUE_WORDS


def startup_problem(environ: Mapping[str, str]) -> str | None:
    """Why the web server must not start with this environment, else None (gunicorn.conf.py asks at start).

    A real installation (Secure cookies, so served over HTTPS) names its public address: without it, links in
    notifications would be built from the Host header of whoever subscribed. `make run` (plain HTTP on
    127.0.0.1, FICKAN_COOKIE_SECURE=0) and the tests need none.
    """
    public_url = environ.get("FICKAN_PUBLIC_URL", "").strip()
    secure = environ.get("FICKAN_COOKIE_SECURE", "1").strip().lower() in TRUE_WORDS
    if not public_url:
        return ("FICKAN_PUBLIC_URL is not set: give the app's public address (e.g. https://fickan.kommun.se); "
                "only a local run with FICKAN_COOKIE_SECURE=0 may go without it") if secure else None
    parts = urlsplit(public_url)
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.path.strip("/") or parts.query:
        return f"FICKAN_PUBLIC_URL must be an address like https://fickan.kommun.se, not {public_url!r}"
    return None


def split_list(value: str) -> list[str]:
    """A comma-separated setting as a list of its non-empty parts."""
    return [part.strip() for part in value.split(",") if part.strip()]


def read_or_create_secret(instance_path: Path, filename: str, nbytes: int = 48) -> str:
    """Return the secret stored in instance/filename, generating it (mode 600) the first time."""
    path = instance_path / filename
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two workers starting together must not overwrite each other's key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(nbytes))
    return path.read_text().strip()


def load_config(instance_path: Path) -> dict:
    """Build the Flask config from the environment."""
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'fickan.db'}"
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    cookie_secure = env_flag("FICKAN_COOKIE_SECURE", True)
    redis_url = os.environ.get("REDIS_URL")
    vapid_private_key, vapid_public_key = load_vapid_keys(instance_path)
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or read_or_create_secret(instance_path, "secret_key"),
        # Names the app's front-end release; by default a hash of the built files (pwa/routes.py).
        "RELEASE": os.environ.get("FICKAN_RELEASE"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "UPLOAD_DIR": os.environ.get("FICKAN_UPLOAD_DIR") or str(instance_path / "uploads"),
        "REDIS_URL": redis_url,
        # "immediate": jobs run at once in the web process (tests, benches); else SQLite or Redis (app/queue.py).
        "JOB_QUEUE": os.environ.get("FICKAN_QUEUE"),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT_PER_IP": os.environ.get("FICKAN_LOGIN_LIMIT_IP", "30 per minute"),
        # Failed logins of one username from one address; and of one username from all addresses, higher, so
        # that nobody can lock someone else's account from one address.
        "LOGIN_RATE_LIMIT_PER_USERNAME": os.environ.get("FICKAN_LOGIN_LIMIT_USER", "5 per 5 minutes"),
        "REPORT_RATE_LIMIT_PER_USER": os.environ.get("FICKAN_REPORT_LIMIT_USER", "30 per minute"),
        "LOGIN_RATE_LIMIT_PER_USERNAME_ALL": os.environ.get("FICKAN_LOGIN_LIMIT_USER_ALL", "50 per hour"),
        # How many reverse proxies in front of the app add X-Forwarded-For/-Proto; 0 trusts no such header.
        "PROXY_COUNT": int(os.environ.get("FICKAN_PROXY_COUNT", "0")),
        "FORCE_HTTPS": env_flag("FICKAN_FORCE_HTTPS", False),
        "SESSION_COOKIE_NAME": "fickan_session",
        "SESSION_COOKIE_SECURE": cookie_secure,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Write the session cookie only when the session changes: a request still running when the user
        # logs out must not set the old session again with its answer.
        "SESSION_REFRESH_EACH_REQUEST": False,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=int(os.environ.get("FICKAN_SESSION_HOURS", "12"))),
        "REMEMBER_COOKIE_NAME": "fickan_remember",
        "REMEMBER_COOKIE_DURATION": timedelta(days=int(os.environ.get("FICKAN_REMEMBER_DAYS", "14"))),
        "REMEMBER_COOKIE_SECURE": cookie_secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,  # bound to the session instead, which expires on its own
        "MAX_CONTENT_LENGTH": int(os.environ.get("FICKAN_MAX_REQUEST_MB", "40")) * 1024 * 1024,
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
        # Web Push (app/notices): the key pair is never regenerated once made (that ends every subscription).
        "VAPID_PRIVATE_KEY": vapid_private_key,
        "VAPID_PUBLIC_KEY": vapid_public_key,
        # Push services (Apple) refuse a subject on localhost: set a real mailto: or https: address.
        "VAPID_SUBJECT": os.environ.get("FICKAN_VAPID_SUBJECT", "mailto:fickan@example.org"),
        # Hosts (host or host:port) added to the built-in push services; plain http only for loopback ones.
        "PUSH_ALLOWED_HOSTS": split_list(os.environ.get("FICKAN_PUSH_ALLOWED_HOSTS", "")),
        # The app's public address for links in notifications; else the address the phone subscribed from.
        "PUBLIC_URL": os.environ.get("FICKAN_PUBLIC_URL", "").rstrip("/"),
        "PUSH_TIMEOUT_SECONDS": float(os.environ.get("FICKAN_PUSH_TIMEOUT", "10")),
        "PUSH_MAX_ATTEMPTS": int(os.environ.get("FICKAN_PUSH_MAX_ATTEMPTS", "4")),
        "PUSH_RETRY_BASE_SECONDS": float(os.environ.get("FICKAN_PUSH_RETRY_BASE", "2")),
        "PUSH_RETRY_MAX_WAIT_SECONDS": float(os.environ.get("FICKAN_PUSH_RETRY_MAX_WAIT", "60")),
        "PUSH_FANOUT_THREADS": int(os.environ.get("FICKAN_PUSH_THREADS", "8")),
        # Overrides of the legal clocks' durations (app/reports/clock_rules.py LEGAL_CLOCKS),
        # e.g. FICKAN_CLOCK_IMY_HOURS.
        "LEGAL_CLOCK_HOURS": {name: value for name, value in os.environ.items()
                              if name.startswith("FICKAN_CLOCK_") and name.endswith("_HOURS")},
        # Working days a report may stay "Mottagen" before its manager is reminded (quality one working day later).
        "UNHANDLED_REPORT_DAYS": int(os.environ.get("FICKAN_UNHANDLED_REPORT_DAYS", "2")),
        # Synpunkter och klagomål (app/complaints): the public form's limit per address, and the two clocks.
        "COMPLAINT_RATE_LIMIT": os.environ.get("FICKAN_COMPLAINT_LIMIT", "5 per 10 minutes;20 per day"),
        "COMPLAINT_ACKNOWLEDGE_WORKDAYS": int(os.environ.get("FICKAN_COMPLAINT_ACKNOWLEDGE_WORKDAYS", "2")),
        "COMPLAINT_ANSWER_DAYS": int(os.environ.get("FICKAN_COMPLAINT_ANSWER_DAYS", "28")),
        # Mail (the answer to a complaint); without a host the mail is written to the log instead (make run).
        "SMTP_HOST": os.environ.get("FICKAN_SMTP_HOST", ""),
        "SMTP_PORT": int(os.environ.get("FICKAN_SMTP_PORT", "587")),
        "SMTP_USER": os.environ.get("FICKAN_SMTP_USER", ""),
        "SMTP_PASSWORD": os.environ.get("FICKAN_SMTP_PASSWORD", ""),
        "SMTP_FROM": os.environ.get("FICKAN_SMTP_FROM", "fickan@example.org"),
        "SMTP_STARTTLS": env_flag("FICKAN_SMTP_STARTTLS", True),
    }
