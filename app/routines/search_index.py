"""The search index of one process: routine_search_documents analysed into terms, kept in memory.

Same results on SQLite and PostgreSQL (the database only stores the text), and fast: a query looks up
a few posting lists. Each term is stored per document as its BM25 weight summed over the fields
(title, tags, headings, body, each with its weight), both as a whole word and as a part of compounds
(handhygien → hand, hygien).
Rebuilt in part when documents change: the state (count and max(indexed_at) of the documents,
max(changed_at) of the routines) is cheap to read on every query.
"""
import math
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import bindparam, text

from app.extensions import db
from app.routines.process_cache import PerDatabase
from app.routines import analysis
from app.routines.typos import Vocabulary

FIELDS = ("title", "tags", "headings", "body")
FIELD_WEIGHTS = {"title": 6.0, "tags": 4.0, "headings": 2.0, "body": 1.0}
FIELD_B = {"title": 0.3, "tags": 0.3, "headings": 0.5, "body": 0.75}
# Typical field lengths in content words. Fixed, not measured: a routine's weights then never depend on
# the other routines, so an update touches only its own postings and every process (and the phone)
# computes the same numbers.
FIELD_LENGTHS = {"title": 4.0, "tags": 4.0, "headings": 8.0, "body": 250.0}
K1 = 1.2
HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.M)

_STATE = text("""SELECT (SELECT count(*) FROM routine_search_documents),
       (SELECT max(indexed_at) FROM routine_search_documents),
       (SELECT max(changed_at) FROM routines)""")
_STAMPS = text("SELECT d.routine_id, d.indexed_at, r.changed_at FROM routine_search_documents d "
               "JOIN routines r ON r.id = d.routine_id")
_DOCUMENTS = """SELECT d.routine_id, d.title, d.folded_title, d.folded_tags, d.folded_body, v.body_md,
       r.scope_unit_id, r.kind, r.archived_at IS NULL AND r.current_version_id IS NOT NULL AS live
FROM routine_search_documents d JOIN routines r ON r.id = d.routine_id
LEFT JOIN routine_versions v ON v.id = r.current_version_id"""


@dataclass
class Document:
    """What the index keeps of one routine besides its postings."""

    routine_id: int
    title: str
    title_stems: tuple[str, ...]
    scope_unit_id: int | None
    kind: str
    live: bool
    lengths: dict[str, int]
    keys: list[tuple[str, str]] = field(default_factory=list)  # ("w" or "p", stem): where its postings are
    words: Counter = field(default_factory=Counter)


