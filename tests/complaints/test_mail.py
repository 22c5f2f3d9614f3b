"""The answer by e-mail, against a real SMTP server (aiosmtpd) started by the test on 127.0.0.1."""
import logging
import re
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from app.complaints.services import complaint_of
from app.reports.services import find_report
from tests.complaints.factories import complaint_by_code, submit_and_follow, unit_id

PUBLIC_URL = "https://fickan.kommun.example"


class Collector:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, collector
    controller.stop()


@pytest.fixture
def app_config(app_config, smtp):
    controller, _collector = smtp
    return {**app_config, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": controller.port, "SMTP_STARTTLS": False,
            "SMTP_FROM": "synpunkter@kommun.example", "PUBLIC_URL": PUBLIC_URL}


def answer(client, report_uuid: str, text: str):
    """Answer as the signed-in handler."""
    page = f"/rapporter/{report_uuid}"
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).get_data(as_text=True)).group(1)
    return client.post(f"{page}/klagomal/svar", data={"csrf_token": token, "answer": text})


def complaint_from(client, app, **changes):
    path, code = submit_and_follow(client, unit_id=unit_id(app), **changes)
    with app.app_context():
        return path, complaint_by_code(code).report.uuid


def test_an_answered_complaint_sends_exactly_one_mail_with_the_answer_and_the_follow_link(client, auth, app, smtp):
    _controller, collector = smtp
    path, report_uuid = complaint_from(client, app, answer_way="email", email="anna@example.org", name="Anna")
    auth.login_as_role("manager")
    answer(client, report_uuid, "Vi har ändrat schemat så att ni får besök i tid.")
    assert len(collector.messages) == 1
    recipients, message = collector.messages[0]
    assert recipients == ["anna@example.org"]
    assert message["From"] == "synpunkter@kommun.example"
    body = message.get_content()
    assert "Vi har ändrat schemat så att ni får besök i tid." in body
    assert f"{PUBLIC_URL}{path}" in body
    with app.app_context():
        assert complaint_of(find_report(report_uuid)).answer_mailed_at is not None


def test_the_mailed_link_opens_the_answer(client, auth, app, smtp):
    _controller, collector = smtp
    _path, report_uuid = complaint_from(client, app, answer_way="email", email="anna@example.org")
    auth.login_as_role("manager")
    answer(client, report_uuid, "Svar på ditt klagomål.")
    link = re.search(rf"{re.escape(PUBLIC_URL)}(/synpunkter/\S+)", collector.messages[0][1].get_content()).group(1)
    auth.logout()
    assert "Svar på ditt klagomål." in client.get(link).get_data(as_text=True)


def test_a_mailed_answer_is_not_sent_twice(client, auth, app, smtp):
    _controller, collector = smtp
    _path, report_uuid = complaint_from(client, app, answer_way="email", email="anna@example.org")
    auth.login_as_role("manager")
    answer(client, report_uuid, "Första svaret.")
    answer(client, report_uuid, "Ett andra svar.")
    assert len(collector.messages) == 1
    with app.app_context():
        assert complaint_of(find_report(report_uuid)).answer == "Första svaret."


def test_no_mail_when_the_person_asked_for_no_answer(client, auth, app, smtp):
    _controller, collector = smtp
    _path, report_uuid = complaint_from(client, app, answer_way="none", email="anna@example.org")
    auth.login_as_role("manager")
    answer(client, report_uuid, "Tack för dina synpunkter.")
    assert collector.messages == []


def test_no_mail_when_the_person_asked_for_a_phone_call(client, auth, app, smtp):
    _controller, collector = smtp
    _path, report_uuid = complaint_from(client, app, answer_way="phone", phone="070-123 45 67",
                                        email="anna@example.org")
    auth.login_as_role("manager")
    answer(client, report_uuid, "Vi ringer dig.")
    assert collector.messages == []


def test_without_a_mail_server_the_mail_is_logged_and_not_called_sent(client, auth, app, caplog):
    app.config["SMTP_HOST"] = ""
    _path, report_uuid = complaint_from(client, app, answer_way="email", email="anna@example.org")
    auth.login_as_role("manager")
    with caplog.at_level(logging.INFO, logger="fickan.mail"):
        answer(client, report_uuid, "Svar utan e-postserver.")
    assert any("logged instead" in record.getMessage() for record in caplog.records)
    with app.app_context():
        assert complaint_of(find_report(report_uuid)).answer_mailed_at is None
    assert "skickat med e-post" not in client.get(f"/rapporter/{report_uuid}").get_data(as_text=True)
