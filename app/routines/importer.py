"""Import a folder of Markdown routines (file name = slug, front matter with six required keys)."""
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import Unit
from app.accounts.scope import ROUTINE_WRITERS
from app.errors import DomainError
from app.extensions import db
from app.media.services import ImageRejected
from app.routines import services
from app.routines import images
from app.routines.rules import RoutineKind

REQUIRED_KEYS = ("title", "kind", "scope", "owner", "tags", "review")
FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n?(.*)\Z", re.S)
LOCAL_IMAGE = re.compile(r"!\[([^\]]*)\]\((?!/|https?:)([^)\s]+)\)")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class ImportFailed(ValueError):
    """The folder cannot be imported; `problems` name each file and what is wrong with it."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class RoutineFile:
    path: Path
    slug: str
    title: str
    kind: str
    scope_unit: Unit | None
    owner_username: str
    tags: list[str]
    review_due_on: date
    category: str
    body_md: str


@dataclass
class ImportResult:
    created: list[str]
    updated: list[str]
    unchanged: list[str]


def parse_value(raw: str):
    raw = raw.split(" #", 1)[0].strip()
    if raw.startswith("[") and raw.endswith("]"):
        return [item.strip().strip("'\"") for item in raw[1:-1].split(",") if item.strip()]
    return raw.strip("'\"")


def parse_front_matter(text: str) -> tuple[dict, str]:
    match = FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if not match:
        raise ValueError("saknar front matter mellan två rader med ---")
    meta = {}
    for line in match.group(1).splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, separator, value = line.partition(":")
            if not separator:
                raise ValueError(f"raden ”{line.strip()}” är inte på formen nyckel: värde")
            meta[key.strip()] = parse_value(value)
    return meta, match.group(2).strip() + "\n"


def image_file(routine_path: Path, reference: str) -> Path:
    """The image a routine file names, inside the routine's folder; raises ValueError with a Swedish reason."""
    folder = routine_path.parent.resolve()
    image = (folder / reference).resolve()
    # "../../x.png" or a link leading out: an import must read nothing but the folder it was given.
    if not image.is_relative_to(folder):
        raise ValueError(f"bilden {reference} ligger utanför mappen")
    if not image.is_file():
        raise ValueError(f"bilden {reference} finns inte")
    return image


def read_routine_file(path: Path, units: dict[str, Unit], owners: set[str]) -> RoutineFile:
    """Parse and check one file; raises ValueError with a Swedish reason."""
    slug = path.stem
    if not SLUG.match(slug):
        raise ValueError("filnamnet får bara ha små bokstäver a–z, siffror och bindestreck")
    meta, body = parse_front_matter(path.read_text(encoding="utf-8"))
    missing = [key for key in REQUIRED_KEYS if not meta.get(key)]
    if missing:
        raise ValueError(f"saknar {', '.join(missing)}")
    if meta["kind"] not in set(RoutineKind):
        raise ValueError(f"okänd sort ”{meta['kind']}” (rutin, process eller checklista)")
    if meta["scope"] != "central" and meta["scope"] not in units:
        raise ValueError(f"okänd enhet ”{meta['scope']}”")
    if meta["owner"] not in owners:
        raise ValueError(f"okänd ägare ”{meta['owner']}” (måste vara en aktiv chef eller kvalitet)")
    try:
        review = date.fromisoformat(meta["review"])
    except ValueError:
        raise ValueError(f"granskningsdatumet ”{meta['review']}” är inte ÅÅÅÅ-MM-DD") from None
    tags = meta["tags"] if isinstance(meta["tags"], list) else [meta["tags"]]
    for _alt, reference in LOCAL_IMAGE.findall(body):
        image_file(path, reference)
    return RoutineFile(
        path=path, slug=slug, title=meta["title"], kind=meta["kind"],
        scope_unit=None if meta["scope"] == "central" else units[meta["scope"]],
        owner_username=meta["owner"], tags=services.clean_tags(tags), review_due_on=review,
        category=meta.get("category") or "Övrigt", body_md=body,
    )


