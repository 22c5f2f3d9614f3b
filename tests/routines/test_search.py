"""Routine search: what a stressed person types on a phone finds the routine, and only routines they may see."""
from datetime import date

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import create_app
from app.accounts.models import Unit, User
from app.extensions import db
from app.routines.models import Routine, RoutineSearchDocument, RoutineVersion, Synonym
from app.routines.folding import fold, markdown_to_text
from app.routines.search import (
    index_routine,
    remove_routine,
    search,
    search_routines,
)
from app.routines.typos import Vocabulary, damerau_levenshtein
from app.timestamps import utcnow
from tests.conftest import DATABASES, demo_database, make_test_config



def start_empty_search():
    """Leave the demo routines out of search and the synonym list empty: each test brings its own."""
    db.session.execute(sa.delete(RoutineSearchDocument))
    db.session.execute(sa.delete(Synonym))
    db.session.commit()


@pytest.fixture(params=DATABASES)
def search_db(request, tmp_path):
    """An app context on a seeded database with the search index, on SQLite or (if set) PostgreSQL."""
    with demo_database(request, tmp_path):
        start_empty_search()
        yield request.param


def unit_id(name: str) -> int:
    return db.session.scalar(sa.select(Unit.id).where(Unit.name == name))


NORD, SYD = "Hemvård Nord", "Hemvård Syd"


def add_routine(title: str, body: str = "", tags: tuple[str, ...] = (), unit: str | None = None,
                archived: bool = False, published: bool = True) -> Routine:
    """A routine with one published version (or only a draft), indexed as the services would."""
    owner_id = db.session.scalar(sa.select(User.id).where(User.username == "kvalitet"))
    routine = Routine(slug=f"test-{fold(title).replace(' ', '-')[:60]}-{utcnow().timestamp()}", kind="rutin",
                      scope_unit_id=unit_id(unit) if unit else None, owner_id=owner_id,
                      review_due_on=date(2030, 1, 1), archived_at=utcnow() if archived else None)
    db.session.add(routine)
    db.session.flush()
    version = RoutineVersion(routine_id=routine.id, number=1 if published else None,
                             status="published" if published else "draft", title=title,
                             tags=list(tags), body_md=body, author_id=owner_id)
    db.session.add(version)
    db.session.flush()
    if published:
        routine.current_version_id = version.id
        index_routine(routine.id, title, list(tags), body)
    db.session.commit()
    return routine


def add_synonym(word: str, means: str) -> None:
    db.session.add(Synonym(word=word, means=means))
    db.session.commit()


def found(query: str, units: tuple[str, ...] = (NORD,), limit: int = 20) -> list[str]:
    return [hit.title for hit in search_routines(query, {unit_id(name) for name in units}, limit=limit)]


# --- Folding and the indexed text ---------------------------------------------------------------


def test_fold_lowers_case_and_drops_swedish_and_other_diacritics():
    assert fold("Läkemedelshantering i HEMTJÄNST") == "lakemedelshantering i hemtjanst"
    assert fold("Trycksår, Öron, Café, Über, Ærø, Łódź") == "trycksar, oron, cafe, uber, aro, lodz"


@pytest.mark.parametrize("text", ["Åäö ÅÄÖ", "İstanbul", "Straße", "ﬁl", "Việt Nam", "e\u0301", "日本 😀", ""])
def test_fold_keeps_every_character_in_its_place(text):
    assert len(fold(text)) == len(text)


def test_markdown_becomes_plain_words():
    body = ("# Rubrik\n\n- **Fet** och *kursiv* text\n1. [ ] Uppgift\n"
            "Se [[fallprevention-i-hemmet]] och [rutinen](/rutiner/x).\n![Händer som tvättas](hander.png)")
    assert markdown_to_text(body) == ("Rubrik\n\nFet och kursiv text\nUppgift\n"
                                      "Se fallprevention i hemmet och rutinen.\nHänder som tvättas")


