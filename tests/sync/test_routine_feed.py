"""GET /api/v1/routines/changes: the phone learns which routine pages changed or went away."""
from datetime import timedelta

import pytest

from app.accounts import services as accounts
from app.extensions import db
from app.routines import services
from app.timestamps import utcnow
from sync import services as feed
from tests.routines.factories import unit, user


def changes(client, token=None):
    response = client.get("/api/v1/routines/changes" + (f"?since={token}" if token else ""))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def age_everything(app, minutes=5):
    """Pretend the routines changed a while ago, before the token was issued."""
    from sqlalchemy import update

    from app.extensions import db
    from app.routines.models import Routine

    with app.app_context():
        db.session.execute(update(Routine).values(changed_at=utcnow() - timedelta(minutes=minutes)))
        db.session.commit()


@pytest.fixture
def staff(client, auth):
    auth.login_as_role("staff")
    return client


def test_the_feed_needs_a_login(client):
    response = client.get("/api/v1/routines/changes")
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "login_required"


def test_without_a_token_everything_readable_comes_with_versions_and_urls(staff):
    body = changes(staff)
    slugs = {routine["slug"] for routine in body["routines"]}
    assert body["full"] is True and body["removed"] == [] and body["token"]
    assert "nyckelhantering-hemvard-nord" in slugs and "digitala-las-i-hemvard-syd" not in slugs
    first = body["routines"][0]
    assert set(first) == {"id", "slug", "title", "kind", "category", "unit", "version", "tags", "url", "updated_at",
                          "search"}
    assert first["url"] == f"/rutiner/{first['slug']}" and first["version"] >= 1


def test_each_routine_names_its_unit_so_two_of_the_same_title_are_told_apart(staff):
    units = {routine["slug"]: routine["unit"] for routine in changes(staff)["routines"]}
    assert units["nyckelhantering-hemvard-nord"] == "Hemvård Nord"
    assert units["basala-hygienrutiner"] is None  # central


def test_with_a_fresh_token_nothing_has_changed(app, staff):
    age_everything(app)
    token = changes(staff)["token"]
    body = changes(staff, token)
    assert (body["routines"], body["removed"], body["full"]) == ([], [], False)


def test_only_the_changed_routine_comes_back(app, staff):
    age_everything(app)
    token = changes(staff)["token"]
    with app.app_context():
        routine = services.routine_by_slug("munvard")
        services.save_draft(user("kvalitet"), routine, title=routine.title, tags="", body_md="Ny text\n")
        db.session.commit()
        services.submit_for_review(user("kvalitet"), routine, "Ny text")
        db.session.commit()
        services.approve(user(routine.owner.username), routine)
        db.session.commit()
    body = changes(staff, token)
    assert [(r["slug"], r["version"]) for r in body["routines"]] == [("munvard", 2)]


def test_an_archived_routine_is_removed(app, staff):
    age_everything(app)
    token = changes(staff)["token"]
    with app.app_context():
        routine = services.routine_by_slug("munvard")
        services.archive(user("kvalitet"), routine, "Ersatt")
        db.session.commit()
        routine_id = routine.id
    body = changes(staff, token)
    assert body["routines"] == [] and body["removed"] == [routine_id]


def test_a_routine_moved_to_another_unit_is_removed(app, staff):
    age_everything(app)
    token = changes(staff)["token"]
    with app.app_context():
        routine = services.routine_by_slug("nyckelhantering-hemvard-nord")
        settings = services.RoutineSettings(routine.kind, routine.category, unit("Hemvård Syd"), user("kvalitet"),
                                            None, routine.review_due_on)
        services.update_settings(user("kvalitet"), routine, settings)
        db.session.commit()
        routine_id = routine.id
    assert changes(staff, token)["removed"] == [routine_id]


def test_moving_the_user_to_another_unit_starts_over(app, staff):
    token = changes(staff)["token"]
    with app.app_context():
        usk = user("usk.nord")
        accounts.update_user(None, usk, display_name=usk.display_name, title=usk.title, role=usk.role,
                             units=[unit("Hemvård Syd")])
    # The role did not change, so the session lives on; the feed sees the new scope.
    body = changes(staff, token)
    slugs = {routine["slug"] for routine in body["routines"]}
    assert body["full"] is True
    assert "digitala-las-i-hemvard-syd" in slugs and "nyckelhantering-hemvard-nord" not in slugs


def test_a_forged_or_foreign_token_starts_over(app, client, auth, staff):
    assert changes(staff, "forged.token")["full"] is True
    with app.app_context():
        other = feed.issue_token(user("usk.syd"), utcnow())
    assert changes(staff, other)["full"] is True


