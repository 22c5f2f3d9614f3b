"""Image validation and storage: decode, check limits, drop every piece of metadata, re-encode, store."""
import io
import os
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import send_file
from PIL import Image, ImageOps, UnidentifiedImageError

from app.media import jpeg
from app.media.rules import (
    ACCEPTED_FORMATS,
    EXIF_ORIENTATION,
    JPEG_QUALITY,
    MAX_IMAGE_BYTES,
    MAX_IMAGE_PIXELS,
    MAX_LONG_EDGE,
)

NOT_AN_IMAGE = "Filen är inte en bild som kan användas (JPEG, PNG, WebP eller GIF)."


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
            warnings.simplefilter("ignore", UserWarning)  # Pillow's word on a damaged EXIF, which is never kept
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise ImageRejected("bad_image", NOT_AN_IMAGE)
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ImageRejected("too_many_pixels", "Bilden har för många pixlar.")
            image.load()
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageRejected("too_many_pixels", "Bilden har för många pixlar.") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ImageRejected("bad_image", NOT_AN_IMAGE) from error
    return image


@dataclass(frozen=True)
class CleanImage:
    """An upload made safe: upright, bounded, re-encoded from its pixels alone."""

    encoded: bytes
    content_type: str
    pixels: Image.Image

    @property
    def size(self) -> tuple[int, int]:
        return self.pixels.size


def clean_image(image: Image.Image) -> CleanImage:
    """Re-encode without metadata (no EXIF, no GPS), upright and at most MAX_LONG_EDGE on the long side.

    Takes `image` over (it is resized and stripped in place): a phone's photo is decoded once and copied never.
    """
    source_format = image.format
    if orientation(image) != 1:
        image = ImageOps.exif_transpose(image, in_place=False)
    image.thumbnail((MAX_LONG_EDGE, MAX_LONG_EDGE))
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    keep_png = source_format in ("PNG", "GIF") and (has_alpha or image.mode == "P")
    mode = "RGBA" if keep_png else "RGB"
    pixels = image if image.mode == mode else image.convert(mode)
    output = io.BytesIO()
    if keep_png:
        # Pixels only: a fresh image carries none of the original's info (EXIF, XMP, ICC, text chunks), and
        # Pillow's PNG writer falls back on the image's info for several of them.
        fresh = Image.new(mode, pixels.size)
        fresh.paste(pixels)
        fresh.save(output, format="PNG", optimize=True)
        return CleanImage(output.getvalue(), "image/png", fresh)
    # The JPEG writer takes metadata only from what save() is given, except a comment it falls back on from the
    # image's info: with that emptied and every kind named empty here, only pixels are written. No copy of a
    # 3-megapixel image for that (tests/media checks EXIF, GPS, comment, ICC and XMP are gone).
    pixels.info = {}
    pixels.encoderinfo = {}
    pixels.save(output, format="JPEG", quality=JPEG_QUALITY, exif=b"", comment=b"", xmp=b"")
    return CleanImage(output.getvalue(), "image/jpeg", pixels)


def clean_upload(data: bytes) -> CleanImage:
    """An upload made safe (clean_image), or raise ImageRejected. A JPEG the right way up and within the size
    limit keeps its own encoding without its metadata (media.jpeg): re-encoded, it would cost as much again
    and lose detail a second time. What is kept is decoded in full first, exactly as it will be stored."""
    stripped = jpeg.without_metadata(data) if _kept_as_encoded(data) else None
    if stripped is not None:
        try:
            image = decode_image(stripped)
        except ImageRejected:
            image = None  # the whole file says why (below)
        if image is not None and image.mode in ("RGB", "L") and max(image.size) <= MAX_LONG_EDGE:
            image.info = {}
            return CleanImage(stripped, "image/jpeg", image)
    return clean_image(decode_image(data))


