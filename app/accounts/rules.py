"""Rules of accounts: roles, who may open what, the unit tree, password policy (who sees which units: scope.py)."""
import unicodedata
from enum import StrEnum
from urllib.parse import urlsplit


class Role(StrEnum):
    STAFF = "staff"
    COORDINATOR = "coordinator"
    MANAGER = "manager"
    NURSE = "nurse"
    QUALITY = "quality"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.STAFF: "Omsorgspersonal",
    Role.COORDINATOR: "Samordnare",
    Role.MANAGER: "Enhetschef",
    Role.NURSE: "Sjuksköterska",
    Role.QUALITY: "Kvalitet och utredning",
    Role.ADMIN: "Systemförvaltare",
}


class Responsibility(StrEnum):
    """A duty given to some users of a role, on top of the role (a boolean on User)."""

    MAS = "mas"  # medicinskt ansvarig sjuksköterska: a quality user; decides and records Lex Maria to IVO


def takes_part(role: str, is_mas: bool, who: frozenset) -> bool:
    """Whether a user of `role` (with the MAS responsibility or not) is among `who` (roles and responsibilities)."""
    return role in who or (is_mas and Responsibility.MAS in who)


class UnitKind(StrEnum):
    ADMINISTRATION = "forvaltning"
    DISTRICT = "omrade"
    UNIT = "enhet"


UNIT_KIND_LABELS = {
    UnitKind.ADMINISTRATION: "Förvaltning",
    UnitKind.DISTRICT: "Område",
    UnitKind.UNIT: "Enhet",
}

# "en förvaltning", "ett område": Swedish needs the article with the noun.
UNIT_KIND_WITH_ARTICLE = {
    UnitKind.ADMINISTRATION: "en förvaltning",
    UnitKind.DISTRICT: "ett område",
    UnitKind.UNIT: "en enhet",
}

# Which kind of unit may sit under which: förvaltning → område → enhet.
ALLOWED_PARENT_KIND = {
    UnitKind.ADMINISTRATION: None,
    UnitKind.DISTRICT: UnitKind.ADMINISTRATION,
    UnitKind.UNIT: UnitKind.DISTRICT,
}


class Access(StrEnum):
    """Access levels that are not a list of roles."""

    PUBLIC = "public"
    SIGNED_IN = "signed_in"


EVERY_ROLE = frozenset(Role)

MIN_PASSWORD_LENGTH = 10


def may_access(role: str | None, allowed: Access | frozenset[Role]) -> bool:
    """Whether a user with this role (None: not logged in) may use a view declaring `allowed`."""
    if allowed == Access.PUBLIC:
        return True
    if role is None:
        return False
    if allowed == Access.SIGNED_IN:
        return role in EVERY_ROLE
    return role in allowed


def parent_kind_problem(kind: UnitKind, parent_kind: UnitKind | None) -> str | None:
    """A Swedish message if a unit of `kind` may not sit under a unit of `parent_kind`."""
    expected = ALLOWED_PARENT_KIND[kind]
    if expected == parent_kind:
        return None
    if expected is None:
        return "En förvaltning ligger högst upp och har ingen överordnad."
    return f"{UNIT_KIND_WITH_ARTICLE[kind].capitalize()} måste ligga under {UNIT_KIND_WITH_ARTICLE[expected]}."


def password_problem(password: str) -> str | None:
    """A Swedish message if the password is too weak, else None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken."
    if password.strip() != password:
        return "Lösenordet får inte börja eller sluta med mellanslag."
    return None


def deactivation_problem(actor_id: int, target_id: int, target_role: str, active_admins: int) -> str | None:
    """A Swedish message if the actor may not deactivate the target, else None."""
    if actor_id == target_id:
        return "Du kan inte inaktivera ditt eget konto."
    if target_role == Role.ADMIN and active_admins <= 1:
        return "Det måste finnas minst en aktiv systemförvaltare."
    return None


def mas_problem(role: str, is_mas: bool) -> str | None:
    """A Swedish message if the MAS responsibility may not sit on a user of this role, else None."""
    if is_mas and role != Role.QUALITY:
        return "Bara en användare med rollen Kvalitet och utredning kan vara medicinskt ansvarig (MAS)."
    return None


def role_change_problem(target_role: str, new_role: str, target_active: bool, active_admins: int) -> str | None:
    """A Swedish message if changing the role would leave no active admin, else None."""
    if target_role == Role.ADMIN and new_role != Role.ADMIN and target_active and active_admins <= 1:
        return "Det måste finnas minst en aktiv systemförvaltare."
    return None


def same_site_path(target: str) -> str | None:
    """`target` as a path on this site, or None if a browser could read it as another site."""
    # Browsers drop tabs and newlines inside a URL: "/\t/evil.example" is "//evil.example" to them.
    path = "".join(char for char in target if not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf"))
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return None
    parts = urlsplit(path)
    if parts.scheme or parts.netloc:
        return None
    return path


# What a user agent string says, first match wins: the order matters (Edge and Chrome also say "Safari").
BROWSER_MARKERS = [
    ("EdgA/", "Edge"), ("Edg/", "Edge"), ("SamsungBrowser/", "Samsung Internet"), ("FxiOS/", "Firefox"),
    ("Firefox/", "Firefox"), ("CriOS/", "Chrome"), ("Chrome/", "Chrome"), ("Safari/", "Safari"),
]
PLATFORM_MARKERS = [
    ("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("Windows", "Windows"),
    ("Macintosh", "Mac"), ("CrOS", "Chromebook"), ("Linux", "Linux"),
]


def describe_user_agent(user_agent: str) -> str:
    """A user agent as people say it ("Safari på iPhone"), for the list of one's logins."""
    browser = next((name for marker, name in BROWSER_MARKERS if marker in user_agent), "")
    platform = next((name for marker, name in PLATFORM_MARKERS if marker in user_agent), "")
    if browser and platform:
        return f"{browser} på {platform}"
    return browser or platform or "Okänd webbläsare"
