"""Search snippets: about 25 words of a routine around the best match, escaped, with the matches in <mark>.

`query` is the search's list of query words, each with its folded `alternatives`.
"""
import re
from bisect import bisect_right

from markupsafe import Markup, escape

SNIPPET_WORDS = 25


def highlight_pattern(query) -> re.Pattern:
    """Any of the query's folded terms (stems, compound parts) and the rest of the word it begins."""
    terms = sorted({term for word in query for term in word.alternatives}, key=len, reverse=True)
    if not terms:
        return re.compile(r"(?!x)x")
    return re.compile("(" + "|".join(re.escape(term) for term in terms) + r")[^\W_]*")


def first_words(text_: str) -> str:
    words = text_.split()
    return " ".join(words[:SNIPPET_WORDS]) + (" …" if len(words) > SNIPPET_WORDS else "")


def snippet_html(original: str, folded: str, pattern: re.Pattern, query) -> str:
    """About 25 words of `original` around its best match, escaped, matches in <mark>; "" if none."""
    found = [m for _, m in zip(range(200), pattern.finditer(folded), strict=False)]
    if not found:
        return ""
    matches = [m.span() for m in found]
    word_of_term = {term: i for i, word in enumerate(query) for term in word.alternatives}
    words_matched = [word_of_term.get(m.group(1)) for m in found]
    starts = [start for start, _ in matches]

    def query_words_near(start: int) -> int:
        # The match whose neighbourhood (about a snippet's length of text) holds most query words wins.
        low, high = bisect_right(starts, start - 60), bisect_right(starts, start + 140)
        return len(set(words_matched[low:high]))

    best = max(starts[:50], key=query_words_near)
    # Only the text around the best match is cut into words: bodies can be long.
    region_start = max(0, best - 120)
    region_start = original.rfind(" ", 0, region_start) + 1 if region_start else 0
    region = [(region_start + m.start(), region_start + m.end())
              for m in re.finditer(r"\S+", original[region_start:best + 400])]
    first = max(0, bisect_right([s for s, _ in region], best) - 1 - SNIPPET_WORDS // 3)
    window = region[first:first + SNIPPET_WORDS]
    begin, end = window[0][0], window[-1][1]
    pieces, position = [], begin
    for start, stop in matches:
        if start < begin or stop > end:
            continue
        pieces.append(collapse_space(escape(original[position:start])))
        pieces.append(Markup("<mark>") + escape(original[start:stop]) + Markup("</mark>"))
        position = stop
    pieces.append(collapse_space(escape(original[position:end])))
    prefix = "… " if begin > 0 else ""
    suffix = " …" if original[end:].strip() else ""
    return prefix + "".join(pieces) + suffix


def collapse_space(html: Markup) -> str:
    return re.sub(r"\s+", " ", str(html))
