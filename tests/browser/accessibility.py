"""An axe-core check that fails a browser test on serious or critical accessibility violations.

axe-core is bundled in axe-playwright-python (no download). It is injected with page.evaluate, which
Chromium runs through the DevTools protocol, outside the page's Content-Security-Policy, so the app's
strict CSP (no inline scripts) does not block it and contexts need no `bypass_csp`.
"""

from axe_playwright_python.sync_playwright import Axe

FAILING_IMPACTS = {"serious", "critical"}

_axe = Axe()


def serious_violations(page) -> list[dict]:
    """axe-core violations on the current page with impact serious or critical."""
    results = _axe.run(page)
    return [v for v in results.response["violations"] if v.get("impact") in FAILING_IMPACTS]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {node['html'][:200]}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fail, listing rule id, help and target nodes, when the page has serious or critical violations."""
    found = serious_violations(page)
    assert not found, f"Accessibility violations on {page.url}:\n{describe(found)}"