def test_damerau_levenshtein_counts_a_swap_of_neighbours_as_one_edit():
    assert damerau_levenshtein("hygien", "hygein", 2) == 1
    assert damerau_levenshtein("hygen", "hygien", 2) == 1
    assert damerau_levenshtein("fall", "boende", 2) == 3


def test_typo_corrections_prefer_the_most_used_word():
    vocabulary = Vocabulary(["kant", "katt", "katt och katt"])
    assert vocabulary.corrections("kart") == ["katt", "kant"]


# --- What people type ---------------------------------------------------------------------------


def test_parts_of_a_compound_find_it(search_db):
    add_routine("Läkemedelshantering i hemtjänst")
    assert found("läkemedel") == ["Läkemedelshantering i hemtjänst"]
    assert found("hantering") == ["Läkemedelshantering i hemtjänst"]


def test_missing_diacritics_find_the_word(search_db):
    add_routine("Läkemedelshantering i hemtjänst")
    add_routine("Förebygga trycksår")
    assert found("lakemedel") == ["Läkemedelshantering i hemtjänst"]
    assert found("trycksar") == ["Förebygga trycksår"]


def test_small_typos_find_the_word(search_db):
    add_routine("Basala hygienrutiner", body="God hygien skyddar brukaren.")
    add_routine("Fallprevention i ordinärt boende")
    assert found("hygen") == ["Basala hygienrutiner"]
    assert found("fallpreventon") == ["Fallprevention i ordinärt boende"]


def test_two_typos_are_forgiven_in_a_long_word_but_not_in_a_short_one(search_db):
    add_routine("Läkemedelshantering i hemtjänst", body="God hygien.")
    assert found("lakemdelshanterng") == ["Läkemedelshantering i hemtjänst"]
    assert found("hygn") == []  # two edits from "hygien": too many for four letters


def test_a_typo_in_a_part_of_a_compound_finds_the_compound(search_db):
    add_routine("Handhygien", body="Tvätta hand och handled.")
    assert found("hygen") == ["Handhygien"]


def test_a_word_that_matches_as_typed_is_not_corrected(search_db):
    add_routine("Kant")
    add_routine("Katt")
    assert found("kant") == ["Kant"]


def test_synonyms_find_the_professional_term(search_db):
    add_routine("Läkemedelshantering i hemtjänst")
    add_routine("Fallprevention i ordinärt boende")
    add_routine("Förebygga trycksår")
    add_synonym("medicin", "läkemedel")
    add_synonym("ramla", "fall, fallolycka")
    add_synonym("liggsår", "decubitus, trycksår")
    assert found("medicin") == ["Läkemedelshantering i hemtjänst"]
    assert found("Ramla") == ["Fallprevention i ordinärt boende"]
    assert found("liggsar") == ["Förebygga trycksår"]


def test_an_edited_synonym_applies_at_once(search_db):
    add_routine("Munvård")
    add_synonym("tänder", "tandvård")
    assert found("tänder") == []
    db.session.execute(sa.update(Synonym).where(Synonym.word == "tänder").values(means="tandvård, munvård"))
    db.session.commit()
    assert found("tänder") == ["Munvård"]


def test_a_synonym_of_several_words_is_found_as_typed(search_db):
    add_routine("Handhygien")
    add_synonym("tvätta händerna", "handhygien")
    assert found("tvätta händerna") == ["Handhygien"]


def test_any_word_of_the_query_matches_and_covering_more_words_ranks_first(search_db):
    # Changed by the issue "Search that answers in the staff's own words": all words used to be required.
    add_routine("Fall på natten", body="Nattpersonal larmar.")
    add_routine("Fall i hemmet", body="Larma vid fall.")
    add_routine("Larm i hemmet")
    assert found("fall hemmet")[0] == "Fall i hemmet"
    assert set(found("fall hemmet")) == {"Fall i hemmet", "Fall på natten", "Larm i hemmet"}


