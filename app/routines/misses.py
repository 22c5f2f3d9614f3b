"""Searches without an answer: counted (folded query, count, last seen; no user) for quality staff, kept 90 days."""
import re
from datetime import timedelta

from sqlalchemy import delete, select

from app.extensions import db
from app.routines import analysis
from app.routines.models import SearchMiss
from app.timestamps import utcnow

KEEP = timedelta(days=90)
# A query typed letter by letter (search as you type) leaves its beginnings as misses: a miss seen once
# that the next miss continues within this time was the same search.
TYPING = timedelta(minutes=2)
# Digits that may be a personal identity number, a phone number or an address are never stored.
IDENTIFYING = re.compile(r"\d{6,}|\d{4}\D?\d{4}")
MAX_LENGTH = 200


def normalised(query: str) -> str:
    """The query as it is counted: folded words separated by single spaces."""
    return " ".join(analysis.tokens(query))[:MAX_LENGTH]


def record_miss(query: str) -> SearchMiss | None:
    """Count a search that found nothing (not one with identifying digits); the caller commits."""
    folded = normalised(query)
    if len(folded) < 2 or IDENTIFYING.search(query):
        return None
    now = utcnow()
    db.session.execute(delete(SearchMiss).where(
        SearchMiss.count == 1, SearchMiss.last_seen_at >= now - TYPING,
        SearchMiss.query != folded, db.literal(folded).startswith(SearchMiss.query)))
    miss = db.session.scalar(select(SearchMiss).where(SearchMiss.query == folded))
    if miss is None:
        miss = SearchMiss(query=folded, count=0)
        db.session.add(miss)
    miss.count += 1
    miss.last_seen_at = now
    db.session.flush()
    return miss


def frequent_misses(limit: int = 200) -> list[SearchMiss]:
    """The misses of the last 90 days, the most frequent first."""
    return list(db.session.scalars(select(SearchMiss).order_by(SearchMiss.count.desc(), SearchMiss.last_seen_at.desc())
                                   .limit(limit)))


def forget_old_misses() -> int:
    """Delete misses not seen for 90 days; the caller commits. Returns how many."""
    result = db.session.execute(delete(SearchMiss).where(SearchMiss.last_seen_at < utcnow() - KEEP))
    return result.rowcount or 0
