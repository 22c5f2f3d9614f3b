"""Limits for images people upload; uploads are treated as hostile."""

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_IMAGE_BYTES = 15 * 1024 * 1024
# Decompression bombs: a small file can claim a huge canvas.
MAX_IMAGE_PIXELS = 50_000_000
MAX_LONG_EDGE = 2048
JPEG_QUALITY = 85
# The EXIF tag that says which way up the camera was held.
EXIF_ORIENTATION = 0x0112
