"""Page forms of notices."""
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.accounts.forms import role_choices
from app.forms import CheckboxListField, as_choices
from app.notices.rules import IMPORTANCE_LABELS


class NoticeForm(FlaskForm):
    title = StringField("Rubrik", validators=[DataRequired("Skriv en rubrik."), Length(max=120)])
    body = TextAreaField("Text", validators=[DataRequired("Skriv en text."), Length(max=4000)])
    importance = RadioField("Hur viktigt är det?", default="normal",
                            choices=as_choices((value.value, label) for value, label in IMPORTANCE_LABELS.items()))
    expires_on = DateField("Visas till och med", validators=[Optional()],
                           description="Efter det datumet försvinner meddelandet från inkorgen.")
    units = CheckboxListField("Enheter", coerce=int, validate_choice=False,
                              description="Meddelandet når också enheterna under dem du väljer.")
    roles = CheckboxListField("Vilka ska få det?", choices=role_choices(), validate_choice=False)
