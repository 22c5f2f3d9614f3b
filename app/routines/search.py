"""Routine search: what a stressed person types finds the routine, and only routines they may see.

The text is analysed in app/routines/analysis.py (folding, stop words, Snowball stems, compound parts)
and searched in this process's in-memory index (app/routines/search_index.py), the same on SQLite and
PostgreSQL. A query matches by ANY content word; each word is satisfied by its stem as a whole word,
inside a compound, by the same word in another word class (undernärd: undernäring), by the parts of its own
compound, by its synonyms (and, for a synonym the library never uses, by that synonym's own entry), by a
longer word it begins, or, when it matches nothing, by its typo corrections. Ranking: exact title, title
phrase, a query word standing as a word of its own (not only inside compounds), then BM25 over title, tags,
headings and body (weighted per field) times the share of the query's words the routine covers.
"""
import heapq
import unicodedata
from dataclasses import dataclass, field, replace

from markupsafe import Markup, escape
from sqlalchemy import bindparam, text

from app.extensions import db
from app.routines import analysis, query_compounds
from app.routines.folding import fold, markdown_to_text
from app.routines.models import RoutineSearchDocument
from app.routines.search_index import SearchIndex, current_index
from app.routines.snippets import first_words, highlight_pattern, snippet_html
from app.routines.synonyms import Synonyms, load_synonyms
from app.routines.typos import damerau_levenshtein
from app.timestamps import utcnow

# Title above tags above body.
TITLE_WEIGHT, TAGS_WEIGHT, BODY_WEIGHT = 10.0, 5.0, 1.0
MIN_QUERY_LENGTH = 2
MAX_QUERY_WORDS = 8
# Longer queries are cut here: nobody types more, and the analysis of a word grows with its length.
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class SearchHit:
    """One routine found, with a highlighted snippet (safe HTML) and its score (higher is better)."""

    routine_id: int
    title: str
    snippet_html: Markup
    score: float
    kind: str = ""
    unit_name: str | None = None  # None: a central routine


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
    db.session.flush()
    return document


def remove_routine(routine_id: int) -> None:
    """Take the routine out of search (archived); the caller commits."""
    document = db.session.get(RoutineSearchDocument, routine_id)
    if document is not None:
        db.session.delete(document)
        db.session.flush()


# ---------------------------------------------------------------------------------------------
# Queries


@dataclass(frozen=True)
class Option:
    """A stem that satisfies a query word: as a whole word ("w") or as a part of a compound ("p")."""

    stem: str
    kind: str
    weight: float
    group: int = 0  # 0: the word itself; 1, 2 ...: one part of the query word's own compound


@dataclass
class QueryWord:
    """One word (or synonym phrase) of the query, the options that satisfy it, and what to highlight."""

    word: str
    options: list[Option] = field(default_factory=list)
    correction: str | None = None  # the word meant, when a typo correction was used

    @property
    def alternatives(self) -> list[str]:
        """The folded strings to mark in snippets."""
        return list(dict.fromkeys(option.stem for option in self.options if len(option.stem) >= 3))

    def add(self, stem: str, weight: float, group: int = 0, parts: bool = True) -> None:
        self.options.append(Option(stem, "w", weight, group))
        if parts and len(stem) >= 3:
            self.options.append(Option(stem, "p", weight * PART_WEIGHT, group))


# How much a match counts, as a share of the word as typed found as a whole word.
PART_WEIGHT = 0.5        # the word found inside a compound of the routine (hygien in handhygien)
COMPOUND_WEIGHT = 0.8    # the parts of a compound typed (nyckelförlust → nyckel, förlust)
SYNONYM_WEIGHT = 0.9
PREFIX_WEIGHT = 0.7      # a word not yet typed to its end (insul → insulin)
TYPO_WEIGHT = 0.8
DERIVED_WEIGHT = 0.8     # the same word in another word class (undernärd → undernäring)
NEAREST_WEIGHT = 0.6
INTENT_WEIGHT = 0.3      # a verb that asks for a kind of answer, beside the words that say the topic


@dataclass
class SearchResult:
    """Hits for a query; `corrected` is the query as the search understood it when it corrected words."""

    hits: list[SearchHit]
    corrected: str | None = None
    nearest: bool = False  # nothing matched as typed: these are the nearest routines


def search_routines(text_: str, visible_unit_ids: set[int], limit: int = 20) -> list[SearchHit]:
    """The published, unarchived routines the reader may see that match any word of `text_`, best first."""
    return search(text_, visible_unit_ids, limit).hits


