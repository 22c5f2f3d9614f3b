"""Routine search: what a stressed person types finds the routine, and only routines they may see.

The searchable text of each published routine lives in RoutineSearchDocument, folded (lower case,
diacritics removed, same length) so "lakemedel" finds "Läkemedel". Each query word becomes the OR
of itself, its synonyms and, when it matches nothing, its typo corrections; all words must match.
Substring matching finds parts of Swedish compounds: SQLite FTS5 with the trigram tokenizer (the
embedded default) or LIKE on PostgreSQL with pg_trgm GIN indexes, picked by the database dialect.
"""
import re
import unicodedata
from dataclasses import dataclass
from typing import Protocol

from markupsafe import Markup, escape
from sqlalchemy import bindparam, text
from sqlalchemy.engine import Engine

from app.extensions import db
from app.routines.folding import fold, markdown_to_text
from app.routines.models import RoutineSearchDocument
from app.routines.snippets import first_words, highlight_pattern, snippet_html
from app.routines.typos import allowed_typos, vocabulary
from app.timestamps import utcnow

FTS_TABLE = "routine_search_fts"
TRGM_INDEXES = tuple(f"ix_routine_search_documents_{column}_trgm"
                     for column in ("folded_title", "folded_tags", "folded_body"))

# The same statements are frozen in the migration that introduced them (migrations never import
# app code); tests/routines/test_search.py checks that both build the same index.
SEARCH_INDEX_DDL = {
    "sqlite": [
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
    folded_title, folded_tags, folded_body,
    content='routine_search_documents', content_rowid='routine_id', tokenize='trigram'
)""",
        f"""CREATE TRIGGER IF NOT EXISTS routine_search_documents_ai AFTER INSERT ON routine_search_documents BEGIN
    INSERT INTO {FTS_TABLE}(rowid, folded_title, folded_tags, folded_body)
    VALUES (new.routine_id, new.folded_title, new.folded_tags, new.folded_body);
END""",
        f"""CREATE TRIGGER IF NOT EXISTS routine_search_documents_ad AFTER DELETE ON routine_search_documents BEGIN
    INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, folded_title, folded_tags, folded_body)
    VALUES ('delete', old.routine_id, old.folded_title, old.folded_tags, old.folded_body);
END""",
        f"""CREATE TRIGGER IF NOT EXISTS routine_search_documents_au AFTER UPDATE ON routine_search_documents BEGIN
    INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, folded_title, folded_tags, folded_body)
    VALUES ('delete', old.routine_id, old.folded_title, old.folded_tags, old.folded_body);
    INSERT INTO {FTS_TABLE}(rowid, folded_title, folded_tags, folded_body)
    VALUES (new.routine_id, new.folded_title, new.folded_tags, new.folded_body);
END""",
    ],
    "postgresql": ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [
        f"CREATE INDEX IF NOT EXISTS {name} ON routine_search_documents USING gin ({column} gin_trgm_ops)"
        for name, column in zip(TRGM_INDEXES, ("folded_title", "folded_tags", "folded_body"), strict=True)
    ],
}

# Title above tags above body.
TITLE_WEIGHT, TAGS_WEIGHT, BODY_WEIGHT = 10.0, 5.0, 1.0
MIN_QUERY_LENGTH = 2
MAX_QUERY_WORDS = 8


@dataclass(frozen=True)
class SearchHit:
    """One routine found, with a highlighted snippet (safe HTML) and its score (higher is better)."""

    routine_id: int
    title: str
    snippet_html: Markup
    score: float


def index_routine(routine_id: int, title: str, tags: list[str], body_markdown: str) -> RoutineSearchDocument:
    """Make the routine's published text searchable (replacing what was indexed); the caller commits."""
    title = unicodedata.normalize("NFC", title)
    tags_text = ", ".join(unicodedata.normalize("NFC", tag).strip() for tag in tags if tag.strip())
    body = markdown_to_text(unicodedata.normalize("NFC", body_markdown or ""))
    document = db.session.get(RoutineSearchDocument, routine_id)
    if document is None:
        document = RoutineSearchDocument(routine_id=routine_id)
        db.session.add(document)
    document.title, document.folded_title = title, fold(title)
    document.tags, document.folded_tags = tags_text, fold(tags_text)
    document.body, document.folded_body = body, fold(body)
    document.indexed_at = utcnow()
    db.session.flush()  # the index (triggers or pg_trgm) follows the row within this transaction
    return document


