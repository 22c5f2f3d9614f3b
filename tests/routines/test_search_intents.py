"""Questions and second-language phrasing: phrases found by their content words, question verbs that only tip
the balance, a verb's own entry, a typo in a compound's second half, a synonym found by its parts; on both
databases (the phone's port of each rule: tests/pwa/test_search_port.py)."""
import pytest

from app.routines import analysis
from app.routines.search import search
from app.routines.synonyms import Synonyms
from tests.routines import test_search
from tests.routines.test_search import NORD, add_routine, add_synonym, found, unit_id

search_db = pytest.fixture(params=test_search.DATABASES)(test_search.search_db.__wrapped__)


# --- Phrases said in other words ----------------------------------------------------------------


def test_a_phrase_is_found_with_its_small_words_left_out_and_its_verb_uninflected(search_db):
    add_synonym("ny på jobbet", "introduktion")
    add_routine("Introduktion", body="Introduktion av nya medarbetare.")
    add_routine("Digitala lås", body="Läs i appen hur låset öppnas.")
    assert found("jag ny jobba här vad läsa")[0] == "Introduktion"


def test_a_phrase_needs_its_content_words_in_order_and_side_by_side(search_db):
    add_synonym("ny på jobbet", "introduktion")
    add_routine("Introduktion", body="Introduktion av nya medarbetare.")
    add_routine("Jobb", body="Jobbet är nytt för brukaren.")
    assert "Introduktion" not in found("jobba ny")
    assert "Introduktion" not in found("ny bil jobbet")


def test_a_phrase_of_one_content_word_is_found_only_as_written(search_db):
    add_synonym("på rapporten", "överrapportering")
    add_routine("Överrapportering", body="Överrapportering vid passets slut.")
    add_routine("Rapportera avvikelse", body="Skriv rapporten i Fickan.")
    assert found("vad ska jag säga på rapporten")[0] == "Överrapportering"
    assert found("rapporten") == ["Rapportera avvikelse"]


def test_a_phrase_is_looked_for_in_the_query_as_typed_with_its_repeated_words(search_db):
    add_synonym("innan jag går in", "handsprit")
    add_routine("Hygien före besöket", body="Ta handsprit när du kommer till brukaren.")
    add_routine("Förflyttning", body="Brukaren går med rollator. Brukaren går långsamt.")
    assert found("vad ska jag göra innan jag går in hos brukaren")[0] == "Hygien före besöket"


def test_a_phrase_inside_a_longer_one_found_in_the_same_words_gives_way_to_it(search_db):
    add_synonym("vill inte", "samtycke")
    add_synonym("vill inte ta tabletterna", "medicin")
    add_routine("Samtycke", body="Brukaren har rätt att säga nej. Samtycke till varje insats.")
    add_routine("Läkemedel", body="Ge medicin enligt ordination. Om brukaren säger nej till medicin, ring ssk.")
    assert found("hon vill inte ta sina tabletter")[0] == "Läkemedel"
    assert found("hon vill inte") == ["Samtycke"]


def test_a_compound_clipped_to_its_first_part_and_is_finds_the_compounds_that_begin_with_it(search_db):
    add_routine("Stöd i vardagen", body="Stöd till brukaren. Stöd vid måltider och stöd vid promenader.")
    add_routine("Stödstrumpor", body="Stödstrumpor tas på på morgonen.")
    assert found("stödisar")[0] == "Stödstrumpor"
    assert found("stödis")[0] == "Stödstrumpor"


@pytest.mark.parametrize(("word", "base"), [("stodis", "stod"), ("stodisar", "stod"), ("rullisen", "rull"),
                                            ("kris", None), ("is", None), ("isar", None), ("stod", None)])
def test_clipped_base(word, base):
    assert analysis.clipped_base(word) == base


def test_synonyms_stemmed_phrases_leave_out_phrases_of_one_content_word():
    synonyms = Synonyms.from_rows([("ny på jobbet", "introduktion"), ("på rapporten", "överrapportering"),
                                   ("kiss", "urin")])
    assert [(key, stems) for key, stems, _ in synonyms.stemmed_phrases()] == [
        ("ny pa jobbet", (analysis.stem("ny"), analysis.stem("jobbet")))]


# --- Question verbs -------------------------------------------------------------------------------


def test_a_question_verb_only_tips_the_balance_beside_the_topic(search_db):
    add_synonym("ringa", "kontakta")
    add_routine("Planering", body="Om du blir sen till en brukare: ring samordnaren.")
    add_routine("Läkemedel", body="Kontakta sjuksköterskan. Ring sjuksköterskan. Ring chefen vid fel.")
    add_routine("Munskydd", body="Ta av munskyddet och sen handskarna.")
    assert found("vem ringer jag när jag blir sen")[0] == "Planering"
    assert "Läkemedel" in found("vem ringer jag när jag blir sen")


