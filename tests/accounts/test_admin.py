"""The admin pages: creating, changing and deactivating users, and building the unit tree."""
import pytest
from sqlalchemy import select

from app.accounts import services
from app.accounts.models import Unit, User
from app.extensions import db
from tests.conftest import csrf_token_from


@pytest.fixture
def admin(auth):
    auth.login_as_role("admin")
    return auth


def unit_id(app, name):
    with app.app_context():
        return db.session.scalar(select(Unit.id).where(Unit.name == name))


def user_named(app, username):
    with app.app_context():
        user = services.find_user(username)
        return user and (user.id, user.role, user.active, [unit.name for unit in user.units])


def new_user_form(app, **overrides):
    form = {
        "username": "usk.ny",
        "display_name": "Ny Kollega",
        "title": "Vårdbiträde",
        "role": "staff",
        "units": [str(unit_id(app, "Hemvård Syd"))],
        "password": "ett-langt-losenord",
    }
    form.update(overrides)
    return form


def test_admin_creates_a_user_who_can_then_log_in(app, admin):
    response = admin.post("/admin/anvandare/ny", new_user_form(app), token_from="/admin/anvandare/ny")
    assert response.status_code == 303
    assert user_named(app, "usk.ny")[1:] == ("staff", True, ["Hemvård Syd"])
    other = app.test_client()
    token = csrf_token_from(other)
    login = other.post("/login", data={"username": "usk.ny", "password": "ett-langt-losenord", "csrf_token": token})
    assert login.status_code == 303


def test_a_short_password_is_refused_with_the_reason(app, admin):
    response = admin.post("/admin/anvandare/ny", new_user_form(app, password="kort"), token_from="/admin/anvandare/ny")
    assert response.status_code == 422
    assert "minst 10 tecken" in response.get_data(as_text=True)
    assert user_named(app, "usk.ny") is None


def test_a_taken_username_is_refused(app, admin):
    response = admin.post("/admin/anvandare/ny", new_user_form(app, username="usk.nord"),
                          token_from="/admin/anvandare/ny")
    assert response.status_code == 422
    assert "finns redan" in response.get_data(as_text=True)


def test_a_user_needs_at_least_one_unit(app, admin):
    response = admin.post("/admin/anvandare/ny", new_user_form(app, units=[]), token_from="/admin/anvandare/ny")
    assert response.status_code == 422
    assert "Välj minst en enhet." in response.get_data(as_text=True)


def test_a_username_with_spaces_is_refused(app, admin):
    response = admin.post("/admin/anvandare/ny", new_user_form(app, username="två ord"),
                          token_from="/admin/anvandare/ny")
    assert response.status_code == 422


def test_admin_changes_role_and_units(app, admin):
    user_id = user_named(app, "usk.syd")[0]
    form = {"display_name": "Lars Berg", "title": "Samordnare", "role": "coordinator",
            "units": [str(unit_id(app, "Hemvård Nord")), str(unit_id(app, "Hemvård Syd"))]}
    response = admin.post(f"/admin/anvandare/{user_id}", form, token_from=f"/admin/anvandare/{user_id}")
    assert response.status_code == 303
    assert user_named(app, "usk.syd")[1:] == ("coordinator", True, ["Hemvård Nord", "Hemvård Syd"])


def test_a_role_change_logs_the_user_out_everywhere(app, admin):
    target = app.test_client()
    token = csrf_token_from(target)
    target.post("/login", data={"username": "usk.syd", "password": "demo", "csrf_token": token})
    assert target.get("/").status_code == 200
    user_id = user_named(app, "usk.syd")[0]
    form = {"display_name": "Lars Berg", "title": "", "role": "manager", "units": [str(unit_id(app, "Hemvård Syd"))]}
    admin.post(f"/admin/anvandare/{user_id}", form, token_from=f"/admin/anvandare/{user_id}")
    assert target.get("/").status_code == 302


def test_admin_deactivates_and_reactivates_a_user(app, admin):
    user_id = user_named(app, "usk.nord")[0]
    response = admin.post(f"/admin/anvandare/{user_id}/aktiv", {"active": "0"},
                          token_from=f"/admin/anvandare/{user_id}")
    assert response.status_code == 303
    assert user_named(app, "usk.nord")[2] is False
    admin.post(f"/admin/anvandare/{user_id}/aktiv", {"active": "1"}, token_from=f"/admin/anvandare/{user_id}")
    assert user_named(app, "usk.nord")[2] is True


def test_admin_cannot_deactivate_themselves(app, client, admin):
    user_id = user_named(app, "admin")[0]
    response = admin.post(f"/admin/anvandare/{user_id}/aktiv", {"active": "0"},
                          token_from=f"/admin/anvandare/{user_id}")
    assert response.status_code == 303
    assert user_named(app, "admin")[2] is True
    assert "Du kan inte inaktivera ditt eget konto." in client.get(response.headers["Location"]).get_data(as_text=True)


def test_admin_resets_a_password_and_old_sessions_end(app, admin):
    target = app.test_client()
    target.post("/login", data={"username": "usk.nord", "password": "demo", "csrf_token": csrf_token_from(target)})
    user_id = user_named(app, "usk.nord")[0]
    admin.post(f"/admin/anvandare/{user_id}/losenord", {"password": "nytt-losenord-123"},
               token_from=f"/admin/anvandare/{user_id}")
    assert target.get("/").status_code == 302
    with app.app_context():
        assert services.authenticate("usk.nord", "nytt-losenord-123") is not None


def test_user_search_answers_htmx_with_the_list_alone(client, admin):
    response = client.get("/admin/anvandare?q=usk", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="anvandarlista"' in html
    assert "usk.nord" in html and "usk.syd" in html and "chef.nord" not in html


def test_user_search_without_htmx_renders_the_whole_page(client, admin):
    html = client.get("/admin/anvandare?q=chef").get_data(as_text=True)
    assert "<html" in html and "chef.nord" in html and "usk.nord" not in html


def test_admin_adds_a_unit_under_a_district(app, admin):
    district = unit_id(app, "Hemtjänst och hemsjukvård")
    response = admin.post("/admin/enheter", {"name": "Hemvård Öst", "kind": "enhet", "parent_id": str(district)},
                          token_from="/admin/enheter")
    assert response.status_code == 303
    with app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.name == "Hemvård Öst"))
        assert unit.parent.name == "Hemtjänst och hemsjukvård"


def test_a_unit_in_the_wrong_place_is_refused(app, admin):
    top = unit_id(app, "Vård- och omsorgsförvaltningen")
    response = admin.post("/admin/enheter", {"name": "Hemvård Väst", "kind": "enhet", "parent_id": str(top)},
                          token_from="/admin/enheter")
    assert response.status_code == 422
    assert "En enhet måste ligga under ett område." in response.get_data(as_text=True)


def test_staff_cannot_post_to_admin_pages(app, client, auth):
    auth.login_as_role("staff")
    response = auth.post("/admin/enheter", {"name": "Smygenhet", "kind": "forvaltning", "parent_id": "0"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(Unit).where(Unit.name == "Smygenhet")) is None
        assert db.session.scalar(select(User).where(User.username == "admin")).active
