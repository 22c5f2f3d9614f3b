"""The version workflow through the services: drafts, review, approval, history, archive."""
from datetime import date, datetime, timedelta, timezone

import pytest

from app.routines import services
from app.routines import proposals, reading
from app.extensions import db
from app.notices.models import InboxItem
from app.routines import rules
from app.routines.rules import VersionStatus
from sqlalchemy import select
from tests.routines.factories import published_routine, settings, user


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def test_a_new_routine_starts_as_a_draft_nobody_reads(ctx):
    routine = services.create_routine(user("kvalitet"), settings(), title="Ny rutin", tags="", body_md="Text")
    assert routine.current_version is None
    assert services.readable_routine(user("usk.nord"), routine.slug) is None


def test_approval_publishes_version_one(ctx):
    routine = published_routine()
    assert routine.current_version.number == 1
    assert routine.current_version.status == VersionStatus.PUBLISHED
    assert services.readable_routine(user("usk.nord"), routine.slug) is not None


def test_the_author_cannot_approve_their_own_change(ctx):
    routine = services.create_routine(user("kvalitet"), settings(owner="kvalitet", approver="mas"), title="Egen",
                                      tags="", body_md="Text")
    services.submit_for_review(user("kvalitet"), routine, "Ny")
    with pytest.raises(services.NotAllowed):
        services.approve(user("kvalitet"), routine)
    services.approve(user("mas"), routine)
    assert routine.current_version.decided_by.username == "mas"


def test_someone_who_is_neither_owner_nor_approver_cannot_approve(ctx):
    routine = services.create_routine(user("kvalitet"), settings(owner="mas"), title="X", tags="", body_md="Text")
    services.submit_for_review(user("kvalitet"), routine, "Ny")
    with pytest.raises(services.NotAllowed):
        services.approve(user("chef.nord"), routine)


def test_an_owner_who_writes_must_name_another_approver(ctx):
    routine = services.create_routine(user("mas"), settings(owner="mas"), title="X", tags="", body_md="Text")
    with pytest.raises(services.RoutineError, match="Välj en annan person"):
        services.submit_for_review(user("mas"), routine, "Ny")


def test_a_change_summary_is_required(ctx):
    routine = services.create_routine(user("kvalitet"), settings(), title="X", tags="", body_md="Text")
    with pytest.raises(services.RoutineError, match="sammanfattning"):
        services.submit_for_review(user("kvalitet"), routine, " ")


def test_a_returned_draft_goes_back_with_the_comment_and_can_be_resent(ctx):
    routine = services.create_routine(user("kvalitet"), settings(), title="X", tags="", body_md="Text")
    services.submit_for_review(user("kvalitet"), routine, "Ny")
    with pytest.raises(services.RoutineError, match="Skriv vad som behöver ändras"):
        services.return_for_changes(user("mas"), routine, "")
    returned = services.return_for_changes(user("mas"), routine, "Lägg till steg om handskar.")
    assert returned.status == VersionStatus.RETURNED and returned.review_comment == "Lägg till steg om handskar."
    services.save_draft(user("kvalitet"), routine, title="X", tags="", body_md="Text\n\nHandskar.")
    services.submit_for_review(user("kvalitet"), routine, "Handskar tillagda")
    assert services.approve(user("mas"), routine).number == 1


def test_a_draft_in_review_cannot_be_edited(ctx):
    routine = services.create_routine(user("kvalitet"), settings(), title="X", tags="", body_md="Text")
    services.submit_for_review(user("kvalitet"), routine, "Ny")
    with pytest.raises(services.RoutineError, match="väntar på godkännande"):
        services.save_draft(user("kvalitet"), routine, title="X", tags="", body_md="Annan")


def test_a_new_version_supersedes_the_old_and_readers_keep_reading_the_old_meanwhile(ctx):
    routine = published_routine(body="Rad ett\n")
    services.save_draft(user("kvalitet"), routine, title=routine.title, tags="", body_md="Rad ett\nRad två\n")
    assert routine.current_version.body_md == "Rad ett\n"
    services.submit_for_review(user("kvalitet"), routine, "Rad två tillagd")
    second = services.approve(user("mas"), routine)
    assert second.number == 2 and routine.current_version == second
    assert routine.versions[0].status == VersionStatus.SUPERSEDED
    assert services.previous_published(routine).number == 1


def test_history_records_who_did_what(ctx):
    routine = published_routine()
    actions = [(event.action, event.actor.username) for event in reversed(services.history(routine))]
    assert actions == [("created", "kvalitet"), ("submitted", "kvalitet"), ("published", "mas")]