def test_a_question_verb_alone_counts_fully_with_its_synonyms(search_db):
    add_synonym("ringa", "kontakta")
    add_routine("Kontakt", body="Kontakta sjuksköterskan på enhetens nummer.")
    assert found("ringa") == ["Kontakt"]


def test_the_question_verbs_are_a_short_list_of_verbs():
    assert {"ringer", "ringa", "saga", "berattar"} <= analysis.INTENT_WORDS
    assert not {"ramlat", "sen", "brukaren", "insulin"} & analysis.INTENT_WORDS


# --- A verb form and a noun with the same stem ---------------------------------------------------


def test_a_verb_form_finds_its_verbs_entry_not_a_nouns_with_the_same_stem(search_db):
    add_synonym("ringar", "smycken")
    add_synonym("ringa", "kontakta")
    add_routine("Smycken", body="Inga smycken på jobbet.")
    add_routine("Kontakt", body="Kontakta sjuksköterskan.")
    assert found("ringer") == ["Kontakt"]
    assert found("ringde") == ["Kontakt"]
    assert found("ringar") == ["Smycken"]


def test_a_word_without_a_verb_entry_still_finds_the_entry_of_its_stem():
    synonyms = Synonyms.from_rows([("ringar", "smycken")])
    assert synonyms.meaning("ringer", analysis.stem("ringer")) == ["smycken"]
    assert Synonyms.from_rows([("ringa", "kontakta"), ("ringar", "smycken")]).meaning(
        "ringer", analysis.stem("ringer")) == ["kontakta"]


# --- A typo in a compound ------------------------------------------------------------------------


def test_a_typo_in_the_second_half_of_a_compound_finds_the_halves(search_db):
    add_routine("Nattlig tillsyn med kamera", body="Titta i kameran på natten.")
    add_routine("Nattlampa", body="Tänd nattlampan och nattljuset på natten.")
    result = search("nattkamra", {unit_id(NORD)})
    assert result.hits[0].title == "Nattlig tillsyn med kamera"
    assert result.corrected == "nattkamera"


def test_a_word_one_edit_from_a_library_word_is_corrected_as_a_whole(search_db):
    add_routine("Nattlig tillsyn med kamera", body="Titta i kameran på natten.")
    add_routine("Nattlampa", body="Tänd nattlampan på natten.")
    assert found("nattlamap")[0] == "Nattlampa"


def test_a_compound_whose_start_is_no_library_word_is_not_taken_for_a_typo(search_db):
    add_routine("Kamera", body="Titta i kameran.")
    assert found("zqxwkamra") == []


# --- A synonym the library never uses -------------------------------------------------------------


def test_a_synonym_target_the_library_never_uses_is_found_by_its_compound_parts(search_db):
    add_synonym("kanyl", "stickskada")
    add_routine("Insulin", body="Lägg nålen i burken för stickande avfall. Rapportera en skada.")
    add_routine("Munvård", body="Borsta tänderna morgon och kväll.")
    assert found("kanyl") == ["Insulin"]


def test_a_synonym_target_the_library_uses_is_not_split(search_db):
    add_synonym("kanyl", "stickskada")
    add_routine("Stickskada", body="Vid en stickskada: tvätta och ring chefen.")
    add_routine("Skada", body="En skada på bilen rapporteras.")
    assert found("kanyl") == ["Stickskada"]


# --- A compound split by the library's and the thesaurus's own words -------------------------------


def test_a_compound_whose_second_half_is_a_thesaurus_word_finds_what_that_word_means(search_db):
    add_synonym("borstning", "tandborstning")
    add_routine("Munvård", body="Tandborstning morgon och kväll. Rengör protesen.")
    add_routine("Hjälpmedel", body="Proteser lånas ut. En protes ska passa, och protesen provas av arbetsterapeuten.")
    assert found("protesborstning")[0] == "Munvård"


def test_a_compound_whose_first_half_is_a_library_word_the_word_list_splits_is_cut_after_it(search_db):
    add_routine("Basala hygienrutiner", body="Arbetskläder byts varje dag.")
    add_routine("Ensamarbete", body="Arbete ensam på kvällen. Skriv ett byte av pass i listan. Byte och arbete.")
    query = search_words_of("arbetsklädsbyte")
    first_of_each_group = dict(reversed([(option.group, option.stem) for option in query.options if option.group]))
    assert first_of_each_group == {1: analysis.stem("arbetsklader"), 2: analysis.stem("byte")}
    assert found("arbetsklädsbyte")[0] == "Basala hygienrutiner"


def test_a_compound_whose_first_half_is_no_known_word_is_not_split_by_the_thesaurus(search_db):
    add_synonym("borstning", "tandborstning")
    add_routine("Munvård", body="Tandborstning morgon och kväll.")
    assert found("zqxwborstning") == []


def search_words_of(word: str):
    from app.routines.search import analyse_query
    from app.routines.search_index import current_index
    from app.routines.synonyms import load_synonyms
    return analyse_query(word, [analysis.tokens(word)[0]], load_synonyms(), current_index())[0]

