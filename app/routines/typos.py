"""Typo corrections for search: the words of the indexed routines, and which of them a mistyped word meant."""
import re
from collections import Counter

from sqlalchemy import text

from app.extensions import db
from app.routines.process_cache import PerDatabase

MAX_CORRECTIONS = 3
# No word of the library is longer; the variants of a word grow with its length times the alphabet.
MAX_WORD_LENGTH = 30


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
        self._build(frequency, state)

    @classmethod
    def from_frequency(cls, frequency: Counter[str], state=None) -> "Vocabulary":
        """A vocabulary of words already counted (how many documents use each)."""
        vocabulary = cls.__new__(cls)
        vocabulary._build(frequency, state)
        return vocabulary

    def _build(self, frequency: Counter[str], state) -> None:
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
        if limit == 0 or len(word) > MAX_WORD_LENGTH or not word.isalpha():
            return []
        found = {candidate: 1 for candidate in self._one_edit_away(word) if self._is_known(candidate)}
        if not found and limit == 2:
            found = {candidate: 2 for candidate in self._near_by_trigrams(word)
                     if damerau_levenshtein(word, candidate, 2) == 2}
        ranked = sorted(found, key=lambda c: (found[c], c not in self.frequency,
                                              -(self.frequency[c] or self.part_frequency[c]), c))
        return ranked[:MAX_CORRECTIONS]

    def nearest(self, word: str) -> str | None:
        """The known word most like `word` within a third of its letters (at least two edits); None if none."""
        if not 4 <= len(word) <= MAX_WORD_LENGTH or not word.isalpha():
            return None
        limit = max(2, len(word) // 3)
        found = [(damerau_levenshtein(word, candidate, limit), candidate) for candidate in self._near_by_trigrams(word)]
        found = [(edits, candidate) for edits, candidate in found if edits <= limit]
        if not found:
            return None
        return min(found, key=lambda f: (f[0], f[1] not in self.frequency,
                                         -(self.frequency[f[1]] or self.part_frequency[f[1]]), f[1]))[1]

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
        spread = max(2, len(word) // 3)
        for trigram in trigrams:
            shared.update(w for w in self.words_by_trigram.get(trigram, ()) if abs(len(w) - len(word)) <= spread)
        return [w for w, count in shared.most_common(self.MAX_CANDIDATES) if count >= needed]


def _built_vocabulary(_previous, state) -> Vocabulary:
    rows = db.session.execute(text("SELECT folded_title, folded_tags, folded_body FROM routine_search_documents"))
    return Vocabulary((" ".join(row) for row in rows), state)


# Any index_routine moves max(indexed_at); any removal lowers the count. Cheap: both are indexed.
_vocabularies = PerDatabase(text("SELECT count(*), max(indexed_at) FROM routine_search_documents"),
                            _built_vocabulary)


def vocabulary() -> Vocabulary:
    """This process's vocabulary of the database, rebuilt when the indexed documents have changed."""
    return _vocabularies.get()
