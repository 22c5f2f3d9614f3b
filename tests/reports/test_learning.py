"""The printable learning page: counts per kind, anonymised events, actions and routines; no names; who may see it."""
import re
from datetime import date

import pytest
from sqlalchemy import select

from app.accounts.models import Unit, User
from app.accounts.rules import Role
from app.extensions import db
from app.reports import handling, statistics
from app.reports import learning as learning_module
from app.reports.models import Report
from app.routines.models import Routine
from app.timestamps import local_today
from tests.reports.factories import ReportApi, make_unit, make_user, payload

FALL = payload(text="Kalle Svensson föll i badrummet.", affected=["client"], harm="injury", topics=["fall"],
               client_reference="K.S.")
COMPLAINT = payload(text="Dottern Lisa Berg var missnöjd med tiderna.", affected=["client"], harm="none",
                    topics=["complaint"], client_reference="L.B.")
NAMES = ("Kalle", "Svensson", "Lisa", "K.S.", "L.B.", "Usk.Ost", "Chef.Ost")


def user(username) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def unit_id(name) -> int:
    return db.session.scalar(select(Unit.id).where(Unit.name == name))


def send(app, report) -> dict:
    response = ReportApi(app.test_client()).login("usk.ost").send(dict(report, uuid=payload()["uuid"]))
    assert response.status_code == 201
    return response.get_json()


def article(html: str) -> str:
    """The printed part of the page (the app's header names the signed-in user)."""
    return re.search(r'<article class="learning">.*</article>', html, re.S).group(0)


@pytest.fixture
def east(app):
    """A unit of the test's own with two reports, one investigated with an action and a linked routine."""
    with app.app_context():
        make_unit("Hemvård Öst")
        make_user("usk.ost", Role.STAFF, "Hemvård Öst")
        make_user("chef.ost", Role.MANAGER, "Hemvård Öst")
    fall, _complaint = send(app, FALL), send(app, COMPLAINT)
    with app.app_context():
        chef, report = user("chef.ost"), db.session.get(Report, fall["id"])
        handling.add_entry(chef, report, "fact", "Fall i badrummet; sår på armen.")
        db.session.commit()
        action = handling.add_action(chef, report, what="Halkfri matta i badrummet.", owner_id=chef.id,
                                     owner_name="", due_on=report.created_at.date())
        db.session.commit()
        handling.update_action(chef, action, status="done", effect="worked", effect_note="Inga fler fall.")
        db.session.commit()
        routine = db.session.scalar(select(Routine).where(Routine.slug == "fallprevention-i-ordinart-boende"))
        handling.link_routine(chef, report, routine, "Badrummet saknas i rutinen.")
        db.session.commit()
        return unit_id("Hemvård Öst")


def page(app, username, query=""):
    return ReportApi(app.test_client()).login(username).get(f"/statistik/larande{query}")


def test_the_page_counts_the_kinds_of_the_unit_and_period(app, east):
    html = article(page(app, "chef.ost", f"?enhet={east}").get_data(as_text=True))
    assert '<span data-learning-total>2</span>' in html
    counts = dict(re.findall(r'<td data-kind="([a-z_]+)"[^>]*>(\d+)</td>', html))
    assert counts == {"avvikelse_sol": "1", "avvikelse_hsl": "1", "lex_maria": "1", "klagomal": "1"}


def test_what_happened_is_the_handlers_fact_or_the_answers_never_the_reporters_text(app, east):
    html = article(page(app, "chef.ost", f"?enhet={east}").get_data(as_text=True))
    assert "Fall i badrummet; sår på armen." in html and "Klagomål från brukare eller anhörig" in html
    assert "föll i badrummet" not in html and "missnöjd" not in html


def test_no_names_of_reporters_handlers_or_clients_appear(app, east):
    html = article(page(app, "kvalitet", f"?enhet={east}").get_data(as_text=True))
    assert not [name for name in NAMES if name in html]


def test_actions_with_their_effect_and_linked_routines_are_shown(app, east):
    html = article(page(app, "chef.ost", f"?enhet={east}").get_data(as_text=True))
    assert "Halkfri matta i badrummet." in html and "Ja, den fungerade – Inga fler fall." in html
    assert 'href="/rutiner/fallprevention-i-ordinart-boende"' in html and "1 rapport gällde rutinen" in html


def test_the_demo_year_prints_without_names(app):
    with app.app_context():
        nord = unit_id("Hemvård Nord")
        names = [person.display_name for person in db.session.scalars(select(User))]
        references = set(db.session.scalars(select(Report.client_reference).where(Report.client_reference != "")))
        texts = set(db.session.scalars(select(Report.text)))
    html = article(page(app, "chef.nord", f"?enhet={nord}").get_data(as_text=True))
    assert int(re.search(r"data-learning-total>(\d+)<", html).group(1)) > 100
    assert not [name for name in names if name in html]
    assert not [reference for reference in references if reference in html]
    assert not [text for text in texts if text in html]


@pytest.mark.parametrize(("username", "status"), [
    ("usk.ost", 403), ("usk.nord", 403), ("samordnare.nord", 403), ("admin", 403), ("chef.ost", 200),
    ("kvalitet", 200), ("mas", 200),
])
def test_only_managers_and_quality_open_the_page(app, east, username, status):
    assert page(app, username).status_code == status


def test_a_manager_of_another_unit_sees_only_their_own(app, east):
    html = article(page(app, "chef.nord", f"?enhet={east}").get_data(as_text=True))
    assert "Hemvård Öst" not in html and "Fall i badrummet; sår på armen." not in html


def test_a_long_period_pages_the_newest_events_and_still_counts_them_all(app):
    with app.app_context():
        result = learning_module.learning(user("kvalitet"), statistics.Filters(date(2020, 1, 1), local_today()))
        newest = db.session.scalars(select(Report.occurred_at).order_by(Report.occurred_at.desc()).limit(25)).all()
    # The demo's year of reports and of complaints (app/complaints/demo.py), which are reports too.
    assert result.total == 370 and sum(result.per_kind.values()) >= 370
    assert len(result.events.items) == 25 and result.events.total == 370
    assert len(result.actions.items) == 25 and result.actions.total > 25
    assert [event.day for event in result.events.items] == [
        moment.astimezone(statistics.LOCAL_ZONE).date() for moment in newest]
    html = page(app, "kvalitet", "?fran=2020-01-01").get_data(as_text=True)
    assert "Visar 1–25 av 370" in html
    assert 'href="/statistik/larande?fran=2020-01-01&amp;atgardssida=1&amp;sida=2" rel="next"' in html


def test_the_second_page_of_events_keeps_the_filters_and_the_actions_page(app):
    html = page(app, "kvalitet", "?fran=2020-01-01&typ=avvikelse_sol&sida=2&atgardssida=2").get_data(as_text=True)
    with app.app_context():
        result = learning_module.learning(user("kvalitet"), statistics.Filters(date(2020, 1, 1), local_today(),
                                                                                 None, "avvikelse_sol"), 2, 2)
    total = result.events.total
    assert total > 25
    assert f"Visar 26–{min(50, total)} av {total}" in html
    previous = "/statistik/larande?fran=2020-01-01&amp;typ=avvikelse_sol&amp;atgardssida=2&amp;sida=1"
    assert f'href="{previous}" rel="prev"' in html
