"""Routine search: what a stressed person types finds the routine, and only routines they may see.

The searchable text of each published routine lives in RoutineSearchDocument, folded (lower case,
diacritics removed, same length) so "lakemedel" finds "Läkemedel". Each query word becomes the OR
of itself, its synonyms and, when it matches nothing, its typo corrections; all words must match.
Substring matching finds parts of Swedish compounds: SQLite FTS5 with the trigram tokenizer (the
embedded default) or LIKE on PostgreSQL with pg_trgm GIN indexes, picked by the database dialect.
"""
import re
import threading
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from typing import Protocol

from markupsafe import Markup, escape
from sqlalchemy import bindparam, text
from sqlalchemy.engine import Engine

from app.extensions import db
from app.routines.models import RoutineSearchDocument
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
        for name, column in zip(TRGM_INDEXES, ("folded_title", "folded_tags", "folded_body"))
    ],
}

# Title above tags above body.
TITLE_WEIGHT, TAGS_WEIGHT, BODY_WEIGHT = 10.0, 5.0, 1.0
MIN_QUERY_LENGTH = 2
MAX_QUERY_WORDS = 8
MAX_CORRECTIONS = 3
SNIPPET_WORDS = 25


@dataclass(frozen=True)
class SearchHit:
    """One routine found, with a highlighted snippet (safe HTML) and its score (higher is better)."""

    routine_id: int
    title: str
    snippet_html: Markup
    score: float


# ---------------------------------------------------------------------------------------------
# Folding and the indexed text


def _fold_character(character: str) -> str:
    lower = character.lower()
    if len(lower) != 1:  # "İ".lower() is two characters: keep the length
        lower = character
    if lower in _SPECIAL_FOLDS:
        return _SPECIAL_FOLDS[lower]
    decomposed = unicodedata.normalize("NFD", lower)
    if len(decomposed) > 1 and all(unicodedata.combining(mark) for mark in decomposed[1:]):
        return decomposed[0].lower()
    return lower


# Letters without a canonical decomposition that people still type without their mark.
_SPECIAL_FOLDS = {"ø": "o", "æ": "a", "œ": "o", "ß": "s", "ł": "l", "đ": "d", "ð": "d", "þ": "t",
                  "ı": "i", "ħ": "h", "ŧ": "t", "ŋ": "n"}
# Latin-1, Latin Extended-A and -B, Latin Extended Additional (Vietnamese and others).
_FOLD_TABLE = {code: _fold_character(chr(code)) for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00))
               if _fold_character(chr(code)) != chr(code)}


def fold(text: str) -> str:
    """Lower case without diacritics (Läkemedel → lakemedel), one character for each character."""
    lower = text.lower()
    if len(lower) != len(text):
        lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lower.translate(_FOLD_TABLE)


_MARKDOWN_RULES = [
    (re.compile(r"^[ \t]*(```|~~~).*$", re.M), ""),                            # code fences
    (re.compile(r"^[ \t]{0,3}([-*_])([ \t]*\1){2,}[ \t]*$", re.M), ""),        # horizontal rules
    (re.compile(r"^[ \t]*\|?([ \t]*:?-{2,}:?[ \t]*\|)+[ \t]*(:?-+:?)?[ \t]*$", re.M), ""),  # table rules
    (re.compile(r"^[ \t]*\[[^\]\n]+\]:[ \t]+\S.*$", re.M), ""),                 # link reference definitions
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+|[ \t]+#+[ \t]*$", re.M), ""),          # headings
    (re.compile(r"^[ \t]*(>[ \t]*)+", re.M), ""),                               # block quotes
    (re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?", re.M), ""),  # list items, tasks
    (re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),                        # images → alt text
    (re.compile(r"\[\[([^\]|\n]+)\|([^\]\n]+)\]\]"), r"\2"),                   # [[slug|label]] → label
    (re.compile(r"\[\[([^\]\n]+)\]\]"), lambda m: re.sub(r"[-_]+", " ", m.group(1))),  # [[slug]] → words
    (re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)"), r"\1"),                         # [text](url) → text
    (re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]"), r"\1"),                        # [text][ref] → text
    (re.compile(r"(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1"), r"\2"),                  # strong, strikethrough
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),        # *emphasis*
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1"),                # _emphasis_
    (re.compile(r"`+([^`\n]*)`+"), r"\1"),                                     # inline code
    (re.compile(r"^[ \t]*\||\|[ \t]*$", re.M), ""),                             # table row edges
    (re.compile(r"[ \t]*\|[ \t]*"), " "),                                      # table cells
]


