"""Helpers for complaint tests: the public form posted as a browser without JavaScript posts it."""
import re

from sqlalchemy import func, select

from app.accounts.models import Unit
from app.complaints.demo import COMPLAINT_COUNT, complaint_uuid
from app.complaints.models import Complaint
from app.extensions import db
from app.reports.models import Report

FORM_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
FOLLOW_LINK = re.compile(r'data-follow-link>(http://localhost/synpunkter/[A-Za-z0-9_-]+)<')
CASE_CODE = re.compile(r"data-case-code>(K-[A-Z0-9]{4}-[A-Z0-9]{4})<")


def form_token(client, path="/synpunkter") -> str:
    match = FORM_TOKEN.search(client.get(path).get_data(as_text=True))
    assert match, f"no csrf_token field on {path}"
    return match.group(1)


def unit_id(app, name="Hemvård Nord") -> str:
    with app.app_context():
        return str(db.session.scalar(select(Unit.id).where(Unit.name == name)))


def answers(**changes) -> dict:
    data = {"text": "Hemtjänsten kom två timmar för sent i tisdags och ingen ringde.", "unit_id": "",
            "complainant": "relative", "answer_way": "none", "name": "", "email": "", "phone": "", "address": ""}
    data.update(changes)
    return data


def submit(client, with_token=True, **changes):
    """POST the public form; returns the response (not followed)."""
    data = answers(**changes)
    if with_token:
        data["csrf_token"] = form_token(client)
    return client.post("/synpunkter", data=data)


def submit_and_follow(client, **changes) -> tuple[str, str]:
    """Submit, open the receipt; (follow URL path, case code)."""
    response = submit(client, **changes)
    assert response.status_code == 303, response.get_data(as_text=True)
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    link, code = FOLLOW_LINK.search(receipt).group(1), CASE_CODE.search(receipt).group(1)
    return link.removeprefix("http://localhost"), code


def complaint_by_code(code: str) -> Complaint:
    return db.session.scalar(select(Complaint).where(Complaint.case_code == code))


def new_complaint_count() -> int:
    """How many complaints there are besides the demo data's year of complaints."""
    demo = [complaint_uuid(index) for index in range(COMPLAINT_COUNT)]
    return db.session.scalar(select(func.count()).select_from(Complaint).join(Report)
                             .where(Report.uuid.not_in(demo)))
