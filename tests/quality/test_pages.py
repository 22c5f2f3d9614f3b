"""The quality year's pages through the test client: who opens them, planning, tasks, answering, results."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.notices.models import InboxItem, SentReminder
from app.quality import reminders, rules
from app.quality.models import Activity, CheckAction, CheckAnswer, CheckForm, CheckResponse, Task

NOON = datetime(2027, 2, 20, 11, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(("role", "status"), [
    ("quality", 200), ("manager", 200), ("staff", 403), ("coordinator", 403), ("nurse", 403), ("admin", 403),
])
def test_the_wheel_is_for_quality_and_managers(client, auth, role, status):
    auth.login_as_role(role)
    response = client.get("/arshjul")
    assert response.status_code == status
    if status == 200:
        html = response.get_data(as_text=True)
        assert "<svg" in html and "Månad för månad" in html


@pytest.mark.parametrize("role", ["quality", "manager", "staff", "coordinator", "nurse", "admin"])
def test_everyone_has_a_task_list(client, auth, role):
    auth.login_as_role(role)
    assert client.get("/att-gora").status_code == 200


@pytest.mark.parametrize("path", ["/arshjul/ny", "/egenkontroll/formular", "/egenkontroll/formular/ny"])
@pytest.mark.parametrize(("role", "status"), [("quality", 200), ("manager", 403), ("staff", 403)])
def test_only_quality_plans(client, auth, path, role, status):
    auth.login_as_role(role)
    assert client.get(path).status_code == status


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def user_id(app, username: str) -> int:
    with app.app_context():
        return user(username).id


def plan_check(app, auth, *, dates="03-01", lead="14", unit_of="chef.nord", questions=None) -> int:
    """Quality makes a form and plans a yearly egenkontroll on the pages; the activity's id."""
    questions = questions or [("Förvaras läkemedlen låsta?", "ja_nej", "y"), ("Hur väl följs rutinen?", "skala", ""),
                              ("Övrigt", "text", "")]
    data = {"name": "Egenkontroll test"}
    for index, (text, kind, action) in enumerate(questions):
        data[f"questions-{index}-text"] = text
        data[f"questions-{index}-kind"] = kind
        if action:
            data[f"questions-{index}-action_on_no"] = action
    for index in range(len(questions), 8):
        data[f"questions-{index}-kind"] = "ja_nej"
    auth.login("kvalitet")
    assert auth.post("/egenkontroll/formular/ny", data).status_code == 303
    with app.app_context():
        form_id = db.session.scalar(select(CheckForm.id).where(CheckForm.name == "Egenkontroll test"))
        units = [unit.id for unit in user(unit_of).units]
    response = auth.post("/arshjul/ny", {
        "name": "Egenkontroll läkemedel test", "kind": "egenkontroll", "recurrence": "yearly", "dates": dates,
        "units": units, "responsible_role": "manager", "lead_days": lead, "form_id": form_id,
        "routine_id": "", "description": ""})
    assert response.status_code == 303, response.get_data(as_text=True)
    auth.logout()
    with app.app_context():
        return db.session.scalar(select(Activity.id).where(Activity.name == "Egenkontroll läkemedel test"))


def build(app, today: date) -> None:
    with app.app_context():
        reminders.build_tasks(today)


def remind(app, today: date) -> None:
    with app.app_context():
        reminders.send_reminders(today)


def nord_task_id(app, activity_id: int, due_on: date = date(2027, 3, 1)) -> int:
    with app.app_context():
        nord = user("chef.nord").units[0]
        return db.session.scalar(select(Task.id).where(Task.activity_id == activity_id, Task.unit_id == nord.id,
                                                       Task.due_on == due_on))


def reminders_of(app, task_id: int) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(select(SentReminder.step).where(
            SentReminder.subject == reminders.TASK_SUBJECT, SentReminder.subject_id == task_id)))


def planned(app, auth, **options) -> tuple[int, int]:
    """An activity planned and built on 20 February 2027: (activity id, Hemvård Nord's task id)."""
    activity_id = plan_check(app, auth, **options)
    build(app, date(2027, 2, 20))
    return activity_id, nord_task_id(app, activity_id)


def test_a_planned_activity_becomes_a_task_in_the_managers_list(app, client, auth, clock):
    clock.pin(NOON)
    _activity_id, task_id = planned(app, auth)
    with app.app_context():
        task = db.session.get(Task, task_id)
        assert task.due_on == date(2027, 3, 1) and task.assigned_role == "manager"
    auth.login("chef.nord")
    html = client.get("/att-gora").get_data(as_text=True)
    assert "Egenkontroll läkemedel test" in html
    assert '<time datetime="2027-03-01">' in html
    assert 'data-task-count="' in client.get("/").get_data(as_text=True)