def search(text_: str, visible_unit_ids: set[int], limit: int = 20, nearest: bool = False) -> SearchResult:
    """Like search_routines(), with the corrected query; with `nearest`, never empty while the library is not."""
    words = query_words(text_)
    if not words or limit < 1:
        return SearchResult([])
    index = current_index()
    query = analyse_query(text_, words, load_synonyms(), index)
    if not query:
        return SearchResult([])
    ranked = rank(index, query, visible_unit_ids, limit)
    corrected = _corrected_text(words, query)
    if not ranked and nearest:
        query = [_with_nearest(word, index) for word in query]
        ranked = rank(index, query, visible_unit_ids, limit)
        return SearchResult(_hits_with_snippets(ranked, query), _corrected_text(words, query), bool(ranked))
    return SearchResult(_hits_with_snippets(ranked, query), corrected)


def query_words(text_: str) -> list[str]:
    """The folded words of a query: punctuation (and so any query syntax) dropped, 1-letter words too."""
    return list(dict.fromkeys(_typed_words(text_)))[:MAX_QUERY_WORDS * 2]


def _typed_words(text_: str) -> list[str]:
    """The query's words in the order typed, repeats kept: phrases are looked for in these ("innan jag går in"
    in "vad ska jag göra innan jag går in")."""
    folded = fold(unicodedata.normalize("NFC", (text_ or "")[:MAX_QUERY_LENGTH])).strip()
    if len(folded) < MIN_QUERY_LENGTH:
        return []
    return [word for word in analysis.tokens(folded) if len(word) >= MIN_QUERY_LENGTH]


def analyse_query(text_: str, words: list[str], synonyms: Synonyms, index: SearchIndex) -> list[QueryWord]:
    """The query's content words, each with the stems that satisfy it; synonym phrases as one word."""
    typed = _typed_words(text_) or words
    phrases, covered = [], set()
    for phrase, terms in synonyms.phrases:
        for start in range(len(typed) - len(phrase) + 1):
            if typed[start:start + len(phrase)] == phrase:
                phrases.append((" ".join(phrase), terms, frozenset(phrase)))
                covered.update(phrase)
    _stemmed_phrases(typed, synonyms, phrases, covered)
    # A phrase inside a longer one found in the same words says less: "vill inte" (refuses a visit) within
    # "vill inte ta tabletterna" (refuses the medicine) would pull towards every refusal.
    phrases = [(phrase, terms) for phrase, terms, said in phrases
               if not any(said < other for _, _, other in phrases)]
    query = []
    for word in words:
        if word in analysis.STOP_WORDS or word in covered:
            continue
        query.append(_word_options(word, synonyms, index))
    for phrase, terms in phrases:
        query_word = QueryWord(phrase)
        for term in terms:
            _add_meaning(query_word, term, SYNONYM_WEIGHT, synonyms, index)
        query.append(query_word)
    query = query[:MAX_QUERY_WORDS]
    # "vem ringer jag när jag blir sen": the topic is being late; whom to call only tips the balance.
    if any(word.word not in analysis.INTENT_WORDS for word in query):
        for word in query:
            if word.word in analysis.INTENT_WORDS:
                stems = set(index.analyser.term(word.word).stems)
                word.options = [replace(option, weight=option.weight * INTENT_WEIGHT) for option in word.options
                                if option.stem in stems]
    return query


def _stemmed_phrases(words: list[str], synonyms: Synonyms, phrases: list, covered: set[str]) -> None:
    """Add the synonym phrases the query says in its content words, as a second-language speaker or a hurried
    thumb says them: small words left out, a verb not inflected ("jag ny jobba här" holds "ny på jobbet")."""
    content = [(word, analysis.stem(word)) for word in words if word not in analysis.STOP_WORDS]
    found = {phrase for phrase, _, _ in phrases}
    for key, stems, terms in synonyms.stemmed_phrases():
        if key in found:
            continue
        for start in range(len(content) - len(stems) + 1):
            if all(content[start + offset][1] == stem_ for offset, stem_ in enumerate(stems)):
                # With the phrase's small words the query holds too ("vill inte" of "vill inte ta tabletterna").
                said = frozenset(content[start + offset][0] for offset in range(len(stems))) | (
                    set(key.split()) & set(words))
                phrases.append((key, terms, said))
                found.add(key)
                covered.update(said)
                break


def _stems(term: str) -> list[str]:
    return [analysis.stem(word) for word in analysis.content_words(term)]


