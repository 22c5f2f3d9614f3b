"""An egenkontroll on the phone goes through the outbox as reports do: half-done answers survive a closed tab with
no signal, "Skicka in" with no signal keeps the answers on the phone and says so, and they reach the server exactly
once when the network is back, or on the next try after a server error."""
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.accounts import services as accounts
from app.extensions import db
from app.quality import checks, services
from app.quality.checks import QuestionInput
from app.quality.models import CheckAction, CheckAnswer, CheckResponse, Task
from app.quality.rules import MonthDay
from app.timestamps import local_today
from tests.browser.actions import login, wait_for_service_worker, wait_for_sync
from tests.browser.axe import assert_accessible
from tests.browser.faults import ApiFaults
from tests.routines.factories import unit

MANAGER = "chef.nord"
NAME = "Egenkontroll nyckelskåp"
QUESTIONS = ["Är nyckelskåpet låst?", "Finns nyckellistan?", "Övriga iakttagelser"]
SELF_CHECK_POST = ("POST", "/api/v1/self-checks")
SEND_TIMEOUT_MS = 20_000
OFFLINE_ERRORS = "net::ERR_INTERNET_DISCONNECTED"
SERVER_ERROR = r"api/v1/self-checks:0: Failed to load resource: the server responded with a status of 500"
DRAFTS_ON_PHONE = """() => new Promise((resolve, reject) => {
  const opening = indexedDB.open("fickan");
  opening.onerror = () => reject(opening.error);
  opening.onsuccess = () => {
    const db = opening.result;
    const all = db.transaction("self-check-drafts").objectStore("self-check-drafts").getAll();
    all.onsuccess = () => { db.close(); resolve(all.result); };
    all.onerror = () => reject(all.error);
  };
})"""


@pytest.fixture
def faults(app):
    return ApiFaults(app, *SELF_CHECK_POST)


@pytest.fixture
def task_path(app) -> str:
    """A task of Hemvård Nord's managers with a three-question egenkontroll; a "nej" to the first needs action."""
    with app.app_context():
        quality = accounts.find_user("kvalitet")
        form = checks.create_form(quality, "Nyckelskåp", [
            QuestionInput(QUESTIONS[0], "ja_nej", action_on_no=True), QuestionInput(QUESTIONS[1], "ja_nej"),
            QuestionInput(QUESTIONS[2], "text")])
        nord = unit("Hemvård Nord")
        activity = services.create_activity(quality, services.ActivityInput(
            name=NAME, kind="egenkontroll", recurrence="yearly", dates=[MonthDay.parse("06-15")], unit_ids=[nord.id],
            responsible_role="manager", lead_days=14, form_id=form.id))
        task = services.ensure_task(activity, nord.id, local_today() + timedelta(days=10))
        db.session.commit()
        return f"/att-gora/{task.id}"


def task_id_of(path: str) -> int:
    return int(path.rsplit("/", 1)[1])


def answer_sets(app, task_id: int) -> list[CheckResponse]:
    with app.app_context():
        return list(db.session.scalars(select(CheckResponse).where(CheckResponse.task_id == task_id)))


def open_task(page: Page, path: str) -> None:
    page.goto(path)
    expect(page.get_by_role("heading", name=NAME)).to_be_visible()
    # The phone's script has taken the form over (answers on the phone, "Skicka in" through the outbox).
    expect(page.locator("form[data-self-check]")).to_have_attribute("data-self-check-wired", "1")


def saved(page: Page):
    return page.locator("[data-self-check-saved]")


def login_and_sync(page: Page) -> None:
    # The service worker ready and the routine sync over before the network goes: racing them made tests flaky.
    login(page, MANAGER)
    wait_for_sync(page)
    wait_for_service_worker(page)


