"""Uploaded images are hostile until proven otherwise: decode, limit, strip metadata, re-encode."""
import io

import pytest
from PIL import Image, ImageCms

from app.media import rules
from app.media.services import ImageRejected, store_image

GPS_TAG = 0x8825


def jpeg_with_gps(size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, "green")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[GPS_TAG] = {1: "N", 2: (59.0, 19.0, 48.0)}
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif)
    return output.getvalue()


def test_metadata_and_gps_are_removed(tmp_path):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get(GPS_TAG) is not None
    stored = store_image(original, tmp_path)
    with Image.open(tmp_path / stored.stored_name) as saved:
        assert dict(saved.getexif()) == {}
        assert "exif" not in saved.info
    assert b"PhoneMaker" not in (tmp_path / stored.stored_name).read_bytes()


def test_comment_icc_profile_and_xmp_are_removed_too(tmp_path):
    # The cleaned JPEG is written from the decoded image itself (no copy): nothing of the file may ride along.
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS_TAG] = {1: "N", 2: (59.0, 19.0, 48.0)}
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    output = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(output, format="JPEG", exif=exif, comment=b"Hemligt namn",
                                             icc_profile=icc, xmp=b"<x:xmpmeta>Gatan 7</x:xmpmeta>")
    with Image.open(io.BytesIO(output.getvalue())) as original:
        assert {"exif", "comment", "icc_profile", "xmp"} <= set(original.info)

    stored = store_image(output.getvalue(), tmp_path)

    data = (tmp_path / stored.stored_name).read_bytes()
    with Image.open(io.BytesIO(data)) as saved:
        assert not {"exif", "comment", "icc_profile", "xmp"} & set(saved.info)
    for secret in (b"PhoneMaker", b"Hemligt namn", b"Gatan 7", b"ICC_PROFILE", b"Exif\x00"):
        assert secret not in data


def test_a_photo_taken_sideways_is_stored_upright(tmp_path):
    exif = Image.Exif()
    exif[rules.EXIF_ORIENTATION] = 6  # the camera was turned: the picture must be rotated 90° clockwise to view
    output = io.BytesIO()
    Image.new("RGB", (60, 40), "green").save(output, format="JPEG", exif=exif)
    stored = store_image(output.getvalue(), tmp_path)
    assert (stored.width, stored.height) == (40, 60)


def test_a_large_photo_is_scaled_to_the_long_edge_limit(tmp_path):
    output = io.BytesIO()
    Image.new("RGB", (4000, 1000), "white").save(output, format="JPEG")
    stored = store_image(output.getvalue(), tmp_path)
    assert (stored.width, stored.height) == (rules.MAX_LONG_EDGE, rules.MAX_LONG_EDGE // 4)


def test_transparent_png_stays_png(tmp_path):
    output = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(output, format="PNG")
    assert store_image(output.getvalue(), tmp_path).content_type == "image/png"


def test_the_stored_name_is_random_and_nothing_half_written_remains(tmp_path):
    first = store_image(jpeg_with_gps(), tmp_path)
    second = store_image(jpeg_with_gps(), tmp_path)
    assert first.stored_name != second.stored_name
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize("data", [b"", b"not an image", b"%PDF-1.7\n", b"<svg xmlns='http://www.w3.org/2000/svg'/>",
                                  b"\x89PNG\r\n\x1a\n" + b"\x00" * 40])
def test_things_that_are_not_images_are_refused(tmp_path, data):
    with pytest.raises(ImageRejected) as refused:
        store_image(data, tmp_path)
    assert refused.value.code == "bad_image"
    assert not list(tmp_path.iterdir())


def test_a_truncated_jpeg_is_refused(tmp_path):
    with pytest.raises(ImageRejected):
        store_image(jpeg_with_gps()[:200], tmp_path)


def test_too_many_bytes_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("app.media.services.MAX_IMAGE_BYTES", 100)
    with pytest.raises(ImageRejected) as refused:
        store_image(jpeg_with_gps(), tmp_path)
    assert refused.value.code == "too_large"


def test_a_decompression_bomb_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("app.media.services.MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ImageRejected) as refused:
        store_image(jpeg_with_gps(size=(100, 100)), tmp_path)
    assert refused.value.code == "too_many_pixels"
