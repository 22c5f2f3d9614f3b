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
