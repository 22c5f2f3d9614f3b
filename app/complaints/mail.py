"""Sending mail over SMTP as configured (FICKAN_SMTP_*); without a host the mail goes to the log (make run)."""
import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger("fickan.mail")


def compose(to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["SMTP_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    return message


def send(message: EmailMessage) -> bool:
    """Hand the message to the configured mail server (True), or write it to the log when none is configured."""
    config = current_app.config
    if not config.get("SMTP_HOST"):
        log.info("mail not sent (no FICKAN_SMTP_HOST): logged instead",
                 extra={"to": message["To"], "subject": message["Subject"], "body": message.get_content()})
        return False
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=30) as server:
        if config.get("SMTP_STARTTLS"):
            server.starttls()
        if config.get("SMTP_USER"):
            server.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
        server.send_message(message)
    return True