@pytest.mark.allow_browser_errors(OFFLINE_ERRORS)
def test_answers_given_offline_over_two_tabs_wait_on_the_phone_and_arrive_once(page: Page, live_server, task_path):
    app = live_server.app
    login_and_sync(page)
    open_task(page, task_path)
    assert_accessible(page)

    context = page.context
    context.set_offline(True)
    page.get_by_role("group", name=QUESTIONS[0]).get_by_label("Nej").check()
    expect(page.locator("[data-self-check-status]")).to_have_text("Svaren är sparade på telefonen.")
    page.close()

    # A new tab with no signal: the page comes from the phone, the answer from its database.
    page = context.new_page()
    open_task(page, task_path)
    expect(page.get_by_role("group", name=QUESTIONS[0]).get_by_label("Nej")).to_be_checked()
    page.get_by_role("button", name="Skicka in").click()
    expect(page.locator("[data-self-check-status]")).to_contain_text("Svara på alla frågor")
    page.get_by_role("group", name=QUESTIONS[1]).get_by_label("Ja").check()
    page.get_by_label(QUESTIONS[2]).fill("Skåpet i hallen saknade lås.")
    page.get_by_role("button", name="Skicka in").click()
    expect(saved(page)).to_contain_text("Sparad på telefonen – skickas när telefonen har nätverk")
    expect(saved(page)).not_to_contain_text("Skickad")
    # The counters say what they count: one egenkontroll waits, no report does.
    expect(page.locator("[data-outbox-self-checks-pending]")).to_have_text("1")
    expect(page.locator("[data-outbox-self-checks]")).to_be_visible()
    expect(page.locator("[data-outbox-pending]")).to_have_text("0")
    expect(page.locator("[data-outbox-reports]")).to_be_hidden()
    expect(page.get_by_role("button", name="Skicka in")).to_be_disabled()
    assert_accessible(page)
    assert answer_sets(app, task_id_of(task_path)) == []

    # Reopened while it waits: the answers stay shown, with what is happening to them.
    page.reload()
    expect(saved(page)).to_contain_text("Sparad på telefonen – skickas när telefonen har nätverk")
    expect(page.get_by_label(QUESTIONS[2])).to_have_value("Skåpet i hallen saknade lås.")

    context.set_offline(False)
    expect(saved(page)).to_contain_text("Skickad", timeout=SEND_TIMEOUT_MS)
    expect(saved(page)).to_contain_text("1 åtgärd har skapats")
    expect(page.locator("[data-outbox-status]")).to_be_hidden()
    assert_accessible(page)
    [stored] = answer_sets(app, task_id_of(task_path))
    assert stored.client_uuid
    with app.app_context():
        values = {answer.question.text: answer.value
                  for answer in db.session.scalars(select(CheckAnswer).where(CheckAnswer.response_id == stored.id))}
        assert values == {QUESTIONS[0]: "nej", QUESTIONS[1]: "ja", QUESTIONS[2]: "Skåpet i hallen saknade lås."}
        assert db.session.scalar(select(db.func.count()).select_from(CheckAction).join(CheckAnswer)
                                 .where(CheckAnswer.response_id == stored.id)) == 1
    assert page.evaluate(DRAFTS_ON_PHONE) == []

    # Once sent, sending again from the page is not possible and nothing more arrives.
    page.goto(task_path)
    expect(page.get_by_role("button", name="Skicka in")).to_have_count(0)
    assert len(answer_sets(app, task_id_of(task_path))) == 1


