"""The database a bench runs on: the URL given, a throwaway PostgreSQL it starts (as the suite does), or none."""
import contextlib
import tempfile
from pathlib import Path


def psycopg_url(url: str) -> str:
    """SQLAlchemy's name for the psycopg 3 driver; a plain postgresql:// URL would ask for psycopg2."""
    return "postgresql+psycopg://" + url.removeprefix("postgresql://") if url.startswith("postgresql://") else url


def database_url(stack: contextlib.ExitStack, given: str | None, start_postgres: bool, name: str) -> str | None:
    """`given`, or with `start_postgres` a throwaway server's (stopped and removed when `stack` closes)."""
    if start_postgres:
        from tests.servers import throwaway_postgres

        # A folder of its own: the server runs as the postgres user when run as root, who cannot enter the
        # bench's own temporary folder (0700); throwaway_postgres() removes it when it stops the server.
        folder = Path(tempfile.mkdtemp(prefix=f"fickan-bench-{name}-postgres-"))
        given = stack.enter_context(throwaway_postgres(folder))
    return psycopg_url(given) if given else None