def read_folder(folder: Path) -> list[RoutineFile]:
    """Read and check every .md file; raise ImportFailed naming every bad file."""
    paths = sorted(folder.glob("*.md"))
    if not paths:
        raise ImportFailed([f"{folder}: inga .md-filer"])
    units = {unit.name: unit for unit in db.session.scalars(select(Unit))}
    owners = {user.username for user in accounts.list_users() if user.active and user.role in ROUTINE_WRITERS}
    files, problems = [], []
    for path in paths:
        try:
            files.append(read_routine_file(path, units, owners))
        except (ValueError, UnicodeDecodeError) as error:
            problems.append(f"{path.name}: {error}")
    if problems:
        raise ImportFailed(problems)
    return files


def with_stored_images(routine_file: RoutineFile) -> str:
    """The body with local image paths replaced by stored routine images."""

    def store(match: re.Match) -> str:
        data = image_file(routine_file.path, match.group(2)).read_bytes()
        image = images.store_routine_image(None, data)
        return f"![{match.group(1)}](/rutiner/bilder/{image.id})"

    return LOCAL_IMAGE.sub(store, routine_file.body_md)


def settings_of(routine_file: RoutineFile, owner, routine=None) -> services.RoutineSettings:
    """The file's settings; a routine already imported keeps its approver (files do not name one)."""
    return services.RoutineSettings(kind=routine_file.kind, category=routine_file.category,
                                    scope_unit=routine_file.scope_unit, owner=owner,
                                    approver=routine.approver if routine else None,
                                    review_due_on=routine_file.review_due_on)


def apply_settings(owner, routine, settings: services.RoutineSettings) -> None:
    """Change the settings only when the file changed them: a re-import must not touch what is the same."""
    current = (routine.kind, routine.category, routine.scope_unit, routine.owner, routine.review_due_on)
    if current != (settings.kind, settings.category, settings.scope_unit, settings.owner, settings.review_due_on):
        services.update_settings(owner, routine, settings)


def import_one(routine_file: RoutineFile, body_md: str) -> str:
    """Create or update one routine the editor's way (its owner writes the draft), then publish it.

    Returns "created", "updated" or "unchanged". The file is the approved text, so there is no review step.
    """
    owner = accounts.find_user(routine_file.owner_username)
    text = dict(title=routine_file.title, tags=routine_file.tags, body_md=body_md)
    routine = services.routine_by_slug(routine_file.slug)
    if routine is None:
        routine = services.create_routine(owner, settings_of(routine_file, owner), slug=routine_file.slug, **text)
        outcome, summary = "created", "Första versionen"
    else:
        apply_settings(owner, routine, settings_of(routine_file, owner, routine))
        current = routine.current_version
        if current is not None and (current.title, current.tags, current.body_md) == tuple(text.values()):
            return "unchanged"
        services.save_draft(owner, routine, **text)
        outcome, summary = "updated", "Importerad från fil"
    draft = services.open_draft(routine)
    draft.change_summary = summary
    services.publish(routine, draft)
    services.record(routine, None, "imported", draft, routine_file.path.name)
    return outcome


def import_folder(folder: Path) -> ImportResult:
    """Import every routine in the folder, all or nothing."""
    files = read_folder(folder)
    result = ImportResult([], [], [])
    try:
        for routine_file in files:
            try:
                body_md = with_stored_images(routine_file)
            except ImageRejected as error:
                raise ImportFailed([f"{routine_file.path.name}: {error}"]) from error
            try:
                outcome = import_one(routine_file, body_md)
            except DomainError as error:
                raise ImportFailed([f"{routine_file.path.name}: {error.message}"]) from error
            getattr(result, outcome).append(routine_file.slug)
        # Links to routines later in the folder exist only now: draw them again for everything imported.
        for routine_file in files:
            routine = services.routine_by_slug(routine_file.slug)
            services.update_links(routine, routine.current_version.body_md)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result
