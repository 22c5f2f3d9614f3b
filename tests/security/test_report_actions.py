"""Finding 14: an action of a report is carried out by someone of the report's unit, never a user of another."""
from sqlalchemy import select

from app.accounts import services as accounts
from app.extensions import db
from app.reports.models import ReportAction
from tests.security.test_error_answers import post_action


def user_id(app, username: str) -> str:
    with app.app_context():
        return str(accounts.find_user(username).id)


def test_an_action_cannot_be_given_to_a_user_of_another_unit(app):
    response = post_action(app, user_id(app, "usk.syd"))
    assert response.status_code == 422
    assert "Välj den som ansvarar i listan" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ReportAction).where(ReportAction.what == "Byt lyftsele.")) is None


def test_an_action_is_given_to_someone_of_the_reports_unit(app):
    assert post_action(app, user_id(app, "usk.nord")).status_code == 303
    with app.app_context():
        action = db.session.scalar(select(ReportAction).where(ReportAction.what == "Byt lyftsele."))
        assert action.owner.username == "usk.nord"