def test_building_twice_makes_each_task_once(app, auth, clock):
    clock.pin(NOON)
    activity_id, _task_id = planned(app, auth)
    build(app, date(2027, 2, 21))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Task)
                                 .where(Task.activity_id == activity_id)) == 1


def test_the_lead_reminder_goes_once_to_the_manager_with_a_record(app, auth, clock):
    clock.pin(NOON)
    _activity_id, task_id = planned(app, auth)
    remind(app, date(2027, 2, 20))
    remind(app, date(2027, 2, 20))
    assert reminders_of(app, task_id) == ["lead"]
    auth.login("chef.nord")
    page = auth.client.get(f"/att-gora/{task_id}").get_data(as_text=True)
    assert "Påminnelser som skickats: snart dags 20 februari 2027." in page
    with app.app_context():
        told = db.session.scalars(select(InboxItem.user_id).where(
            InboxItem.title == "Snart dags: Egenkontroll läkemedel test"))
        assert list(told) == [user("chef.nord").id]


def test_an_overdue_task_reminds_the_manager_then_quality(app, auth, clock):
    clock.pin(NOON)
    _activity_id, task_id = planned(app, auth, lead="0")
    remind(app, date(2027, 3, 2))
    assert reminders_of(app, task_id) == ["overdue"]
    remind(app, date(2027, 3, 8))
    assert reminders_of(app, task_id) == ["overdue", "quality"]
    with app.app_context():
        told = db.session.scalars(select(InboxItem.user_id).where(
            InboxItem.title == "Försenad en vecka: Egenkontroll läkemedel test"))
        assert set(told) == {user("kvalitet").id, user("mas").id}


def test_a_task_without_reminders_says_none_was_sent(app, client, auth, clock):
    clock.pin(NOON)
    _activity_id, task_id = planned(app, auth)
    auth.login("chef.nord")
    assert "data-sent-reminders" not in client.get(f"/att-gora/{task_id}").get_data(as_text=True)


def test_a_done_task_is_not_reminded(app, auth, clock):
    clock.pin(NOON)
    _activity_id, task_id = planned(app, auth, lead="0")
    with app.app_context():
        db.session.get(Task, task_id).done_at = NOON
        db.session.commit()
    remind(app, date(2027, 3, 2))
    assert reminders_of(app, task_id) == []


def answer(auth, task_id, values):
    return auth.post(f"/att-gora/{task_id}/skicka", {f"q-{qid}": value for qid, value in values.items()},
                     token_from=f"/att-gora/{task_id}")


def actions_of_task(task_id: int) -> list[CheckAction]:
    return list(db.session.scalars(select(CheckAction).join(CheckAnswer).join(CheckResponse)
                                   .where(CheckResponse.task_id == task_id)))


def question_ids(app, activity_id):
    with app.app_context():
        return [question.id for question in db.session.get(Activity, activity_id).form.current.questions]


def test_a_no_that_needs_action_becomes_an_action_with_owner_and_date(app, client, auth, clock):
    clock.pin(NOON)
    activity_id, task_id = planned(app, auth)
    auth.login("chef.nord")
    assert "Skicka in" in client.get(f"/att-gora/{task_id}").get_data(as_text=True)
    first, second, third = question_ids(app, activity_id)
    response = answer(auth, task_id, {first: "nej", second: "3", third: "Nyckeln saknades"})
    assert response.status_code == 303
    with app.app_context():
        task = db.session.get(Task, task_id)
        action = actions_of_task(task_id)[0]
        assert action.owner_id == user("chef.nord").id and action.due_on == date(2027, 3, 22)
        assert task.done_by_id == user("chef.nord").id
    assert "Åtgärda: Förvaras läkemedlen låsta?" in client.get("/att-gora").get_data(as_text=True)


def test_a_missing_answer_is_named_and_nothing_is_saved(app, client, auth, clock):
    clock.pin(NOON)
    activity_id, task_id = planned(app, auth)
    auth.login("chef.nord")
    first, _second, third = question_ids(app, activity_id)
    response = answer(auth, task_id, {first: "ja", third: "Allt väl"})
    assert response.status_code == 422
    assert "Svara på frågan." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CheckResponse)
                                 .where(CheckResponse.task_id == task_id)) == 0


