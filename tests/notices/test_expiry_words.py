"""A notice's last day is said the same way in the form and in the sent list: "visas till och med" that day."""
from datetime import date, datetime, timezone

import pytest

from app.notices import rules
from tests.notices.test_notices import notice_form, send

SENT_AT = datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize("day", [date(2026, 12, 14), date(2027, 3, 27), date(2027, 3, 28), date(2027, 10, 31),
                                 date(2026, 12, 31)])
def test_the_last_day_shown_is_the_day_chosen(day):
    assert rules.last_day_shown(rules.end_of_day(day)) == day


def test_the_phrase_names_the_chosen_day_inclusively():
    assert rules.shown_through_phrase(rules.end_of_day(date(2026, 12, 14))) == "visas till och med 14 december 2026"
    assert rules.shown_through_phrase(None) == ""


def test_the_sent_list_says_the_day_the_form_was_given(app, client, auth, clock):
    clock.pin(SENT_AT)
    auth.login("samordnare.nord")
    html = client.get("/meddelanden").get_data(as_text=True)
    assert "Visas till och med" in html
    send(auth, notice_form(app) | {"expires_on": "2026-12-14"})
    html = client.get("/meddelanden").get_data(as_text=True)
    assert "<span data-shown-through>visas till och med 14 december 2026</span>" in html
    assert "15 december" not in html
