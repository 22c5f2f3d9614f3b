"""Limits for images people upload; uploads are treated as hostile."""

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_IMAGE_BYTES = 15 * 1024 * 1024
# Decompression bombs: a small file can claim a huge canvas. Decoding costs about 3 bytes a pixel, and a
# request holds five photos; the phone sends at most 2048 px, a camera's own file (24 MP: 5712×4284) passes.
MAX_IMAGE_PIXELS = 25_000_000
MAX_LONG_EDGE = 2048
JPEG_QUALITY = 85
# The EXIF tag that says which way up the camera was held.
EXIF_ORIENTATION = 0x0112
