"""Report services: intake (idempotent on the phone's UUID), reading with an access log. The acting user is explicit."""
import logging
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import bindparam, exists, insert, select
from sqlalchemy.exc import IntegrityError

from app.accounts import scope
from app.accounts.models import Unit, User
from app.accounts.scope import Purpose
from app.errors import DomainError
from app.extensions import db
from app.media.services import (
    ImageRejected,
    clean_upload,
    extension_for,
    thumbnail_copy,
    write_all_durably,
)
from app.reports import rules
from app.reports.arrival import Announcement, tell_of_new_report
from app.reports.models import Report, ReportAccess, ReportKindRow, ReportPhoto
from app.timestamps import utcnow

log = logging.getLogger("fickan.reports")

PERSONAL_NUMBER_WARNING = ("Texten verkar innehålla ett personnummer. Skriv hellre en annan hänvisning till "
                           "brukaren, till exempel initialer.")
WARNED_FIELDS = ("text", "place", "immediate_action")


class ReportError(DomainError):
    """A report that cannot be accepted; `code` is machine-readable, the message Swedish, `fields` per field."""


@dataclass(frozen=True)
class PreparedPhoto:
    """A photo decoded, cleaned and thumbnailed in memory, not yet written."""

    encoded: bytes
    content_type: str
    width: int
    height: int
    thumbnail: bytes
    thumbnail_width: int
    thumbnail_height: int


def field_error(field: str, code: str, message: str, status: int = 422) -> ReportError:
    return ReportError(code, message, status=status, field=field)


def photo_folder() -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / "reports"


def photo_path(photo: ReportPhoto, thumbnail: bool = False) -> Path:
    return photo_folder() / (photo.thumbnail_name if thumbnail else photo.stored_name)


# Built once: every report sent asks first whether it was sent before (replays find it here).
REPORT_BY_UUID = select(Report).where(Report.uuid == bindparam("uuid"))


def find_report(report_uuid: str) -> Report | None:
    return db.session.scalar(REPORT_BY_UUID, {"uuid": str(report_uuid).lower()})


def reportable_units(user: User) -> list[Unit]:
    """The units a user may report for: their own and those below them."""
    return list(db.session.scalars(select(Unit).where(scope.unit_filter(user, Purpose.REPORT, Unit.id))
                                   .order_by(Unit.name)))


def default_unit(user: User) -> Unit | None:
    return user.units[0] if user.units else None


def resolve_unit(user: User, unit_id: int | None) -> Unit:
    if unit_id is None:
        unit = default_unit(user)
    else:
        unit = db.session.get(Unit, unit_id) if scope.reaches_unit(user, Purpose.REPORT, unit_id) else None
    if unit is None:
        raise field_error("unit_id", "unit_not_allowed", "Du kan bara rapportera för din egen enhet.")
    return unit


def prepare_photo(number: int, data: bytes) -> PreparedPhoto:
    """Decode, clean (no metadata, upright; media.services.clean_upload) and thumbnail one photo; raises ReportError."""
    if len(data) > rules.MAX_PHOTO_BYTES:
        raise field_error("photos", "photo_too_large",
                          f"Foto {number} är för stort (högst {rules.MAX_PHOTO_BYTES // (1024 * 1024)} MB).", 413)
    try:
        clean = clean_upload(data)
    except ImageRejected as rejected:
        status = 413 if rejected.code == "too_large" else 422
        code = "photo_too_large" if rejected.code == "too_large" else rejected.code
        raise field_error("photos", code, f"Foto {number}: {rejected}", status) from None
    width, height = clean.size
    thumbnail, thumbnail_width, thumbnail_height = thumbnail_copy(clean, rules.THUMBNAIL_LONG_EDGE)
    return PreparedPhoto(clean.encoded, clean.content_type, width, height, thumbnail, thumbnail_width,
                         thumbnail_height)


def prepare_photos(photos: list[bytes]) -> list[PreparedPhoto]:
    if len(photos) > rules.MAX_PHOTOS:
        raise field_error("photos", "too_many_photos", f"Du kan skicka högst {rules.MAX_PHOTOS} foton med en rapport.")
    return [prepare_photo(number, data) for number, data in enumerate(photos, start=1)]


