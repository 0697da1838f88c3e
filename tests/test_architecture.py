"""The package layout as a rule: dependencies between the packages of `selfcheck` go one way.

web -> domain services -> models; a domain may use another domain's services, never in a
circle. A cycle makes a change in one package ripple through the other and back.
"""

from __future__ import annotations

import ast
import re
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
    domains = {
        "accounts", "assessments", "workshop", "reporting",
        "actionplan", "followup", "practice", "peers",
    }  # fmt: skip
    assert not package_graph()["web"] & domains


def _readme_architecture() -> str:
    readme = (PACKAGE_ROOT.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Architecture", 1)[1]
    return section.split("```", 2)[1]


def _listed_in_readme() -> set[str]:
    """The folders and modules of `selfcheck/` that the README's architecture lines name."""
    listed = set()
    for line in _readme_architecture().splitlines():
        match = re.match(r"^  ([A-Za-z_]+)(?:/|\.py)\s", line)
        if match:
            listed.add(match.group(1))
    return listed


def _in_the_tree() -> set[str]:
    folders = {p.name for p in PACKAGE_ROOT.iterdir() if p.is_dir() and p.name[0] not in "_."}
    modules = {p.stem for p in PACKAGE_ROOT.glob("*.py") if p.stem != "__init__"}
    return folders | modules


def test_the_readme_names_every_package_and_module_of_the_tree() -> None:
    listed, tree = _listed_in_readme(), _in_the_tree()
    assert "workshop" in tree and "vocabulary" in tree  # the tree was read at all
    assert not tree - listed, f"Im README fehlen: {sorted(tree - listed)}"
    assert not listed - tree, f"Im README, aber nicht im Baum: {sorted(listed - tree)}"
