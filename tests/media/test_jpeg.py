"""A phone's JPEG keeps its own encoding without its metadata; anything out of the ordinary is re-encoded, and
what is kept has been decoded in full."""
import io
import random
import re

import pytest
from PIL import Image, ImageChops, ImageCms

from app.media import jpeg
from app.media.services import ImageRejected, clean_upload, store_image

GPS_TAG = 0x8825
APP_OR_COMMENT = re.compile(rb"\xff[\xe0-\xef\xfe]")


def photo(size=(96, 64), **save) -> bytes:
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=85, **save)
    return output.getvalue()


def with_everything() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS_TAG] = {1: "N", 2: (59.0, 19.0, 48.0)}
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return photo(exif=exif, comment=b"Hemligt namn", icc_profile=icc, xmp=b"<x:xmpmeta>Gatan 7</x:xmpmeta>")


def segments(data: bytes) -> list[int]:
    """The markers before the first scan."""
    found, position = [], 2
    while data[position + 1] != 0xDA:
        found.append(data[position + 1])
        position += 2 + int.from_bytes(data[position + 2:position + 4], "big")
    return found


def pixels(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB")


def test_a_phone_jpeg_keeps_its_encoding_and_loses_its_metadata():
    original = with_everything()
    clean = clean_upload(original)

    assert clean.content_type == "image/jpeg"
    assert not APP_OR_COMMENT.search(clean.encoded[:clean.encoded.index(b"\xff\xda")])
    for secret in (b"PhoneMaker", b"Hemligt namn", b"Gatan 7", b"ICC_PROFILE", b"Exif\x00", b"JFIF"):
        assert secret not in clean.encoded
    # The same coded picture: not one pixel differs, and nothing was encoded a second time.
    assert ImageChops.difference(pixels(original), pixels(clean.encoded)).getbbox() is None
    assert clean.encoded.endswith(original[original.index(b"\xff\xda"):])
    assert clean.size == (96, 64)


def test_a_progressive_jpeg_keeps_its_scans():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    original = photo(progressive=True, exif=exif)
    clean = clean_upload(original)
    assert clean.encoded.count(b"\xff\xda") == original.count(b"\xff\xda") > 1
    assert ImageChops.difference(pixels(original), pixels(clean.encoded)).getbbox() is None


def test_what_follows_the_end_marker_is_not_kept(tmp_path):
    # A file that is a JPEG and something else (a zip, a script) at once.
    polyglot = photo() + b"PK\x03\x04 hidden archive <script>alert(1)</script>"
    stored = store_image(polyglot, tmp_path)
    data = (tmp_path / stored.stored_name).read_bytes()
    assert data.endswith(b"\xff\xd9") and b"hidden archive" not in data


def test_a_photo_that_needs_turning_is_re_encoded_upright():
    exif = Image.Exif()
    exif[0x0112] = 6
    clean = clean_upload(photo(size=(60, 40), exif=exif))
    assert clean.size == (40, 60)
    assert b"Exif" not in clean.encoded


def test_a_cmyk_jpeg_with_adobes_segment_is_re_encoded_in_rgb():
    output = io.BytesIO()
    Image.new("CMYK", (40, 30), (0, 255, 255, 0)).save(output, format="JPEG")
    assert jpeg.without_metadata(output.getvalue()) is None
    clean = clean_upload(output.getvalue())
    assert clean.pixels.mode == "RGB"
    assert 0xEE not in segments(clean.encoded)


def test_a_jpeg_over_the_long_edge_is_re_encoded_smaller():
    clean = clean_upload(photo(size=(2100, 30)))
    assert clean.size == (2048, 29)


@pytest.mark.parametrize("change", [
    pytest.param(lambda data: data[:-2], id="no end marker"),
    pytest.param(lambda data: b"\x89PNG" + data[4:], id="not a jpeg"),
    pytest.param(lambda data: data.replace(b"\xff\xc0", b"\xff\xc9", 1), id="arithmetic coding"),
    pytest.param(lambda data: data.replace(b"\xff\xc0\x00\x11\x08", b"\xff\xc0\x00\x11\x0c", 1), id="12-bit"),
    pytest.param(lambda data: data.replace(b"\xff\xdb", b"\xff\xf7", 1), id="an unknown marker"),
    pytest.param(lambda data: data[:data.index(b"\xff\xda") + 6], id="cut in a scan header"),
    pytest.param(lambda data: data[:data.index(b"\xff\xdb") + 3], id="cut in a length"),
])
def test_anything_out_of_the_ordinary_is_not_copied(change):
    assert jpeg.without_metadata(change(photo())) is None


def test_fill_bytes_before_a_marker_are_allowed():
    original = photo()
    padded = original.replace(b"\xff\xdb", b"\xff\xff\xff\xdb", 1)
    assert jpeg.without_metadata(padded) == jpeg.without_metadata(original)


def test_a_file_of_thousands_of_tiny_segments_is_not_walked_to_its_end():
    original = photo()
    padded = original[:2] + b"\xff\xfe\x00\x02" * 5000 + original[2:]
    assert jpeg.without_metadata(padded) is None
    clean = clean_upload(padded)  # re-encoded instead
    assert b"\xff\xfe" not in clean.encoded


def test_a_long_run_of_fill_bytes_is_passed_at_once():
    original = photo()
    padded = original.replace(b"\xff\xdb", b"\xff" * 100_000 + b"\xdb", 1)
    assert jpeg.without_metadata(padded) == jpeg.without_metadata(original)


def test_damaged_jpegs_are_refused_or_kept_only_as_a_picture_that_decodes():
    # Bounded: 300 damaged copies of a small photo, the same ones every run.
    original, rng = with_everything(), random.Random(20)
    kept = refused = 0
    for _ in range(300):
        damaged = bytearray(original)
        for _ in range(rng.randint(1, 4)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        try:
            clean = clean_upload(bytes(damaged))
        except ImageRejected:
            refused += 1
            continue
        kept += 1
        with Image.open(io.BytesIO(clean.encoded)) as image:
            image.load()
        # Kept as encoded: no application segment at all; re-encoded: Pillow's own JFIF header only.
        assert set(segments(clean.encoded)) <= {0xE0, 0xDB, 0xC0, 0xC2, 0xC4, 0xDD}
        for secret in (b"PhoneMaker", b"Hemligt namn", b"Gatan 7", b"ICC_PROFILE", b"Exif\x00"):
            assert secret not in clean.encoded
    assert kept and refused
