"""Routine search when the words as typed say little: synonyms in titles, and the last resort before an empty page."""
import pytest

from tests.routines import test_search
from tests.routines.test_search import add_routine, add_synonym, found

# The seeded database with an empty search index, as in test_search.
search_db = pytest.fixture(params=test_search.DATABASES)(test_search.search_db.__wrapped__)


def test_a_title_phrase_said_with_a_synonym_comes_first(search_db):
    add_synonym("sjuksyster", "sjuksköterska")
    add_routine("Kontakt och telefon", body="Ring sjuksköterska. Kontakta sjuksköterska. " * 5,
                tags=("ringa", "sjuksköterska"))
    add_routine("Akut – när ska du ringa sjuksköterska", body="Om brukaren blir sämre.")
    assert found("ringa sjuksyster")[0] == "Akut – när ska du ringa sjuksköterska"


def test_a_compound_of_a_verbs_stem_finds_its_parts(search_db):
    add_synonym("bricka", "nyckeltagg")
    add_routine("Larm och passage", body="Du får en nyckeltagg. Passera dörren med taggen.")
    add_routine("Bilen", body="Kör försiktigt.")
    assert found("passerbricka") == ["Larm och passage"]


def test_a_compound_too_common_to_split_finds_the_library_words_it_is_made_of(search_db):
    # The word list knows "telefonnummer" as a word of its own, so it is not split; this library has no such
    # word, only telefon and nummer apart.
    add_routine("Jobbtelefonen", body="Telefonen laddas på kontoret. Ditt nummer står i listan.")
    add_routine("Bilen", body="Kör försiktigt.")
    assert found("telefonnummer") == ["Jobbtelefonen"]


def test_a_word_that_only_begins_like_a_library_word_is_no_match(search_db):
    # lasarett begins with "lasa" (låsa), which says nothing about it: no chance match.
    add_routine("Digitala lås", body="Låsa och låsa upp dörren med appen.")
    assert found("lasarettet") == []


def test_the_definite_form_finds_the_synonym_of_its_base_form(search_db):
    # Snowball stems lasarett and lasarettet apart; the synonym is written in the base form.
    add_synonym("lasarett", "sjukhus")
    add_routine("Utskrivning från sjukhus", body="När brukaren kommer hem.")
    assert found("lasarettet") == ["Utskrivning från sjukhus"]


def test_late_is_a_content_word(search_db):
    add_routine("Planering av dagen", body="Om du blir sen till en brukare: ring samordnaren.")
    add_routine("Bilen", body="Kör försiktigt.")
    assert found("blir jag sen")[0] == "Planering av dagen"


def test_a_compound_no_one_can_split_finds_the_routine_its_known_start_names(search_db):
    # "pådragare" is too rare for the word list, so strumppådragare has no split; its start is a library word.
    add_routine("Stödstrumpor", body="Dra upp strumpan lite i taget. Tvätta strumporna ofta.")
    add_routine("Bilen", body="Kör försiktigt.")
    assert found("strumppådragare") == ["Stödstrumpor"]


def test_a_compound_no_one_can_split_finds_the_routine_its_known_end_names(search_db):
    add_routine("Brandsäkerhet", body="Kontrollera brandvarnaren en gång i månaden.")
    add_routine("Bilen", body="Kör försiktigt.")
    # Eight unknown letters: too far from "brandvarnaren" to be its typo.
    assert found("zqxwvkpjbrandvarnaren") == ["Brandsäkerhet"]


def test_a_word_spelt_nearly_as_a_library_word_is_a_typo_not_a_compound_of_its_start(search_db):
    # "trygg" begins trygghtslrmm, but the page offers "Menade du trygghetslarm?" instead.
    add_routine("Trygghetslarm", body="Känn dig trygg. Trygghetslarmet ska bäras.")
    assert found("trygghtslrmm") == []


def test_a_word_without_a_known_piece_still_finds_nothing(search_db):
    add_routine("Bilen", body="Kör försiktigt.")
    assert found("qxzvbnqwrt") == []


def test_a_synonym_phrase_with_a_one_letter_word_is_found(search_db):
    # The query drops one-letter words, so "ont i ryggen" is typed as ont + ryggen.
    add_synonym("ont i ryggen", "ergonomi")
    add_routine("Förflyttning", body="Tänk på ergonomi när du lyfter.")
    add_routine("Bilen", body="Kör försiktigt. Ont om tid.")
    assert found("ont i ryggen")[0] == "Förflyttning"
