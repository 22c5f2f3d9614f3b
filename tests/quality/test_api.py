"""POST /api/v1/self-checks: an egenkontroll from the phone's outbox is stored exactly once, by whoever may answer
the task, under the version it was answered under."""
import threading
import uuid

import pytest
from sqlalchemy import func, select

from app.accounts import services as accounts
from app.extensions import db
from app.quality import checks
from app.quality.models import Activity, CheckAction, CheckAnswer, CheckResponse, Task
from tests.conftest import csrf_token_from
from tests.quality.test_pages import NOON, planned, question_ids, user

ENDPOINT = "/api/v1/self-checks"


class SelfCheckApi:
    """The phone's outbox: JSON with the X-CSRFToken header of the session."""

    def __init__(self, client):
        self.client = client
        self.token = None

    def login(self, username: str):
        token = csrf_token_from(self.client, "/login")
        response = self.client.post("/login", data={"username": username, "password": "demo", "csrf_token": token})
        assert response.status_code == 303, response.get_data(as_text=True)
        self.token = csrf_token_from(self.client, "/")
        return self

    def send(self, body=None, raw=None):
        headers = {"X-CSRFToken": self.token} if self.token else {}
        if raw is not None:
            return self.client.post(ENDPOINT, data=raw, headers=headers, content_type="application/json")
        return self.client.post(ENDPOINT, json=body, headers=headers)


@pytest.fixture
def task(app, auth, clock):
    """Hemvård Nord's egenkontroll task (three questions: ja/nej with action, scale, text) and its form."""
    clock.pin(NOON)
    activity_id, task_id = planned(app, auth)
    with app.app_context():
        version_id = db.session.get(Activity, activity_id).form.current.id
    return {"id": task_id, "activity": activity_id, "version": version_id,
            "questions": question_ids(app, activity_id)}


def answers(task, first="nej", second="3", third="Nyckeln saknades") -> dict:
    values = dict(zip(task["questions"], (first, second, third), strict=True))
    return {"uuid": str(uuid.uuid4()), "task_id": task["id"], "version_id": task["version"],
            "answers": {str(question): value for question, value in values.items()}}


def responses_of(app, task_id) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(CheckResponse)
                                 .where(CheckResponse.task_id == task_id))


def actions_of(app, task_id) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(CheckAction).join(CheckAnswer)
                                 .join(CheckResponse).where(CheckResponse.task_id == task_id))


def test_the_answers_are_stored_the_task_done_and_a_no_becomes_an_action(app, client, task):
    body = answers(task)
    response = SelfCheckApi(client).login("chef.nord").send(body)
    assert response.status_code == 201, response.get_data(as_text=True)
    receipt = response.get_json()
    assert receipt["uuid"] == body["uuid"] and receipt["task_id"] == task["id"] and receipt["actions"] == 1
    assert response.headers["Cache-Control"] == "private, no-store"
    with app.app_context():
        stored = db.session.get(CheckResponse, receipt["id"])
        assert stored.client_uuid == body["uuid"] and stored.version_id == task["version"]
        given = dict(zip(task["questions"], ("nej", "3", "Nyckeln saknades"), strict=True))
        assert {answer.question_id: answer.value for answer in stored.answers} == given
        done = db.session.get(Task, task["id"])
        assert done.done_at is not None and done.done_by_id == user("chef.nord").id