class SearchIndex:
    """Posting lists: stem → {routine id: BM25F term weight}, for whole words and for compound parts."""

    def __init__(self, analyser: analysis.Analyser, state=None):
        self.analyser = analyser
        self.state = state
        self.stamps: dict[int, tuple] = {}
        self.documents: dict[int, Document] = {}
        self.whole: dict[str, dict[int, float]] = {}
        self.part: dict[str, dict[int, float]] = {}
        self.titles: dict[str, set[int]] = {}  # stem → the routines whose title holds it
        self._sorted_stems: list[str] | None = None
        self._roots: dict[str, list[str]] | None = None
        self._vocabulary: Vocabulary | None = None
        self._visible: dict[frozenset[int], frozenset[int]] = {}

    # Building

    def add(self, row) -> None:
        """Index one row of _DOCUMENTS (replacing what the routine had)."""
        self.remove(row.routine_id)
        terms = self.field_terms(row)
        document = Document(row.routine_id, row.title, tuple(t.stem for t in terms["title"]), row.scope_unit_id,
                            row.kind, bool(row.live), {name: len(found) for name, found in terms.items()})
        whole: dict[str, dict[str, int]] = {}
        part: dict[str, dict[str, int]] = {}
        for name, found in terms.items():
            for term in found:
                document.words[term.word] += 1
                for stem in term.stems:
                    counts = whole.setdefault(stem, {})
                    counts[name] = counts.get(name, 0) + 1
                for stem in term.parts:
                    counts = part.setdefault(stem, {})
                    counts[name] = counts.get(name, 0) + 1
        for kind, postings, found in (("w", self.whole, whole), ("p", self.part, part)):
            for stem, counts in found.items():
                postings.setdefault(stem, {})[row.routine_id] = self._weight(counts, document.lengths)
                document.keys.append((kind, stem))
        self.documents[row.routine_id] = document
        for stem in document.title_stems:
            self.titles.setdefault(stem, set()).add(row.routine_id)
        self._sorted_stems = self._roots = self._vocabulary = None
        self._visible = {}

    def field_terms(self, row) -> dict[str, list[analysis.Term]]:
        """The terms of each field of one row of _DOCUMENTS, in FIELDS order."""
        headings = " ".join(HEADING.findall(row.body_md or ""))
        texts = {"title": row.folded_title, "tags": row.folded_tags, "headings": analysis.fold(headings),
                 "body": row.folded_body}
        return {name: self.analyser.terms(value or "") for name, value in texts.items()}

    def phone_document(self, row) -> dict:
        """What the phone needs to rank one routine as this index does (docs/SYNC.md, the routines feed):
        title stems, field lengths, per-field counts of each stem as a whole word and as a compound part,
        and its words of three letters or more (typo corrections, compound parts of queries)."""
        terms = self.field_terms(row)
        whole: dict[str, list[int]] = {}
        part: dict[str, list[int]] = {}
        words: set[str] = set()
        for position, name in enumerate(FIELDS):
            for term in terms[name]:
                for stem in term.stems:
                    whole.setdefault(stem, [0] * len(FIELDS))[position] += 1
                for stem in term.parts:
                    part.setdefault(stem, [0] * len(FIELDS))[position] += 1
                if len(term.word) >= 3 and term.word.isalpha():
                    words.add(term.word)
        return {"title": [term.stem for term in terms["title"]], "lengths": [len(terms[name]) for name in FIELDS],
                "whole": whole, "part": part, "words": sorted(words)}

    def _weight(self, counts: dict[str, int], lengths: dict[str, int]) -> float:
        """BM25 per field, weighted and summed: a word in the title outweighs any number of it in the body."""
        total = 0.0
        for name, count in counts.items():
            norm = K1 * (1 - FIELD_B[name] + FIELD_B[name] * lengths[name] / FIELD_LENGTHS[name])
            total += FIELD_WEIGHTS[name] * count * (K1 + 1) / (count + norm)
        return total

    def remove(self, routine_id: int) -> None:
        document = self.documents.pop(routine_id, None)
        if document is None:
            return
        for stem in document.title_stems:
            titled = self.titles.get(stem)
            if titled is not None:
                titled.discard(routine_id)
                if not titled:
                    del self.titles[stem]
        for kind, stem in document.keys:
            postings = (self.whole if kind == "w" else self.part)[stem]
            postings.pop(routine_id, None)
            if not postings:
                del (self.whole if kind == "w" else self.part)[stem]
        self._sorted_stems = self._roots = self._vocabulary = None
        self._visible = {}

    # Reading

    def idf(self, postings: dict[int, float]) -> float:
        count = len(self.documents)
        return math.log(1 + (count - len(postings) + 0.5) / (len(postings) + 0.5))

    def has_stem(self, stem: str) -> bool:
        return stem in self.whole or stem in self.part

    def stems_starting_with(self, prefix: str, limit: int = 8) -> list[str]:
        """Whole-word stems beginning with `prefix`, the most used first."""
        if self._sorted_stems is None:
            self._sorted_stems = sorted(self.whole)
        stems = self._sorted_stems
        found = []
        for position in range(bisect_left(stems, prefix), len(stems)):
            if not stems[position].startswith(prefix):
                break
            found.append(stems[position])
        return sorted(found, key=lambda stem: -len(self.whole[stem]))[:limit]

    def related_stems(self, stem: str) -> list[str]:
        """Whole-word stems of other word classes of the same word (analysis.root): undernar for undernaring."""
        if self._roots is None:
            roots: dict[str, list[str]] = {}
            for known in sorted(self.whole):
                roots.setdefault(analysis.root(known), []).append(known)
            self._roots = roots
        return [known for known in self._roots.get(analysis.root(stem), ()) if known != stem]

    def vocabulary(self) -> Vocabulary:
        """The folded words of the index, for typo corrections (built when first needed after a change)."""
        if self._vocabulary is None:
            counts: Counter[str] = Counter()
            for document in self.documents.values():
                counts.update(word for word in document.words if len(word) >= 3 and word.isalpha())
            self._vocabulary = Vocabulary.from_frequency(counts, self.state)
        return self._vocabulary

    def visible(self, routine_id: int, units: set[int]) -> bool:
        document = self.documents[routine_id]
        return document.live and (document.scope_unit_id is None or document.scope_unit_id in units)

    def visible_ids(self, units: set[int]) -> frozenset[int]:
        """The routines a reader of `units` may see (kept for the last few sets of units asked for)."""
        key = frozenset(units)
        found = self._visible.get(key)
        if found is None:
            if len(self._visible) >= 64:
                self._visible.clear()
            found = self._visible[key] = frozenset(routine_id for routine_id in self.documents
                                                   if self.visible(routine_id, units))
        return found


USE_WORDLIST = True  # bench/search_quality.py --no-wordlist measures the search without it


def library_analyser(rows) -> analysis.Analyser:
    """Compound parts are words of the library or of the Swedish word list; whole words are judged by the list."""
    counts = analysis.document_counts(f"{row.folded_title} {row.folded_tags} {row.folded_body}" for row in rows)
    library = analysis.index_zipf(counts)
    if not USE_WORDLIST:
        return analysis.Analyser(library, lambda word: 0.0)
    words = analysis.wordlist_zipf()
    return analysis.Analyser(analysis.combined_zipf(words, library), words)


def current_index() -> SearchIndex:
    """This process's index of the session's database, brought up to date with the documents."""
    return _indexes.get()


def phone_documents(routine_ids: list[int]) -> dict[int, dict]:
    """SearchIndex.phone_document() of each routine, analysed by this process's current index."""
    if not routine_ids:
        return {}
    index = current_index()
    statement = text(_DOCUMENTS + " WHERE d.routine_id IN :ids").bindparams(bindparam("ids", expanding=True))
    return {row.routine_id: index.phone_document(row)
            for row in db.session.execute(statement, {"ids": list(routine_ids)})}


def _refreshed(index: SearchIndex | None, state) -> SearchIndex:
    stamps = {row.routine_id: (row.indexed_at, row.changed_at) for row in db.session.execute(_STAMPS)}
    changed = [routine_id for routine_id, stamp in stamps.items() if index is None or index.stamps.get(routine_id)
               != stamp]
    if index is None or len(changed) > max(50, len(stamps) // 5):
        rows = db.session.execute(text(_DOCUMENTS)).all()
        index = SearchIndex(library_analyser(rows), state)
    else:
        rows = []
        if changed:
            statement = text(_DOCUMENTS + " WHERE d.routine_id IN :ids").bindparams(
                bindparam("ids", expanding=True))
            rows = db.session.execute(statement, {"ids": changed}).all()
        for routine_id in set(index.documents) - set(stamps):
            index.remove(routine_id)
        index.state = state
    for row in rows:
        index.add(row)
    index.stamps = stamps
    return index


_indexes = PerDatabase(_STATE, _refreshed)
