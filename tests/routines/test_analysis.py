"""Swedish text analysis for search, row by row: folding, words, stop words, stems, compound parts."""
import pytest

from app.routines import analysis
from app.routines.analysis import content_words, split_compound, stem, tokens

# A small word list in Zipf frequencies, so the rows do not depend on the shipped list's numbers.
ZIPF = {"nyckel": 3.9, "forlust": 4.4, "hygien": 3.5, "rutin": 3.8, "rutiner": 3.9, "hand": 5.4, "mat": 5.4,
        "lada": 4.2, "lakemedel": 3.9, "hantering": 3.9, "arbete": 5.2, "miljo": 4.6, "vatska": 3.8,
        "balans": 4.0, "brukare": 3.6, "bruk": 4.5, "kat": 3.7, "eter": 2.8, "kateter": 2.6, "are": 4.4,
        "sjukskoterska": 4.1, "sjuk": 5.0, "trygghet": 4.3, "larm": 4.1, "ren": 4.9, "kar": 4.6}


def zipf(word: str) -> float:
    return ZIPF.get(word, 0.0)


@pytest.mark.parametrize(("text", "expected"), [
    ("Läkemedel", ["lakemedel"]),
    ("Vad gör jag om brukaren ramlat?", ["vad", "gor", "jag", "om", "brukaren", "ramlat"]),
    ("hjärt-lungräddning, 112!", ["hjart", "lungraddning", "112"]),
    ("ÅÄÖ åäö é ü", ["aao", "aao", "e", "u"]),
])
def test_tokens_are_folded_words(text, expected):
    assert tokens(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("vad gör jag om brukaren ramlat", ["brukaren", "ramlat"]),
    ("hur tvättar man händerna", ["tvattar", "handerna"]),
    ("när ska jag ringa sjuksköterskan", ["ringa", "sjukskoterskan"]),
    ("vem får ge insulin", ["ge", "insulin"]),
    ("var finns nyckeln", ["nyckeln"]),
    ("brukaren vill inte äta", ["brukaren", "ata"]),
    ("ring 112", ["ring", "112"]),
    ("hur länge gäller delegeringen", ["delegeringen"]),
    ("hur brukar man göra med brukarens nycklar", ["brukarens", "nycklar"]),  # brukar would find brukare
    ("vad ska jag tänka på vid dusch", ["dusch"]),  # every routine has "Tänk på"
])
def test_stop_words_and_question_words_are_dropped(text, expected):
    assert content_words(text) == expected


@pytest.mark.parametrize(("word", "expected"), [
    ("brukaren", "bruk"), ("brukare", "bruk"), ("brukarens", "bruk"),
    ("ramlat", "raml"), ("ramla", "raml"), ("ramlar", "raml"),
    ("rutiner", "rutin"), ("rutinen", "rutin"),
    ("larmet", "larm"), ("fallet", "fall"),           # -et, which Snowball leaves
    ("sjukskoterskan", "sjukskotersk"), ("sjukskoterska", "sjukskotersk"),  # -an
    ("nyckeln", "nyckel"),                           # -n after l
    ("insulinet", "insulin"), ("mediciner", "medicin"),
    ("112", "112"), ("ab", "ab"),
])
def test_stems(word, expected):
    assert stem(word) == expected


@pytest.mark.parametrize(("word", "expected"), [
    ("nyckelforlust", ["nyckel", "forlust"]),
    ("hygienrutin", ["hygien", "rutin"]),
    ("hygienrutiner", ["hygien", "rutiner"]),
    ("handhygien", ["hand", "hygien"]),
    ("lakemedelshantering", ["lakemedel", "hantering"]),   # linking s
    ("arbetsmiljo", ["arbete", "miljo"]),                  # arbete → arbets-
    ("vatskebalans", ["vatska", "balans"]),                # vätska → vätske-
    ("trygghetslarm", ["trygghet", "larm"]),
    ("matlada", ["mat", "lada"]),                          # a three-letter part that is a common word
])
def test_compounds_split_into_known_words(word, expected):
    assert split_compound(word, zipf) == expected


@pytest.mark.parametrize("word", [
    "kateter",         # not kat + eter: not parts, and the parts are not much more common
    "brukare",         # not bruk + are: an ending, not a word
    "brukaren",        # an inflected form of a common word
    "sjukskoterska",   # common enough to be a word of its own
    "nyckel",          # too short to hold two parts
    "hand123",
])
def test_words_that_are_not_compounds_stay_whole(word):
    assert split_compound(word, zipf) == []


def test_the_shipped_word_list_splits_everyday_compounds():
    words = analysis.wordlist_zipf()
    assert split_compound("nyckelforlust", words) == ["nyckel", "forlust"]
    assert split_compound("hygienrutin", words) == ["hygien", "rutin"]
    assert split_compound("kateter", words) == []


def test_a_term_carries_its_stem_and_the_stems_of_its_parts():
    term = analysis.Analyser(zipf).term("hygienrutiner")
    assert (term.stem, term.parts) == ("hygienrutin", ("hygi", "rutin"))


def test_every_stop_word_file_line_is_folded_and_kept():
    assert {"vad", "hur", "nar", "jag", "gor", "om", "och"} <= analysis.STOP_WORDS
    assert "brukaren" not in analysis.STOP_WORDS


def test_the_last_part_of_a_compound_may_be_in_its_definite_form():
    words = analysis.wordlist_zipf()
    assert split_compound("tandprotesen", words) == ["tand", "protes"]


@pytest.mark.parametrize(("word", "base"), [
    ("protesen", "protes"),      # Snowball: protes → prot but protesen → protes
    ("kontoret", "kontor"),
    ("motorn", "motor"),
    ("ledsen", None),            # an adjective: "leds" is no more common than it
    ("sidan", None),             # "sida" is not more common than "sidan"
])
def test_a_definite_noun_knows_its_base_form_from_the_word_list(word, base):
    assert analysis.base_form(word, analysis.wordlist_zipf()) == base


def test_a_term_is_found_by_the_stem_of_its_base_form_too():
    term = analysis.Analyser(analysis.wordlist_zipf()).term("protesen")
    assert term.stems == (stem("protesen"), stem("protes"))
    assert analysis.Analyser(analysis.wordlist_zipf()).term("protes").stems == (stem("protes"),)


def test_a_first_part_that_is_no_word_may_be_a_verbs_stem():
    words = {"passera": 4.1, "bricka": 3.5, "lyfta": 4.6, "sele": 2.9, "tand": 4.2, "tanda": 3.0, "protes": 3.1}
    assert split_compound("passerbricka", lambda word: words.get(word, 0.0)) == ["passera", "bricka"]
    # A part that is a word of its own stays that word: tand|protes, not tända.
    assert split_compound("tandprotes", lambda word: words.get(word, 0.0)) == ["tand", "protes"]


@pytest.mark.parametrize("word", ["signering", "signeringen", "signeringar"])
def test_the_noun_of_a_known_verb_is_not_split(word):
    # "signe" is a name and "ring" a word, but signering is signera's noun.
    words = {"signe": 4.0, "ring": 4.7, "signera": 3.3}
    assert split_compound(word, lambda w: words.get(w, 0.0)) == []
