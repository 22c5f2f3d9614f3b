"""Form helpers shared by the domains' forms (Flask-WTF: every form carries a CSRF token)."""
from collections.abc import Mapping
from datetime import date, datetime

from flask_wtf import FlaskForm
from wtforms import Field, SelectChoice, SelectMultipleField
from wtforms.widgets import CheckboxInput, DateInput, DateTimeLocalInput, ListWidget

from app.timestamps import LOCAL_ZONE

BAD_DATETIME = "Skriv datum och tid som ÅÅÅÅ-MM-DD TT:MM."
BAD_DATE = "Skriv datumet som ÅÅÅÅ-MM-DD."


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change state."""


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def as_choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def table_choices(labels: Mapping, blank: str | None = None) -> list[SelectChoice]:
    """A rules table's codes and labels as choices; `blank` labels an empty first choice ("not chosen")."""
    return as_choices(([("", blank)] if blank is not None else []) + list(labels.items()))


def optional_int(value) -> int | None:
    """A select's value as a whole number, blank as None (a coerce function: raises ValueError otherwise)."""
    return None if value is None or value == "" else int(value)


class IsoField(Field):
    """A date or time typed as ISO 8601; blank is None, anything else unreadable is refused with `message`."""

    def __init__(self, label=None, validators=None, message: str = "", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.message = message

    def parse(self, text: str):
        raise NotImplementedError

    def format(self, value) -> str:
        raise NotImplementedError

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist else ""
        self.data = None
        if text:
            try:
                self.data = self.parse(text)
            except ValueError:
                raise ValueError(self.message) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.format(self.data) if self.data else ""


class LocalDateTimeField(IsoField):
    """A datetime-local input: the users' wall-clock time (Europe/Stockholm), as an aware datetime."""

    widget = DateTimeLocalInput()

    def __init__(self, label=None, validators=None, message: str = BAD_DATETIME, **kwargs):
        super().__init__(label, validators, message, **kwargs)

    def parse(self, text: str) -> datetime:
        return datetime.fromisoformat(text).replace(tzinfo=LOCAL_ZONE)

    def format(self, moment: datetime) -> str:
        return moment.astimezone(LOCAL_ZONE).strftime("%Y-%m-%dT%H:%M")


class IsoDateField(IsoField):
    """A date input (ÅÅÅÅ-MM-DD) as a date."""

    widget = DateInput()

    def __init__(self, label=None, validators=None, message: str = BAD_DATE, **kwargs):
        super().__init__(label, validators, message, **kwargs)

    def parse(self, text: str) -> date:
        return date.fromisoformat(text)

    def format(self, day: date) -> str:
        return day.isoformat()


def first_error(form) -> str:
    """The first message of a form that did not validate, for a flash beside the form."""
    return next(message for messages in form.errors.values() for message in messages)