def test_a_title_match_ranks_above_a_tag_match_above_a_body_match(search_db):
    add_routine("Dokumentation", body="Munvård nämns. Munvård igen. Munvård en tredje gång.")
    add_routine("Tandborstning", tags=("munvård",))
    add_routine("Munvård")
    assert found("munvard") == ["Munvård", "Tandborstning", "Dokumentation"]


def test_a_whole_word_ranks_above_the_same_word_inside_a_compound(search_db):
    add_routine("Rutin A", body="Tänk på handhygien före besöket.")
    add_routine("Rutin B", body="Tänk på hygien före besöket.")
    assert found("hygien") == ["Rutin B", "Rutin A"]


def test_a_whole_word_in_the_body_ranks_above_the_word_inside_a_compound_in_the_title(search_db):
    add_routine("Liftbyte och taklift", tags=("taklift",), body="Taklift. Liftbyte. Taklift i sovrummet.")
    add_routine("Förflyttning", body="Använd lift vid behov.")
    assert found("lift") == ["Förflyttning", "Liftbyte och taklift"]


def test_a_common_word_of_a_question_does_not_outrank_the_routine_about_its_topic(search_db):
    add_routine("Delegering", body="Delegering gäller ett år.")
    add_routine("Stödstrumpor", body="Det tar länge att ta på strumporna. Länge. Kräver delegering.")
    for number in range(4):
        add_routine(f"Rutin {number}", body="Vänta inte för länge.")
    assert found("hur länge gäller delegeringen")[0] == "Delegering"


def test_the_definite_and_the_base_form_of_a_noun_find_each_other(search_db):
    add_routine("Munvård", body="Borsta protesen varje kväll.")
    add_routine("Tandvård", tags=("protes",))
    assert set(found("protes")) == {"Munvård", "Tandvård"}
    assert set(found("protesen")) == {"Munvård", "Tandvård"}


def test_the_exact_title_comes_first(search_db):
    add_routine("Fall och fallrisk", body="Fall. " * 20, tags=("fall",))
    add_routine("Fall")
    assert found("fall")[0] == "Fall"


def test_the_title_phrase_comes_before_the_words_apart(search_db):
    add_routine("Hot mot personal och våld", body="Hot. Våld. Hot och våld.")
    add_routine("Hot och våld i hemmet")
    assert found("hot och våld")[0] == "Hot och våld i hemmet"


def test_a_query_with_one_matching_content_word_is_never_empty(search_db):
    add_routine("Insulin", body="Ge insulin enligt ordination.")
    assert found("insulin zyxwvu qqqq") == ["Insulin"]


def test_a_question_searches_its_content_words(search_db):
    add_routine("Fall i hemmet", body="Om brukaren har ramlat: larma.")
    add_routine("Vad ska jag göra", body="Allmänt om arbetet.")
    assert found("vad gör jag om brukaren ramlat")[0] == "Fall i hemmet"


def test_inflected_forms_find_each_other(search_db):
    add_routine("Trygghetslarmet", body="När larmet går.")
    assert found("larm") == ["Trygghetslarmet"]
    assert found("larmen") == ["Trygghetslarmet"]


def test_a_compound_query_finds_routines_about_its_parts(search_db):
    add_routine("Nyckelhantering", body="Om en nyckel kommer bort: ring chefen.")
    add_routine("Basala hygienrutiner", body="Handhygien och skyddskläder.")
    assert found("nyckelförlust") == ["Nyckelhantering"]
    assert found("hygienrutin")[0] == "Basala hygienrutiner"


def test_the_other_half_of_a_compound_finds_it(search_db):
    add_routine("Handhygien")
    add_routine("Läkemedelshantering")
    assert found("hygien") == ["Handhygien"]
    assert found("hantering") == ["Läkemedelshantering"]


def test_a_word_typed_to_half_finds_the_word(search_db):
    add_routine("Insulin", body="Ge insulin enligt ordination.")
    assert found("insul") == ["Insulin"]


def test_two_words_typed_together_find_both(search_db):
    add_routine("Lex Maria", body="Händelser som kan ha orsakat vårdskada.")
    assert found("lexmaria") == ["Lex Maria"]


