"""routine search: drop the FTS5 table, its triggers and the trigram indexes that nothing reads any more

Search runs on an in-memory index built from routine_search_documents (app/routines/search_index.py) since
the Swedish analysis came in; the FTS5 table (SQLite) and pg_trgm indexes (PostgreSQL) of revision
13b2771fe836 were still kept up to date on every write of a routine but never read. The downgrade builds them
again from the documents (statements frozen from 13b2771fe836). The pg_trgm extension stays: other objects may
have come to use it.

Revision ID: 3f8e2d41c9a7
Revises: a4eec2c01d64
Create Date: 2026-11-30 13:50:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3f8e2d41c9a7'
down_revision = 'a4eec2c01d64'
branch_labels = None
depends_on = None

SQLITE_UPGRADE = [
    "DROP TRIGGER IF EXISTS routine_search_documents_au",
    "DROP TRIGGER IF EXISTS routine_search_documents_ad",
    "DROP TRIGGER IF EXISTS routine_search_documents_ai",
    "DROP TABLE IF EXISTS routine_search_fts",
]

POSTGRESQL_UPGRADE = [
    "DROP INDEX IF EXISTS ix_routine_search_documents_folded_body_trgm",
    "DROP INDEX IF EXISTS ix_routine_search_documents_folded_tags_trgm",
    "DROP INDEX IF EXISTS ix_routine_search_documents_folded_title_trgm",
]

SQLITE_DOWNGRADE = [
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
    "INSERT INTO routine_search_fts(routine_search_fts) VALUES ('rebuild')",
]

POSTGRESQL_DOWNGRADE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ix_routine_search_documents_folded_title_trgm"
    " ON routine_search_documents USING gin (folded_title gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS ix_routine_search_documents_folded_tags_trgm"
    " ON routine_search_documents USING gin (folded_tags gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS ix_routine_search_documents_folded_body_trgm"
    " ON routine_search_documents USING gin (folded_body gin_trgm_ops)",
]

UPGRADE = {"sqlite": SQLITE_UPGRADE, "postgresql": POSTGRESQL_UPGRADE}
DOWNGRADE = {"sqlite": SQLITE_DOWNGRADE, "postgresql": POSTGRESQL_DOWNGRADE}


def upgrade():
    for statement in UPGRADE.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    for statement in DOWNGRADE.get(op.get_bind().dialect.name, []):
        op.execute(statement)
