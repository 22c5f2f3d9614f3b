"""Finding 9: while a version is in review its owner, approver and scope stay; a refused change saves nothing."""
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.routines import services
from app.routines.models import RoutineEvent
from tests.routines.factories import settings, user


def in_review() -> str:
    routine = services.create_routine(user("kvalitet"), settings(owner="mas"), title="Nyckelrutin i granskning",
                                      tags="", body_md="Text i granskning.")
    db.session.commit()
    services.submit_for_review(user("kvalitet"), routine, "Ny")
    db.session.commit()
    return routine.slug


def edit_form(routine, **changes) -> dict:
    form = {"title": "Nyckelrutin i granskning", "kind": routine.kind, "category": routine.category,
            "scope": str(routine.scope_unit_id or 0), "owner": str(routine.owner_id),
            "approver": str(routine.approver_id or 0), "review_due_on": routine.review_due_on.isoformat(),
            "tags": "", "body_md": "Text i granskning."}
    return form | {name: str(value) for name, value in changes.items()}


@pytest.mark.parametrize("change", [{"approver": "kvalitet"}, {"owner": "kvalitet", "approver": "mas"}])
def test_the_deciders_of_a_version_in_review_cannot_be_changed(app, change):
    with app.app_context():
        routine = services.routine_by_slug(in_review())
        with pytest.raises(services.RoutineError, match="väntar på godkännande"):
            services.update_settings(user("kvalitet"), routine, settings(**change))
        assert (routine.owner.username, routine.approver) == ("mas", None)


def test_the_editor_refuses_a_new_approver_during_review_and_saves_nothing(app, client, auth):
    with app.app_context():
        slug = in_review()
        routine = services.routine_by_slug(slug)
        form = edit_form(routine, approver=user("chef.nord").id, category="Ny kategori")
        events = db.session.scalar(select(func.count()).select_from(RoutineEvent))
    auth.login("kvalitet")
    response = auth.post(f"/rutiner/{slug}/redigera", form, token_from=f"/rutiner/{slug}/redigera")
    assert response.status_code == 422
    assert "väntar på godkännande" in response.get_data(as_text=True)
    with app.app_context():
        routine = services.routine_by_slug(slug)
        assert (routine.approver_id, routine.category) == (None, "Test")
        assert db.session.scalar(select(func.count()).select_from(RoutineEvent)) == events


def test_nobody_but_the_owner_approves_after_a_refused_change(app, client, auth):
    with app.app_context():
        slug = in_review()
        form = edit_form(services.routine_by_slug(slug), approver=user("chef.nord").id)
    auth.login("kvalitet")
    auth.post(f"/rutiner/{slug}/redigera", form, token_from=f"/rutiner/{slug}/redigera")
    auth.logout()
    auth.login("chef.nord")
    assert auth.post(f"/rutiner/{slug}/granska", {"decision": "approve"}).status_code == 404
    with app.app_context():
        assert services.routine_by_slug(slug).current_version is None
