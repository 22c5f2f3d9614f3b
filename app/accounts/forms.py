"""Page forms of accounts (Flask-WTF: every form carries a CSRF token)."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.accounts.rules import ROLE_LABELS, UNIT_KIND_LABELS
from app.forms import CheckboxListField, as_choices

USERNAME_PATTERN = r"^[A-Za-z0-9._-]+$"
USERNAME_HELP = "Bokstäver a–z, siffror, punkt, bindestreck och understreck."


class LoginForm(FlaskForm):
    username = StringField("Användarnamn", validators=[DataRequired("Skriv ditt användarnamn.")])
    password = PasswordField("Lösenord", validators=[DataRequired("Skriv ditt lösenord.")])
    remember = BooleanField("Håll mig inloggad på den här telefonen")


def role_choices() -> list[SelectChoice]:
    return as_choices((role.value, label) for role, label in ROLE_LABELS.items())


class UserDetailsForm(FlaskForm):
    display_name = StringField("Namn", validators=[DataRequired("Skriv personens namn."), Length(max=120)])
    title = StringField("Titel (valfri)", validators=[Optional(), Length(max=120)])
    role = SelectField("Roll", choices=role_choices(), validators=[DataRequired("Välj en roll.")])
    units = CheckboxListField("Enheter", coerce=int, validators=[DataRequired("Välj minst en enhet.")])
    is_mas = BooleanField("Medicinskt ansvarig sjuksköterska (MAS)",
                          description="Bara för rollen Kvalitet och utredning. MAS anmäler Lex Maria till IVO.")


class NewUserForm(UserDetailsForm):
    username = StringField(
        "Användarnamn",
        description=USERNAME_HELP,
        validators=[DataRequired("Skriv ett användarnamn."), Length(max=60),
                    Regexp(USERNAME_PATTERN, message=USERNAME_HELP)],
    )
    password = PasswordField("Tillfälligt lösenord", validators=[DataRequired("Skriv ett lösenord.")])


class PasswordResetForm(FlaskForm):
    password = PasswordField("Nytt lösenord", validators=[DataRequired("Skriv ett lösenord.")])


class UnitForm(FlaskForm):
    name = StringField("Namn", validators=[DataRequired("Skriv enhetens namn."), Length(max=120)])
    kind = SelectField("Typ av enhet",
                       choices=as_choices((kind.value, label) for kind, label in UNIT_KIND_LABELS.items()))
    parent_id = SelectField("Ligger under", coerce=int)
