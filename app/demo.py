"""Demo data (CONTRACT.md): units, users, routines for trying Fickan. Never for a real installation."""
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask import Flask
from sqlalchemy import select

from app.accounts import services
from app.accounts.models import Unit
from app.accounts.rules import Role, UnitKind
from app.extensions import db
from app.complaints.demo import seed_complaints
from app.quality.demo import seed_quality
from app.reports.demo import seed_reports
from app.routines.importer import import_folder
from app.routines import thesaurus

DEMO_PASSWORD = "demo"

# (name, kind, parent name)
DEMO_UNITS = [
    ("Vård- och omsorgsförvaltningen", UnitKind.ADMINISTRATION, None),
    ("Hemtjänst och hemsjukvård", UnitKind.DISTRICT, "Vård- och omsorgsförvaltningen"),
    ("Hemvård Nord", UnitKind.UNIT, "Hemtjänst och hemsjukvård"),
    ("Hemvård Syd", UnitKind.UNIT, "Hemtjänst och hemsjukvård"),
]

# (username, name, title, role, unit name)
DEMO_USERS = [
    ("usk.nord", "Amina Hassan", "Undersköterska", Role.STAFF, "Hemvård Nord"),
    ("usk.syd", "Lars Berg", "Undersköterska", Role.STAFF, "Hemvård Syd"),
    ("samordnare.nord", "Sara Lind", "Samordnare", Role.COORDINATOR, "Hemvård Nord"),
    ("chef.nord", "Johan Ek", "Enhetschef", Role.MANAGER, "Hemvård Nord"),
    ("ssk.nord", "Fatima Karlsson", "Sjuksköterska", Role.NURSE, "Hemvård Nord"),
    ("kvalitet", "Maria Nyström", "Kvalitetsutvecklare", Role.QUALITY, "Vård- och omsorgsförvaltningen"),
    ("mas", "Eva Holm", "Medicinskt ansvarig sjuksköterska", Role.QUALITY, "Vård- och omsorgsförvaltningen"),
    ("admin", "Per Sandberg", "Systemförvaltare", Role.ADMIN, "Vård- och omsorgsförvaltningen"),
]
# Demo users with the MAS responsibility (a quality user's, set by admin).
DEMO_MAS = {"mas"}


def find_unit(name: str) -> Unit | None:
    return db.session.scalar(select(Unit).where(Unit.name == name))


def seed_units() -> None:
    for name, kind, parent_name in DEMO_UNITS:
        if find_unit(name) is None:
            parent = find_unit(parent_name) if parent_name else None
            services.create_unit(None, name=name, kind=kind, parent=parent)


def seed_users() -> None:
    for username, display_name, title, role, unit_name in DEMO_USERS:
        existing = services.find_user(username)
        if existing is not None and username in DEMO_MAS and not existing.is_mas:
            existing.is_mas = True  # demo data seeded before MAS was a responsibility of its own
            db.session.commit()
        if existing is None:
            services.create_user(
                None,
                username=username,
                display_name=display_name,
                title=title,
                role=role,
                password=DEMO_PASSWORD,
                units=[find_unit(unit_name)],
                is_mas=username in DEMO_MAS,
                check_password_policy=False,
            )


DEMO_ROUTINES = Path(__file__).parent / "routines" / "demo_routines"

def seed_synonyms() -> None:
    """The default thesaurus (app/routines/swedish/thesaurus_sv.tsv); words quality already saved are kept."""
    thesaurus.import_synonyms(thesaurus.read_thesaurus(thesaurus.DEFAULT_THESAURUS))
    db.session.commit()


def seed_demo() -> None:
    """Load the demo data; running it again adds nothing twice."""
    seed_units()
    seed_users()
    seed_synonyms()
    import_folder(DEMO_ROUTINES)
    seed_reports()
    seed_quality()
    seed_complaints()


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load the demo units, users, routines, a year of reports and the quality year (idempotent)."""
    seed_demo()
    click.echo("Demodata klar. Inloggningar (lösenord: demo):")
    for username, _name, _title, role, unit_name in DEMO_USERS:
        mas = " (MAS)" if username in DEMO_MAS else ""
        click.echo(f"  {username:16} {role + mas:12} {unit_name}")


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
