"""The main navigation: the three links everyone has (CONTRACT.md), then the work of the person's role."""
from app.accounts.scope import HANDLERS, QUALITY_YEAR_READERS, ROUTINE_WRITERS

EVERYONE = (("routines.index", "Rutiner"), ("reports.new", "Rapportera"), ("notices.inbox", "Meddelanden"))
HANDLING = (("reports.inbox", "Rapporter"), ("reports.statistics", "Statistik"))
ROUTINE_WORK = (("routines.manage", "Hantera rutiner"),)
QUALITY_YEAR = (("quality.wheel_page", "Årshjul"),)


def main_nav(user) -> list[tuple[str, str]]:
    """(endpoint, label) of the links in the main navigation for `user` (signed out: the three of everyone)."""
    role = getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None
    links = list(EVERYONE)
    if role in HANDLERS:
        links += HANDLING
    if role in ROUTINE_WRITERS:
        links += ROUTINE_WORK
    if role in QUALITY_YEAR_READERS:
        links += QUALITY_YEAR
    return links