def _add_meaning(query_word: QueryWord, term: str, weight: float, synonyms: Synonyms, index: SearchIndex,
                 group: int = 0) -> None:
    """A term a synonym means, and, when the library never uses that term, what the thesaurus says it means in
    turn: "dotter" means närstående, and a library that says anhöriga is found through närstående's entry."""
    stems = _stems(term)
    for stem_ in stems:
        query_word.add(stem_, weight, group)
    if stems and " " not in term and not any(index.has_stem(stem_) for stem_ in stems):
        for further in synonyms.meaning(term, stems[0]):
            for stem_ in _stems(further):
                query_word.add(stem_, weight * SYNONYM_WEIGHT, group)
        # Nor that entry: the term's compound parts, as a query word's ("stickskada": stick, skada).
        if not _matches(query_word, index):
            for part in index.analyser.term(analysis.tokens(term)[0]).parts:
                query_word.add(part, weight * COMPOUND_WEIGHT, group)


def _word_options(word: str, synonyms: Synonyms, index: SearchIndex) -> QueryWord:
    term = index.analyser.term(word)
    query_word = QueryWord(word)
    for stem_ in term.stems:
        query_word.add(stem_, 1.0)
    # The word in another word class: "undernärd" finds undernäring, "förvirring" förvirrad.
    for stem_ in term.stems:
        for related in index.related_stems(stem_):
            query_word.add(related, DERIVED_WEIGHT)
    # The definite form finds the entry of its base form too (lasarettet: lasarett), also where Snowball
    # stems the two apart.
    for meant in next((found for stem_ in term.stems if (found := synonyms.meaning(word, stem_))), []):
        _add_meaning(query_word, meant, SYNONYM_WEIGHT, synonyms, index)
    if not _matches(query_word, index) and len(word) >= 3:
        for stem_ in index.stems_starting_with(term.stem):
            query_word.add(stem_, PREFIX_WEIGHT, parts=False)
    compound_typo = None
    if not _matches(query_word, index):
        # A word the library does not know: a typo of a word it knows, or a compound of known parts.
        corrections = index.vocabulary().corrections(word)
        if not term.parts and (not corrections or damerau_levenshtein(word, corrections[0], 1) > 1):
            compound_typo = query_compounds.compound_typo(word, index)
        if compound_typo:
            corrections = []
            query_word.correction = compound_typo[1]
        for correction in corrections:
            corrected = index.analyser.term(correction)
            query_word.add(corrected.stem, TYPO_WEIGHT)
            for meant in synonyms.meaning(correction, corrected.stem):
                _add_meaning(query_word, meant, TYPO_WEIGHT * SYNONYM_WEIGHT, synonyms, index)
        if corrections:
            query_word.correction = corrections[0]
    if not _matches(query_word, index) and (base := analysis.clipped_base(word)):
        # Neither a word nor a typo of one: "stödisar" means the compounds that begin with stöd, not stöd alone.
        base_stem = analysis.stem(base)
        for stem_ in index.stems_starting_with(base_stem):
            if len(stem_) > len(base_stem):
                query_word.add(stem_, PREFIX_WEIGHT, parts=False)
    parts = query_compounds.compound_parts(word, term, compound_typo, _matches(query_word, index), synonyms,
                                           index)
    for group, part in enumerate(parts, start=1):
        query_word.add(part, COMPOUND_WEIGHT, group)
        for meant in synonyms.meaning(part, part):
            _add_meaning(query_word, meant, COMPOUND_WEIGHT * SYNONYM_WEIGHT, synonyms, index, group)
    return query_word


def _matches(query_word: QueryWord, index: SearchIndex) -> bool:
    return any(index.has_stem(option.stem) for option in query_word.options)


def _with_nearest(query_word: QueryWord, index: SearchIndex) -> QueryWord:
    """The word with the nearest known word added (more edits than a typo correction allows)."""
    if any(index.has_stem(option.stem) for option in query_word.options) or " " in query_word.word:
        return query_word
    nearest = index.vocabulary().nearest(query_word.word)
    if nearest is None:
        return query_word
    widened = QueryWord(query_word.word, list(query_word.options), nearest)
    widened.add(index.analyser.term(nearest).stem, NEAREST_WEIGHT)
    return widened


def _corrected_text(words: list[str], query: list[QueryWord]) -> str | None:
    corrections = {word.word: word.correction for word in query if word.correction}
    if not corrections:
        return None
    return " ".join(corrections.get(word, word) for word in words)


