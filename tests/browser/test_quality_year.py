"""The quality year on a 320 px phone: quality plans an egenkontroll for Hemvård Nord, the daily job makes the task
and the "pling", chef.nord answers one question with no signal, closes the tab, answers the rest online and
sends with "Skicka in" (through the phone's outbox), a "nej" becomes an action, quality reads the result.
axe on every new page."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.quality import reminders
from app.quality.models import Activity
from app.timestamps import local_today
from tests.browser.actions import login, wait_for_sync
from tests.browser.axe import assert_accessible
from tests.browser.test_self_check_outbox import DRAFTS_ON_PHONE

SMALL_PHONE = {"width": 320, "height": 640}
WIDEST_IN_CONTENT = """() => Math.max(...[...document.querySelectorAll('#innehall *')]
  .map((element) => Math.round(element.getBoundingClientRect().right)))"""
NAME = "Egenkontroll nyckelhantering"
QUESTIONS = ["Förvaras nycklarna i låst skåp?", "Kvitteras varje nyckel?", "Övriga iakttagelser"]


def plan(page, due_on) -> None:
    page.goto("/egenkontroll/formular/ny")
    assert_accessible(page)
    page.get_by_label("Formulärets namn").fill("Nyckelhantering")
    for index, text in enumerate(QUESTIONS):
        page.locator(f"#questions-{index}-text").fill(text)
    page.locator("#questions-2-kind").select_option(label="Fritext")
    page.locator("#questions-0-action_on_no").check()
    page.get_by_role("button", name="Spara formuläret").click()
    expect(page.locator(".flash-success")).to_contain_text("Nyckelhantering")
    assert_accessible(page)

    page.goto("/arshjul/ny")
    assert_accessible(page)
    page.get_by_label("Namn", exact=True).fill(NAME)
    page.get_by_label("Sort").select_option(label="Egenkontroll")
    page.get_by_label("Hur ofta").select_option(label="Varje år på datumen")
    page.get_by_label("Datum (MM-DD)").fill(f"{due_on:%m-%d}")
    page.get_by_label("Hemvård Nord").check()
    page.get_by_label("Vem ansvarar i enheten?").select_option(label="Enhetschef")
    page.get_by_label("Första påminnelsen, dagar före").fill("14")
    page.get_by_label("Egenkontrollformulär (valfritt)").select_option(label="Nyckelhantering")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".flash-success")).to_contain_text(NAME)
    expect(page.locator("[data-wheel]")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(NAME))).to_be_visible()
    assert_accessible(page)


# The phone's routine sync runs on in the background and finds no network while the test is offline.
@pytest.mark.allow_browser_errors("net::ERR_INTERNET_DISCONNECTED")
def test_quality_plans_the_manager_answers_and_quality_reads_the_result(open_page, live_server):
    today = local_today()
    due_on = today + timedelta(days=10)
    quality, chef = open_page(viewport=SMALL_PHONE), open_page(viewport=SMALL_PHONE)
    login(quality, "kvalitet")
    plan(quality, due_on)

    with live_server.app.app_context():  # the morning job
        reminders.build_tasks(today)
        reminders.send_reminders(today)
        activity_id = db.session.scalar(select(Activity.id).where(Activity.name == NAME))

    login(chef, "chef.nord")
    chef.goto("/meddelanden")
    expect(chef.locator("[data-inbox]")).to_contain_text(f"Snart dags: {NAME}")
    chef.goto("/")
    expect(chef.locator("[data-task-count]")).not_to_have_attribute("data-task-count", "0")
    chef.get_by_role("link", name=re.compile("Att göra")).click()
    task = chef.locator("[data-tasks] li", has_text=NAME)
    expect(task.locator(f'time[datetime="{due_on.isoformat()}"]')).to_be_visible()
    assert_accessible(chef)
    task.get_by_role("link").click()
    expect(chef.get_by_role("heading", name=NAME)).to_be_visible()
    assert_accessible(chef)
    task_url = chef.url
    # The phone's routine sync (images included) finishes first: going offline in the middle of it is another test's.
    wait_for_sync(chef)

    # One answer with no signal, kept in the phone's database; the tab is closed.
    chef.context.set_offline(True)
    chef.get_by_role("group", name=QUESTIONS[0]).get_by_label("Nej").check()
    expect(chef.locator("[data-self-check-status]")).to_have_text("Svaren är sparade på telefonen.")
    context = chef.context
    chef.close()
    context.set_offline(False)

    chef = context.new_page()
    chef.goto(task_url)
    expect(chef.get_by_role("group", name=QUESTIONS[0]).get_by_label("Nej")).to_be_checked()
    chef.get_by_role("group", name=QUESTIONS[1]).get_by_label("Ja").check()
    chef.get_by_label(QUESTIONS[2]).fill("Ett skåp saknade lås.")
    # Online, "Skicka in" goes through the outbox and says "Skickad" once the server has the answers.
    with chef.expect_response(lambda response: response.url.endswith("/api/v1/self-checks")) as sent:
        chef.get_by_role("button", name="Skicka in").click()
    assert sent.value.status == 201
    expect(chef.locator("[data-self-check-saved]")).to_contain_text("Skickad")
    expect(chef.locator("[data-self-check-saved]")).to_contain_text("1 åtgärd har skapats")
    assert_accessible(chef)
    chef.get_by_role("link", name="Tillbaka till Att göra").click()
    expect(chef.locator("[data-actions]")).to_contain_text(f"Åtgärda: {QUESTIONS[0]}")
    assert_accessible(chef)
    assert chef.evaluate(DRAFTS_ON_PHONE) == []

    quality.goto(f"/arshjul/{activity_id}")
    assert_accessible(quality)
    quality.get_by_role("link", name=re.compile("Omgången")).click()
    expect(quality.locator("[data-result-table]").first).to_contain_text("nej: 1")
    expect(quality.locator("#innehall")).not_to_contain_text("Johan Ek")
    assert_accessible(quality)


def demo_paths(app) -> dict[str, str]:
    from app.accounts.models import User
    from app.quality import checks, services

    with app.app_context():
        chef = db.session.scalar(select(User).where(User.username == "chef.nord"))
        task = services.tasks_of(chef, done=False)[0]
        medicines = db.session.scalar(select(Activity).where(Activity.name == "Egenkontroll läkemedelshantering"))
        latest = checks.rounds_of(medicines)[0]
        return {"task": f"/att-gora/{task.id}", "round": f"/arshjul/{medicines.id}/omgang/{latest.isoformat()}",
                "activity": f"/arshjul/{medicines.id}"}


@pytest.mark.parametrize(("username", "path"), [
    ("kvalitet", "/arshjul"), ("kvalitet", "/arshjul/ny"), ("kvalitet", "/egenkontroll/formular/ny"),
    ("kvalitet", "round"), ("kvalitet", "activity"), ("chef.nord", "/att-gora"), ("chef.nord", "task"),
])
def test_the_pages_hold_at_320_px_with_text_at_200_percent(open_page, live_server, username, path):
    page = open_page(viewport=SMALL_PHONE)
    login(page, username)
    page.goto(demo_paths(live_server.app).get(path, path))
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # Text at 200 %: the page's own content still fits (the shell's header and menu are not this page's).
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    assert page.evaluate(WIDEST_IN_CONTENT) <= 320
