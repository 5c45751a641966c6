"""The tree shows the architecture: layers import only downwards, no import cycle, small modules.

The layers of ``passport/``, bottom first (README, "Layout"): ``encoding`` (strict JSON, JCS,
multibase, dates), ``crypto`` (keys, DIDs), ``jsonld`` and ``proofs``, ``format`` (documents,
schemas, status lists, the trust registry), ``verification``, ``roles`` (issuing, presenting,
matching), then the edges: ``qr``, ``wallet`` and ``printable``, and on top ``cli``, ``demo`` and ``app``
(the wallet app in the browser).
Imports inside functions count too: a late import that hides a cycle is still a cycle.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "passport"
RANK = {"errors": 0, "protocol_errors": 0, "_native": 0, "encoding": 1, "crypto": 2, "jsonld": 3, "proofs": 3, "format": 4,
        "verification": 5, "roles": 6, "terms": 6, "qr": 7, "wallet": 8, "printable": 8, "cli": 9, "demo": 9,
        "app": 9}
PUBLIC = "passport"  # the package's public names: the edges (cli, demo) may use them
MAX_LINES = 400


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "_examples" in path.parts:
            continue
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The passport modules ``name`` imports, anywhere in it (a late import inside a function
    counts too: one that only hides a cycle is still a cycle)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    statements = list(ast.walk(ast.parse(path.read_text(encoding="utf-8"))))
    found = set()
    for node in statements:
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            for alias in node.names:
                if f"{origin}.{alias.name}" in known:
                    found.add(f"{origin}.{alias.name}")
                elif origin in known:
                    found.add(origin)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in known}
    return found - {name}


def layer(module: str) -> str:
    return module.split(".")[1] if "." in module else PUBLIC


KNOWN = modules()
GRAPH = {name: imports(name, path, KNOWN) for name, path in KNOWN.items()}


def test_every_module_belongs_to_a_known_layer():
    strays = sorted(name for name in KNOWN if layer(name) not in RANK and name not in (PUBLIC, "passport.__main__"))
    assert strays == [], "place these in a layer package (and in RANK here and README's Layout)"


@pytest.mark.parametrize("name", sorted(n for n in KNOWN if layer(n) in RANK))
def test_a_module_imports_only_from_its_own_layer_or_below(name):
    upward = sorted(d for d in GRAPH[name]
                    if layer(d) == PUBLIC and layer(name) not in ("cli", "demo")
                    or layer(d) in RANK and RANK[layer(d)] > RANK[layer(name)])
    assert upward == [], f"{name} reaches up the layers"


def test_no_import_cycle():
    """Tarjan's strongly connected components of the module-level import graph: all single."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(GRAPH[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    assert cycles == []


def test_the_checker_sees_a_cycle_and_an_upward_import(tmp_path):
    """The graph reader is not blind: relative imports, `from . import x`, `try` bodies and late imports count."""
    known = {"passport.encoding.a": tmp_path / "a.py", "passport.format.b": tmp_path / "b.py"}
    known["passport.encoding.a"].write_text("try:\n    from ..format import b\nexcept ImportError:\n    pass\n")
    known["passport.format.b"].write_text("def late():\n    from ..encoding.a import thing\n")
    assert imports("passport.encoding.a", known["passport.encoding.a"], known) == {"passport.format.b"}
    assert imports("passport.format.b", known["passport.format.b"], known) == {"passport.encoding.a"}


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_modules_stay_small(name):
    lines = KNOWN[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name} has {lines} lines: split it by job"
