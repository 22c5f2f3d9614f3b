"""Searches without an answer: counted without the user, shown to quality, made synonyms, forgotten in 90 days."""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from app.extensions import db
from app.routines import jobs, misses
from app.routines.models import SearchMiss, Synonym
from app.routines.thesaurus import DEFAULT_THESAURUS, read_thesaurus

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)


def counted(app) -> dict[str, int]:
    with app.app_context():
        return {miss.query: miss.count for miss in db.session.scalars(sa.select(SearchMiss))}


def test_a_search_without_an_answer_is_counted_folded_without_the_user(app, client, auth, clock):
    clock.pin(NOON)
    auth.login_as_role("staff")
    client.get("/rutiner?q=Qwxzyk Ärtpyrq")
    client.get("/rutiner?q=qwxzyk ärtpyrq")
    assert counted(app) == {"qwxzyk artpyrq": 2}
    assert {column.name for column in SearchMiss.__table__.columns} == {"id", "query", "count", "last_seen_at"}


def test_a_search_that_finds_something_is_not_counted(app, client, auth):
    auth.login_as_role("staff")
    client.get("/rutiner?q=munvård")
    assert counted(app) == {}


def test_digits_that_may_identify_a_person_are_never_stored(app, client, auth):
    auth.login_as_role("staff")
    client.get("/rutiner?q=19450101-1234")
    assert counted(app) == {}


def test_the_beginnings_of_a_query_typed_letter_by_letter_are_not_kept(app, client, auth, clock):
    clock.pin(NOON)
    auth.login_as_role("staff")
    for typed in ("qwxz", "qwxzy", "qwxzyk"):
        client.get(f"/rutiner?q={typed}", headers={"HX-Request": "true"})
        clock.advance(timedelta(seconds=1))
    assert counted(app) == {"qwxzyk": 1}


def test_the_empty_page_offers_the_nearest_routines_and_the_query_meant(client, auth):
    auth.login_as_role("staff")
    html = client.get("/rutiner?q=trygghtslrmm").get_data(as_text=True)
    assert "Ingen rutin hittades" in html
    assert "Menade du" in html and 'href="/rutiner?q=trygghetslarm"' in html
    assert 'href="/rutiner/trygghetslarm-nar-larmet-gar"' in html


def test_quality_sees_the_misses_with_a_button_that_prefills_the_synonym_form(app, client, auth, clock):
    clock.pin(NOON)
    with app.app_context():
        misses.record_miss("punktering")
        db.session.commit()
    auth.login_as_role("quality")
    html = client.get("/rutiner/sokningar-utan-traff").get_data(as_text=True)
    assert "punktering" in html and "2 mars 2026" in html
    assert 'href="/rutiner/synonymer?ord=punktering"' in html
    form = client.get("/rutiner/synonymer?ord=punktering").get_data(as_text=True)
    assert 'value="punktering"' in form


def test_staff_and_managers_may_not_see_the_misses(client, auth):
    auth.login_as_role("staff")
    assert client.get("/rutiner/sokningar-utan-traff").status_code == 403
    auth.logout()
    auth.login_as_role("manager")
    assert client.get("/rutiner/sokningar-utan-traff").status_code == 403


def test_misses_not_seen_for_90_days_are_deleted_by_the_nightly_job(app, clock):
    with app.app_context():
        clock.pin(NOON)
        misses.record_miss("gammal sökning")
        clock.pin(NOON + timedelta(days=80))
        misses.record_miss("ny sökning")
        db.session.commit()
        clock.pin(NOON + timedelta(days=90, seconds=1))
        assert jobs.forget_old_search_misses.call_local() == 1
        assert [miss.query for miss in db.session.scalars(sa.select(SearchMiss))] == ["ny sokning"]


def test_the_thesaurus_import_is_idempotent(app, runner, tmp_path):
    path = tmp_path / "synonymer.tsv"
    path.write_text("# kommentar\nqwbajs\tavföring, toalettbesök\nqwkissa\turin\n", encoding="utf-8")
    first = runner.invoke(args=["routines", "synonyms-import", str(path)])
    second = runner.invoke(args=["routines", "synonyms-import", str(path)])
    assert "Nya: 2" in first.output and "Nya: 0, ändrade: 0, fanns redan: 2" in second.output
    with app.app_context():
        rows = db.session.execute(sa.select(Synonym.word, Synonym.means).where(Synonym.word.like("qw%"))).all()
    assert sorted(rows) == [("qwbajs", "avföring, toalettbesök"), ("qwkissa", "urin")]


def test_the_import_keeps_what_quality_saved_unless_told_to_replace(app, runner, tmp_path):
    path = tmp_path / "synonymer.tsv"
    path.write_text("medicin\ttabletter\n", encoding="utf-8")
    kept = runner.invoke(args=["routines", "synonyms-import", str(path)])
    replaced = runner.invoke(args=["routines", "synonyms-import", "--replace", str(path)])
    assert "fanns redan: 1" in kept.output and "ändrade: 1" in replaced.output


def test_a_bad_thesaurus_line_imports_nothing(app, runner, tmp_path):
    path = tmp_path / "synonymer.tsv"
    path.write_text("qwfel utan tabb\n", encoding="utf-8")
    result = runner.invoke(args=["routines", "synonyms-import", str(path)])
    assert result.exit_code != 0 and "rad 1" in result.output


def test_the_default_thesaurus_is_loaded_by_the_demo_data(app):
    rows = read_thesaurus(DEFAULT_THESAURUS)
    assert len(rows) >= 300
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Synonym)) >= len(rows)
