"""The layout rules, read from the source: apps import one way, no module imports in a circle, units stay small.

Every import statement counts, the ones inside functions too: an import
deferred into a function to dodge a cycle is still a cycle.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("attribution", "takedowns", "config")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 50


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> set[str]:
    """The project modules ``path`` imports: ``from a.b import c`` names a.b, or a.b.c where c is a module."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name in MODULES}


GRAPH = {module: _imports(path) - {module} for module, path in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_layout_was_read():
    assert "takedowns.workflow.registry" in MODULES and "attribution.lib.guard" in MODULES
    assert "takedowns.models" in GRAPH["takedowns.workflow.graph"]


def test_attribution_never_imports_takedowns():
    upward = sorted(
        (module, target)
        for module, targets in GRAPH.items()
        if module.startswith("attribution")
        for target in targets
        if target.startswith("takedowns")
    )
    assert upward == []


def test_attribution_templates_never_load_takedowns_tags():
    templates = (ROOT / "templates" / "attribution").rglob("*.html")
    assert [t.name for t in templates if "workflow_tags" in t.read_text()] == []


def test_no_module_imports_in_a_circle():
    assert _cycles(GRAPH) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_services_never_import_tasks():
    """Tasks call services; services send tasks by name (attribution.lib.queue), so no cycle can form."""
    offenders = sorted(
        (module, target)
        for module, targets in GRAPH.items()
        if not module.endswith(".tasks") and module != "config.celery"
        for target in targets
        if target.endswith(".tasks")
    )
    assert offenders == []


def _function_lengths(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0]
            has_docstring = isinstance(first, ast.Expr) and isinstance(getattr(first, "value", None), ast.Constant)
            start = node.body[1].lineno if has_docstring and len(node.body) > 1 else node.lineno
            yield node.name, node.end_lineno - start + 1


@pytest.mark.parametrize("module", sorted(MODULES))
def test_units_stay_small(module):
    """No module over 400 lines, no function body (past its docstring) over 50."""
    path = MODULES[module]
    assert path.read_text().count("\n") <= MAX_MODULE_LINES
    assert [(name, n) for name, n in _function_lengths(path) if n > MAX_FUNCTION_LINES] == []