def markdown_to_text(body_markdown: str) -> str:
    """The words of a Markdown body without its syntax (HTML is kept as text; snippets escape it)."""
    plain = body_markdown.replace("\r\n", "\n")
    for pattern, replacement in _MARKDOWN_RULES:
        plain = pattern.sub(replacement, plain)
    plain = "\n".join(line.strip() for line in plain.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", plain).strip()


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
    return [QueryWord(word, list(dict.fromkeys(terms))) for word, terms in zip(words, alternatives)]


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


# ---------------------------------------------------------------------------------------------
# Snippets


def _hits_with_snippets(ranked: list[tuple[int, float]], query: list[QueryWord]) -> list[SearchHit]:
    if not ranked:
        return []
    ids = [routine_id for routine_id, _ in ranked]
    statement = text("SELECT routine_id, title, body, folded_title, folded_body FROM routine_search_documents "
                     "WHERE routine_id IN :ids").bindparams(bindparam("ids", expanding=True))
    documents = {row.routine_id: row for row in db.session.execute(statement, {"ids": ids})}
    pattern = _highlight_pattern(query)
    hits = []
    for routine_id, score in ranked:
        document = documents[routine_id]
        snippet = (_snippet_html(document.body, document.folded_body, pattern, query)
                   or _snippet_html(document.title, document.folded_title, pattern, query)
                   or escape(_first_words(document.body) or document.title))
        hits.append(SearchHit(routine_id, document.title, Markup(snippet), score))
    return hits


def _highlight_pattern(query: list[QueryWord]) -> re.Pattern:
    terms = sorted({term for word in query for term in word.alternatives}, key=len, reverse=True)
    return re.compile("|".join(re.escape(term) for term in terms))


def _first_words(text_: str) -> str:
    words = text_.split()
    return " ".join(words[:SNIPPET_WORDS]) + (" …" if len(words) > SNIPPET_WORDS else "")


def _snippet_html(original: str, folded: str, pattern: re.Pattern, query: list[QueryWord]) -> str:
    """About 25 words of `original` around its best match, escaped, matches in <mark>; "" if none."""
    matches = [m.span() for _, m in zip(range(200), pattern.finditer(folded))]
    if not matches:
        return ""
    word_of_term = {term: i for i, word in enumerate(query) for term in word.alternatives}
    starts = [start for start, _ in matches]

    def query_words_near(start: int) -> int:
        # The match whose neighbourhood (about a snippet's length of text) holds most query words wins.
        near = matches[bisect_right(starts, start - 60):bisect_right(starts, start + 140)]
        return len({word_of_term.get(folded[s:e]) for s, e in near})

    best = max(starts[:50], key=query_words_near)
    # Only the text around the best match is cut into words: bodies can be long.
    region_start = max(0, best - 120)
    region_start = original.rfind(" ", 0, region_start) + 1 if region_start else 0
    region = [(region_start + m.start(), region_start + m.end())
              for m in re.finditer(r"\S+", original[region_start:best + 400])]
    first = max(0, bisect_right([s for s, _ in region], best) - 1 - SNIPPET_WORDS // 3)
    window = region[first:first + SNIPPET_WORDS]
    begin, end = window[0][0], window[-1][1]
    pieces, position = [], begin
    for start, stop in matches:
        if start < begin or stop > end:
            continue
        pieces.append(_collapse(escape(original[position:start])))
        pieces.append(Markup("<mark>") + escape(original[start:stop]) + Markup("</mark>"))
        position = stop
    pieces.append(_collapse(escape(original[position:end])))
    prefix = "… " if begin > 0 else ""
    suffix = " …" if original[end:].strip() else ""
    return prefix + "".join(pieces) + suffix


def _collapse(html: Markup) -> str:
    return re.sub(r"\s+", " ", str(html))


# ---------------------------------------------------------------------------------------------
# Typo corrections


def damerau_levenshtein(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, substitute, swap neighbours) from a to b; limit + 1 once beyond `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, before_previous[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        before_previous, previous = previous, current
    return previous[-1] if previous[-1] <= limit else limit + 1


def allowed_typos(word: str) -> int:
    """How many edits a query word may be from the word meant: none below 4 letters, 1 up to 6, then 2."""
    return 0 if len(word) < 4 else 1 if len(word) <= 6 else 2


def _trigrams(word: str) -> set[str]:
    padded = f"^{word}$"
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


class Vocabulary:
    """The folded words of the indexed routines, with how many routines use each, for typo corrections.

    Parts of compounds whose other part is a word of its own ("hygien" of "handhygien", "hand" being
    a word) count too, after whole words: a typo in a compound part still finds the compound.
    """

    MAX_CANDIDATES = 300
    MIN_PART = 4

    def __init__(self, texts, state=None):
        frequency: Counter[str] = Counter()
        for text_ in texts:
            frequency.update(set(re.findall(r"[^\W\d_]{3,}", text_)))
        self.state = state
        self.frequency = frequency
        self.part_frequency = self._compound_parts(frequency)
        self.letters = "".join(sorted({letter for word in frequency for letter in word}))
        self.words_by_trigram: dict[str, list[str]] = {}
        for word in (*frequency, *self.part_frequency):
            for trigram in _trigrams(word):
                self.words_by_trigram.setdefault(trigram, []).append(word)

    @classmethod
    def _compound_parts(cls, frequency: Counter[str]) -> Counter[str]:
        parts: Counter[str] = Counter()
        for word, count in frequency.items():
            for cut in range(cls.MIN_PART, len(word) - cls.MIN_PART + 1):
                head, tail = word[:cut], word[cut:]
                # Swedish joins many compounds with an s: läkemedel|s|hantering.
                if head in frequency or (head.endswith("s") and head[:-1] in frequency):
                    parts[tail] += count
                if tail in frequency:
                    parts[head] += count
        return Counter({part: count for part, count in parts.items() if part not in frequency})

    def corrections(self, word: str) -> list[str]:
        """The words most likely meant by `word`: fewest edits first, then whole words, then the most used."""
        limit = allowed_typos(word)
        if limit == 0 or not word.isalpha():
            return []
        found = {candidate: 1 for candidate in self._one_edit_away(word) if self._is_known(candidate)}
        if not found and limit == 2:
            found = {candidate: 2 for candidate in self._near_by_trigrams(word)
                     if damerau_levenshtein(word, candidate, 2) == 2}
        ranked = sorted(found, key=lambda c: (found[c], c not in self.frequency,
                                              -(self.frequency[c] or self.part_frequency[c]), c))
        return ranked[:MAX_CORRECTIONS]

    def _is_known(self, word: str) -> bool:
        return word in self.frequency or word in self.part_frequency

    def _one_edit_away(self, word: str) -> set[str]:
        splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
        deletes = {left + right[1:] for left, right in splits if right}
        swaps = {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
        replaces = {left + letter + right[1:] for left, right in splits if right for letter in self.letters}
        inserts = {left + letter + right for left, right in splits for letter in self.letters}
        return (deletes | swaps | replaces | inserts) - {word}

    def _near_by_trigrams(self, word: str) -> list[str]:
        trigrams = _trigrams(word)
        # Two edits change at most eight trigrams; a word sharing fewer cannot be two edits away.
        needed = max(1, len(trigrams) - 8)
        shared: Counter[str] = Counter()
        for trigram in trigrams:
            shared.update(w for w in self.words_by_trigram.get(trigram, ()) if abs(len(w) - len(word)) <= 2)
        return [w for w, count in shared.most_common(self.MAX_CANDIDATES) if count >= needed]


_vocabularies: dict[str, Vocabulary] = {}
_vocabulary_lock = threading.Lock()


def vocabulary() -> Vocabulary:
    """This process's vocabulary of the database, rebuilt when the indexed documents have changed."""
    bind = db.session.get_bind()
    key = bind.url.render_as_string(hide_password=True)
    # Any index_routine moves max(indexed_at); any removal lowers the count. Cheap: both are indexed.
    state = tuple(db.session.execute(text(
        "SELECT count(*), max(indexed_at) FROM routine_search_documents")).one())
    cached = _vocabularies.get(key)
    if cached is not None and cached.state == state:
        return cached
    with _vocabulary_lock:
        cached = _vocabularies.get(key)
        if cached is None or cached.state != state:
            rows = db.session.execute(text(
                "SELECT folded_title, folded_tags, folded_body FROM routine_search_documents"))
            cached = _vocabularies[key] = Vocabulary((" ".join(row) for row in rows), state)
    return cached


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
