"""Importing a folder of Markdown routines."""
import io
import re

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.accounts.services import find_user
from app.extensions import db
from app.routines import services
from app.routines.importer import ImportFailed, import_folder
from app.routines.models import Routine, RoutineImage

GOOD = """---
title: Sängbad i hemmet
kind: rutin
scope: central
owner: kvalitet
tags: [hygien, sängbad]
review: 2027-03-01
category: Omvårdnad
---
## Så här gör du

1. Förbered vatten.
2. Se [[handtvatt-steg]].
"""

STEP = """---
title: Handtvätt steg för steg
kind: rutin
scope: Hemvård Nord
owner: chef.nord
tags: [hygien]
review: 2027-03-01
---
Tvätta händerna. ![Handtvätt i sex steg](bilder/hand.png)
"""


def png_bytes(color="red"):
    output = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(output, format="PNG")
    return output.getvalue()


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "rutiner"
    (path / "bilder").mkdir(parents=True)
    (path / "sangbad-i-hemmet.md").write_text(GOOD, encoding="utf-8")
    (path / "handtvatt-steg.md").write_text(STEP, encoding="utf-8")
    (path / "bilder" / "hand.png").write_bytes(png_bytes())
    return path


def routine_count():
    return db.session.scalar(select(func.count()).select_from(Routine))


def test_a_good_folder_is_imported_published_with_links_and_images(app, folder):
    with app.app_context():
        result = import_folder(folder)
        assert sorted(result.created) == ["handtvatt-steg", "sangbad-i-hemmet"]
        bath = services.routine_by_slug("sangbad-i-hemmet")
        step = services.routine_by_slug("handtvatt-steg")
        assert bath.current_version.number == 1 and bath.current_version.tags == ["hygien", "sängbad"]
        assert bath.category == "Omvårdnad" and bath.owner.username == "kvalitet" and bath.scope_unit is None
        assert step.scope_unit.name == "Hemvård Nord" and step.category == "Övrigt"
        image = db.session.scalar(select(RoutineImage).order_by(RoutineImage.id.desc()))
        assert f"(/rutiner/bilder/{image.id})" in step.current_version.body_md
        assert [p.slug for p in services.processes_using(find_user("usk.nord"), step)] == []
        assert services.history(bath)[0].action == "imported"


def test_importing_again_changes_nothing(app, folder):
    with app.app_context():
        import_folder(folder)
        before = routine_count(), db.session.scalar(select(func.count()).select_from(RoutineImage))
        result = import_folder(folder)
        assert sorted(result.unchanged) == ["handtvatt-steg", "sangbad-i-hemmet"]
        assert (routine_count(), db.session.scalar(select(func.count()).select_from(RoutineImage))) == before


def test_a_changed_body_becomes_a_new_version(app, folder):
    with app.app_context():
        import_folder(folder)
        (folder / "sangbad-i-hemmet.md").write_text(GOOD + "3. Torka noga.\n", encoding="utf-8")
        result = import_folder(folder)
        assert result.updated == ["sangbad-i-hemmet"]
        routine = services.routine_by_slug("sangbad-i-hemmet")
        assert routine.current_version.number == 2 and "Torka noga" in routine.current_version.body_md
        assert services.previous_published(routine).number == 1


def test_an_unknown_owner_names_the_file_and_nothing_is_imported(app, folder):
    (folder / "fel-agare.md").write_text(GOOD.replace("owner: kvalitet", "owner: nisse"), encoding="utf-8")
    with app.app_context():
        before = routine_count()
        with pytest.raises(ImportFailed) as failure:
            import_folder(folder)
        assert failure.value.problems == ["fel-agare.md: okänd ägare ”nisse” (måste vara en aktiv chef eller kvalitet)"]
        assert routine_count() == before


def test_an_unknown_unit_is_refused(app, folder):
    (folder / "fel-enhet.md").write_text(GOOD.replace("scope: central", "scope: Hemvård Väst"), encoding="utf-8")
    with app.app_context(), pytest.raises(ImportFailed, match=re.escape("fel-enhet.md: okänd enhet ”Hemvård Väst”")):
        import_folder(folder)


def test_missing_keys_are_named(app, folder):
    (folder / "utan-datum.md").write_text(GOOD.replace("review: 2027-03-01\n", ""), encoding="utf-8")
    with app.app_context(), pytest.raises(ImportFailed, match=re.escape("utan-datum.md: saknar review")):
        import_folder(folder)


def test_a_staff_member_cannot_own_a_routine(app, folder):
    (folder / "fel.md").write_text(GOOD.replace("owner: kvalitet", "owner: usk.nord"), encoding="utf-8")
    with app.app_context(), pytest.raises(ImportFailed, match="okänd ägare"):
        import_folder(folder)


def test_a_bad_image_stops_the_whole_import(app, folder):
    (folder / "bilder" / "hand.png").write_bytes(b"<svg onload=alert(1)>")
    with app.app_context():
        before = routine_count()
        with pytest.raises(ImportFailed, match=re.escape("handtvatt-steg.md")):
            import_folder(folder)
        assert routine_count() == before


def test_the_command_reports_problems_in_swedish(runner, folder):
    (folder / "fel-sort.md").write_text(GOOD.replace("kind: rutin", "kind: manual"), encoding="utf-8")
    result = runner.invoke(args=["routines", "import", str(folder)])
    assert result.exit_code != 0
    assert "Inget importerades" in result.output and "fel-sort.md: okänd sort ”manual”" in result.output


def test_the_demo_routines_are_loaded(app):
    with app.app_context():
        routines = db.session.scalars(select(Routine)).all()
        assert len(routines) >= 40
        assert {routine.kind for routine in routines} == {"rutin", "process", "checklista"}
        assert any(routine.scope_unit is not None for routine in routines)
        assert db.session.scalar(select(func.count()).select_from(RoutineImage)) >= 1
