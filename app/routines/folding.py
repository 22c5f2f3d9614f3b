"""Folded text for search: lower case without diacritics, same length, and Markdown reduced to its words."""
import re
import unicodedata


def _fold_character(character: str) -> str:
    lower = character.lower()
    if len(lower) != 1:  # "İ".lower() is two characters: keep the length
        lower = character
    if lower in _SPECIAL_FOLDS:
        return _SPECIAL_FOLDS[lower]
    decomposed = unicodedata.normalize("NFD", lower)
    if len(decomposed) > 1 and all(unicodedata.combining(mark) for mark in decomposed[1:]):
        return decomposed[0].lower()
    return lower


# Letters without a canonical decomposition that people still type without their mark.
_SPECIAL_FOLDS = {"ø": "o", "æ": "a", "œ": "o", "ß": "s", "ł": "l", "đ": "d", "ð": "d", "þ": "t",
                  "ı": "i", "ħ": "h", "ŧ": "t", "ŋ": "n"}
# Latin-1, Latin Extended-A and -B, Latin Extended Additional (Vietnamese and others).
_FOLD_TABLE = {code: _fold_character(chr(code)) for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00))
               if _fold_character(chr(code)) != chr(code)}


def fold(text: str) -> str:
    """Lower case without diacritics (Läkemedel → lakemedel), one character for each character."""
    lower = text.lower()
    if len(lower) != len(text):
        lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lower.translate(_FOLD_TABLE)


_MARKDOWN_RULES = [
    (re.compile(r"^[ \t]*(```|~~~).*$", re.M), ""),                            # code fences
    (re.compile(r"^[ \t]{0,3}([-*_])([ \t]*\1){2,}[ \t]*$", re.M), ""),        # horizontal rules
    (re.compile(r"^[ \t]*\|?([ \t]*:?-{2,}:?[ \t]*\|)+[ \t]*(:?-+:?)?[ \t]*$", re.M), ""),  # table rules
    (re.compile(r"^[ \t]*\[[^\]\n]+\]:[ \t]+\S.*$", re.M), ""),                 # link reference definitions
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+|[ \t]+#+[ \t]*$", re.M), ""),          # headings
    (re.compile(r"^[ \t]*(>[ \t]*)+", re.M), ""),                               # block quotes
    (re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?", re.M), ""),  # list items, tasks
    (re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),                        # images → alt text
    (re.compile(r"\[\[([^\]|\n]+)\|([^\]\n]+)\]\]"), r"\2"),                   # [[slug|label]] → label
    (re.compile(r"\[\[([^\]\n]+)\]\]"), lambda m: re.sub(r"[-_]+", " ", m.group(1))),  # [[slug]] → words
    (re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)"), r"\1"),                         # [text](url) → text
    (re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]"), r"\1"),                        # [text][ref] → text
    (re.compile(r"(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1"), r"\2"),                  # strong, strikethrough
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),        # *emphasis*
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1"),                # _emphasis_
    (re.compile(r"`+([^`\n]*)`+"), r"\1"),                                     # inline code
    (re.compile(r"^[ \t]*\||\|[ \t]*$", re.M), ""),                             # table row edges
    (re.compile(r"[ \t]*\|[ \t]*"), " "),                                      # table cells
]


def markdown_to_text(body_markdown: str) -> str:
    """The words of a Markdown body without its syntax (HTML is kept as text; snippets escape it)."""
    plain = body_markdown.replace("\r\n", "\n")
    for pattern, replacement in _MARKDOWN_RULES:
        plain = pattern.sub(replacement, plain)
    plain = "\n".join(line.strip() for line in plain.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", plain).strip()