def test_sending_twice_keeps_the_first_answers(app, client, auth, clock):
    clock.pin(NOON)
    activity_id, task_id = planned(app, auth)
    auth.login("chef.nord")
    first, second, third = question_ids(app, activity_id)
    answer(auth, task_id, {first: "ja", second: "3", third: "a"})
    again = answer(auth, task_id, {first: "nej", second: "1", third: "b"})
    assert again.status_code == 303
    assert "Egenkontrollen är redan inskickad." in auth.client.get(again.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert actions_of_task(task_id) == []


def test_a_task_is_not_open_to_staff_of_the_unit(app, client, auth, clock):
    clock.pin(NOON)
    _activity_id, task_id = planned(app, auth)
    auth.login("usk.nord")
    assert client.get(f"/att-gora/{task_id}").status_code == 404
    assert answer(auth, task_id, {}).status_code == 404


def test_a_task_handed_to_a_colleague_follows_them(app, client, auth, clock):
    clock.pin(NOON)
    _activity_id, task_id = planned(app, auth)
    auth.login("chef.nord")
    response = auth.post(f"/att-gora/{task_id}/lamna", {"colleague": user_id(app, "ssk.nord")},
                         token_from=f"/att-gora/{task_id}")
    assert response.status_code == 303
    assert "Egenkontroll läkemedel test" not in client.get("/att-gora").get_data(as_text=True)
    auth.logout()
    auth.login("ssk.nord")
    assert "Egenkontroll läkemedel test" in client.get("/att-gora").get_data(as_text=True)
    remind(app, date(2027, 2, 20))
    with app.app_context():
        told = db.session.scalars(select(InboxItem.user_id).where(
            InboxItem.title == "Snart dags: Egenkontroll läkemedel test"))
        assert list(told) == [user("ssk.nord").id]


def test_a_task_cannot_be_handed_outside_the_unit(app, client, auth, clock):
    clock.pin(NOON)
    _activity_id, task_id = planned(app, auth)
    auth.login("chef.nord")
    response = auth.post(f"/att-gora/{task_id}/lamna", {"colleague": user_id(app, "usk.syd")},
                         token_from=f"/att-gora/{task_id}")
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(Task, task_id).assigned_user_id is None


def test_results_stand_beside_the_previous_round_without_names(app, client, auth, clock):
    clock.pin(NOON)
    activity_id, march = planned(app, auth, dates="03-01, 09-01")
    auth.login("chef.nord")
    first, second, third = question_ids(app, activity_id)
    answer(auth, march, {first: "nej", second: "2", third: "x"})
    clock.pin(datetime(2027, 8, 20, 11, 0, tzinfo=timezone.utc))
    build(app, date(2027, 8, 20))
    september = nord_task_id(app, activity_id, date(2027, 9, 1))
    answer(auth, september, {first: "ja", second: "4", third: "y"})
    auth.logout()
    auth.login("kvalitet")
    page = client.get(f"/arshjul/{activity_id}/omgang/2027-09-01")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<time datetime="2027-03-01">' in html
    assert "ja: 1" in html and "nej: 1" in html
    assert "Johan Ek" not in html
    csv = client.get(f"/arshjul/{activity_id}/omgang/2027-09-01.csv").get_data(as_text=True)
    assert "Förvaras läkemedlen låsta?;Hemvård Nord;nej;0;1" in csv
    assert "Johan Ek" not in csv


def test_a_manager_of_another_unit_sees_no_such_activity(app, client, auth, clock):
    clock.pin(NOON)
    activity_id = plan_check(app, auth, unit_of="usk.syd")
    auth.login("chef.nord")
    assert client.get(f"/arshjul/{activity_id}").status_code == 404
    assert "Egenkontroll läkemedel test" not in client.get("/arshjul").get_data(as_text=True)


def test_an_overdue_action_reminds_its_owner_once(app, auth, clock):
    clock.pin(NOON)
    activity_id, task_id = planned(app, auth)
    auth.login("chef.nord")
    first, second, third = question_ids(app, activity_id)
    answer(auth, task_id, {first: "nej", second: "3", third: ""})
    with app.app_context():
        action_id = actions_of_task(task_id)[0].id
        reminders.remind_overdue_actions(date(2027, 3, 22))
        assert reminder_rows(action_id) == []
        reminders.remind_overdue_actions(date(2027, 3, 23))
        reminders.remind_overdue_actions(date(2027, 3, 24))
        assert [row.recipient_count for row in reminder_rows(action_id)] == [1]


def reminder_rows(action_id: int) -> list[SentReminder]:
    return list(db.session.scalars(select(SentReminder).where(
        SentReminder.subject == reminders.ACTION_SUBJECT, SentReminder.subject_id == action_id)))


def test_the_job_runs_inside_the_app(app, clock):
    from app.quality.jobs import plan_and_remind_tasks

    clock.pin(NOON)
    with app.app_context():
        assert plan_and_remind_tasks.call_local() >= 0


@pytest.mark.parametrize("username", ["chef.nord", "ssk.nord", "usk.nord", "kvalitet", "usk.syd"])
def test_whose_tasks_is_one_rule_in_python_and_sql(app, auth, clock, username):
    clock.pin(NOON)
    _activity_id, task_id = planned(app, auth)
    with app.app_context():
        task = db.session.get(Task, task_id)
        task.assigned_user_id = user("ssk.nord").id if username == "ssk.nord" else None
        db.session.commit()
        person = user(username)
        unit_ids = {unit.id for unit in person.units}
        in_sql = {row for row in db.session.scalars(select(Task.id).where(rules.open_to_sql(
            person.id, person.role, unit_ids, Task.assigned_user_id, Task.assigned_role, Task.unit_id)))}
        in_python = {row.id for row in db.session.scalars(select(Task)) if rules.open_to(
            person.id, person.role, unit_ids, row.assigned_user_id, row.assigned_role, row.unit_id)}
        assert in_sql == in_python


def test_the_owner_finishes_an_action_with_whether_it_worked(app, client, auth, clock):
    clock.pin(NOON)
    activity_id, task_id = planned(app, auth)
    auth.login("chef.nord")
    first, second, third = question_ids(app, activity_id)
    answer(auth, task_id, {first: "nej", second: "3", third: ""})
    with app.app_context():
        action_id = actions_of_task(task_id)[0].id
    response = auth.post(f"/att-gora/atgard/{action_id}", {"effect": "partly"}, token_from="/att-gora")
    assert response.status_code == 303
    with app.app_context():
        action = db.session.get(CheckAction, action_id)
        assert (action.status, action.effect) == ("done", "partly")
    auth.logout()
    auth.login("usk.nord")
    assert auth.post(f"/att-gora/atgard/{action_id}", {"effect": "worked"}, token_from="/att-gora").status_code == 404


def test_a_changed_form_is_a_new_version_and_sent_answers_keep_theirs(app, client, auth, clock):
    clock.pin(NOON)
    activity_id, task_id = planned(app, auth)
    auth.login("chef.nord")
    first, second, third = question_ids(app, activity_id)
    answer(auth, task_id, {first: "ja", second: "5", third: ""})
    auth.logout()
    with app.app_context():
        form_id = db.session.get(Activity, activity_id).form_id
    auth.login("kvalitet")
    data = {"name": "Egenkontroll test", "questions-0-text": "Är skåpet låst?", "questions-0-kind": "ja_nej"}
    data |= {f"questions-{index}-kind": "ja_nej" for index in range(1, 8)}
    assert auth.post(f"/egenkontroll/formular/{form_id}", data).status_code == 303
    with app.app_context():
        form = db.session.get(Activity, activity_id).form
        assert [version.number for version in form.versions] == [1, 2]
        assert [question.text for question in form.current.questions] == ["Är skåpet låst?"]
        response = db.session.scalar(select(CheckResponse).where(CheckResponse.task_id == task_id))
        assert response.version.number == 1 and len(response.answers) == 3


def test_quality_changes_an_activity(app, client, auth, clock):
    clock.pin(NOON)
    activity_id, _task_id = planned(app, auth)
    auth.login("kvalitet")
    page = client.get(f"/arshjul/{activity_id}/andra").get_data(as_text=True)
    assert 'value="03-01"' in page
    with app.app_context():
        activity = db.session.get(Activity, activity_id)
        data = {"name": "Egenkontroll läkemedel, ny", "kind": "egenkontroll", "recurrence": "twice_a_year",
                "dates": "04-15", "units": [unit.id for unit in activity.units], "responsible_role": "manager",
                "lead_days": "7", "form_id": activity.form_id, "routine_id": ""}
    assert auth.post(f"/arshjul/{activity_id}/andra", data).status_code == 303
    with app.app_context():
        activity = db.session.get(Activity, activity_id)
        assert (activity.name, activity.dates, activity.lead_days) == ("Egenkontroll läkemedel, ny", ["04-15"], 7)
    bad = dict(data, dates="april")
    response = auth.post(f"/arshjul/{activity_id}/andra", bad)
    assert response.status_code == 422
    assert "MM-DD" in response.get_data(as_text=True)
