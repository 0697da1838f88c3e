"""The package layout as a rule: dependencies between the packages of `selfcheck` go one way.

web -> domain services -> models; a domain may use another domain's services, never in a
circle. A cycle makes a change in one package ripple through the other and back.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import selfcheck

PACKAGE_ROOT = Path(selfcheck.__file__).parent


def _package_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE_ROOT).parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def _imported_packages(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == "selfcheck":
            names = [f"selfcheck.{alias.name}" for alias in node.names]  # from selfcheck import x
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "selfcheck" and len(parts) > 1:
                yield parts[1]


def package_graph() -> dict[str, set[str]]:
    """Which package imports which, from the source (migrations excluded)."""
    graph: dict[str, set[str]] = {}
    for path in PACKAGE_ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        source = _package_of(path)
        targets = graph.setdefault(source, set())
        targets.update(target for target in _imported_packages(path) if target != source)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a path of package names, or None."""
    visiting: list[str] = []
    done: set[str] = set()

    def visit(node: str) -> list[str] | None:
        if node in visiting:
            return [*visiting[visiting.index(node) :], node]
        if node in done:
            return None
        visiting.append(node)
        for target in sorted(graph.get(node, ())):
            cycle = visit(target)
            if cycle:
                return cycle
        visiting.pop()
        done.add(node)
        return None

    for node in sorted(graph):
        cycle = visit(node)
        if cycle:
            return cycle
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_packages_import_each_other_without_cycles() -> None:
    graph = package_graph()
    assert "workshop" in graph and "web" in graph  # the graph was read at all
    assert find_cycle(graph) is None, f"Importzyklus: {' -> '.join(find_cycle(graph) or [])}"


def test_the_shared_web_layer_knows_no_domain() -> None:
    domains = {"accounts", "assessments", "workshop", "reporting"}
    assert not package_graph()["web"] & domains