@pytest.mark.allow_browser_errors(SERVER_ERROR)
def test_a_server_error_leaves_the_answers_waiting_and_the_next_try_stores_them_once(page: Page, live_server,
                                                                                      task_path, faults):
    app = live_server.app
    login_and_sync(page)
    open_task(page, task_path)
    faults.fail_with_500 = 1000  # until the test has seen the answers wait
    page.get_by_role("group", name=QUESTIONS[0]).get_by_label("Ja").check()
    page.get_by_role("group", name=QUESTIONS[1]).get_by_label("Delvis").check()
    with page.expect_response(lambda response: response.url.endswith("/api/v1/self-checks")) as first:
        page.get_by_role("button", name="Skicka in").click()
    assert first.value.status == 500
    # Not "Skickad" on a 500: the answers wait on the phone.
    expect(saved(page)).to_contain_text("Sparad på telefonen – skickas när telefonen har nätverk")
    expect(page.locator("[data-outbox-self-checks-pending]")).to_have_text("1")
    assert answer_sets(app, task_id_of(task_path)) == []

    # The server is well again: the outbox's next try (its timer, or Background Sync) stores the answers once.
    with faults.lock:
        faults.fail_with_500 = 0
    expect(saved(page)).to_contain_text("Skickad", timeout=SEND_TIMEOUT_MS)
    assert faults.answers[-1] == 201 and set(faults.answers[:-1]) == {500}
    [stored] = answer_sets(app, task_id_of(task_path))
    with app.app_context():
        assert {answer.value for answer in db.session.get(CheckResponse, stored.id).answers} == {"ja", "delvis", ""}
    expect(page.locator("[data-outbox-self-checks-pending]")).to_have_text("0")


@pytest.mark.allow_browser_errors(OFFLINE_ERRORS, r"api/v1/self-checks:0: .*status of 409")
def test_answers_the_server_refuses_stay_on_the_phone_until_the_user_removes_them(page: Page, live_server,
                                                                                   task_path):
    app = live_server.app
    login_and_sync(page)
    open_task(page, task_path)
    page.context.set_offline(True)
    page.get_by_role("group", name=QUESTIONS[0]).get_by_label("Ja").check()
    page.get_by_role("group", name=QUESTIONS[1]).get_by_label("Ja").check()
    page.get_by_role("button", name="Skicka in").click()
    expect(saved(page)).to_contain_text("Sparad på telefonen")
    # Meanwhile quality answers the same task from a computer.
    with app.app_context():
        task = db.session.get(Task, task_id_of(task_path))
        questions = task.activity.form.current.questions
        values = {question.id: "ja" if question.kind == "ja_nej" else "" for question in questions}
        checks.submit_answers(accounts.find_user("kvalitet"), task, values)
        db.session.commit()

    page.context.set_offline(False)
    page.goto("/att-gora")
    refused = page.locator("[data-self-check-outbox] li[data-state='invalid']")
    expect(refused).to_contain_text("Egenkontrollen är redan inskickad.", timeout=SEND_TIMEOUT_MS)
    expect(refused).to_contain_text(NAME)
    expect(page.locator("[data-outbox-self-checks-pending]")).to_have_text("1")
    assert_accessible(page)
    assert len(answer_sets(app, task_id_of(task_path))) == 1  # quality's, not a second one

    page.once("dialog", lambda dialog: dialog.accept())
    refused.get_by_role("button", name="Ta bort").click()
    expect(page.locator("[data-self-check-outbox]")).to_be_hidden()
    expect(page.locator("[data-outbox-self-checks-pending]")).to_have_text("0")
    expect(page.locator("[data-outbox-status]")).to_be_hidden()


OLD_DRAFT = """() => {
  const form = document.querySelector("form[data-self-check]");
  const first = form.querySelector("input[type=radio]").name;
  localStorage.setItem(`fickan:selfcheck:${form.dataset.selfCheck}`, JSON.stringify({[first]: "nej"}));
}"""
OLD_DRAFTS_LEFT = "Object.keys(localStorage).filter((key) => key.startsWith('fickan:selfcheck:'))"


def test_a_draft_kept_in_local_storage_before_is_moved_once_and_logout_leaves_no_draft(page: Page, task_path):
    login_and_sync(page)
    open_task(page, task_path)
    page.evaluate(OLD_DRAFT)
    open_task(page, task_path)
    expect(page.get_by_role("group", name=QUESTIONS[0]).get_by_label("Nej")).to_be_checked()
    assert page.evaluate(OLD_DRAFTS_LEFT) == []
    [draft] = page.evaluate(DRAFTS_ON_PHONE)
    assert draft["task"] == task_id_of(task_path) and list(draft["answers"].values()) == ["nej"]

    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("button", name="Logga in")).to_be_visible()
    assert page.evaluate(DRAFTS_ON_PHONE) == []
