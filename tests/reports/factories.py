"""Factories for report tests: payloads, photos made with Pillow, and an API client that sends the CSRF header."""
import io
import json
import struct
import uuid
import zlib

from PIL import Image
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from app.accounts import services as accounts
from app.accounts.rules import Role, UnitKind
from app.complaints.demo import COMPLAINT_COUNT, complaint_uuid
from app.extensions import db
from app.reports.demo import REPORT_COUNT, report_uuid
from app.reports.models import Report
from app.timestamps import utcnow
from sqlalchemy import func, select
from tests.conftest import csrf_token_from
from tests.routines.factories import unit

GPS_TAG = 0x8825
ORIENTATION_TAG = 0x0112


def payload(**answers) -> dict:
    """A valid report as the phone sends it; keyword arguments override or add answers."""
    report = {
        "uuid": str(uuid.uuid4()),
        "text": "Brukaren hade inte fått sina kvällstabletter.",
        "created_at": utcnow().isoformat(),
        "affected": ["client"],
        "harm": "risk",
        "topics": ["medication"],
    }
    report.update(answers)
    return report


def jpeg(size=(64, 48), color="green", exif=None) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, color).save(output, format="JPEG", **({"exif": exif} if exif is not None else {}))
    return output.getvalue()


def jpeg_with_gps(size=(64, 48)) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[GPS_TAG] = {1: "N", 2: (59.0, 19.0, 48.0), 3: "E", 4: (18.0, 4.0, 7.0)}
    return jpeg(size, exif=exif)


def sideways_jpeg() -> bytes:
    """60×40 pixels, red on the left; EXIF orientation 6 says: turn 90° clockwise to show it upright."""
    image = Image.new("RGB", (60, 40), "blue")
    image.paste((255, 0, 0), (0, 0, 30, 40))
    exif = Image.Exif()
    exif[ORIENTATION_TAG] = 6
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif, quality=95)
    return output.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def decompression_bomb(width=40_000, height=40_000) -> bytes:
    """A tiny PNG that claims a huge canvas (1.6 gigapixels)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header)
            + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + png_chunk(b"IEND", b""))


class ReportApi:
    """The phone's side of the API: multipart posts with the X-CSRFToken header."""

    def __init__(self, client):
        self.client = client
        self.token = None

    def login(self, username: str):
        token = csrf_token_from(self.client, "/login")
        response = self.client.post("/login", data={"username": username, "password": "demo", "csrf_token": token})
        assert response.status_code == 303, response.get_data(as_text=True)
        self.token = csrf_token_from(self.client, "/")
        return self

    def send(self, report=None, photos=(), raw=None, headers=None):
        parts = MultiDict()
        if report is not None or raw is not None:
            parts.add("report", raw if raw is not None else json.dumps(report))
        for number, photo in enumerate(photos, start=1):
            parts.add("photos", FileStorage(io.BytesIO(photo), f"foto{number}.jpg", content_type="image/jpeg"))
        # Encoded in memory: the test client would spool a large body to a temporary file that it never
        # closes when the app refuses the body unread (413).
        boundary, body = encode_multipart(parts)
        all_headers = {"X-CSRFToken": self.token} if self.token else {}
        all_headers.update(headers or {})
        return self.client.post("/api/v1/reports", data=body, headers=all_headers,
                                content_type=f"multipart/form-data; boundary={boundary}")

    def get(self, path):
        """GET, with the body read and the response closed (a sent file is otherwise left open)."""
        response = self.client.get(path)
        response.get_data()
        response.close()
        return response


def make_user(username: str, role: Role, unit_name: str):
    return accounts.create_user(None, username=username, display_name=username.title(), role=role, password="demo",
                                units=[unit(unit_name)], check_password_policy=False)


def make_unit(name: str, parent: str = "Hemtjänst och hemsjukvård", kind: UnitKind = UnitKind.UNIT):
    """A unit of the test's own, with none of the demo data's reports."""
    return accounts.create_unit(None, name=name, kind=kind, parent=unit(parent))


def latest_report() -> Report:
    """The report stored last (the one the test just sent: the demo data's are older)."""
    return db.session.scalar(select(Report).order_by(Report.id.desc()).limit(1))


def report_count() -> int:
    """How many reports there are besides the demo data's year of reports and complaints."""
    demo = [report_uuid(index) for index in range(REPORT_COUNT)]
    demo += [complaint_uuid(index) for index in range(COMPLAINT_COUNT)]
    return db.session.scalar(select(func.count()).select_from(Report).where(Report.uuid.not_in(demo)))
