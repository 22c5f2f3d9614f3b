"""Finding 14: the editor's pages tell nobody which routines exist beyond those they see (404, as for no routine)."""
import pytest

from app.extensions import db
from app.routines import services
from tests.routines.factories import settings, user

SYD_ROUTINE = "digitala-las-i-hemvard-syd"


@pytest.mark.parametrize("page", ["redigera", "arkivera"])
def test_another_units_routine_is_404_to_a_manager_like_one_that_does_not_exist(client, auth, page):
    auth.login("chef.nord")
    assert client.get(f"/rutiner/{SYD_ROUTINE}/{page}").status_code == 404
    assert client.get(f"/rutiner/finns-inte-alls/{page}").status_code == 404


def test_another_units_draft_is_404_to_a_manager(app, client, auth):
    with app.app_context():
        draft = services.create_routine(user("kvalitet"), settings(owner="mas", scope="Hemvård Syd"),
                                        title="Syds hemliga utkast", tags="", body_md="Text")
        db.session.commit()
        slug = draft.slug
    auth.login("chef.nord")
    assert client.get(f"/rutiner/{slug}/redigera").status_code == 404
    assert auth.post(f"/rutiner/{slug}/skicka", {"change_summary": "Ny"}).status_code == 404


def test_a_routine_the_manager_reads_but_may_not_edit_is_403(client, auth):
    auth.login("chef.nord")
    assert client.get("/rutiner/basala-hygienrutiner/redigera").status_code == 403
