"""Search across word classes (undernärd → undernäring) and the shipped thesaurus's categories, on both databases."""
import pytest

from app.extensions import db
from app.routines import analysis
from app.routines.thesaurus import DEFAULT_THESAURUS, import_synonyms, read_thesaurus
from tests.routines import test_search
from tests.routines.test_search import add_routine, add_synonym, found

# The seeded database with an empty search index, as in test_search.
search_db = pytest.fixture(params=test_search.DATABASES)(test_search.search_db.__wrapped__)


def root_of(word: str) -> str:
    return analysis.root(analysis.stem(analysis.fold(word)))


@pytest.mark.parametrize(("one", "other"), [
    ("undernärd", "undernäring"), ("förvirrad", "förvirring"), ("ordinerad", "ordination"),
    ("rapportera", "rapportering"), ("smittsam", "smitta"), ("kränkt", "kränkning"), ("infekterad", "infektion"),
    ("delegerad", "delegering"), ("bedömd", "bedömning"),
])
def test_a_participle_or_adjective_shares_its_root_with_the_noun(one, other):
    assert root_of(one) == root_of(other)


@pytest.mark.parametrize(("one", "other"), [("portion", "port"), ("svart", "svar"), ("kort", "kor"), ("stad", "sta")])
def test_a_short_root_is_left_alone_so_that_short_words_do_not_meet_by_chance(one, other):
    assert root_of(one) != root_of(other)


def test_a_participle_finds_the_routine_that_uses_the_noun(search_db):
    add_routine("Matsituation", body="Undernäring gör att brukaren blir svag.")
    add_routine("Läkemedel", body="Ge bara det som står i ordinationen.")
    assert found("undernärd") == ["Matsituation"]
    assert found("ordinerad medicin") == ["Läkemedel"]


def test_a_noun_finds_the_routine_that_uses_the_participle(search_db):
    add_routine("Akut försämring", body="Brukaren är mer förvirrad än vanligt.")
    assert found("förvirring") == ["Akut försämring"]


def test_the_word_as_typed_ranks_above_its_other_word_class(search_db):
    add_routine("Rutin A", body="Hen blev förvirrad på natten.")
    add_routine("Rutin B", body="Förvirring på natten kan vara en infektion.")
    assert found("förvirring") == ["Rutin B", "Rutin A"]


def test_a_word_with_a_short_root_does_not_find_another_word(search_db):
    add_routine("Port och kod", body="Porten har kod.")
    add_routine("Måltid", body="Servera en lagom portion.")
    assert found("portion") == ["Måltid"]


def test_a_synonym_the_library_never_uses_leads_on_to_what_it_means(search_db):
    add_routine("Sekretess", body="Till anhöriga: berätta bara det brukaren har sagt ja till.")
    add_synonym("dotter", "närstående")
    add_synonym("närstående", "anhöriga")
    assert found("dottern") == ["Sekretess"]


def test_a_synonym_the_library_uses_leads_no_further(search_db):
    add_routine("Närstående", body="Närstående får information.")
    add_routine("Anhöriga", body="Anhöriga får information.")
    add_synonym("dotter", "närstående")
    add_synonym("närstående", "anhöriga")
    assert found("dotter") == ["Närstående"]


def test_a_synonym_leads_on_one_step_only(search_db):
    add_routine("Sekretess", body="Till anhöriga: berätta bara det brukaren har sagt ja till.")
    add_synonym("dotter", "barn")
    add_synonym("barn", "familj")
    add_synonym("familj", "anhöriga")
    assert found("dotter") == []


@pytest.fixture
def thesaurus_db(search_db):
    """search_db with the shipped thesaurus imported, as seed-demo and `routines synonyms-import` load it."""
    import_synonyms(read_thesaurus(DEFAULT_THESAURUS))
    db.session.commit()
    return search_db


@pytest.mark.parametrize(("query", "text"), [
    # relatives: the routine says anhöriga or närstående
    ("dottern vill veta", "Till anhöriga: berätta bara det brukaren har sagt ja till."),
    ("sonen ringer", "Närstående ska få information om vad som hände."),
    # social media and photographing clients
    ("facebook", "Skriv aldrig brukares namn i sociala medier eller gruppchattar."),
    ("whatsapp", "Skriv aldrig brukares namn i privata meddelanden."),
    ("fota brukaren", "Ta inte foto av brukare med privat telefon."),
    ("egen telefon", "Ta inte foto av brukare med privat telefon."),
    # locking in, restraint
    ("låsa in", "Personal låser in brukaren utan lagstöd."),
    ("fastspänd", "Personal låser in brukaren utan lagstöd."),
    # pain: ont / värk → smärta, in a compound too
    ("ont i bröstet", "Ring 112 vid svår bröstsmärta."),
    ("magont", "Brukaren har ny smärta i magen."),
])
def test_the_thesaurus_takes_everyday_words_to_the_routines_words(thesaurus_db, query, text):
    add_routine("Rätt rutin", body=text)
    add_routine("Annan rutin", body="Brukaren, telefonen och rullstolen nämns här, och magen och bröstet.")
    assert found(query)[0] == "Rätt rutin"
