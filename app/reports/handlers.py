"""Who handles a report among the users: the one query behind every message about a report."""
from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from app.accounts import scope
from app.accounts.models import User
from app.accounts.rules import Responsibility, Role, takes_part
from app.accounts.scope import Purpose
from app.extensions import db
from app.reports import rules
from app.reports.models import Report


# Built once (the roles vary, bound as a list): every new report reads its handlers with it.
ACTIVE_USERS_IN_ROLES = (select(User).where(User.active, User.role.in_(bindparam("roles", expanding=True)))
                         .options(selectinload(User.units)).order_by(User.id))


def responsible_users(report: Report, who: frozenset) -> list[User]:
    """The active users among `who` (roles, responsibilities) who handle the report (a manager: of the unit or a unit
    above it). MAS when nobody has that responsibility: every quality user, so that nothing goes unheard."""
    return responsible_groups(report, [who])[0]


def responsible_groups(report: Report, groups: list[frozenset]) -> list[list[User]]:
    """responsible_users for each of several groups, from one query of the users with their units and one of the
    unit tree: a new report asks for up to three groups, and each user's units were loaded one query at a time."""
    roles_of = [{Role.QUALITY} if Responsibility.MAS in who else set() for who in groups]
    for roles, who in zip(roles_of, groups, strict=True):
        roles |= {role for role in who if role in set(Role)}
    users = list(db.session.scalars(ACTIVE_USERS_IN_ROLES, {"roles": sorted(set().union(*roles_of))}))
    # A group with MAS reads every active quality user, and MAS is one of them (accounts.rules.mas_problem): the
    # users read tell whether anyone has that responsibility, without a query of its own.
    if any(Responsibility.MAS in who for who in groups) and not any(user.is_mas for user in users):
        groups = [who | {Role.QUALITY} if Responsibility.MAS in who else who for who in groups]
    parent_of = scope.parent_map()
    handling = [user for user in users if rules.handles(
        user.role, report.unit_id, report.kinds, scope.visible_unit_ids(user, Purpose.HANDLE_REPORTS, parent_of),
        report.bypass_manager)]
    return [[user for user in handling if user.role in roles and takes_part(user.role, user.is_mas, who)]
            for roles, who in zip(roles_of, groups, strict=True)]
