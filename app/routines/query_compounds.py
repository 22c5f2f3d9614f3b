"""Query words the library does not know that are compounds: run together, unsplittable, or mistyped.

Part of the query analysis in app/routines/search.py; the phone's port is in pwa/js/search/engine.js.
"""
from app.routines import analysis
from app.routines.search_index import SearchIndex
from app.routines.typos import damerau_levenshtein


def run_together(word: str, index: SearchIndex) -> tuple[str, ...]:
    """Two words of the library typed without the space between them ("lexmaria"), as stems; () if none."""
    cuts = []
    for cut in range(2, len(word) - 1):
        first, second = analysis.stem(word[:cut]), analysis.stem(word[cut:])
        if first in index.whole and second in index.whole:
            cuts.append((min(len(index.whole[first]), len(index.whole[second])), (first, second)))
    return max(cuts)[1] if cuts else ()


# A piece of an unknown compound counts as a word of the library only if its stem is this long: shorter
# stems begin too many words by chance (lasarettet begins with låsa's stem "las").
MIN_PIECE = 4
MIN_PART_STEM = 3  # a half of a library split: a shorter stem is a word only by chance
MIN_TYPO_PIECE = 5  # the half left over is corrected only if this long: shorter ones are near too many words


def known_pieces(word: str, index: SearchIndex) -> tuple[str, ...]:
    """The longest start and the longest end of a compound that neither the word list nor the library can
    split, that are words of the library, as stems ("strumppådragare": strump, as "pådragare" is too rare
    for the word list); () if none. So a query with a known word inside never finds nothing. A word that
    is spelt nearly as a library word is rather a typo: it gets the nearest routines and "Menade du …?"."""
    if index.vocabulary().nearest(word) is not None:
        return ()
    pieces = []
    for cut in range(len(word) - analysis.MIN_PART, MIN_PIECE - 1, -1):
        if len(found := analysis.stem(word[:cut])) >= MIN_PIECE and found in index.whole:
            pieces.append(found)
            break
    for cut in range(analysis.MIN_PART, len(word) - MIN_PIECE + 1):
        if len(found := analysis.stem(word[cut:])) >= MIN_PIECE and found in index.whole:
            pieces.append(found)
            break
    return tuple(dict.fromkeys(pieces))


def compound_typo(word: str, index: SearchIndex) -> tuple[tuple[str, ...], str] | None:
    """A compound typed with a typo in its second half ("nattkamra": natt + kamera): (the stems of its halves,
    the word meant), when its longest start that is a word of the library leaves a rest one edit from a word
    of the library; else None. Only asked when no word of the library is one edit from the whole word, so
    one edit in a compound is not taken for two in some other word (nattkamra is not nattlampa)."""
    vocabulary = index.vocabulary()
    for cut in range(len(word) - MIN_TYPO_PIECE, MIN_PIECE - 1, -1):
        start = analysis.stem(word[:cut])
        if len(start) < MIN_PIECE or start not in index.whole:
            continue
        rest = word[cut:]
        if index.analyser.zipf(rest) >= analysis.MIN_PART_ZIPF:
            return None  # a word of its own, only not the library's
        meant = [known for known in vocabulary.corrections(rest) if damerau_levenshtein(rest, known, 1) <= 1]
        if meant:
            return (start, analysis.stem(meant[0])), word[:cut] + meant[0]
        return None
    return None


def library_split(word: str, index: SearchIndex, synonyms) -> tuple[str, ...]:
    """A compound the word list splits wrongly or not at all, cut in two where both halves are words of the
    library or of the thesaurus ("protesborstning": protes + borstning, whose entry is tandborstning;
    "arbetsklädsbyte": arbetskläder + byte, not arbete + kläd + byte), as stems, the longest first half first;
    () if none. The first half may end in a linking s."""
    def known(piece: str) -> bool:
        found = analysis.stem(piece)
        return len(found) >= MIN_PART_STEM and (found in index.whole or bool(synonyms.meaning(piece, found)))

    for cut in range(len(word) - MIN_PIECE, MIN_PIECE - 1, -1):
        rest = word[cut:]
        if rest in analysis.STOP_WORDS or rest in analysis.NOT_PARTS or not known(rest):
            continue
        for first in (word[:cut], word[:cut - 1] if word[cut - 1] == "s" else None):
            if first and len(first) >= MIN_PIECE and known(first):
                return analysis.stem(first), analysis.stem(rest)
    return ()


def compound_parts(word: str, term: analysis.Term, compound_typo, matched: bool, synonyms,
                   index: SearchIndex) -> tuple[str, ...]:
    """The parts a query word is searched by too: a mistyped compound's halves; the word list's split, or the
    library's and the thesaurus's own where the word list cuts an unknown word into more parts (arbetskläder +
    byte, not arbete + kläd + byte); for an unknown word that matches nothing (`matched` False), two library
    words run together, else the library's split, else its known pieces."""
    if compound_typo:
        return compound_typo[0]
    if any(index.has_stem(stem) for stem in term.stems):
        return term.parts
    if term.parts:
        split = library_split(word, index, synonyms)
        return split if split and len(split) < len(term.parts) else term.parts
    if matched:
        return ()
    return run_together(word, index) or library_split(word, index, synonyms) or known_pieces(word, index)
