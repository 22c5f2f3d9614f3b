"""Page forms of the quality year: planning an activity, building an egenkontroll form, handing a task."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, Form, FormField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields import FieldList
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.accounts.rules import ROLE_LABELS
from app.forms import CheckboxListField, as_choices, optional_int, table_choices
from app.quality import rules

QUESTION_ROWS = 8


class ActivityForm(FlaskForm):
    name = StringField("Namn", validators=[DataRequired("Skriv vad aktiviteten heter."), Length(max=160)])
    kind = SelectField("Sort", choices=table_choices(rules.KIND_LABELS))
    recurrence = SelectField("Hur ofta", choices=table_choices(rules.RECURRENCE_LABELS))
    dates = StringField("Datum (MM-DD)", validators=[DataRequired("Skriv minst ett datum.")],
                        description="Till exempel 03-15, 09-15. Återkommer den var fjärde månad eller varje månad "
                                    "räcker det första datumet.")
    units = CheckboxListField("Enheter", coerce=int, validate_choice=False,
                              description="Aktiviteten gäller också enheterna under dem du väljer.")
    responsible_role = SelectField("Vem ansvarar i enheten?", choices=as_choices(
        (role.value, ROLE_LABELS[role]) for role in rules.RESPONSIBLE_ROLES))
    lead_days = IntegerField("Första påminnelsen, dagar före", default=14,
                             validators=[NumberRange(0, 180, "Skriv 0 till 180 dagar.")])
    form_id = SelectField("Egenkontrollformulär (valfritt)", coerce=optional_int, validators=[Optional()])
    routine_id = SelectField("Rutin (valfri)", coerce=optional_int, validators=[Optional()])
    description = TextAreaField("Beskrivning (valfri)", validators=[Optional(), Length(max=4000)])

    def validate_dates(self, field):
        try:
            self.parsed_dates = rules.parse_dates(field.data or "")
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def validate_units(self, field):
        if not field.data:
            raise ValidationError("Välj minst en enhet.")


class QuestionRow(Form):
    text = StringField("Fråga", validators=[Optional(), Length(max=400)])
    kind = SelectField("Svar", choices=table_choices(rules.QUESTION_KIND_LABELS))
    help_text = StringField("Hjälptext (valfri)", validators=[Optional(), Length(max=1000)])
    action_on_no = BooleanField("Kräver åtgärd vid nej")


class CheckFormForm(FlaskForm):
    name = StringField("Formulärets namn", validators=[DataRequired("Skriv vad formuläret heter."),
                                                       Length(max=160)])
    questions = FieldList(FormField(QuestionRow), min_entries=QUESTION_ROWS, max_entries=QUESTION_ROWS)


class HandForm(FlaskForm):
    colleague = SelectField("Lämna till", coerce=optional_int,
                            validators=[DataRequired("Välj en kollega.")])


class EffectForm(FlaskForm):
    effect = SelectField("Fungerade den?", choices=as_choices([
        ("worked", "Ja, den fungerade"), ("partly", "Delvis"), ("did_not_work", "Nej, den fungerade inte")]))
