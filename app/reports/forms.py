"""Forms of the report handling page: what a handler posts, parsed and checked against the rules tables.

The services check the same rules again (they are also called from the API and the CLI); the forms turn the
posted text into dates, numbers and codes, and refuse what no table knows with the page's Swedish messages.
"""
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional, ValidationError

from app.forms import CheckboxListField, IsoDateField, LocalDateTimeField, optional_int, table_choices
from app.reports import clock_rules, rules

RISK_OUT_OF_RANGE = "Sannolikhet och konsekvens är 1–4."
REOPEN_NOT_CONFIRMED = "Kryssa i att du vill öppna rapporten igen."


class KindsForm(FlaskForm):
    """The handler confirms or changes the kinds, with a reason."""

    kinds = CheckboxListField("Typer", choices=table_choices(rules.KIND_LABELS), invalid_choice_message="Okänd typ.")
    reason = TextAreaField("Motivering", default="")

    def validate_reason(self, field):
        if problem := rules.kind_change_problem(self.kinds.data, field.data):
            raise ValidationError(problem)


class StatusForm(FlaskForm):
    """The report's next status; closing needs feedback to the reporter, reopening a closed one a confirmation."""

    status = RadioField("Ny status", choices=table_choices(rules.STATUS_LABELS),
                        invalid_choice_message="Välj en ny status.")
    feedback = TextAreaField("Återkoppling till den som rapporterade", default="")
    confirm_reopen = BooleanField("Ja, öppna rapporten igen")

    def __init__(self, *args, current_status: str, feedback_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # Whether a move is allowed depends on where the report is now (and whether it has a reporter to tell).
        self.current_status, self.feedback_required = current_status, feedback_required

    def validate_status(self, field):
        if field.data not in rules.STATUS_LABELS:
            return  # refused already as an unknown choice
        if problem := rules.status_change_problem(self.current_status, field.data, self.feedback.data,
                                                  self.feedback_required):
            raise ValidationError(problem)
        # A closed report's reporter has had the answer: reopening it is never one stray tap.
        if self.current_status == rules.ReportStatus.CLOSED and not self.confirm_reopen.data:
            raise ValidationError(REOPEN_NOT_CONFIRMED)


class EntryForm(FlaskForm):
    """A fact or an assessment in the investigation."""

    kind = RadioField("Vad skriver du?", choices=table_choices(rules.ENTRY_LABELS),
                      invalid_choice_message="Välj om det är fakta eller en bedömning.")
    text = TextAreaField("Anteckning", default="")


class AssessmentForm(FlaskForm):
    """When the event was noticed, its causes, the risk of recurrence and the diary number."""

    noticed_at = LocalDateTimeField("När upptäcktes händelsen?")
    causes = CheckboxListField("Orsaker i verksamheten", choices=table_choices(rules.CAUSE_LABELS),
                               invalid_choice_message="Okänd orsakskategori.")
    probability = SelectField("Sannolikhet att det händer igen", coerce=optional_int,
                              choices=table_choices(rules.PROBABILITY_LABELS, blank="Inte bedömd"),
                              invalid_value_message=RISK_OUT_OF_RANGE, invalid_choice_message=RISK_OUT_OF_RANGE)
    consequence = SelectField("Konsekvens om det händer igen", coerce=optional_int,
                              choices=table_choices(rules.CONSEQUENCE_LABELS, blank="Inte bedömd"),
                              invalid_value_message=RISK_OUT_OF_RANGE, invalid_choice_message=RISK_OUT_OF_RANGE)
    diary_number = StringField("Diarienummer", default="")


class ActionForm(FlaskForm):
    """A new action: what, who (a user of the list or a written name) and by when."""

    what = TextAreaField("Vad ska göras?", default="")
    # Any user id is read here; the service decides whether it is someone (else the written name must be given).
    owner_id = IntegerField("Vem ansvarar?", validators=[Optional()],
                            invalid_value_message="Välj vem som ansvarar i listan.")
    owner_name = StringField("Namn, om personen inte finns i listan", default="")
    due_on = IsoDateField("Klar senast")


class ActionProgressForm(FlaskForm):
    """An action's status, and once it is done whether it worked."""

    status = SelectField("Status", choices=table_choices(rules.ACTION_STATUS_LABELS),
                         invalid_choice_message="Okänd status för åtgärden.")
    effect = SelectField("Fungerade den?", choices=table_choices(rules.EFFECT_LABELS, blank="Inte utvärderad"),
                         default="", invalid_choice_message="Okänd effekt.")
    effect_note = StringField("Kommentar om effekten", default="")


class ClockStopForm(FlaskForm):
    """What was done about a legal clock's duty."""

    outcome = RadioField("Vad har gjorts?", choices=table_choices(clock_rules.CLOCK_OUTCOME_LABELS),
                         invalid_choice_message="Välj vad som har gjorts.")
    note = StringField("Kommentar", default="")


class RoutineLinkForm(FlaskForm):
    """The routine the report concerns (its slug) and what in it needs a review."""

    routine = StringField("Rutin", default="")
    reason = TextAreaField("Vad behöver ses över?", default="")