def rank(index: SearchIndex, query: list[QueryWord], units: set[int], limit: int) -> list[tuple[int, float]]:
    """(routine id, score) of the best visible routines: exact title, then title phrase, then whether a query
    word stands in the routine as a word of its own (not only inside compounds), then BM25 times the share of
    the query's words the routine covers (Lucene's coordination factor)."""
    per_word = [_word_scores(index, word) for word in query]
    scores, whole = per_word[0] if len(per_word) == 1 else ({}, set())
    covered: dict[int, int] = {}
    for word_scores, whole_ids in per_word if len(per_word) > 1 else ():
        whole |= whole_ids
        for routine_id, score in word_scores.items():
            scores[routine_id] = scores.get(routine_id, 0.0) + score
            covered[routine_id] = covered.get(routine_id, 0) + 1
    # Each word as typed, or as its synonyms or corrections say it: "ringa sjuksyster" is the phrase in
    # "... ringa sjuksköterska".
    stems = tuple(frozenset([analysis.stem(word.word)]
                            + [option.stem for option in word.options if option.kind == "w" and not option.group])
                  for word in query if " " not in word.word)
    documents, visible, size = index.documents, index.visible_ids(units), len(per_word)
    # Only a title holding the query's first word can be the title or hold the phrase.
    titled = set().union(*(index.titles.get(stem_, ()) for stem_ in stems[0])) if stems else ()
    ranked = [(_title_level(documents[routine_id].title_stems, stems) if routine_id in titled else 0,
               routine_id in whole, score * covered.get(routine_id, 1) / size, -routine_id)
              for routine_id, score in scores.items() if routine_id in visible]
    return [(-key[3], round(key[2], 4)) for key in heapq.nlargest(limit, ranked)]


def _word_scores(index: SearchIndex, word: QueryWord) -> tuple[dict[int, float], set[int]]:
    """Each routine's score for one query word: its best option, or the parts of the word's compound together;
    and the routines where one of its options stands as a whole word."""
    groups: dict[int, dict[int, float]] = {}
    whole: set[int] = set()
    for option in word.options:
        postings = (index.whole if option.kind == "w" else index.part).get(option.stem)
        if not postings:
            continue
        if option.kind == "w":
            whole.update(postings)
        factor = option.weight * index.idf(postings)
        best = groups.get(option.group)
        if best is None:  # the first option of its group: every score is new (all are above 0)
            groups[option.group] = {routine_id: factor * weight for routine_id, weight in postings.items()}
            continue
        for routine_id, weight in postings.items():
            score = factor * weight
            if score > best.get(routine_id, 0.0):
                best[routine_id] = score
    scores = groups.pop(0, {})
    if groups:
        parts = len({option.group for option in word.options} - {0})
        combined: dict[int, float] = {}
        for best in groups.values():
            for routine_id, score in best.items():
                combined[routine_id] = combined.get(routine_id, 0.0) + score / parts
        for routine_id, score in combined.items():
            if score > scores.get(routine_id, 0.0):
                scores[routine_id] = score
    return scores, whole


def _title_level(title: tuple[str, ...], stems: tuple[frozenset[str], ...]) -> int:
    """2: the title is the query; 1: the title holds the query's words in a row (two or more); else 0.
    `stems`: per query word, the stems that say it."""
    size = len(stems)
    if not stems or len(title) < size:
        return 0
    if len(title) == size and all(word in said for word, said in zip(title, stems, strict=True)):
        return 2
    if size >= 2 and any(all(word in said for word, said in zip(title[start:start + size], stems, strict=True))
                         for start in range(len(title) - size + 1)):
        return 1
    return 0


def _hits_with_snippets(ranked: list[tuple[int, float]], query: list[QueryWord]) -> list[SearchHit]:
    if not ranked:
        return []
    ids = [routine_id for routine_id, _ in ranked]
    statement = text("SELECT d.routine_id, d.title, d.body, d.folded_title, d.folded_body, r.kind, u.name AS unit "
                     "FROM routine_search_documents d JOIN routines r ON r.id = d.routine_id "
                     "LEFT JOIN units u ON u.id = r.scope_unit_id "
                     "WHERE d.routine_id IN :ids").bindparams(bindparam("ids", expanding=True))
    documents = {row.routine_id: row for row in db.session.execute(statement, {"ids": ids})}
    pattern = highlight_pattern(query)
    hits = []
    for routine_id, score in ranked:
        document = documents[routine_id]
        snippet = (snippet_html(document.body, document.folded_body, pattern, query)
                   or snippet_html(document.title, document.folded_title, pattern, query)
                   or escape(first_words(document.body) or document.title))
        hits.append(SearchHit(routine_id, document.title, Markup(snippet), score, document.kind, document.unit))
    return hits
