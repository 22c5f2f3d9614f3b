"""The search thesaurus: everyday words and the professional terms they mean, from a TSV file into Synonym rows."""
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.routines.models import Synonym

DEFAULT_THESAURUS = Path(__file__).parent / "swedish" / "thesaurus_sv.tsv"
WORD_LENGTH, MEANS_LENGTH = 80, 200  # the columns of search_synonyms


class ThesaurusError(ValueError):
    """A line of the file cannot be used; nothing is imported."""


@dataclass
class ImportResult:
    added: int = 0
    changed: int = 0
    kept: int = 0


def _clean(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).split())


def read_thesaurus(path: Path) -> list[tuple[str, str]]:
    """(word, terms) rows of a TSV file: `word<TAB>term, term`; # comments and blank lines skipped."""
    rows: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        word, tab, means = line.partition("\t")
        word, means = _clean(word).lower(), ", ".join(t for t in (_clean(t) for t in means.split(",")) if t)
        if not tab or not word or not means:
            raise ThesaurusError(f"rad {number}: skriv ordet, en tabb och vad det betyder")
        if len(word) > WORD_LENGTH or len(means) > MEANS_LENGTH:
            raise ThesaurusError(f"rad {number}: för lång (högst {WORD_LENGTH} och {MEANS_LENGTH} tecken)")
        if word in rows:  # the same word twice in a file: its terms together
            means = ", ".join(dict.fromkeys([*rows[word].split(", "), *means.split(", ")]))[:MEANS_LENGTH]
        rows[word] = means
    return list(rows.items())


def import_synonyms(rows: list[tuple[str, str]], replace: bool = False) -> ImportResult:
    """Add the rows' words to the synonym list; an existing word keeps what quality saved unless `replace`."""
    existing = {synonym.word.lower(): synonym for synonym in db.session.scalars(select(Synonym))}
    result = ImportResult()
    for word, means in rows:
        synonym = existing.get(word)
        if synonym is None:
            db.session.add(Synonym(word=word, means=means))
            result.added += 1
        elif replace and synonym.means != means:
            synonym.means = means
            result.changed += 1
        else:
            result.kept += 1
    db.session.flush()
    return result
