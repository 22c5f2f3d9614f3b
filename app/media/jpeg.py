"""A phone's JPEG kept as it was encoded, without its metadata: the segments that make the picture are copied,
every other one is left out, and anything unexpected gives None (the caller then re-encodes from the pixels).

Why not re-encode every photo: the phone has already encoded it once (2048 px, quality 0.85), and a second
lossy encode costs as much CPU as decoding it and blurs what a report's photo is evidence of. Why by hand: no
library in the stack copies JPEG segments (jpegtran does, as a program). Nothing here reads the picture: the
result is decoded in full by Pillow before it is kept (media.services.clean_upload), so what is stored is
exactly what was checked.
"""
import re

# Every JPEG begins with the start-of-image marker.
START_OF_IMAGE = b"\xff\xd8"
END, SCAN = 0xD9, 0xDA
# Huffman-coded frames of 8-bit baseline, extended and progressive JPEG: what phones and browsers write. The
# arithmetic and lossless kinds are re-encoded.
FRAMES = {0xC0, 0xC1, 0xC2}
# Huffman and quantisation tables, restart interval: needed to decode.
TABLES = {0xC4, 0xDB, 0xDD}
# Application segments (EXIF with GPS, XMP, ICC, JFIF, makers' notes) and comments: left out.
LEFT_OUT = set(range(0xE0, 0xF0)) | {0xFE}
# Adobe's segment says whether three components are RGB or YCbCr: without it the colours could change.
ADOBE = 0xEE
# In coded data a 0xFF is followed by 0x00 (a stuffed byte) or a restart marker; anything else is a marker.
MARKER_AFTER_SCAN = re.compile(rb"\xff[^\x00\xd0-\xd7]")
FILL = re.compile(rb"\xff+")
# A camera's or a browser's file has a few dozen (tables, frame, a progressive file's scans); a file of
# thousands of tiny segments is made to keep a loop busy, and is re-encoded.
MAX_SEGMENTS = 200


def without_metadata(data: bytes) -> bytes | None:
    """The JPEG `data` with only the segments that make its picture, or None if it is not a plain 8-bit Huffman
    JPEG of one or three components ending in an end marker (nothing after it is kept)."""
    if not data.startswith(START_OF_IMAGE):
        return None
    kept, position, framed, scanned = [START_OF_IMAGE], len(START_OF_IMAGE), False, False
    for _ in range(MAX_SEGMENTS):
        fill = FILL.match(data, position)  # a marker, after any fill bytes before it
        if fill is None or fill.end() >= len(data):
            return None
        position = fill.end() - 1
        marker = data[position + 1]
        if marker == END:
            return b"".join([*kept, b"\xff\xd9"]) if scanned else None
        length = int.from_bytes(data[position + 2:position + 4], "big")
        segment_end = position + 2 + length
        if length < 2 or segment_end > len(data):  # also a marker cut off before its length
            return None
        if marker in FRAMES:
            if framed or not _plain_frame(data[position + 4:segment_end]):
                return None
            framed = True
        elif marker == SCAN:
            following = MARKER_AFTER_SCAN.search(data, segment_end) if framed else None
            if following is None:
                return None
            kept.append(data[position:following.start()])
            position, scanned = following.start(), True
            continue
        elif marker == ADOBE or (marker not in TABLES and marker not in LEFT_OUT):
            return None
        if marker not in LEFT_OUT:
            kept.append(data[position:segment_end])
        position = segment_end
    return None


def _plain_frame(header: bytes) -> bool:
    """An 8-bit frame of one (grey) or three (colour) components."""
    return len(header) >= 6 and header[0] == 8 and header[5] in (1, 3)
