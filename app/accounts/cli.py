"""Command line for accounts: `flask --app wsgi users ...`."""
import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.accounts import services
from app.accounts.models import Unit
from app.accounts.rules import ROLE_LABELS, Role
from app.extensions import db

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.argument("username")
@click.option("--name", "display_name", default="", help="Full name (defaults to the username).")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True, help="The user's role.")
@click.option("--unit", "unit_names", multiple=True, help="Unit name; repeat for several. Default: the top unit.")
@click.password_option(help="Asked for when not given.")
def create_user_command(username, display_name, role, unit_names, password):
    """Create a user, for example the first admin."""
    if unit_names:
        units = list(db.session.scalars(select(Unit).where(Unit.name.in_(unit_names))))
        missing = set(unit_names) - {unit.name for unit in units}
        if missing:
            raise click.ClickException(f"Okänd enhet: {', '.join(sorted(missing))}")
    else:
        units = list(db.session.scalars(select(Unit).where(Unit.parent_id.is_(None))))
        if not units:
            units = [services.create_unit(None, name="Förvaltningen", kind="forvaltning", parent=None)]
    try:
        user = services.create_user(
            None, username=username, display_name=display_name, role=role, password=password, units=units
        )
    except services.AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Skapade {user.username} ({ROLE_LABELS[Role(user.role)]}) i {user.unit_names}.")


@users_cli.command("list")
def list_users_command():
    """List every user with role, units and status."""
    for user in services.list_users():
        status = "aktiv" if user.active else "inaktiv"
        click.echo(f"{user.username:20} {user.role:12} {status:8} {user.unit_names}")


@users_cli.command("deactivate")
@click.argument("username")
def deactivate_user_command(username):
    """Deactivate a user and end all their sessions."""
    user = services.find_user(username) or None
    if user is None:
        raise click.ClickException(f"Ingen användare heter {username}.")
    services.set_user_active(None, user, False)
    click.echo(f"{user.username} är inaktiverad.")
