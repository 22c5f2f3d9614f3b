"""Factories for routine tests: routines written and published through the services."""
from datetime import date

from app.accounts import services as accounts
from app.accounts.models import Unit
from app.extensions import db
from app.routines import services
from sqlalchemy import select


def user(username):
    return accounts.find_user(username)


def unit(name):
    return db.session.scalar(select(Unit).where(Unit.name == name))


def settings(owner="mas", scope=None, kind="rutin", approver=None, review=date(2027, 6, 1)):
    return services.RoutineSettings(
        kind=kind, category="Test", scope_unit=unit(scope) if scope else None, owner=user(owner),
        approver=user(approver) if approver else None, review_due_on=review,
    )


def published_routine(title="Testrutin om munvård", body="## Så här\n\n1. Borsta tänderna.\n", author="kvalitet",
                      owner="mas", scope=None, kind="rutin", approver=None, summary="Första versionen"):
    """A routine written by `author` and approved by its owner (or the named approver)."""
    routine = services.create_routine(user(author), settings(owner, scope, kind, approver), title=title,
                                      tags="test, munvård", body_md=body)
    services.submit_for_review(user(author), routine, summary)
    approver_name = owner if owner != author else approver
    version = services.approve(user(approver_name), routine)
    db.session.commit()  # as the view does: commit the publishing, then tell the readers
    services.tell_readers(user(approver_name), routine, version)
    return routine
