"""Command line for routines: `flask --app wsgi routines ...`."""
import gzip
from pathlib import Path

import click
from flask.cli import AppGroup

from app.extensions import db
from app.routines import thesaurus
from app.routines.analysis import DATA
from app.routines.folding import fold
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


@routines_cli.command("synonyms-import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Also overwrite words already in the list with the file's meaning.")
def synonyms_import_command(file: Path, replace: bool) -> None:
    """Import search synonyms from a TSV file (word TAB terms); running it twice adds nothing twice."""
    try:
        rows = thesaurus.read_thesaurus(file)
    except thesaurus.ThesaurusError as error:
        raise click.ClickException(f"Inget importerades: {error}") from error
    result = thesaurus.import_synonyms(rows, replace=replace)
    db.session.commit()
    click.echo(f"Nya: {result.added}, ändrade: {result.changed}, fanns redan: {result.kept}")


@routines_cli.command("swedish-wordlist")
@click.option("--min-zipf", type=float, default=2.0, show_default=True, help="Leave out rarer words.")
def swedish_wordlist_command(min_zipf: float) -> None:
    """Rebuild app/routines/swedish/words.txt.gz (compound parts) from wordfreq (pip install -e .[wordlist])."""
    try:
        import wordfreq
    except ImportError as error:
        raise click.ClickException("wordfreq saknas: pip install -e '.[wordlist]'") from error
    best: dict[str, float] = {}
    for word in wordfreq.get_frequency_dict("sv", "large"):
        frequency = wordfreq.zipf_frequency(word, "sv")
        if word.isalpha() and frequency >= min_zipf:
            folded = fold(word)
            best[folded] = max(best.get(folded, 0.0), frequency)
    lines = "".join(f"{word}\t{frequency:.2f}\n" for word, frequency in sorted(best.items()))
    path = DATA / "words.txt.gz"
    path.write_bytes(gzip.compress(lines.encode("utf-8"), mtime=0))
    click.echo(f"{len(best)} ord i {path}")
