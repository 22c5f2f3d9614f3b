"""Background jobs of accounts."""
from huey import crontab

from app.accounts import services
from app.extensions import db
from app.queue import periodic_job
from app.timestamps import utcnow


@periodic_job(crontab(hour="3", minute="45"))
def forget_expired_sessions() -> int:
    """Every night: delete the logins that have expired (and with them the push subscriptions made in them)."""
    removed = services.delete_expired_sessions(utcnow())
    db.session.commit()
    return removed