def remove_routine(routine_id: int) -> None:
    """Take the routine out of search (archived); the caller commits."""
    document = db.session.get(RoutineSearchDocument, routine_id)
    if document is not None:
        db.session.delete(document)
        db.session.flush()


# ---------------------------------------------------------------------------------------------
# Queries


_SYNONYM_DIGEST = {
    "sqlite": "SELECT group_concat(word || char(31) || means, char(30)) FROM "
              "(SELECT word, means FROM search_synonyms ORDER BY id)",
    "postgresql": "SELECT string_agg(word || chr(31) || means, chr(30) ORDER BY id) FROM search_synonyms",
}


@dataclass
class Synonyms:
    """Folded everyday words → the folded terms they mean; `phrases` are the keys of several words."""

    terms: dict[str, list[str]]
    phrases: list[tuple[list[str], list[str]]]

    @classmethod
    def from_rows(cls, rows) -> "Synonyms":
        terms: dict[str, list[str]] = {}
        for word, means in rows:
            meant = [" ".join(fold(term).split()) for term in means.split(",")]
            terms.setdefault(" ".join(fold(word).split()), []).extend(t for t in meant if len(t) >= MIN_QUERY_LENGTH)
        return cls(terms, [(key.split(), meant) for key, meant in terms.items() if " " in key])

    def get(self, word: str, default=()) -> list[str]:
        return self.terms.get(word, default)


_synonym_cache: dict[str, Synonyms] = {}


def load_synonyms() -> Synonyms:
    """The synonym list as quality staff last saved it; edits apply at once, in every process."""
    dialect = db.session.get_bind().dialect.name
    if dialect not in _SYNONYM_DIGEST:
        return Synonyms.from_rows(db.session.execute(text("SELECT word, means FROM search_synonyms")))
    # The whole list as one string is cheap to read and compare; folding it on every query is not.
    digest = db.session.execute(text(_SYNONYM_DIGEST[dialect])).scalar() or ""
    cached = _synonym_cache.get(digest)
    if cached is None:
        rows = [row.split("\x1f", 1) for row in digest.split("\x1e") if row]
        if len(_synonym_cache) >= 8:  # several databases in one process (tests): keep a few
            _synonym_cache.clear()
        cached = _synonym_cache[digest] = Synonyms.from_rows(rows)
    return cached


@dataclass
class QueryWord:
    """One word of the query and the folded strings any of which satisfies it."""

    word: str
    alternatives: list[str]


def search_routines(text_: str, visible_unit_ids: set[int], limit: int = 20) -> list[SearchHit]:
    """The published, unarchived routines the reader may see that match every word of `text_`, best first."""
    words = query_words(text_)
    if not words or limit < 1:
        return []
    engine = search_engine()
    synonyms = load_synonyms()
    units = sorted(visible_unit_ids)
    query = with_synonyms(words, synonyms)
    ranked = engine.ranked(query, units, limit)
    if not ranked:
        # Typos are looked for only when nothing was found, and only for words that match nothing as typed.
        corrected = with_corrections(query, synonyms, engine.has_match)
        if corrected != query:
            query, ranked = corrected, engine.ranked(corrected, units, limit)
    return _hits_with_snippets(ranked, query)


def with_synonyms(words: list[str], synonyms: Synonyms) -> list[QueryWord]:
    """Each query word with the terms its synonyms mean."""
    alternatives = [[word, *synonyms.get(word)] for word in words]
    # A synonym of several words ("tvätta händerna") lends its terms to each of them.
    for phrase, terms in synonyms.phrases:
        for start in range(len(words) - len(phrase) + 1):
            if words[start:start + len(phrase)] == phrase:
                for position in range(start, start + len(phrase)):
                    alternatives[position] += terms
    return [QueryWord(word, list(dict.fromkeys(terms))) for word, terms in zip(words, alternatives, strict=True)]


