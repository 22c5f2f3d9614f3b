"""Who handles a report among the users: the one query behind every message about a report."""
from sqlalchemy import select

from app.accounts import scope
from app.accounts.models import User
from app.accounts.rules import Responsibility, Role, takes_part
from app.accounts.scope import Purpose
from app.extensions import db
from app.reports import rules
from app.reports.models import Report


def responsible_users(report: Report, who: frozenset) -> list[User]:
    """The active users among `who` (roles, responsibilities) who handle the report (a manager: of the unit or a unit
    above it). MAS when nobody has that responsibility: every quality user, so that nothing goes unheard."""
    if Responsibility.MAS in who and not db.session.scalar(select(User.id).where(User.active, User.is_mas).limit(1)):
        who = who | {Role.QUALITY}
    roles = {Role.QUALITY} if Responsibility.MAS in who else set()
    roles |= {role for role in who if role in set(Role)}
    users = db.session.scalars(select(User).where(User.active, User.role.in_(roles)).order_by(User.id))
    parent_of = scope.parent_map()
    return [user for user in users if takes_part(user.role, user.is_mas, who)
            and rules.handles(user.role, report.unit_id, report.kinds,
                              scope.visible_unit_ids(user, Purpose.HANDLE_REPORTS, parent_of), report.bypass_manager)]
