"""The demo's year of complaints: idempotent, over both units and the channels, some anonymous, some answered."""
from sqlalchemy import func, select

from app.complaints.demo import COMPLAINT_COUNT, seed_complaints
from app.complaints.models import Complaint
from app.extensions import db


def demo_complaints() -> list[Complaint]:
    return list(db.session.scalars(select(Complaint)))


def test_seeding_again_adds_nothing(app):
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Complaint)) == COMPLAINT_COUNT
        assert seed_complaints() == 0
        assert db.session.scalar(select(func.count()).select_from(Complaint)) == COMPLAINT_COUNT


def test_the_demo_covers_both_units_the_channels_anonymous_and_answered(app):
    with app.app_context():
        complaints = demo_complaints()
        units = {complaint.report.unit.name for complaint in complaints if complaint.unit_known}
        assert units == {"Hemvård Nord", "Hemvård Syd"}
        assert {complaint.channel for complaint in complaints} == {"webb", "telefon", "besok", "brev", "e-post",
                                                                    "kontaktcenter"}
        assert any(complaint.anonymous for complaint in complaints)
        assert any(complaint.answer for complaint in complaints)
        assert any(not complaint.unit_known for complaint in complaints)
        assert len({complaint.report.received_at.strftime("%Y-%m") for complaint in complaints}) >= 10


def test_every_closed_demo_complaint_keeps_the_closing_rule(app):
    with app.app_context():
        for complaint in demo_complaints():
            if complaint.report.status == "closed":
                assert complaint.answer or complaint.no_answer_reason or not complaint.wants_answer
                assert bool(complaint.report.feedback) == (complaint.report.reporter_id is not None)


def test_an_answered_demo_complaint_is_signed(app):
    with app.app_context():
        for complaint in demo_complaints():
            if complaint.answer:
                assert complaint.answered_by_id and complaint.answer_signed_name and complaint.answered_at
