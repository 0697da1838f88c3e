"""axe-core inside the page under test: the accessibility rules of WCAG 2.1 A/AA and more.

The file is the unmodified `axe.min.js` of the npm package axe-core (see vendor/README.md),
evaluated through the DevTools protocol, so the page's Content-Security-Policy stays on and
nothing is loaded from the network.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from playwright.async_api import Page

AXE_FILE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
FAILING_IMPACTS = ("serious", "critical")
AUDIT_TIMEOUT_S = 60

# WCAG 2.1 A and AA (BITV 2.0 points to them) plus axe's best practices.
RUN_OPTIONS: dict[str, Any] = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


@cache
def axe_source() -> str:
    return AXE_FILE.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    help_url: str
    targets: tuple[str, ...]
    summaries: tuple[str, ...]

    def describe(self) -> str:
        lines = [f"[{self.impact}] {self.rule}: {self.help}", f"  {self.help_url}"]
        for target, summary in zip(self.targets, self.summaries, strict=True):
            lines.append(f"  - {target}")
            for detail in summary.splitlines():
                if detail.strip():
                    lines.append(f"      {detail.strip()}")
        return "\n".join(lines)


async def audit(page: Page) -> list[Violation]:
    """All axe violations on the page as it is now (not only the failing impacts)."""
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.evaluate(axe_source())
    raw: dict[str, Any] = await asyncio.wait_for(
        page.evaluate("options => window.axe.run(document, options)", RUN_OPTIONS),
        AUDIT_TIMEOUT_S,
    )
    return [
        Violation(
            rule=v["id"],
            impact=v.get("impact") or "unknown",
            help=v["help"],
            help_url=v["helpUrl"],
            targets=tuple(" ".join(map(str, node["target"])) for node in v["nodes"]),
            summaries=tuple(node.get("failureSummary") or "" for node in v["nodes"]),
        )
        for v in raw["violations"]
    ]


def failing(violations: list[Violation]) -> list[Violation]:
    return [v for v in violations if v.impact in FAILING_IMPACTS]


def report(page_name: str, url: str, violations: list[Violation]) -> str:
    header = f"axe-core: {len(violations)} schwere Verstöße auf „{page_name}“ ({url})"
    return "\n".join([header, *(v.describe() for v in violations)])