def write_photos(prepared: list[PreparedPhoto], written: list[Path]) -> list[dict]:
    """Write each photo and thumbnail durably (listing every file in `written`); the rows for them (add_photo_rows)."""
    folder = photo_folder()
    files, rows = [], []
    for number, photo in enumerate(prepared, start=1):
        stored_name = secrets.token_hex(16) + extension_for(photo.content_type)
        thumbnail_name = secrets.token_hex(16) + ".jpg"
        files += [(stored_name, photo.encoded), (thumbnail_name, photo.thumbnail)]
        rows.append({
            "number": number, "stored_name": stored_name, "thumbnail_name": thumbnail_name,
            "content_type": photo.content_type, "width": photo.width, "height": photo.height,
            "thumbnail_width": photo.thumbnail_width, "thumbnail_height": photo.thumbnail_height,
            "byte_size": len(photo.encoded),
        })
    written.extend(folder / name for name, _ in files)
    # One folder sync for the whole report, not one per file: all of it is promised at the commit that follows.
    # A report without photos has nothing to make durable here (the folder's sync cost as much as a query).
    if files:
        write_all_durably(folder, files)
    return rows


def add_photo_rows(report: Report, rows: list[dict]) -> None:
    """The photos' rows in one INSERT once the report has its id. Through the ORM each was an INSERT of its own
    (it reads every new row's id back, one at a time on SQLite), for ids nothing here needs."""
    if rows:
        db.session.execute(insert(ReportPhoto.__table__), [row | {"report_id": report.id} for row in rows])
        db.session.expire(report, ["photos"])  # read from the rows when first asked for


