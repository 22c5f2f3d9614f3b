"""Finding 8: a draft in review is not shown to a manager of another unit."""
from app.extensions import db
from app.routines import services
from tests.routines.factories import settings, user


def draft_in_review_of_syd() -> str:
    routine = services.create_routine(user("kvalitet"), settings(owner="mas", scope="Hemvård Syd"),
                                      title="Syds nya nyckelrutin", tags="", body_md="Ett utkast som inte är klart.")
    db.session.commit()
    services.submit_for_review(user("kvalitet"), routine, "Ny")
    db.session.commit()
    return routine.slug


def test_a_manager_of_another_unit_gets_404_for_a_draft_in_review(app, client, auth):
    with app.app_context():
        slug = draft_in_review_of_syd()
    auth.login("chef.nord")
    assert client.get(f"/rutiner/{slug}/granska").status_code == 404
    assert auth.post(f"/rutiner/{slug}/granska", {"decision": "approve"}).status_code == 404


def test_the_owner_still_reviews_it(app, client, auth):
    with app.app_context():
        slug = draft_in_review_of_syd()
    auth.login("mas")
    assert client.get(f"/rutiner/{slug}/granska").status_code == 200