def with_corrections(query: list[QueryWord], synonyms: Synonyms, has_match) -> list[QueryWord]:
    """The query with typo corrections (and their synonyms) added to each word that matches nothing as typed."""
    corrected = []
    for word in query:
        terms = list(word.alternatives)
        if allowed_typos(word.word) and not has_match(word.word):
            corrections = vocabulary().corrections(word.word)
            if corrections:
                # The word as typed matches nothing: searching for it again would only cost time.
                terms = [*terms[1:], *(t for c in corrections for t in (c, *synonyms.get(c)))]
        corrected.append(QueryWord(word.word, list(dict.fromkeys(terms))))
    return corrected


def query_words(text_: str) -> list[str]:
    """The folded words of a query: punctuation (and so any query syntax) dropped, 1-letter words too."""
    folded = fold(unicodedata.normalize("NFC", text_ or "")).strip()
    if len(folded) < MIN_QUERY_LENGTH:
        return []
    words = [word for word in re.findall(r"\w+", folded) if len(word) >= MIN_QUERY_LENGTH]
    return list(dict.fromkeys(words))[:MAX_QUERY_WORDS]


_VISIBLE = """r.archived_at IS NULL AND r.current_version_id IS NOT NULL
    AND (r.scope_unit_id IS NULL OR r.scope_unit_id IN :units)"""


