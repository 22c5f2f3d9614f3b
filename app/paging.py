"""Server-side paging of long lists: a page of a query, its place in the whole, and the words for it."""
from dataclasses import dataclass
from math import ceil

from sqlalchemy import func, select

from app.extensions import db

PAGE_SIZE = 25
# The page's number in the address, kept with the filters by the pager's links: ?sida=2.
PAGE_PARAMETER = "sida"


@dataclass(frozen=True)
class Page:
    """One page of a list: its items, which page it is (from 1), the page size and how many there are in all."""

    items: list
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.size))

    @property
    def first(self) -> int:
        """The place of the page's first item in the whole list (from 1; 0 when the list is empty)."""
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None

    @property
    def shown_phrase(self) -> str:
        """ "Visar 1–25 av 182", or that there is nothing to show."""
        if not self.total:
            return "Inga att visa"
        return f"Visar {self.first}–{self.last} av {self.total}"


def page_number(text: str | None) -> int:
    """The page asked for in the address: a whole number from 1; anything else is the first page."""
    try:
        return max(1, int(text or 1))
    except ValueError:
        return 1


def paginate(statement, number: int, size: int = PAGE_SIZE, scalars: bool = True) -> Page:
    """The page `number` of an ordered query (past the last page: the last page), with the count of all rows."""
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    number = min(number, max(1, ceil(total / size)))
    limited = statement.limit(size).offset((number - 1) * size)
    items = list(db.session.scalars(limited) if scalars else db.session.execute(limited))
    return Page(items, number, size, total)
