"""Image validation and storage: decode, check limits, drop every piece of metadata, re-encode, store."""
import io
import os
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from app.media.rules import ACCEPTED_FORMATS, JPEG_QUALITY, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, MAX_LONG_EDGE


class ImageRejected(ValueError):
    """An upload that is not an acceptable image; `code` is machine-readable, the message Swedish."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class StoredImage:
    stored_name: str
    content_type: str
    width: int
    height: int
    byte_size: int


def decode_image(data: bytes) -> Image.Image:
    """Open and fully decode an upload, or raise ImageRejected."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageRejected("too_large", "Bilden är för stor. Välj en mindre bild.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise ImageRejected("bad_image", "Filen är inte en bild som kan användas (JPEG, PNG, WebP eller GIF).")
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ImageRejected("too_many_pixels", "Bilden har för många pixlar.")
            image.load()
    except ImageRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as error:
        raise ImageRejected("bad_image", "Filen är inte en bild som kan användas (JPEG, PNG, WebP eller GIF).") from error
    return image


def clean_copy(image: Image.Image) -> tuple[bytes, str]:
    """Re-encode without metadata (no EXIF, no GPS), upright and at most MAX_LONG_EDGE on the long side."""
    source_format = image.format
    upright = ImageOps.exif_transpose(image)
    upright.thumbnail((MAX_LONG_EDGE, MAX_LONG_EDGE))
    # Pixels only: a fresh image carries none of the original's info (EXIF, XMP, ICC, comments).
    has_alpha = upright.mode in ("RGBA", "LA") or (upright.mode == "P" and "transparency" in upright.info)
    keep_png = source_format in ("PNG", "GIF") and (has_alpha or upright.mode == "P")
    pixels = upright.convert("RGBA" if keep_png else "RGB")
    fresh = Image.new(pixels.mode, pixels.size)
    fresh.paste(pixels)
    output = io.BytesIO()
    if keep_png:
        fresh.save(output, format="PNG", optimize=True)
        return output.getvalue(), "image/png"
    fresh.save(output, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return output.getvalue(), "image/jpeg"


def store_image(data: bytes, folder: Path) -> StoredImage:
    """Validate and store an uploaded image under a random name; raises ImageRejected."""
    image = decode_image(data)
    encoded, content_type = clean_copy(image)
    folder.mkdir(parents=True, exist_ok=True)
    extension = ".png" if content_type == "image/png" else ".jpg"
    stored_name = secrets.token_hex(16) + extension
    temporary = folder / (stored_name + ".part")
    temporary.write_bytes(encoded)
    os.replace(temporary, folder / stored_name)
    with Image.open(io.BytesIO(encoded)) as stored:
        width, height = stored.size
    return StoredImage(stored_name, content_type, width, height, len(encoded))