def _kept_as_encoded(data: bytes) -> bool:
    """Whether an upload may keep its encoding, from its header alone: a JPEG within the size limits that
    needs no turning (its EXIF, if any, says so)."""
    if len(data) > MAX_IMAGE_BYTES or not data.startswith(jpeg.START_OF_IMAGE):
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a damaged EXIF: orientation() says 1, and the decode judges the rest
            with Image.open(io.BytesIO(data)) as image:
                return image.format == "JPEG" and max(image.size) <= MAX_LONG_EDGE and orientation(image) == 1
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False


def orientation(image: Image.Image) -> int:
    """Which way up the EXIF says the picture is (1: as stored); 1 too when the EXIF cannot be read, which
    Pillow tells by a warning or an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return image.getexif().get(EXIF_ORIENTATION, 1)
        except (OSError, SyntaxError, ValueError):
            return 1


def fitted_size(size: tuple[int, int], long_edge: int) -> tuple[int, int]:
    """`size` scaled down so that its long side is `long_edge` (never up), each side at least 1 px."""
    width, height = size
    scale = min(1.0, long_edge / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def thumbnail_copy(clean: CleanImage, long_edge: int) -> tuple[bytes, int, int]:
    """A small JPEG of a cleaned image (transparency on white), with its width and height."""
    size = fitted_size(clean.size, long_edge)
    # From the cleaned pixels, not a copy of them: resize makes a new image. A reducing gap averages whole blocks
    # first (reduce) and resamples only the last small step, an area average too (BOX): bicubic there cost half as
    # much as the whole reduce, for nothing a thumbnail shows. A gap of 1.25 takes blocks of 5 (2048 → 410 → 320
    # px), not of 6 (→ 342 → 320 with a gap of 1): every pixel is still averaged in, a tenth cheaper.
    small = clean.pixels if size == clean.size else clean.pixels.resize(
        size, Image.Resampling.BOX, reducing_gap=1.25)
    if small.mode == "RGB" and small is not clean.pixels:
        flat = small  # already a new image without transparency
    else:
        flat = Image.new("RGB", small.size, "white")
        if small.mode == "RGBA":
            flat.paste(small, mask=small.getchannel("A"))
        else:
            flat.paste(small)
    output = io.BytesIO()
    flat.save(output, format="JPEG", quality=JPEG_QUALITY)
    return output.getvalue(), flat.width, flat.height


def extension_for(content_type: str) -> str:
    return ".png" if content_type == "image/png" else ".jpg"


def write_durably(path: Path, data: bytes) -> None:
    """Write a file so that it survives a crash once this returns: temporary name, fsync, rename, fsync folder."""
    write_all_durably(path.parent, [(path.name, data)])


def write_all_durably(folder: Path, files: list[tuple[str, bytes]]) -> None:
    """Write files into one folder so that all survive a crash once this returns.

    Each file's data is synced under a temporary name before it is renamed (a rename must never point at data
    that is not on disk), and the folder, which holds every rename, is synced once at the end rather than once
    per file: the renames are only promised together, when this returns, which is when the caller commits the
    rows that name them. A crash before that leaves at most unreferenced files (or *.part files), never a row
    whose file is missing.
    """
    folder.mkdir(parents=True, exist_ok=True)
    temporaries = []
    try:
        for name, data in files:
            temporary = folder / (name + ".part")
            temporaries.append(temporary)
            with open(temporary, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for (name, _), temporary in zip(files, temporaries, strict=True):
            os.replace(temporary, folder / name)
    except BaseException:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)
        raise
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def store_image(data: bytes, folder: Path) -> StoredImage:
    """Validate and store an uploaded image under a random name; raises ImageRejected."""
    clean = clean_upload(data)
    stored_name = secrets.token_hex(16) + extension_for(clean.content_type)
    write_durably(folder / stored_name, clean.encoded)
    width, height = clean.size
    return StoredImage(stored_name, clean.content_type, width, height, len(clean.encoded))


def stored_image_response(path: Path, mimetype: str, max_age: int):
    """A stored image as a response, read into memory first: images are small (a long edge of at most
    MAX_LONG_EDGE), and a client that hangs up mid-answer then leaves no open file behind."""
    return send_file(io.BytesIO(path.read_bytes()), mimetype=mimetype, max_age=max_age)
