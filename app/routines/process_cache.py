"""What one process derives from the database and keeps (the search index, the typo vocabulary), per database."""
import threading
from collections.abc import Callable

from sqlalchemy import TextClause

from app.extensions import db


class PerDatabase:
    """A value built from the session's database, rebuilt when `state_sql` answers differently.

    The state query must be cheap (counts and maxima over indexed columns): it runs on every use. The value
    carries the state it was built for in `.state`; `build(previous, state)` may reuse the previous value."""

    def __init__(self, state_sql: TextClause, build: Callable):
        self.state_sql, self.build = state_sql, build
        self.values: dict[str, object] = {}
        self.lock = threading.Lock()

    def get(self):
        key = db.session.get_bind().url.render_as_string(hide_password=True)
        state = tuple(db.session.execute(self.state_sql).one())
        value = self.values.get(key)
        if value is not None and value.state == state:
            return value
        # One thread builds; the others wait for it rather than building the same thing again.
        with self.lock:
            value = self.values.get(key)
            if value is None or value.state != state:
                value = self.values[key] = self.build(value, state)
        return value
