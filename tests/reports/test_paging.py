"""Long lists are paged on the server and filterable, with the count shown: /rapporter (reports first, the overdue
actions folded away with their count) and Mina rapporter."""
import re

from sqlalchemy import func, select

from app.accounts.models import Unit, User
from app.extensions import db
from app.paging import Page, page_number
from app.reports.models import Report
from tests.reports.factories import ReportApi

COUNT = re.compile(r"<p class=\"list-count\" data-list-count>Visar (\d+)–(\d+) av (\d+)</p>")


def signed_in(app, username):
    return ReportApi(app.test_client()).login(username)


def listed_uuids(html: str) -> list[str]:
    return re.findall(r'<li class="list-item report-item[^"]*" data-report-uuid="([^"]+)"', html)


def test_the_words_for_a_page():
    assert Page(list(range(25)), 1, 25, 182).shown_phrase == "Visar 1–25 av 182"
    assert Page(list(range(7)), 8, 25, 182).shown_phrase == "Visar 176–182 av 182"
    assert Page([], 1, 25, 0).shown_phrase == "Inga att visa"
    assert [page_number(text) for text in (None, "", "3", "0", "-2", "tre")] == [1, 1, 3, 1, 1, 1]


def test_the_handlers_inbox_shows_25_reports_and_the_count(app):
    client = signed_in(app, "chef.nord")
    html = client.get("/rapporter").get_data(as_text=True)
    first, last, total = map(int, COUNT.search(html).groups())
    assert (first, last) == (1, 25) and total > 100 and len(listed_uuids(html)) == 25
    assert f"Sida 1 av {-(-total // 25)}" in html and 'href="/rapporter?sida=2" rel="next"' in html
    second = client.get("/rapporter?sida=2").get_data(as_text=True)
    assert COUNT.search(second).groups()[:2] == ("26", "50")
    assert not set(listed_uuids(html)) & set(listed_uuids(second))


def test_the_reports_come_before_the_overdue_actions_which_are_folded_with_their_count(app):
    html = signed_in(app, "chef.nord").get("/rapporter").get_data(as_text=True)
    overdue = re.search(r'<details class="card overdue" id="forsenade">.*?</details>', html, re.S).group(0)
    count = int(re.search(r"<span data-overdue-count>\((\d+)\)</span>", overdue).group(1))
    assert count == overdue.count('<li class="list-item">') and count > 0
    assert html.index("data-report-list") < html.index('id="forsenade"')
    assert "<details class=\"card overdue\" id=\"forsenade\" open" not in html


def test_the_filters_narrow_the_list_and_the_pager_keeps_them(app):
    client = signed_in(app, "kvalitet")
    with app.app_context():
        nord = db.session.scalar(select(Unit.id).where(Unit.name == "Hemvård Nord"))
        expected = sum("avvikelse_sol" in report.kinds for report in db.session.scalars(
            select(Report).where(Report.unit_id == nord, Report.status == "closed")))
    html = client.get(f"/rapporter?status=closed&typ=avvikelse_sol&enhet={nord}").get_data(as_text=True)
    total = int(COUNT.search(html).group(3))
    assert 0 < total == expected
    if total > 25:
        assert f'href="/rapporter?status=closed&amp;typ=avvikelse_sol&amp;enhet={nord}&amp;sida=2"' in html
    for uuid in listed_uuids(html):
        with app.app_context():
            report = db.session.scalar(select(Report).where(Report.uuid == uuid))
            assert report.unit_id == nord and report.status == "closed" and "avvikelse_sol" in report.kinds
    # The status links keep the kind and the unit.
    assert f'href="/rapporter?status=received&amp;typ=avvikelse_sol&amp;enhet={nord}"' in html


def test_a_unit_outside_the_handlers_scope_is_ignored(app):
    client = signed_in(app, "chef.nord")
    with app.app_context():
        syd = db.session.scalar(select(Unit.id).where(Unit.name == "Hemvård Syd"))
    everything = COUNT.search(client.get("/rapporter").get_data(as_text=True)).group(3)
    assert COUNT.search(client.get(f"/rapporter?enhet={syd}").get_data(as_text=True)).group(3) == everything


def test_mina_rapporter_is_paged_and_filtered_by_status(app):
    client = signed_in(app, "usk.nord")
    with app.app_context():
        me = db.session.scalar(select(User).where(User.username == "usk.nord"))
        own = db.session.scalar(select(func.count()).select_from(Report).where(Report.reporter_id == me.id))
        closed = db.session.scalar(select(func.count()).select_from(Report).where(Report.reporter_id == me.id,
                                                                                  Report.status == "closed"))
    assert own > 25
    html = client.get("/rapportera/mina").get_data(as_text=True)
    assert COUNT.search(html).groups() == ("1", "25", str(own))
    assert html.count('data-report-uuid="') == 25 and 'href="/rapportera/mina?sida=2" rel="next"' in html
    filtered = client.get("/rapportera/mina?status=closed").get_data(as_text=True)
    assert COUNT.search(filtered).group(3) == str(closed)
    assert 'href="/rapportera/mina?status=closed" aria-current="page"' in filtered
