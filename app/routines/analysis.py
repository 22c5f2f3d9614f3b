"""Swedish text analysis for search, in one place, for indexing and queries alike.

Pure functions over folded text (app/routines/folding.py: lower case, å/ä/ö → a/a/o), driven by the
data files in app/routines/swedish/, so the phone can port them: words → stop words dropped → stems
(Snowball Swedish plus the few endings it leaves, SUFFIX_RULES) → compounds split into known parts.
"""
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import snowballstemmer

from app.routines.folding import fold

DATA = Path(__file__).parent / "swedish"
WORD = re.compile(r"[^\W_]+")


def _read_words(name: str) -> frozenset[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(fold(line.strip()) for line in lines if line.strip() and not line.startswith("#"))


STOP_WORDS = _read_words("stopwords.txt")
# Endings that make words, not compound parts: "brukare" is not bruk + are.
NOT_PARTS = _read_words("not_parts.txt")
# Verbs that in a question ask for a kind of answer (whom to call, what to say), not for a topic.
INTENT_WORDS = _read_words("intent_words.txt")


def tokens(text: str) -> list[str]:
    """The folded words of `text` in order (letters and digits; punctuation separates)."""
    return WORD.findall(fold(text))


def content_words(text: str) -> list[str]:
    """The folded words of `text` that carry meaning: stop words and one-letter words dropped."""
    return [word for word in tokens(text) if word not in STOP_WORDS and (len(word) > 1 or word.isdigit())]


# Snowball Swedish leaves the definite endings -et, -an, -n: "larmet", "sjuksköterskan", "nyckeln".
# (ending, replacement, shortest stem left): applied once, after Snowball, the first that fits.
SUFFIX_RULES = (("et", "", 3), ("an", "", 4), ("ln", "l", 4), ("rn", "r", 4))
_snowball = snowballstemmer.stemmer("swedish")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The stem of a folded word: Snowball Swedish, then SUFFIX_RULES; numbers as they are."""
    if not word.isalpha() or len(word) < 3:
        return word
    stemmed = _snowball.stemWord(word)
    for ending, replacement, shortest in SUFFIX_RULES:
        if stemmed.endswith(ending) and len(stemmed) - len(ending) >= shortest:
            return stemmed[: -len(ending)] + replacement
    return stemmed


# Spoken Swedish clips a compound to its first part and -is: "stödis" (stödstrumpa), "rullis" (rullstol),
# "mellis" (mellanmål); with the plural and definite endings. The first part left must be this long.
CLIPPED = re.compile(r"^([^\W\d_]{3,}?)is(?:ar|arna|en|ens)?$")


def clipped_base(word: str) -> str | None:
    """The first part a clipped word keeps ("stodisar" → "stod"), or None for a word not clipped that way."""
    found = CLIPPED.match(word)
    return found.group(1) if found else None


# Word classes: a participle or adjective, the verb and the noun made from it share a root ("undernärd" and
# "undernäring", "förvirrad" and "förvirring", "ordinerad" and "ordination", "rapportera" and "rapportering",
# "smittsam" and "smitta"). Snowball has already taken -ad, -ade, -ande, -het and -lig off; the ending still
# left is taken off once, the first that fits, and only where the root left is this long, so that short words
# do not meet by chance (portion is not port).
DERIVED_ENDINGS = ("ation", "ering", "ning", "else", "ion", "ing", "sam", "er", "d", "t")
MIN_ROOT = 5


def root(stem_: str) -> str:
    """The root a stem shares with the other word classes of its word (a stem without DERIVED_ENDINGS)."""
    for ending in DERIVED_ENDINGS:
        if stem_.endswith(ending) and len(stem_) - len(ending) >= MIN_ROOT:
            return stem_[: -len(ending)]
    return stem_


# ---------------------------------------------------------------------------------------------
# Compounds


MIN_PART = 3
MIN_SHORT_PART_ZIPF = 4.0  # a part of three letters must be a common word ("mat", "sår", "hem")
MIN_PART_ZIPF = 2.5
MAX_PARTS = 4
# Swedish joins parts with an s (läkemedel|s|hantering, arbete → arbet|s|miljö) or changes the first
# part's last vowel (vätska → vätske|balans, gata → gatu|kök): (as written, the word).
LINKS = (("s", ""), ("s", "e"), ("e", "a"), ("u", "a"), ("o", "a"))
# A first part that is no word may be a verb's stem, the verb without its -a (passera → passer|bricka).
VERB_ENDING = "a"

Zipf = Callable[[str], float]


def _part_zipf(part: str, zipf: Zipf, last: bool) -> tuple[float, str]:
    """(how common, the word) for a part as written in a compound; (0, "") when it is no known word.

    The last part carries the compound's inflection (tand|protesen is tand + protes); the others may end
    in a linking letter."""
    if last:
        candidates = [part] + [part[: -len(ending)] for ending in DEFINITE_ENDINGS
                               if part.endswith(ending) and len(part) - len(ending) >= MIN_PART + 1]
    else:
        candidates = [part] + [part[: len(part) - len(written)] + word for written, word in LINKS
                               if part.endswith(written) and len(part) - len(written) >= MIN_PART]
    best = (0.0, "")
    for word in candidates:
        if word in STOP_WORDS or word in NOT_PARTS or len(word) < MIN_PART:
            continue
        frequency = zipf(word)
        needed = MIN_SHORT_PART_ZIPF if len(word) <= 3 else MIN_PART_ZIPF
        if frequency >= needed and frequency > best[0]:
            best = (frequency, word)
    if not best[1] and not last and len(part) >= MIN_PART + 1 and zipf(part + VERB_ENDING) >= MIN_PART_ZIPF:
        return zipf(part + VERB_ENDING), part + VERB_ENDING
    return best


# A word this common is a word of its own, not a compound to split ("sjuksköterska", "arbetsmiljö").
SPLIT_BELOW_ZIPF = 3.0
# The parts must be this much more common than the word (Zipf: 1.0 = ten times).
SPLIT_MARGIN = 1.0
# Endings of inflected forms: "brukarens" is "brukare" inflected, not bruk + arens.
INFLECTIONS = ("n", "en", "et", "ns", "ens", "ets", "s", "r", "ar", "er", "or", "na", "nas", "arna", "erna",
               "orna", "arnas", "ernas", "ornas", "t", "de", "te", "ade")


# The definite endings of nouns (protesen, larmet, motorn): their base form is looked up in the word list,
# because Snowball does not always stem the two alike (protes → prot, protesen → protes).
DEFINITE_ENDINGS = ("en", "et", "n")


def base_form(word: str, zipf: Zipf) -> str | None:
    """The indefinite form of a folded noun in its definite form, when the word list knows it at least as well."""
    own = zipf(word)
    for ending in DEFINITE_ENDINGS:
        base = word[: -len(ending)]
        if word.endswith(ending) and len(base) >= MIN_PART + 1 and zipf(base) >= max(own, MIN_PART_ZIPF):
            return base
    return None


# Nouns made from verbs: "signering" is signera's noun, not signe + ring; "ändring" is ändra's.
# (ending of the noun, ending of the verb) after the noun's inflection is taken off.
DERIVATIONS = (("ing", "a"), ("ning", "a"))


def word_zipf(word: str, zipf: Zipf) -> float:
    """How common a word is, or the word it inflects, or the verb it is the noun of."""
    forms = [word] + [word[: -len(ending)] for ending in INFLECTIONS
                      if word.endswith(ending) and len(word) - len(ending) >= 4]
    verbs = [form[: -len(ending)] + verb for form in forms for ending, verb in DERIVATIONS
             if form.endswith(ending) and len(form) - len(ending) >= MIN_PART]
    return max(zipf(form) for form in forms + verbs)


def split_compound(word: str, zipf: Zipf, whole_zipf: Zipf | None = None) -> list[str]:
    """The known words a folded compound is made of ("nyckelforlust" → nyckel, forlust); [] if none.

    `zipf` tells how common a part is; `whole_zipf` (default: the same) how common the word itself is.
    Of all ways to cut a rare word into the fewest known parts, the one whose parts are most common on
    average (Koehn and Knight's rule, with Zipf frequencies), if they are much more common than the word.
    """
    if len(word) < 2 * MIN_PART or not word.isalpha():
        return []
    whole = word_zipf(word, whole_zipf or zipf)
    if whole >= SPLIT_BELOW_ZIPF:
        return []
    best: dict[int, tuple[float, list[str]]] = {0: (0.0, [])}  # end → (sum of zipf, parts)
    for end in range(MIN_PART, len(word) + 1):
        options = []
        for start, (total, parts) in best.items():
            if end - start < MIN_PART or len(parts) >= MAX_PARTS or (start == 0 and end == len(word)):
                continue
            frequency, part = _part_zipf(word[start:end], zipf, last=end == len(word))
            if part:
                options.append((-len(parts), (total + frequency) / (len(parts) + 1), total + frequency,
                                [*parts, part]))
        if options:
            *_, total, parts = max(options, key=lambda option: option[:2])
            best[end] = (total, parts)
    if len(word) not in best or len(best[len(word)][1]) < 2:
        return []
    total, parts = best[len(word)]
    return parts if total / len(parts) >= whole + SPLIT_MARGIN else []


# ---------------------------------------------------------------------------------------------
# Terms: what a text is indexed by and a query looks for


@dataclass(frozen=True)
class Term:
    """One word of a text: its stem, the stems of its compound parts (empty if it is not a compound), and the
    stem of its base form where that differs (protesen: protes, and prot as "protes" is stemmed)."""

    word: str
    stem: str
    parts: tuple[str, ...]
    base: str | None = None

    @property
    def stems(self) -> tuple[str, ...]:
        """The stems the word is indexed and looked up by as a whole word."""
        return (self.stem,) if self.base is None else (self.stem, self.base)


class Analyser:
    """Turns text into terms with one lexicon for compounds: Zipf frequencies of parts and of whole words."""

    def __init__(self, zipf: Zipf, whole_zipf: Zipf | None = None):
        self.zipf = zipf
        self.whole_zipf = whole_zipf or zipf
        self._terms: dict[str, Term] = {}

    def term(self, word: str) -> Term:
        """The term of one folded word (cached: a library has a few ten thousand distinct words)."""
        term = self._terms.get(word)
        if term is None:
            parts = tuple(dict.fromkeys(stem(part) for part in split_compound(word, self.zipf, self.whole_zipf)))
            base = base_form(word, self.whole_zipf) if word.isalpha() else None
            base_stem = stem(base) if base else None
            term = self._terms[word] = Term(word, stem(word), parts, base_stem if base_stem != stem(word) else None)
        return term

    def terms(self, text: str) -> list[Term]:
        return [self.term(word) for word in content_words(text)]


def index_zipf(counts: dict[str, int]) -> Zipf:
    """Zipf-like frequencies of a library's own words as compound parts: 3 for a word one routine uses,
    4 for one ten use (a word list gives about 3 to a word met once in a million)."""
    def zipf(word: str) -> float:
        count = counts.get(word, 0)
        return 0.0 if not count else 3.0 + math.log10(count)
    return zipf


def combined_zipf(*sources: Zipf) -> Zipf:
    """The highest frequency any source gives a word."""
    def zipf(word: str) -> float:
        return max(source(word) for source in sources)
    return zipf


@lru_cache(maxsize=1)
def wordlist_zipf() -> Zipf:
    """Zipf frequencies of Swedish words from the pinned word list (app/routines/swedish/words.txt.gz)."""
    import gzip

    frequencies: dict[str, float] = {}
    path = DATA / "words.txt.gz"
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                word, _, value = line.rstrip("\n").partition("\t")
                if value:
                    frequencies[word] = float(value)
    return lambda word: frequencies.get(word, 0.0)


def document_counts(texts: Iterable[str]) -> dict[str, int]:
    """How many of `texts` use each folded content word."""
    counts: dict[str, int] = {}
    for text in texts:
        for word in set(content_words(text)):
            counts[word] = counts.get(word, 0) + 1
    return counts
