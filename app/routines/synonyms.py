"""Synonyms for search: everyday words and the terms they mean, as quality staff keep them (/rutiner/synonymer).

Services add and flush; the view or CLI command that calls them commits once."""
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select, text

from app.accounts.models import User
from app.accounts.rules import Role
from app.errors import DomainError, NotAllowed
from app.extensions import db
from app.routines import analysis
from app.routines.folding import fold
from app.routines.models import Synonym

# Shorter terms match too much to be worth looking for.
MIN_TERM_LENGTH = 2
MIN_KEY_WORD_LENGTH = 2  # = search.MIN_QUERY_LENGTH (search imports this module)
# Present and past tense → infinitive (ringer, ringde: ringa; larmar: larma), for a word with no entry of its own.
VERB_FORMS = (("er", "a"), ("ar", "a"), ("de", "a"), ("te", "a"))
MIN_VERB_STEM = 3


class SynonymError(DomainError):
    """A synonym that cannot be saved as given."""


# A fingerprint of the whole list, computed in the database: any saved edit changes it.
_SYNONYM_DIGEST = {
    "sqlite": "SELECT group_concat(word || char(31) || means, char(30)) FROM "
              "(SELECT word, means FROM search_synonyms ORDER BY id)",
    "postgresql": "SELECT count(*) || ':' || coalesce(sum(hashtext(word || chr(31) || means)::numeric), 0) || ':' "
                  "|| coalesce(max(id), 0) FROM search_synonyms",
}


@dataclass
class Synonyms:
    """Folded everyday words → the folded terms they mean; `phrases` are the keys of several words."""

    terms: dict[str, list[str]]
    phrases: list[tuple[list[str], list[str]]]
    _by_stem: dict[str, list[str]] | None = None
    _stemmed: list[tuple[str, tuple[str, ...], list[str]]] | None = None

    @classmethod
    def from_rows(cls, rows) -> "Synonyms":
        terms: dict[str, list[str]] = {}
        for word, means in rows:
            meant = [" ".join(fold(term).split()) for term in means.split(",")]
            # A query drops one-letter words (search.MIN_QUERY_LENGTH), so a key must too: "ont i ryggen"
            # is found as "ont ryggen".
            key = " ".join(token for token in analysis.tokens(word) if len(token) >= MIN_KEY_WORD_LENGTH)
            if not key:
                continue
            terms.setdefault(key, []).extend(t for t in meant if len(t) >= MIN_TERM_LENGTH)
        return cls(terms, [(key.split(), meant) for key, meant in terms.items() if " " in key])

    def get(self, word: str, default=()) -> list[str]:
        return self.terms.get(word, default)

    def meaning(self, word: str, stem: str) -> list[str]:
        """The terms meant by a folded query word: its own entry, else its verb's (ringer: ringa), else that of
        a word with the same stem. A verb form goes to its verb before the stem is asked, because a noun may
        share the stem: "ringer" (calls) is not "ringar" (rings, jewellery)."""
        if self._by_stem is None:
            self._by_stem = {}
            for key, meant in self.terms.items():
                if " " not in key:
                    self._by_stem.setdefault(analysis.stem(key), []).extend(meant)
        own = self.terms.get(word)
        if own:
            return own
        for ending, verb_ending in VERB_FORMS:
            if word.endswith(ending) and len(word) - len(ending) >= MIN_VERB_STEM:
                verb = self.terms.get(word[: -len(ending)] + verb_ending)
                if verb:
                    return verb
        return self._by_stem.get(stem, [])

    def stemmed_phrases(self) -> list[tuple[str, tuple[str, ...], list[str]]]:
        """(key, the stems of its content words, terms) of the phrases of two or more content words: a query
        finds these by its own content words' stems, in the same order, the small words left out and the
        verb inflected or not ("jag ny jobba här" holds "ny på jobbet"). Shorter phrases ("på rapporten")
        are found only as written, where the small word is what tells them apart."""
        if self._stemmed is None:
            self._stemmed = []
            for key, meant in self.terms.items():
                stems = tuple(analysis.stem(word) for word in analysis.content_words(key))
                if " " in key and len(stems) >= 2:
                    self._stemmed.append((key, stems, meant))
        return self._stemmed


_synonym_cache: dict[str, Synonyms] = {}


def load_synonyms() -> Synonyms:
    """The synonym list as quality staff last saved it; edits apply at once, in every process."""
    bind = db.session.get_bind()
    dialect = bind.dialect.name
    if dialect not in _SYNONYM_DIGEST:
        return Synonyms.from_rows(db.session.execute(text("SELECT word, means FROM search_synonyms")))
    # A fingerprint is cheap to read and compare; reading and folding the list on every query is not.
    digest = bind.url.render_as_string(hide_password=True) + "\x1d" + (
        db.session.execute(text(_SYNONYM_DIGEST[dialect])).scalar() or "")
    cached = _synonym_cache.get(digest)
    if cached is None:
        rows = db.session.execute(text("SELECT word, means FROM search_synonyms ORDER BY id")).all()
        if len(_synonym_cache) >= 8:  # several databases in one process (tests): keep a few
            _synonym_cache.clear()
        cached = _synonym_cache[digest] = Synonyms.from_rows(rows)
    return cached


def synonyms() -> list[Synonym]:
    return list(db.session.scalars(select(Synonym).order_by(Synonym.word)))


def phone_list() -> tuple[list[dict], str]:
    """The list as the phone's offline search gets it, in the order it was saved, and its version.

    The version is a hash of exactly what the phone gets: any saved edit, addition or removal changes it.
    """
    rows = [{"word": word, "means": means}
            for word, means in db.session.execute(select(Synonym.word, Synonym.means).order_by(Synonym.id))]
    encoded = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode()
    return rows, hashlib.sha256(encoded).hexdigest()[:16]


def save_synonym(actor: User, word: str, means: str) -> Synonym:
    if actor.role != Role.QUALITY:
        raise NotAllowed("Bara kvalitet kan ändra synonymlistan.")
    word = word.strip().lower()
    means = ", ".join(part.strip().lower() for part in means.split(",") if part.strip())
    if not word or not means:
        raise SynonymError("synonym_incomplete", "Skriv både ordet och vad det betyder.")
    synonym = db.session.scalar(select(Synonym).where(Synonym.word == word)) or Synonym(word=word)
    synonym.means = means
    db.session.add(synonym)
    db.session.flush()
    return synonym


def delete_synonym(actor: User, synonym: Synonym) -> None:
    if actor.role != Role.QUALITY:
        raise NotAllowed("Bara kvalitet kan ändra synonymlistan.")
    db.session.delete(synonym)
    db.session.flush()
