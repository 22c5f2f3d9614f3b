"""routine search index: FTS5 trigram table and triggers on SQLite, pg_trgm indexes on PostgreSQL

The statements are a frozen copy of app.routines.search.SEARCH_INDEX_DDL as of this revision
(migrations never import app code, so later changes to the app cannot rewrite history);
tests/routines/test_search.py checks that this migration and ensure_search_index() agree.

Revision ID: 13b2771fe836
Revises: bfb211b96480
Create Date: 2026-11-23 14:02:11.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '13b2771fe836'
down_revision = 'bfb211b96480'
branch_labels = None
depends_on = None

SQLITE_UPGRADE = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS routine_search_fts USING fts5(
    folded_title, folded_tags, folded_body,
    content='routine_search_documents', content_rowid='routine_id', tokenize='trigram'
)""",
    """CREATE TRIGGER IF NOT EXISTS routine_search_documents_ai AFTER INSERT ON routine_search_documents BEGIN
    INSERT INTO routine_search_fts(rowid, folded_title, folded_tags, folded_body)
    VALUES (new.routine_id, new.folded_title, new.folded_tags, new.folded_body);
END""",
    """CREATE TRIGGER IF NOT EXISTS routine_search_documents_ad AFTER DELETE ON routine_search_documents BEGIN
    INSERT INTO routine_search_fts(routine_search_fts, rowid, folded_title, folded_tags, folded_body)
    VALUES ('delete', old.routine_id, old.folded_title, old.folded_tags, old.folded_body);
END""",
    """CREATE TRIGGER IF NOT EXISTS routine_search_documents_au AFTER UPDATE ON routine_search_documents BEGIN
    INSERT INTO routine_search_fts(routine_search_fts, rowid, folded_title, folded_tags, folded_body)
    VALUES ('delete', old.routine_id, old.folded_title, old.folded_tags, old.folded_body);
    INSERT INTO routine_search_fts(rowid, folded_title, folded_tags, folded_body)
    VALUES (new.routine_id, new.folded_title, new.folded_tags, new.folded_body);
END""",
    # Index the documents that already exist.
    "INSERT INTO routine_search_fts(routine_search_fts) VALUES ('rebuild')",
]

SQLITE_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS routine_search_documents_au",
    "DROP TRIGGER IF EXISTS routine_search_documents_ad",
    "DROP TRIGGER IF EXISTS routine_search_documents_ai",
    "DROP TABLE IF EXISTS routine_search_fts",
]

POSTGRESQL_UPGRADE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ix_routine_search_documents_folded_title_trgm"
    " ON routine_search_documents USING gin (folded_title gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS ix_routine_search_documents_folded_tags_trgm"
    " ON routine_search_documents USING gin (folded_tags gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS ix_routine_search_documents_folded_body_trgm"
    " ON routine_search_documents USING gin (folded_body gin_trgm_ops)",
]

# The pg_trgm extension stays: other objects may have come to use it.
POSTGRESQL_DOWNGRADE = [
    "DROP INDEX IF EXISTS ix_routine_search_documents_folded_body_trgm",
    "DROP INDEX IF EXISTS ix_routine_search_documents_folded_tags_trgm",
    "DROP INDEX IF EXISTS ix_routine_search_documents_folded_title_trgm",
]

UPGRADE = {"sqlite": SQLITE_UPGRADE, "postgresql": POSTGRESQL_UPGRADE}
DOWNGRADE = {"sqlite": SQLITE_DOWNGRADE, "postgresql": POSTGRESQL_DOWNGRADE}


def upgrade():
    # Other databases get no index: the search still works there, by scanning.
    for statement in UPGRADE.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    for statement in DOWNGRADE.get(op.get_bind().dialect.name, []):
        op.execute(statement)
