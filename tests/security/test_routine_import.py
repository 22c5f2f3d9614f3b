"""Finding 14: the routine importer reads images only inside the folder it imports."""
import io

import pytest
from PIL import Image

from app.routines.importer import ImportFailed, import_folder

ROUTINE = """---
title: Handtvätt
kind: rutin
scope: central
owner: kvalitet
tags: [hygien]
review: 2027-03-01
---
Tvätta händerna. ![Bild]({reference})
"""


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def folder(tmp_path):
    """A folder of routines, beside a secret image the import must not read."""
    (tmp_path / "hemligt.png").write_bytes(png())
    routines = tmp_path / "import" / "rutiner"
    routines.mkdir(parents=True)
    (routines / "bilder").mkdir()
    (routines / "bilder" / "hand.png").write_bytes(png())
    return routines


@pytest.mark.parametrize("reference", ["../../hemligt.png", "bilder/../../../hemligt.png", "länk.png"])
def test_an_image_outside_the_folder_is_refused(app, folder, reference):
    (folder / "länk.png").symlink_to(folder.parent.parent / "hemligt.png")
    (folder / "handtvatt.md").write_text(ROUTINE.format(reference=reference), encoding="utf-8")
    with app.app_context(), pytest.raises(ImportFailed, match="utanför mappen"):
        import_folder(folder)


def test_an_image_inside_the_folder_is_imported(app, folder):
    (folder / "handtvatt.md").write_text(ROUTINE.format(reference="bilder/hand.png"), encoding="utf-8")
    with app.app_context():
        assert import_folder(folder).created == ["handtvatt"]
