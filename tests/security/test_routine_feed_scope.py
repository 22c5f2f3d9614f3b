"""Finding 14: the routines feed names as removed only routines the user could have read."""
import pytest

from app.extensions import db
from app.routines import services
from tests.routines.factories import settings, unit, user
from tests.sync.test_routine_feed import age_everything, changes

SYD_ROUTINE = "digitala-las-i-hemvard-syd"
NORD_ROUTINE = "nyckelhantering-hemvard-nord"


@pytest.fixture
def token(app, client, auth):
    """usk.nord's phone, synced a while after the routines last changed."""
    auth.login("usk.nord")
    age_everything(app)
    return changes(client)["token"]


def test_another_units_archived_routine_is_not_named(app, client, token):
    with app.app_context():
        services.archive(user("kvalitet"), services.routine_by_slug(SYD_ROUTINE), "Ersatt")
        db.session.commit()
    assert changes(client, token)["removed"] == []


def test_drafts_are_not_named(app, client, token):
    with app.app_context():
        services.create_routine(user("kvalitet"), settings(owner="mas", scope="Hemvård Syd"), title="Syds utkast",
                                tags="", body_md="Text")
        services.create_routine(user("kvalitet"), settings(owner="mas", scope="Hemvård Nord"), title="Nords utkast",
                                tags="", body_md="Text")
        db.session.commit()
    assert changes(client, token)["removed"] == []


def test_a_routine_of_the_users_unit_archived_is_named(app, client, token):
    with app.app_context():
        routine = services.routine_by_slug(NORD_ROUTINE)
        services.archive(user("kvalitet"), routine, "Ersatt")
        db.session.commit()
        routine_id = routine.id
    assert changes(client, token)["removed"] == [routine_id]


def move(routine, to: str | None) -> None:
    services.update_settings(user("kvalitet"), routine, services.RoutineSettings(
        routine.kind, routine.category, unit(to) if to else None, user("kvalitet"), None, routine.review_due_on))


def test_a_routine_moved_away_from_the_users_unit_is_named(app, client, token):
    with app.app_context():
        routine = services.routine_by_slug(NORD_ROUTINE)
        move(routine, "Hemvård Syd")
        db.session.commit()
        routine_id = routine.id
    assert changes(client, token)["removed"] == [routine_id]


def test_another_units_routine_changed_within_that_unit_is_not_named(app, client, token):
    with app.app_context():
        move(services.routine_by_slug(SYD_ROUTINE), "Hemvård Syd")
        db.session.commit()
    assert changes(client, token)["removed"] == []
