"""Measure how the package's modules depend on each other: cycles, upward imports, function-level imports.

    .venv/bin/python scripts/import_graph.py          # figures, then one line per finding
    .venv/bin/python scripts/import_graph.py --quiet  # figures only

The layers, lowest first (a module may import its own layer and any lower one):

    base      config, extensions, i18n, links, clock, roles, enums   (no Flask blueprints, no services)
    grading   the grading library: no Flask, no database, no services
    models    SQLAlchemy models
    services  business rules and transactions
    curriculum  reading, validating and syncing tracks (uses grading, models and the audit service)
    jobs      runners, the Celery app, sweeps
    web       one blueprint package per role or area, plus security and request helpers
    app       create_app (factory.py), demo data, command registration

tests/test_layers.py runs the same checks and fails on a new cycle or upward import.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = "tic_academy"
ROOT = Path(__file__).resolve().parents[1] / PACKAGE

LAYERS = ["base", "grading", "models", "services", "curriculum", "jobs", "web", "app"]
#: First path part below the package -> layer (modules not listed are "web").
LAYER_OF = {
    "config": "base", "extensions": "base", "i18n": "base", "links": "base", "clock": "base",
    "roles": "base", "enums": "base",
    "grading": "grading",
    "models": "models",
    "curriculum": "curriculum",
    "services": "services",
    "jobs": "jobs",
    "__init__": "app", "factory": "app", "demo": "app",
}


@dataclass
class Graph:
    """Module-level edges between the package's modules, and the imports made inside functions."""

    edges: dict[str, set[str]] = field(default_factory=dict)
    local_imports: list[tuple[str, int, str, str]] = field(default_factory=list)  # module, line, target, comment


def module_name(path: Path) -> str:
    """tic_academy/services/progress.py -> tic_academy.services.progress."""
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def layer(module: str) -> str:
    """The layer a module belongs to."""
    parts = module.split(".")
    first = parts[1] if len(parts) > 1 else "__init__"
    return LAYER_OF.get(first, "web")


def _resolve(current: str, is_package: bool, node: ast.ImportFrom | ast.Import) -> list[str]:
    """The package modules one import statement names."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.startswith(PACKAGE)]
    base = current.split(".") if is_package else current.split(".")[:-1]
    if node.level:
        base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    if not target.startswith(PACKAGE):
        return []
    names = [f"{target}.{alias.name}" for alias in node.names]
    return names + [target]


def build() -> Graph:
    """Read every module of the package."""
    graph = Graph()
    modules = {module_name(path): path for path in ROOT.rglob("*.py") if "inside" not in path.parts}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        lines = path.read_text(encoding="utf-8").splitlines()
        graph.edges.setdefault(name, set())
        is_package = path.name == "__init__.py"
        typing_only = _type_checking_lines(tree)
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)) or node.lineno in typing_only:
                continue
            targets = [t for t in _resolve(name, is_package, node) if t in modules]
            if not targets:
                continue
            target = max(targets, key=len)
            if node.col_offset == 0:
                graph.edges[name].add(target)
            else:
                # The reason is a comment on the import line or on the line just above it.
                comment = lines[node.lineno - 1].partition("#")[2].strip()
                above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
                comment = comment or (above[1:].strip() if above.startswith("#") else "")
                graph.local_imports.append((name, node.lineno, target, comment))
    return graph


def _type_checking_lines(tree) -> set[int]:
    """Lines inside `if TYPE_CHECKING:` blocks (imports there never run)."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def cycles(graph: Graph) -> list[list[str]]:
    """Groups of modules that import each other, counting imports inside functions too (Tarjan)."""
    edges = {module: set(targets) for module, targets in graph.edges.items()}
    for module, _, target, _ in graph.local_imports:
        edges.setdefault(module, set()).add(target)
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def upward(graph: Graph) -> list[tuple[str, str]]:
    """Module-level and function-level imports of a higher layer (the package's own __init__ aside)."""
    found = []
    pairs = [(a, b) for a, targets in graph.edges.items() for b in targets]
    pairs += [(module, target) for module, _, target, _ in graph.local_imports]
    for source, target in pairs:
        if source == PACKAGE or target == PACKAGE:
            continue
        if LAYERS.index(layer(target)) > LAYERS.index(layer(source)):
            found.append((source, target))
        elif layer(source) == "grading" and layer(target) != "grading":
            found.append((source, target))
    return sorted(set(found))


def function_level(graph: Graph) -> list[tuple[str, int, str, str]]:
    """Imports inside functions, outside create_app and the demo command."""
    return [item for item in graph.local_imports if item[0] not in (PACKAGE, f"{PACKAGE}.demo")]


def main(argv: list[str]) -> int:
    """Print the figures (and the findings unless --quiet)."""
    graph = build()
    found_cycles, found_upward, found_local = cycles(graph), upward(graph), function_level(graph)
    print(f"modules: {len(graph.edges)}  cycles: {len(found_cycles)}  upward imports: {len(found_upward)}  "
          f"function-level imports: {len(found_local)} ({sum(1 for item in found_local if not item[3])} without a reason)")
    if "--quiet" not in argv:
        for component in found_cycles:
            print("cycle:", " -> ".join(component))
        for source, target in found_upward:
            print(f"upward: {source} ({layer(source)}) imports {target} ({layer(target)})")
        for module, line, target, comment in found_local:
            print(f"function-level: {module}:{line} imports {target}" + (f"  # {comment}" if comment else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
