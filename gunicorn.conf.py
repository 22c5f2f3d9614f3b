"""gunicorn settings; every value can be overridden by the environment or the command line."""
import os

# One process with threads suits the embedded SQLite default; with PostgreSQL and Redis raise WEB_CONCURRENCY.
workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG")  # Flask already logs each request as JSON
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
