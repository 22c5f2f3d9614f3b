"""Images in routine bodies: stored like photos (stripped, re-encoded), shown to those who may read."""
import hashlib
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.scope import ROUTINE_WRITERS
from app.errors import NotAllowed
from app.extensions import db
from app.media.services import store_image
from app.routines.models import (
    Routine,
    RoutineImage,
    RoutineVersion,
)
from app.routines.services import readable_routines_query



def store_routine_image(actor: User | None, data: bytes) -> RoutineImage:
    """Store an image for routine bodies (validated, metadata removed); the same bytes are stored once."""
    if actor is not None and actor.role not in ROUTINE_WRITERS:
        raise NotAllowed("Bara de som skriver rutiner kan ladda upp bilder.")
    digest = hashlib.sha256(data).hexdigest()
    existing = db.session.scalar(select(RoutineImage).where(RoutineImage.source_sha256 == digest))
    if existing is not None:
        return existing
    stored = store_image(data, image_folder())
    image = RoutineImage(stored_name=stored.stored_name, source_sha256=digest,
                         content_type=stored.content_type, width=stored.width, height=stored.height,
                         byte_size=stored.byte_size, uploaded_by_id=actor.id if actor else None)
    db.session.add(image)
    db.session.flush()
    return image


def may_view_image(user: User, image: RoutineImage) -> bool:
    """Writers see every image; readers those in a published routine they may read."""
    if user.role in ROUTINE_WRITERS:
        return True
    reference = f"%/rutiner/bilder/{image.id})%"
    statement = readable_routines_query(user).join(RoutineVersion, RoutineVersion.id == Routine.current_version_id)
    return db.session.scalar(statement.where(RoutineVersion.body_md.like(reference)).limit(1)) is not None


def image_folder() -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / "routine-images"


def image_path(image: RoutineImage) -> Path:
    return image_folder() / image.stored_name