def test_staff_cannot_write_routines(ctx):
    routine = published_routine()
    with pytest.raises(services.NotAllowed):
        services.save_draft(user("usk.nord"), routine, title="Hack", tags="", body_md="")
    with pytest.raises(services.NotAllowed):
        services.create_routine(user("chef.nord"), settings(), title="Central", tags="", body_md="")


def test_a_manager_writes_routines_for_their_own_unit_only(ctx):
    routine = services.create_routine(user("chef.nord"), settings(owner="chef.nord", scope="Hemvård Nord",
                                                                   approver="kvalitet"),
                                      title="Nord-rutin", tags="", body_md="Text")
    assert routine.scope_unit.name == "Hemvård Nord"
    with pytest.raises(services.NotAllowed):
        services.create_routine(user("chef.nord"), settings(owner="chef.nord", scope="Hemvård Syd"),
                                title="Syd-rutin", tags="", body_md="Text")


def test_archiving_hides_the_routine_and_keeps_its_history(ctx):
    routine = published_routine()
    with pytest.raises(services.RoutineError):
        services.archive(user("kvalitet"), routine, "")
    services.archive(user("kvalitet"), routine, "Ersatt av ny rutin")
    assert services.readable_routine(user("usk.nord"), routine.slug) is None
    assert services.history(routine)[0].action == "archived"


def test_unit_routines_are_read_only_in_that_unit_and_below(ctx):
    routine = published_routine(scope="Hemvård Nord", owner="chef.nord", author="kvalitet")
    assert services.readable_routine(user("usk.nord"), routine.slug) is not None
    assert services.readable_routine(user("usk.syd"), routine.slug) is None
    assert services.readable_routine(user("kvalitet"), routine.slug) is not None


def test_district_routines_reach_the_units_below(ctx):
    routine = published_routine(scope="Hemtjänst och hemsjukvård")
    assert services.readable_routine(user("usk.nord"), routine.slug) is not None
    assert services.readable_routine(user("usk.syd"), routine.slug) is not None


def test_read_confirmation_is_per_version(ctx):
    routine = published_routine(body="Ett\n")
    reader = user("usk.nord")
    reading.confirm_read(reader, routine)
    reading.confirm_read(reader, routine)
    assert reading.has_confirmed(reader, routine)
    services.save_draft(user("kvalitet"), routine, title=routine.title, tags="", body_md="Två\n")
    services.submit_for_review(user("kvalitet"), routine, "Ändrat")
    services.approve(user("mas"), routine)
    assert not reading.has_confirmed(reader, routine)


def test_managers_see_who_in_their_unit_has_confirmed(ctx):
    routine = published_routine()
    reading.confirm_read(user("usk.nord"), routine)
    statuses = {status.user.username: status.confirmed_at is not None
                for status in reading.reading_status(user("chef.nord"), routine)}
    assert statuses == {"usk.nord": True, "samordnare.nord": False}
    with pytest.raises(services.NotAllowed):
        reading.reading_status(user("usk.nord"), routine)


def test_a_process_shows_in_the_routines_it_links(ctx):
    step = published_routine(title="Handhygien steg", body="Tvätta.\n")
    process = published_routine(title="Besöksprocess", kind="process",
                                body=f"1. Börja med [[{step.slug}]]\n2. Avsluta.\n")
    assert [p.slug for p in services.processes_using(user("usk.nord"), step)] == [process.slug]


def test_proposals_reach_the_owner_who_answers(ctx):
    routine = published_routine(owner="mas")
    proposal = proposals.propose_change(user("usk.nord"), routine, "Steg 3 saknar handskar.")
    assert proposal in proposals.proposals_for(user("mas"))
    assert proposal not in proposals.proposals_for(user("chef.nord"))
    with pytest.raises(services.NotAllowed):
        proposals.answer_proposal(user("chef.nord"), proposal, "Nej")
    proposals.answer_proposal(user("mas"), proposal, "Tack, åtgärdat i version 2.")
    assert proposal.answer == "Tack, åtgärdat i version 2." and proposal.answered_by == user("mas")


def test_overdue_reviews_are_listed_for_the_owner_and_quality(ctx):
    routine = published_routine(owner="mas")
    routine.review_due_on = date(2026, 1, 1)
    today = date(2026, 2, 1)
    assert routine in proposals.overdue_reviews(user("mas"), today)
    assert routine in proposals.overdue_reviews(user("kvalitet"), today)
    assert routine not in proposals.overdue_reviews(user("chef.nord"), today)


@pytest.mark.parametrize(("days_after", "steps"), [
    (-31, []), (-30, [("30_days", "owner")]), (-1, [("30_days", "owner")]), (0, [("due", "owner")]),
    (1, [("due", "owner"), ("overdue", "quality")]), (200, [("due", "owner"), ("overdue", "quality")]),
])
def test_the_review_reminder_steps_by_the_day(days_after, steps):
    due = date(2026, 6, 1)
    assert rules.review_reminder_steps(due, due + timedelta(days=days_after)) == steps


