"""Page forms of the routine library."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import as_choices
from app.routines.rules import KIND_LABELS


class RoutineForm(FlaskForm):
    title = StringField("Rubrik", validators=[DataRequired("Skriv en rubrik."), Length(max=200)])
    kind = SelectField("Typ av dokument",
                       choices=as_choices((kind.value, label) for kind, label in KIND_LABELS.items()))
    category = StringField("Kategori", validators=[DataRequired("Skriv en kategori."), Length(max=80)],
                           description="Till exempel Läkemedel, Hygien och smitta, Fall och säkerhet.")
    scope = SelectField("Gäller för", coerce=int)
    owner = SelectField("Ägare", coerce=int)
    approver = SelectField("Godkänns också av (valfritt)", coerce=int, validators=[Optional()])
    review_due_on = DateField("Granskas senast", validators=[DataRequired("Välj ett datum.")])
    tags = StringField("Sökord", validators=[Optional(), Length(max=400)],
                       description="Skilj orden åt med kommatecken, till exempel: fall, riskbedömning.")
    body_md = TextAreaField("Text", validators=[Optional()],
                            description="Skriv som vanligt. Några tecken först på en rad ger rubriker, steg och "
                                        "listor (se Så skriver du nedan); förhandsvisningen visar hur det blir.")


class SubmitForm(FlaskForm):
    change_summary = TextAreaField("Vad har ändrats?", validators=[DataRequired("Skriv en kort sammanfattning."),
                                                                  Length(max=2000)],
                                   description="Läsarna ser sammanfattningen överst i rutinen.")
    important_change = BooleanField("Viktig ändring – meddela alla som kan läsa rutinen")


class DecisionForm(FlaskForm):
    comment = TextAreaField("Kommentar", validators=[Optional(), Length(max=2000)],
                            description="Krävs när du skickar tillbaka utkastet.")


class ProposalForm(FlaskForm):
    text = TextAreaField("Ditt förslag", validators=[DataRequired("Skriv ditt förslag."), Length(max=4000)])


class AnswerForm(FlaskForm):
    answer = TextAreaField("Svar", validators=[DataRequired("Skriv ett svar."), Length(max=4000)])


class ArchiveForm(FlaskForm):
    reason = StringField("Varför arkiveras rutinen?", validators=[DataRequired("Skriv varför."), Length(max=400)])


class SynonymForm(FlaskForm):
    word = StringField("Vardagsord", validators=[DataRequired("Skriv ett ord."), Length(max=80)])
    means = StringField("Sök också efter", validators=[DataRequired("Skriv minst ett ord."), Length(max=200)],
                        description="Ett eller flera ord, åtskilda med kommatecken.")