def remove_files(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
        path.with_name(path.name + ".part").unlink(missing_ok=True)


def replay(user: User, existing: Report) -> tuple[Report, bool]:
    """The answer to a report sent again: the same report, if it is this user's."""
    if existing.reporter_id != user.id:
        raise ReportError("uuid_taken", "Rapportens id används redan. Skapa rapporten på nytt.", status=409)
    return existing, False


def new_report(user: User, unit: Unit, payload: dict) -> Report:
    kinds = [str(kind) for kind in rules.classify(payload["affected"], payload["harm"], payload["topics"])]
    return Report(
        uuid=payload["uuid"], reporter_id=user.id, unit_id=unit.id, text=payload["text"],
        affected=payload["affected"], harm=payload["harm"], topics=payload["topics"], place=payload["place"],
        client_reference=payload["client_reference"], immediate_action=payload["immediate_action"],
        bypass_manager=payload["bypass_manager"],
        suggested_kinds=kinds, kinds=list(kinds), flagged=rules.needs_quality(kinds),
        status=rules.ReportStatus.RECEIVED,
        occurred_at=payload["occurred_at"], created_at=payload["created_at"], received_at=utcnow(),
    )


def create_report(user: User, payload: dict, photos: list[bytes]) -> tuple[Report, bool]:
    """Store a report and its photos durably; (report, True) the first time, (the same report, False) after.

    `payload` is what `load_report` returned (the caller validates at its boundary). Photo files are written and
    synced before the commit and removed again if it fails: the one service that commits, because the phone may
    drop a report from its outbox only after everything is durable (docs/SYNC.md). Two copies arriving at once meet
    at the UNIQUE constraint on uuid. The inbox items that tell the handlers go in the same commit, so a report is
    never stored untold (nor told of and lost); their push is queued after it. Telling is never a reason to refuse
    a report: if working it out fails, the report is stored untold and the error logged.
    """
    existing = find_report(payload["uuid"])
    if existing is not None:
        return replay(user, existing)
    unit = resolve_unit(user, payload["unit_id"])
    prepared = prepare_photos(photos)
    report = new_report(user, unit, payload)
    announcement, not_announced = recipients_of(report)
    written: list[Path] = []
    try:
        photo_rows = write_photos(prepared, written)
        db.session.add(report)
        db.session.flush()
        add_photo_rows(report, photo_rows)
        if announcement is not None:
            not_announced = add_announcement(announcement)
        received = {"report": report.id, "unit": unit.id, "photos": len(prepared), "kinds": report.kinds}
        commit_as_written()
    except IntegrityError:
        db.session.rollback()
        remove_files(written)
        existing = find_report(payload["uuid"])
        if existing is None:
            raise
        return replay(user, existing)
    except BaseException:
        db.session.rollback()
        remove_files(written)
        raise
    # The reporter stays out of the log: only the people handling a report see who wrote it.
    log.info("report received", extra=received)
    if not_announced is None:
        not_announced = push_announcement(announcement, received["report"])
    if not_announced is not None:
        # The report is committed and the phone must hear so; the error is logged for the operators.
        log.error("report not announced", extra={"report": received["report"]}, exc_info=not_announced)
    return report, True


def commit_as_written() -> None:
    """Commit without expiring what the session holds: the answer to the phone and the log are made of the values
    just written (the row's id read at the flush), so reading the report back, one query, would add nothing."""
    session = db.session()
    expire_on_commit, session.expire_on_commit = session.expire_on_commit, False
    try:
        db.session.commit()
    finally:
        session.expire_on_commit = expire_on_commit


def recipients_of(report: Report) -> tuple[Announcement | None, Exception | None]:
    """Who is to hear of a report not yet written (read first: nothing then waits on the write for it)."""
    try:
        return tell_of_new_report(report), None
    except Exception as error:
        db.session.rollback()  # nothing of the report is written yet; a failed query may have spoilt the transaction
        return None, error


def add_announcement(announcement: Announcement) -> Exception | None:
    """Add the inbox items in the report's transaction; if that fails, only they are undone (a savepoint)."""
    try:
        with db.session.begin_nested():
            announcement.add_items()
    except Exception as error:
        return error
    return None


def push_announcement(announcement: Announcement, report_id: int) -> Exception | None:
    """Queue the push of the committed inbox items."""
    try:
        announcement.push(report_id)
    except Exception as error:
        return error
    return None


def after_personal_number_decision(answers: dict, decision: str | None,
                                   warned_fields: tuple[str, ...] = WARNED_FIELDS) -> dict | None:
    """The answers to send once the reporter has decided ("remove" or "keep") on what looks like personal
    numbers; None while the answers hold one and no decision was made (ask first)."""
    found = any(rules.has_personal_number(answers.get(name, "")) for name in warned_fields)
    if not found or decision == "keep":
        return answers
    if decision != "remove":
        return None
    return {**answers, **{name: rules.remove_personal_numbers(answers.get(name, "")) for name in warned_fields}}


def warnings_for(report: Report) -> list[dict]:
    """Things the reporter should look at again, e.g. what looks like a personal identity number."""
    return [
        {"code": "personnummer", "field": field, "message": PERSONAL_NUMBER_WARNING}
        for field in WARNED_FIELDS if rules.has_personal_number(getattr(report, field))
    ]


def is_handler(user: User, report: Report) -> bool:
    """Whether the user handles this report (and so may see who wrote it and its kinds)."""
    handled = scope.visible_unit_ids(user, Purpose.HANDLE_REPORTS)
    return rules.handles(user.role, report.unit_id, report.kinds, handled, report.bypass_manager)


def handled_condition(user: User):
    """A condition on Report for the reports the user handles (rules.handles in SQL)."""
    unit_condition = scope.unit_filter(user, Purpose.HANDLE_REPORTS, Report.unit_id)
    return rules.handles_sql(user.role, unit_condition, has_any_kind, Report.bypass_manager)


def has_any_kind(kinds: list[str]):
    return exists().where(ReportKindRow.report_id == Report.id, ReportKindRow.kind.in_(kinds))


def may_read(user: User, report: Report) -> bool:
    handled = scope.visible_unit_ids(user, Purpose.HANDLE_REPORTS)
    return rules.may_read(user.role, user.id, report.reporter_id, report.unit_id, report.kinds, handled,
                          report.bypass_manager)


def record_access(user: User, report: Report, what: str, photo_number: int | None = None) -> None:
    db.session.add(ReportAccess(report_id=report.id, user_id=user.id, what=what, photo_number=photo_number))
    db.session.commit()


def readable_report(user: User, report_uuid: str) -> Report | None:
    """The report if the user may read it (the read is logged), else None: others learn nothing of it."""
    report = find_report(report_uuid)
    if report is None or not may_read(user, report):
        return None
    record_access(user, report, "report")
    return report


def readable_photo(user: User, report_uuid: str, number: int, thumbnail: bool = False) -> ReportPhoto | None:
    """A photo (or its thumbnail) of a report the user may read (the read is logged as such), else None."""
    report = find_report(report_uuid)
    if report is None or not may_read(user, report):
        return None
    photo = next((photo for photo in report.photos if photo.number == number), None)
    if photo is not None:
        record_access(user, report, "thumbnail" if thumbnail else "photo", number)
    return photo


def reports_of(user: User) -> list[Report]:
    """The user's own reports, newest first."""
    return list(db.session.scalars(own_reports_query(user)))


def own_reports_query(user: User, status: str | None = None):
    """The user's own reports, newest first; optionally of one status."""
    statement = select(Report).where(Report.reporter_id == user.id)
    if status:
        statement = statement.where(Report.status == status)
    return statement.order_by(Report.created_at.desc(), Report.id.desc())


def accesses(report: Report) -> list[ReportAccess]:
    return list(db.session.scalars(select(ReportAccess).where(ReportAccess.report_id == report.id)
                                   .order_by(ReportAccess.id)))