def _like_pattern(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class _LikeConditions:
    """LIKE conditions on the folded columns with their bound parameters (PostgreSQL, and short words)."""

    def __init__(self):
        self.params: dict[str, str] = {}

    def column_matches(self, column: str, alternatives: list[str]) -> str:
        names = []
        for term in alternatives:
            names.append(f"p{len(self.params)}")
            self.params[names[-1]] = _like_pattern(term)
        return "(" + " OR ".join(f"d.{column} LIKE :{name} ESCAPE '\\'" for name in names) + ")"

    def word_matches(self, alternatives: list[str]) -> str:
        return "(" + " OR ".join(self.column_matches(column, alternatives)
                                 for column in ("folded_title", "folded_tags", "folded_body")) + ")"

    def weighted_score(self, query: list[QueryWord]) -> str:
        # Each row found matched each word somewhere: the body weight is counted without reading
        # the (long) body again; only the short title and tags are looked at a second time.
        return " + ".join(
            f"({BODY_WEIGHT}"
            f" + CASE WHEN {self.column_matches('folded_title', word.alternatives)} THEN {TITLE_WEIGHT} ELSE 0 END"
            f" + CASE WHEN {self.column_matches('folded_tags', word.alternatives)} THEN {TAGS_WEIGHT} ELSE 0 END)"
            for word in query)


def _run_ranked(sql: str, params: dict, units: list[int], limit: int) -> list[tuple[int, float]]:
    statement = text(sql).bindparams(bindparam("units", expanding=True))
    rows = db.session.execute(statement, {**params, "units": units, "limit": limit})
    return [(routine_id, float(score)) for routine_id, score in rows]


class SearchEngine(Protocol):
    """What search_routines needs of a database; one implementation per dialect."""

    def has_match(self, term: str) -> bool:
        """Whether `term` occurs anywhere in the indexed text (visible or not)."""

    def ranked(self, query: list[QueryWord], units: list[int], limit: int) -> list[tuple[int, float]]:
        """(routine id, score) of the best visible routines matching every word of `query`."""


class LikeSearch:
    """Substring search with LIKE on the folded columns: PostgreSQL (pg_trgm GIN indexes serve it)."""

    def has_match(self, term: str) -> bool:
        conditions = _LikeConditions()
        sql = f"SELECT 1 FROM routine_search_documents d WHERE {conditions.word_matches([term])} LIMIT 1"
        return db.session.execute(text(sql), conditions.params).first() is not None

    def ranked(self, query: list[QueryWord], units: list[int], limit: int) -> list[tuple[int, float]]:
        conditions = _LikeConditions()
        matches = " AND ".join(conditions.word_matches(word.alternatives) for word in query)
        score = conditions.weighted_score(query)
        sql = f"""SELECT d.routine_id, {score} AS score
FROM routine_search_documents d JOIN routines r ON r.id = d.routine_id
WHERE {_VISIBLE} AND {matches}
ORDER BY score DESC, d.routine_id LIMIT :limit"""
        return _run_ranked(sql, conditions.params, units, limit)


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class SqliteFtsSearch(LikeSearch):
    """FTS5 with the trigram tokenizer; words of two letters (below a trigram) fall back to LIKE."""

    def has_match(self, term: str) -> bool:
        if len(term) < 3:
            return super().has_match(term)
        sql = f"SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :match LIMIT 1"
        return db.session.execute(text(sql), {"match": _fts_phrase(term)}).first() is not None

    def ranked(self, query: list[QueryWord], units: list[int], limit: int) -> list[tuple[int, float]]:
        indexed = [word for word in query if all(len(term) >= 3 for term in word.alternatives)]
        short = [word for word in query if word not in indexed]
        if not indexed:
            return super().ranked(query, units, limit)
        match = " AND ".join("(" + " OR ".join(_fts_phrase(t) for t in word.alternatives) + ")" for word in indexed)
        conditions = _LikeConditions()
        short_join = ""
        if short:
            matches = " AND ".join(conditions.word_matches(word.alternatives) for word in short)
            short_join = f"JOIN routine_search_documents d ON d.routine_id = {FTS_TABLE}.rowid AND {matches}"
        sql = f"""SELECT {FTS_TABLE}.rowid, -bm25({FTS_TABLE}, {TITLE_WEIGHT}, {TAGS_WEIGHT}, {BODY_WEIGHT}) AS score
FROM {FTS_TABLE} JOIN routines r ON r.id = {FTS_TABLE}.rowid {short_join}
WHERE {FTS_TABLE} MATCH :match AND {_VISIBLE}
ORDER BY score DESC, {FTS_TABLE}.rowid LIMIT :limit"""
        return _run_ranked(sql, {**conditions.params, "match": match}, units, limit)


_ENGINES: dict[str, SearchEngine] = {"sqlite": SqliteFtsSearch(), "postgresql": LikeSearch()}


def search_engine() -> SearchEngine:
    """The implementation for the session's database (LIKE serves any other dialect, by scanning)."""
    return _ENGINES.get(db.session.get_bind().dialect.name, _ENGINES["postgresql"])



def _hits_with_snippets(ranked: list[tuple[int, float]], query: list[QueryWord]) -> list[SearchHit]:
    if not ranked:
        return []
    ids = [routine_id for routine_id, _ in ranked]
    statement = text("SELECT routine_id, title, body, folded_title, folded_body FROM routine_search_documents "
                     "WHERE routine_id IN :ids").bindparams(bindparam("ids", expanding=True))
    documents = {row.routine_id: row for row in db.session.execute(statement, {"ids": ids})}
    pattern = highlight_pattern(query)
    hits = []
    for routine_id, score in ranked:
        document = documents[routine_id]
        snippet = (snippet_html(document.body, document.folded_body, pattern, query)
                   or snippet_html(document.title, document.folded_title, pattern, query)
                   or escape(first_words(document.body) or document.title))
        hits.append(SearchHit(routine_id, document.title, Markup(snippet), score))
    return hits


# ---------------------------------------------------------------------------------------------
# Schema: the engine's index, and keeping Alembic's autogenerate away from it


def ensure_search_index(engine: Engine) -> None:
    """Create the search index if missing (after db.create_all(); migrations create it otherwise)."""
    statements = SEARCH_INDEX_DDL.get(engine.dialect.name, [])
    with engine.begin() as connection:
        existed = engine.dialect.name == "sqlite" and connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = ?", (FTS_TABLE,)).first() is not None
        for statement in statements:
            connection.exec_driver_sql(statement)
        if engine.dialect.name == "sqlite" and not existed:
            connection.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def include_object(object, name, type_, reflected, compare_to) -> bool:
    """Alembic autogenerate hook: leave the search index (FTS5 tables, trigram indexes) alone."""
    if type_ == "table" and name and name.startswith(FTS_TABLE):
        return False
    if type_ == "index" and name in TRGM_INDEXES:
        return False
    return True