def test_the_same_uuid_again_answers_200_with_the_same_body_and_stores_nothing_more(app, client, task):
    phone = SelfCheckApi(client).login("chef.nord")
    body = answers(task)
    first, again = phone.send(body), phone.send(body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    assert responses_of(app, task["id"]) == 1 and actions_of(app, task["id"]) == 1


def test_two_copies_at_the_same_moment_make_one_answer_set(app, task):
    body = answers(task)
    phones = [SelfCheckApi(app.test_client()).login("chef.nord") for _ in range(2)]
    barrier = threading.Barrier(2)
    results = []

    def send(phone):
        barrier.wait()
        results.append(phone.send(body))

    threads = [threading.Thread(target=send, args=(phone,)) for phone in phones]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(response.status_code for response in results) == [200, 201]
    assert results[0].get_json() == results[1].get_json()
    assert responses_of(app, task["id"]) == 1 and actions_of(app, task["id"]) == 1


def test_a_copy_arriving_between_lookup_and_insert_meets_the_unique_constraint(app, client, task, monkeypatch):
    phone = SelfCheckApi(client).login("chef.nord")
    body = answers(task)
    assert phone.send(body).status_code == 201
    real = checks.replayed
    calls = []

    def missing_the_first_time(actor, payload):
        calls.append(payload["uuid"])
        return None if len(calls) == 1 else real(actor, payload)

    monkeypatch.setattr(checks, "replayed", missing_the_first_time)
    again = phone.send(body)
    # The lookup missed; the task was done already, so the second lookup finds the first copy and replays it.
    assert again.status_code == 200, again.get_data(as_text=True)
    assert len(calls) == 2 and responses_of(app, task["id"]) == 1


def test_a_second_answer_set_for_a_done_task_is_refused_as_on_the_page(app, client, task):
    phone = SelfCheckApi(client).login("chef.nord")
    assert phone.send(answers(task)).status_code == 201
    second = phone.send(answers(task, first="ja", second="5", third="Allt väl"))
    assert second.status_code == 409
    error = second.get_json()["error"]
    assert error["code"] == "already_sent" and error["message"] == "Egenkontrollen är redan inskickad."
    with app.app_context():
        [stored] = db.session.scalars(select(CheckResponse).where(CheckResponse.task_id == task["id"]))
        assert {answer.value for answer in stored.answers} == {"nej", "3", "Nyckeln saknades"}


def test_answers_under_a_version_since_replaced_are_refused_and_nothing_is_stored(app, client, task):
    body = answers(task)
    with app.app_context():
        form = db.session.get(Activity, task["activity"]).form
        checks.revise_form(accounts.find_user("kvalitet"), form, "", [
            checks.QuestionInput("Förvaras läkemedlen låsta?", "ja_nej"),
            checks.QuestionInput("Finns signeringslistan?", "ja_nej")])
        db.session.commit()
    response = SelfCheckApi(client).login("chef.nord").send(body)
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "outdated_version" and "Formuläret har ändrats" in error["message"]
    assert responses_of(app, task["id"]) == 0
    with app.app_context():
        assert db.session.get(Task, task["id"]).done_at is None


def test_the_page_refuses_answers_under_a_replaced_version_too(app, client, auth, task):
    with app.app_context():
        form = db.session.get(Activity, task["activity"]).form
        checks.revise_form(accounts.find_user("kvalitet"), form, "", [checks.QuestionInput("Ny fråga?", "ja_nej")])
        db.session.commit()
    auth.login("chef.nord")
    old = {f"q-{question}": value for question, value in zip(task["questions"], ("ja", "3", "a"), strict=True)}
    response = auth.post(f"/att-gora/{task['id']}/skicka", old | {"version_id": task["version"]},
                         token_from=f"/att-gora/{task['id']}")
    assert response.status_code == 303
    assert "Formuläret har ändrats" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert responses_of(app, task["id"]) == 0


def test_missing_answers_are_named_per_question_and_nothing_is_stored(app, client, task):
    body = answers(task)
    del body["answers"][str(task["questions"][1])]
    response = SelfCheckApi(client).login("chef.nord").send(body)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "answers" and list(error["fields"]) == [f"q-{task['questions'][1]}"]
    assert responses_of(app, task["id"]) == 0


@pytest.mark.parametrize("username", ["usk.nord", "samordnare.nord", "ssk.nord", "admin"])
def test_someone_the_task_is_not_given_to_gets_403_and_nothing_is_stored(app, task, username):
    response = SelfCheckApi(app.test_client()).login(username).send(answers(task))
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"
    assert responses_of(app, task["id"]) == 0


def test_a_task_that_does_not_exist_is_told_like_one_that_is_not_yours(app, client, task):
    body = answers(task) | {"task_id": 2**31 - 1}
    response = SelfCheckApi(client).login("chef.nord").send(body)
    assert response.status_code == 403


def test_a_uuid_used_by_someone_else_is_a_conflict(app, client, task):
    body = answers(task)
    assert SelfCheckApi(client).login("chef.nord").send(body).status_code == 201
    response = SelfCheckApi(app.test_client()).login("kvalitet").send(body)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "uuid_taken"


def test_without_a_login_the_answer_is_401_json(app, client, task):
    response = SelfCheckApi(client).send(answers(task))
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "login_required"


def test_an_expired_login_is_401_json_and_nothing_is_stored(app, client, task):
    phone = SelfCheckApi(client).login("chef.nord")
    with app.app_context():
        accounts.reset_password(None, accounts.find_user("chef.nord"), "ett-nytt-losenord")  # ends the sessions
    response = phone.send(answers(task))
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "login_required"
    assert responses_of(app, task["id"]) == 0


def test_the_api_needs_the_csrf_header(app, client, task):
    phone = SelfCheckApi(client).login("chef.nord")
    phone.token = None
    response = phone.send(answers(task))
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "csrf_failed"
    assert responses_of(app, task["id"]) == 0


@pytest.mark.parametrize(("change", "code"), [
    ({"uuid": "inte-ett-uuid"}, "bad_uuid"),
    ({"uuid": "6fa459ea-ee8a-3ca4-894e-db77e160355e"}, "bad_uuid"),  # version 3
    ({"task_id": "12"}, "not_number"),
    ({"version_id": None}, "required"),
    ({"answers": ["ja", "3"]}, "bad_answers"),
    ({"answers": {"första": "ja"}}, "bad_answers"),
    ({"answers": {"1": 3}}, "bad_answers"),
    ({"answers": {"1": "x" * 4001}}, "too_long"),
])
def test_a_payload_of_the_wrong_shape_is_400_with_a_swedish_message(app, client, task, change, code):
    response = SelfCheckApi(client).login("chef.nord").send(answers(task) | change)
    assert response.status_code == 400, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]
    assert responses_of(app, task["id"]) == 0


@pytest.mark.parametrize("raw", ["{", "[]", "null", "[" * 5000 + "]" * 5000])
def test_a_body_that_is_no_answer_set_is_400(app, client, task, raw):
    response = SelfCheckApi(client).login("chef.nord").send(raw=raw)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] in {"bad_json", "invalid"}
    assert responses_of(app, task["id"]) == 0