def test_the_nearest_routines_and_the_corrected_query_when_nothing_matches(search_db):
    add_routine("Trygghetslarm", body="När larmet går.")
    assert found("trygghtslrmm") == []
    result = search("trygghtslrmm", {unit_id(NORD)}, nearest=True)
    assert result.nearest and [hit.title for hit in result.hits] == ["Trygghetslarm"]
    assert result.corrected == "trygghetslarm"


def test_a_typo_correction_is_offered_as_the_query_meant(search_db):
    add_routine("Delegering", body="Delegering av insulin.")
    result = search("delgering", {unit_id(NORD)})
    assert [hit.title for hit in result.hits] == ["Delegering"] and result.corrected == "delegering"


def test_a_hit_tells_its_unit_and_kind(search_db):
    add_routine("Nycklar", unit=NORD)
    add_routine("Nycklar")
    hits = search_routines("nycklar", {unit_id(NORD)})
    assert {(hit.title, hit.unit_name, hit.kind) for hit in hits} == {("Nycklar", NORD, "rutin"),
                                                                       ("Nycklar", None, "rutin")}


def test_queries_shorter_than_two_characters_find_nothing(search_db):
    add_routine("A och O i vården")
    assert found("a") == []
    assert found(" ") == []


def test_a_two_letter_word_matches_too(search_db):
    add_routine("Rutin för KOL och O2-behandling")
    add_routine("Astma")
    assert found("o2") == ["Rutin för KOL och O2-behandling"]


@pytest.mark.parametrize("query", ['"', '"fall', "fall*", "*", "(fall", "fall)", "NEAR(fall larm)", "-fall",
                                   "fall OR", "AND", "NOT fall", "fall:larm", "^fall", "{folded_title}: x",
                                   "100%", "a_b", "'; DROP TABLE routines; --", "\\"])
def test_query_syntax_characters_never_raise(search_db, query):
    add_routine("Fall i hemmet")
    assert isinstance(search_routines(query, set()), list)


# --- Snippets -----------------------------------------------------------------------------------


def test_the_snippet_marks_the_matches_near_the_best_match(search_db):
    filler = " ".join(f"ord{i}" for i in range(60))
    add_routine("Kost", body=f"{filler} Ge brukaren Näringsdryck vid måltid. {filler}")
    [hit] = search_routines("naringsdryck", set())
    assert "<mark>Näringsdryck</mark>" in hit.snippet_html
    assert hit.snippet_html.startswith("… ") and hit.snippet_html.endswith(" …")
    assert len(hit.snippet_html.split()) < 35


def test_the_snippet_shows_where_most_query_words_meet(search_db):
    filler = " ".join(f"ord{i}" for i in range(60))
    add_routine("Larm", body=f"Fall nämns här. {filler} Vid fall: tryck på larmknappen. {filler}")
    [hit] = search_routines("fall larm", set())
    assert "<mark>fall</mark>: tryck på <mark>larmknappen</mark>" in hit.snippet_html


def test_the_snippet_escapes_html_in_the_body(search_db):
    add_routine("Skadlig", body="Text <script>alert('x')</script> om kateter.")
    [hit] = search_routines("kateter", set())
    assert "<script>" not in hit.snippet_html
    assert "&lt;script&gt;" in hit.snippet_html
    assert "<mark>kateter</mark>" in hit.snippet_html


def test_the_snippet_comes_from_the_title_when_the_body_does_not_match(search_db):
    add_routine("Nyckelhantering", body="Nycklar kvitteras.")
    [hit] = search_routines("hantering", set())
    assert hit.snippet_html == "Nyckel<mark>hantering</mark>"


# --- Who sees what ------------------------------------------------------------------------------


def test_a_routine_of_another_unit_never_appears(search_db):
    add_routine("Bilpool Nord", unit=NORD)
    add_routine("Bilpool Syd", unit=SYD)
    assert found("bilpool", units=(NORD,)) == ["Bilpool Nord"]


