"""Services add and flush; the caller (view, CLI command, job) commits. An import takes the editor's path."""
from sqlalchemy import func, select

from app.extensions import db
from app.routines import services
from app.routines import reading
from app.routines.importer import import_folder
from app.routines.models import Routine, RoutineEvent
from tests.routines.factories import published_routine, settings, user


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_writing_a_routine_commits_nothing_by_itself(app):
    with app.app_context():
        before = count(Routine), count(RoutineEvent)
        routine = services.create_routine(user("kvalitet"), settings(owner="mas"), title="Ej sparad", tags="",
                                          body_md="Text")
        services.submit_for_review(user("kvalitet"), routine, "Första versionen")
        services.approve(user("mas"), routine)
        db.session.rollback()
        assert (count(Routine), count(RoutineEvent)) == before


def test_a_reader_confirming_commits_nothing_by_itself(app):
    with app.app_context():
        routine = published_routine()
        reading.confirm_read(user("usk.nord"), routine)
        assert reading.has_confirmed(user("usk.nord"), routine)
        db.session.rollback()
        assert not reading.has_confirmed(user("usk.nord"), routine)


def test_an_import_commits_nothing_when_it_fails(app, tmp_path):
    (tmp_path / "trasig.md").write_text("ingen front matter", encoding="utf-8")
    with app.app_context():
        before = count(Routine)
        try:
            import_folder(tmp_path)
        except ValueError:
            pass
        assert count(Routine) == before


def history_of(routine) -> list[tuple[str, int | None]]:
    return [(event.action, event.version.number if event.version else None)
            for event in reversed(services.history(routine))]


def test_an_imported_routine_has_the_history_of_one_written_in_the_editor(app, tmp_path):
    (tmp_path / "importerad.md").write_text(
        "---\ntitle: Importerad\nkind: rutin\nscope: central\nowner: kvalitet\ntags: [test]\nreview: 2027-03-01\n"
        "---\nText\n", encoding="utf-8")
    with app.app_context():
        import_folder(tmp_path)
        imported = services.routine_by_slug("importerad")
        written = published_routine(title="Skriven", author="kvalitet", owner="mas")
        # The editor's path: the same "created" record and draft; the import stands in for review and approval.
        assert history_of(imported) == [("created", 1), ("imported", 1)]
        assert history_of(written) == [("created", 1), ("submitted", 1), ("published", 1)]
        version = imported.current_version
        assert (version.status, version.number, version.author.username) == ("published", 1, "kvalitet")
        assert [v.status for v in imported.versions] == [v.status for v in written.versions] == ["published"]
