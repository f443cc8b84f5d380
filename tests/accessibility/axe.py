"""Run axe-core (the copy bundled with axe-playwright-python) in a Playwright page and keep what matters.

Playwright's evaluate goes through the DevTools protocol, so the injected script is not blocked by the
site's Content-Security-Policy and no page needs an exception for the test.
"""

from axe_playwright_python.sync_playwright import Axe

BLOCKING = {"serious", "critical"}
_axe = Axe()


def blocking_violations(page, where):
    """Serious and critical axe violations on the page, one readable line per rule and element."""
    results = _axe.run(page).response
    lines = []
    for violation in results["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"]:
            lines.append(
                f"{where}: {violation['id']} ({violation['impact']}) at {node['target']}: {node['failureSummary']}"
            )
    return lines