def test_an_archived_routine_never_appears(search_db):
    add_routine("Gammal larmrutin", archived=True)
    assert found("larmrutin") == []


def test_a_routine_without_a_published_version_never_appears(search_db):
    routine = add_routine("Utkast om larm", published=False)
    index_routine(routine.id, "Utkast om larm", [], "")  # even if something indexed it
    db.session.commit()
    assert found("larm") == []


def test_a_central_routine_appears_for_every_reader(search_db):
    add_routine("Brandsäkerhet")
    assert found("brand", units=()) == ["Brandsäkerhet"]
    assert found("brand", units=(SYD,)) == ["Brandsäkerhet"]


def test_visibility_is_applied_before_the_limit(search_db):
    for number in range(5):
        add_routine(f"Insulin {number}", unit=SYD)
    add_routine("Diabetes", body="insulin", unit=NORD)
    assert found("insulin", units=(NORD,), limit=2) == ["Diabetes"]


# --- The index follows the routines -------------------------------------------------------------


def test_the_index_follows_a_new_version(search_db):
    routine = add_routine("Sondmatning", body="Gammal text om peg.")
    index_routine(routine.id, "Sondmatning", ["nutrition"], "Ny text om gastrostomi.")
    db.session.commit()
    assert found("gastrostomi") == ["Sondmatning"]
    assert found("peg") == []


def test_the_index_forgets_a_removed_routine(search_db):
    routine = add_routine("Stomivård")
    remove_routine(routine.id)
    db.session.commit()
    assert found("stomi") == []


def test_typo_corrections_learn_words_of_new_versions(search_db):
    routine = add_routine("Rutin", body="text")
    assert found("katetr") == []
    index_routine(routine.id, "Rutin", [], "Byte av kateter.")
    db.session.commit()
    assert found("katetr") == ["Rutin"]


# --- The index in the schema --------------------------------------------------------------------


FTS_TABLE = "routine_search_fts"


def search_index_schema(connection) -> list[str]:
    """The names of the first search's FTS5 table and its triggers, where they exist."""
    rows = connection.execute(sa.text(
        "SELECT name FROM sqlite_master WHERE name LIKE :fts OR (type = 'trigger' "
        "AND tbl_name = 'routine_search_documents') ORDER BY name"), {"fts": f"{FTS_TABLE}%"})
    return [name for (name,) in rows]


def test_the_migrations_leave_no_unread_search_index(tmp_path):
    app = create_app(make_test_config(tmp_path, tmp_path / "migrated.db"))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            left = search_index_schema(connection)
        db.engine.dispose()
    assert left == []


def test_undoing_the_drop_rebuilds_the_fts_index_from_the_documents(tmp_path):
    app = create_app(make_test_config(tmp_path, tmp_path / "migrated.db"))
    with app.app_context():
        upgrade()
        owner = User(username="k", display_name="K", role="quality", password_hash="x")
        db.session.add(owner)
        db.session.flush()
        routine = Routine(slug="nycklar", kind="rutin", owner_id=owner.id, review_due_on=date(2030, 1, 1))
        db.session.add(routine)
        db.session.flush()
        db.session.add(RoutineSearchDocument(routine_id=routine.id, title="Nycklar", folded_title="nycklar", tags="",
                                             folded_tags="", body="Kvittera nyckeln", folded_body="kvittera nyckeln",
                                             indexed_at=utcnow()))
        db.session.commit()
        downgrade(revision="a4eec2c01d64")
        with db.engine.connect() as connection:
            rebuilt = search_index_schema(connection)
            found = connection.execute(sa.text(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH 'nyckel'")).all()
        db.engine.dispose()
    assert FTS_TABLE in rebuilt and len([name for name in rebuilt if not name.startswith(FTS_TABLE)]) == 3
    assert len(found) == 1


def test_autogenerate_finds_nothing_left_of_the_search_index(tmp_path):
    app = create_app(make_test_config(tmp_path, tmp_path / "migrated.db"))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert differences == []