def review_reminders_to(routine) -> list[tuple[str, str]]:
    items = db.session.scalars(select(InboxItem).where(InboxItem.topic == f"routine_revi-{routine.id}")
                               .order_by(InboxItem.id))
    return [(item.user.username, item.title) for item in items]


def test_the_owner_is_reminded_30_days_before_and_on_the_day_and_quality_when_overdue_once_each(ctx):
    routine = published_routine(owner="chef.nord", title="Nyckelhantering")
    routine.review_due_on = date(2026, 6, 1)
    db.session.commit()
    proposals.remind_review_dates(date(2026, 4, 1))
    assert review_reminders_to(routine) == []
    for day in (date(2026, 5, 2), date(2026, 5, 3), date(2026, 6, 1), date(2026, 6, 1), date(2026, 6, 2)):
        proposals.remind_review_dates(day)
    assert review_reminders_to(routine) == [
        ("chef.nord", "Granska rutinen senast 1 juni 2026: Nyckelhantering"),
        ("chef.nord", "Dags att granska rutinen: Nyckelhantering"),
        ("kvalitet", "Rutinen har inte granskats i tid: Nyckelhantering"),
        ("mas", "Rutinen har inte granskats i tid: Nyckelhantering"),
    ]


def test_a_new_review_date_brings_new_reminders(ctx):
    routine = published_routine(owner="chef.nord")
    routine.review_due_on = date(2026, 6, 1)
    db.session.commit()
    assert proposals.remind_review_dates(date(2026, 6, 1)) >= 1
    routine.review_due_on = date(2027, 6, 1)
    db.session.commit()
    assert proposals.remind_review_dates(date(2027, 6, 1)) >= 1
    assert len(review_reminders_to(routine)) == 2


def test_the_manage_page_says_reminded_only_when_a_reminder_was_sent(app, client, auth, clock):
    clock.pin(datetime(2026, 6, 10, 8, 0, tzinfo=timezone.utc))
    with app.app_context():
        routine = published_routine(owner="mas", title="Munvård på natten")
        routine.review_due_on = date(2026, 6, 1)
        db.session.commit()
    auth.login("kvalitet")

    def line():
        html = client.get("/rutiner/hantera").get_data(as_text=True)
        return html[html.index("Munvård på natten"):].split("</a>")[0]

    assert "påminnelse skickad" not in line()
    with app.app_context():
        proposals.remind_review_dates(date(2026, 6, 10))
    assert "påminnelse skickad 10 juni 2026" in line()


def test_the_reminder_job_runs_in_the_queue(app):
    from app.routines.jobs import remind_review_dates

    with app.app_context():
        published_routine().review_due_on = date(2000, 1, 1)
        db.session.commit()
        reminded = remind_review_dates.call_local()
    assert reminded >= 1


def test_slugs_are_unique_and_never_a_page_name(ctx):
    first = services.create_routine(user("kvalitet"), settings(), title="Ny", tags="", body_md="")
    second = services.create_routine(user("kvalitet"), settings(), title="Ny", tags="", body_md="")
    third = services.create_routine(user("kvalitet"), settings(), title="Åtgärd på bädd", tags="", body_md="")
    assert (first.slug, second.slug, third.slug) == ("ny-2", "ny-3", "atgard-pa-badd")


def test_a_second_live_routine_of_the_same_kind_and_unit_cannot_take_a_title_in_use(ctx):
    published_routine(title="Nycklar")
    routine = services.create_routine(user("kvalitet"), settings(), title=" nycklar ", tags="", body_md="Text")
    with pytest.raises(services.RoutineError, match="Det finns redan en publicerad rutin med rubriken ”nycklar” "
                                                    "för alla enheter"):
        services.submit_for_review(user("kvalitet"), routine, "Ny")


def test_the_same_title_is_free_in_another_unit_for_another_kind_and_once_the_other_is_archived(ctx):
    first = published_routine(title="Nycklar")
    published_routine(title="Nycklar", scope="Hemvård Nord")
    published_routine(title="Nycklar", kind="checklista")
    services.archive(user("mas"), first, "Ersatt")
    published_routine(title="Nycklar")


def test_moving_a_routine_to_where_its_title_is_taken_is_refused(ctx):
    published_routine(title="Nycklar", scope="Hemvård Nord")
    routine = published_routine(title="Nycklar")
    with pytest.raises(services.RoutineError, match="för Hemvård Nord"):
        services.update_settings(user("mas"), routine, settings(scope="Hemvård Nord"))
