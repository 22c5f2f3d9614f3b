"""The main navigation: the three links everyone has (CONTRACT.md), then the work of the person's role."""
from app.accounts.scope import HANDLERS, ROUTINE_WRITERS

EVERYONE = (("routines.index", "Rutiner"), ("reports.new", "Rapportera"), ("notices.inbox", "Meddelanden"))
HANDLING = (("reports.inbox", "Rapporter"), ("reports.statistics", "Statistik"))
ROUTINE_WORK = (("routines.manage", "Hantera rutiner"),)


def main_nav(user) -> list[tuple[str, str]]:
    """(endpoint, label) of the links in the main navigation for `user` (signed out: the three of everyone)."""
    role = getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None
    links = list(EVERYONE)
    if role in HANDLERS:
        links += HANDLING
    if role in ROUTINE_WRITERS:
        links += ROUTINE_WORK
    return links
