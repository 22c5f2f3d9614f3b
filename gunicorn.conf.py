"""gunicorn settings; every value can be overridden by the environment or the command line."""
import os

# One process with threads suits the embedded SQLite default; with PostgreSQL and Redis raise WEB_CONCURRENCY.
workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# A report with photos (up to 10 MB) from a phone on slow 3G can take a couple of minutes to upload.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG")  # Flask already logs each request as JSON
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    """Refuse to start a real installation without its public address (app/config.py startup_problem)."""
    from app.config import startup_problem

    if problem := startup_problem(os.environ):
        server.log.error(problem)
        raise SystemExit(f"Fickan does not start: {problem}")
