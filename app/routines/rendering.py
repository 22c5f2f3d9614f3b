"""Routine bodies: Markdown rendered and sanitised, routine links, checklists, and version differences."""
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

import markdown
import nh3
from markupsafe import Markup

from app.accounts.rules import same_site_path

WIKI_LINK = re.compile(r"\[\[([a-z0-9][a-z0-9-]*)\]\]")
TASK_ITEM = re.compile(r"<li>(?:<p>)?\[( |x|X)\]\s+")
ROUTINE_IMAGE_SRC = re.compile(r"^/rutiner/bilder/\d+$")

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "ul", "ol", "li", "a", "img", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "hr", "code", "pre",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"}}


def keep_safe_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Images only from our own routine image store; links only to http(s), mail, phone or our paths."""
    if tag == "img" and attribute == "src":
        return value if ROUTINE_IMAGE_SRC.match(value) else None
    if tag == "a" and attribute == "href":
        if value.startswith("/"):
            # "//host" and "/\host" look like paths here but lead browsers to another site.
            return value if same_site_path(value) == value else None
        return value if value.startswith(("https://", "http://", "mailto:", "tel:")) else None
    return value


def linked_slugs(body_md: str) -> list[str]:
    """The routines a body links to with [[slug]], in order of first mention."""
    return list(dict.fromkeys(WIKI_LINK.findall(body_md)))


def replace_wiki_links(body_md: str, title_of: Callable[[str], str | None]) -> str:
    """[[slug]] becomes a Markdown link to the routine, or plain text when it is unknown or not visible."""

    def link(match: re.Match) -> str:
        slug = match.group(1)
        title = title_of(slug)
        if title is None:
            return slug.replace("-", " ")
        return f"[{title.replace('[', '(').replace(']', ')')}](/rutiner/{slug})"

    return WIKI_LINK.sub(link, body_md)


def checklist_boxes(html: str) -> str:
    """Turn "- [ ] text" list items into checkboxes that can be ticked during a visit."""
    counter = iter(range(1, 10_000))

    def box(match: re.Match) -> str:
        number = next(counter)
        checked = " checked" if match.group(1) in "xX" else ""
        return (f'<li class="task"><input type="checkbox" class="task-box" id="punkt-{number}" '
                f'data-check-item="{number}"{checked}> <label for="punkt-{number}" class="task-label">')

    boxed = TASK_ITEM.sub(box, html)
    # Close each label where its item's text ends.
    return re.sub(r'(<label for="punkt-\d+" class="task-label">)(.*?)(</p>)?</li>', r"\1\2</label></li>", boxed,
                  flags=re.S)


def render_body(body_md: str, title_of: Callable[[str], str | None]) -> Markup:
    """The body as safe HTML."""
    html = markdown.markdown(replace_wiki_links(body_md, title_of), extensions=["sane_lists", "tables"])
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=keep_safe_attribute,
        link_rel="noopener noreferrer",
        url_schemes={"http", "https", "mailto", "tel"},
    )
    return Markup(checklist_boxes(clean))


@dataclass(frozen=True)
class DiffLine:
    change: str  # "same", "added" or "removed"
    text: str


def readable_line(line: str) -> str:
    """A Markdown line as a reader sees it: no heading marks, emphasis or link syntax."""
    line = re.sub(r"^\s*#+\s*", "", line)
    line = re.sub(r"^(\s*)[-*] \[[ xX]\]\s*", r"\1☐ ", line)
    line = re.sub(r"^(\s*)[-*]\s+", r"\1• ", line)
    line = WIKI_LINK.sub(lambda match: match.group(1).replace("-", " "), line)
    line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)
    return line.replace("**", "").replace("__", "").strip()


def body_difference(old_md: str, new_md: str, context: int = 2) -> list[DiffLine | None]:
    """Line changes between two bodies as readers see them, with a little context; None marks skipped lines."""
    old_lines = [readable_line(line) for line in old_md.splitlines() if line.strip()]
    new_lines = [readable_line(line) for line in new_md.splitlines() if line.strip()]
    lines: list[DiffLine | None] = []
    for group in difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False).get_grouped_opcodes(context):
        if lines:
            lines.append(None)
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(DiffLine("same", line) for line in old_lines[i1:i2])
                continue
            lines.extend(DiffLine("removed", line) for line in old_lines[i1:i2])
            lines.extend(DiffLine("added", line) for line in new_lines[j1:j2])
    return lines
