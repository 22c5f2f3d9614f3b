"""Command line for routines: `flask --app wsgi routines ...`."""
from pathlib import Path

import click
from flask.cli import AppGroup

from app.routines.importer import ImportFailed, import_folder

routines_cli = AppGroup("routines", help="Import and maintain routines.")


@routines_cli.command("import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def import_command(folder: Path) -> None:
    """Import a folder of Markdown routines (file name = slug); all or nothing."""
    try:
        result = import_folder(folder)
    except ImportFailed as error:
        raise click.ClickException("Inget importerades:\n" + "\n".join(f"  {p}" for p in error.problems)) from error
    click.echo(f"Nya: {len(result.created)}, uppdaterade: {len(result.updated)}, oförändrade: {len(result.unchanged)}")