def test_unknown_query_parameters_are_ignored(staff):
    assert staff.get("/api/v1/routines/changes?_=12345").status_code == 200


def test_the_feed_carries_the_synonym_list_for_offline_search(client, auth):
    auth.login_as_role("staff")
    synonyms = client.get("/api/v1/routines/changes").get_json()["synonyms"]
    assert {"word": "medicin", "means": "läkemedel"} in synonyms


def test_a_page_fetched_by_the_phone_sync_does_not_count_as_opened(app, client, auth):
    from app.routines.models import RoutineOpening
    from app.extensions import db
    auth.login_as_role("staff")
    client.get("/rutiner/nyckelhantering-hemvard-nord", headers={"X-Fickan-Sync": "1"})
    with app.app_context():
        assert db.session.query(RoutineOpening).count() == 0
    client.get("/rutiner/nyckelhantering-hemvard-nord")
    with app.app_context():
        assert db.session.query(RoutineOpening).count() == 1



def test_each_routine_carries_what_the_search_index_holds_for_it(app, staff):
    body = changes(staff)
    with app.app_context():
        from app.routines.search_index import phone_documents

        expected = phone_documents([routine["id"] for routine in body["routines"]])
    assert {routine["id"]: routine["search"] for routine in body["routines"]} == expected
    hygiene = next(routine["search"] for routine in body["routines"] if routine["slug"] == "basala-hygienrutiner")
    assert set(hygiene) == {"title", "lengths", "whole", "part", "words"}
    assert hygiene["title"] == ["basal", "hygienrutin"] and len(hygiene["lengths"]) == 4
    assert hygiene["whole"]["hygienrutin"][0] == 1  # once in the title (fields: title, tags, headings, body)
    assert "rutin" in hygiene["part"] and "basala" in hygiene["words"]


def test_synonyms_come_in_the_order_they_were_saved(app, staff):
    from sqlalchemy import select

    from app.routines.models import Synonym

    with app.app_context():
        saved = [(s.word, s.means) for s in db.session.scalars(select(Synonym).order_by(Synonym.id))]
    assert [(s["word"], s["means"]) for s in changes(staff)["synonyms"]] == saved


def test_synonyms_come_the_first_time_with_their_version(staff):
    body = changes(staff)
    assert body["synonyms"] and len(body["synonyms_version"]) == 16


def test_a_phone_that_holds_this_version_of_the_synonyms_is_not_sent_them_again(staff):
    first = changes(staff)
    again = staff.get(f"/api/v1/routines/changes?since={first['token']}"
                      f"&synonyms_version={first['synonyms_version']}").get_json()
    assert "synonyms" not in again and again["synonyms_version"] == first["synonyms_version"]
    # The same on a full answer: the list the phone keeps is still the server's.
    full = staff.get(f"/api/v1/routines/changes?synonyms_version={first['synonyms_version']}").get_json()
    assert full["full"] and full["routines"] and "synonyms" not in full


def test_a_phone_that_names_no_version_gets_the_synonyms_every_time(staff):
    first = changes(staff)
    assert changes(staff, first["token"])["synonyms"] == first["synonyms"]


def test_an_unknown_or_old_version_gets_the_whole_list(staff):
    body = staff.get("/api/v1/routines/changes?synonyms_version=0123456789abcdef").get_json()
    assert body["synonyms"] == changes(staff)["synonyms"]


@pytest.mark.parametrize("edit", ["add", "change", "delete"])
def test_the_synonyms_are_sent_again_after_quality_changes_them(app, staff, edit):
    from sqlalchemy import select

    from app.routines import synonyms as synonym_services
    from app.routines.models import Synonym

    first = changes(staff)
    with app.app_context():
        quality = user("kvalitet")
        if edit == "add":
            synonym_services.save_synonym(quality, "pilleri", "läkemedel")
        elif edit == "change":
            synonym_services.save_synonym(quality, "medicin", "läkemedel, tablett")
        else:
            medicin = db.session.scalar(select(Synonym).where(Synonym.word == "medicin"))
            synonym_services.delete_synonym(quality, medicin)
        db.session.commit()
    again = staff.get(f"/api/v1/routines/changes?since={first['token']}"
                      f"&synonyms_version={first['synonyms_version']}").get_json()
    assert again["synonyms_version"] != first["synonyms_version"]
    words = {row["word"]: row["means"] for row in again["synonyms"]}
    if edit == "add":
        assert words["pilleri"] == "läkemedel"
    elif edit == "change":
        assert words["medicin"] == "läkemedel, tablett"
    else:
        assert "medicin" not in words
    # and then not again
    settled = staff.get(f"/api/v1/routines/changes?since={again['token']}"
                        f"&synonyms_version={again['synonyms_version']}").get_json()
    assert "synonyms" not in settled
