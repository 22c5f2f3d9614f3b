"""Background jobs of complaints: the answer mail goes from the worker, never inside a web request; reminders."""
import logging

from flask import current_app
from huey import crontab

from app.complaints import services
from app.complaints.mail import compose, send
from app.complaints.models import Complaint
from app.extensions import db
from app.queue import job, periodic_job
from app.timestamps import utcnow

log = logging.getLogger("fickan.complaints")


def answer_mail_body(complaint: Complaint, follow_url: str) -> str:
    return (f"{complaint.answer}\n\n"
            f"Ärende {complaint.case_code}. Här kan du följa ditt ärende och läsa svaret igen:\n{follow_url}\n")


@job(retries=3, retry_delay=60)
def mail_answer(complaint_id: int, base_url: str) -> bool:
    """Mail a complaint's answer with its follow link, once; False when no mail is due."""
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None or not services.mail_due(complaint):
        return False
    follow_url = f"{base_url.rstrip('/')}/synpunkter/{services.token_of(complaint)}"
    if not send(compose(complaint.contact_email, f"Svar på dina synpunkter ({complaint.case_code})",
                        answer_mail_body(complaint, follow_url))):
        return False  # logged, not sent: nothing may say it was
    complaint.answer_mailed_at = utcnow()
    db.session.commit()
    log.info("complaint answer mailed", extra={"report": complaint.report_id})
    return True


@periodic_job(crontab(hour="7", minute="5"))
def remind_overdue_complaint_clocks() -> int:
    """Every morning: tell a complaint's handlers once of each of its clocks that ran out (acknowledge, answer)."""
    return services.remind_overdue_clocks(utcnow(), current_app.config)
