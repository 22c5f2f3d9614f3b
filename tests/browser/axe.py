"""Accessibility checks with axe-core against WCAG 2.1 A and AA."""
from pathlib import Path

import pytest

AXE_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Runs in the page; returns only what a failure message needs.
RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(" ")),
  }));
}"""


def inject_axe(page) -> None:
    """Load axe-core into the page. page.evaluate runs over the DevTools protocol, which the page's CSP
    (no inline scripts, no eval) does not govern, whereas add_script_tag(content=...) would be blocked."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {target}" for target in violation["targets"])
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fail with a readable list if axe-core finds any WCAG 2.1 A/AA violation on the page as it is now."""
    if not AXE_SOURCE.exists():
        pytest.fail(f"{AXE_SOURCE} is missing: run npm ci (make test does)", pytrace=False)
    inject_axe(page)
    violations = page.evaluate(RUN_AXE, WCAG_TAGS)
    if violations:
        pytest.fail(format_violations(page.url, violations), pytrace=False)
