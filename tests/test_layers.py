"""The architecture holds: layers only point down, and only public names cross a module.

Every import of every module of the package counts, those inside functions and under
``TYPE_CHECKING`` included: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "orglens"

#: Bottom to top; a module may import its own layer's modules and those of lower layers.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"errors", "_collector", "jsonout", "engine", "privacy", "i18n", "display"}),
    frozenset({"model", "mining"}),
    frozenset({"io", "lenses"}),
    frozenset({"scenarios", "optimize"}),
    frozenset({"advice"}),
    frozenset({"workspace"}),
    frozenset({"report"}),
    frozenset(
        {"web", "cli", "cli_events", "cli_init", "console", "terminal", "demo", "demo_events"}
        | {"demo_people", "console_compare", "console_format", "cli_report", "cli_optimize"}
        | {"cli_serve"}
    ),
)
#: The package itself (``orglens/__init__.py``, the public API that re-exports every layer) and
#: ``__main__`` sit with the front ends: only they may import them.
TOP = len(LAYERS) - 1


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    line: int
    target: str  # the imported module, dotted
    names: tuple[str, ...]  # the names taken from it (empty for `import x`)


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, module: str, *, is_package: bool = False) -> Iterator[Import]:
    """Every import of ``module`` (its text ``source``) of a module of the package."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "orglens":
                    yield Import(module, node.lineno, alias.name, ())
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != "orglens":
                continue
            names = tuple(a.name for a in node.names)
            submodules = [n for n in names if _is_module(f"{target}.{n}")]
            for name in submodules:  # `from orglens import mining` imports orglens.mining
                yield Import(module, node.lineno, f"{target}.{name}", ())
            if len(submodules) < len(names):
                rest = tuple(n for n in names if n not in submodules)
                yield Import(module, node.lineno, target, rest)


def _is_module(dotted: str) -> bool:
    path = PACKAGE.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def package_imports(root: Path = PACKAGE) -> Iterator[Import]:
    for path in sorted(root.rglob("*.py")):
        yield from imports_of(
            path.read_text(encoding="utf-8"),
            module_name(path, root),
            is_package=path.name == "__init__.py",
        )


def layer(module: str) -> int:
    """The layer of a dotted module name of the package (the top for the package itself)."""
    parts = module.split(".")
    if len(parts) == 1 or parts[1] == "__main__":
        return TOP
    for index, members in enumerate(LAYERS):
        if parts[1] in members:
            return index
    raise AssertionError(f"{module} is in no layer: add it to LAYERS in {__file__}")


def upward(found: Import) -> bool:
    return layer(found.target) > layer(found.module)


def private_crossing(found: Import) -> str | None:
    """Why ``found`` takes a private name across a module boundary, or ``None``."""
    if found.target == found.module:
        return None
    parts = found.target.split(".")
    for index, part in enumerate(parts):
        # a private module may be used by the modules of its own package only
        if part.startswith("_") and not part.startswith("__"):
            owner = ".".join(parts[:index])
            if not (found.module == owner or found.module.startswith(owner + ".")):
                return f"private module {found.target}"
    private = [n for n in found.names if n.startswith("_") and not n.startswith("__")]
    if private:
        return f"private name {', '.join(private)} of {found.target}"
    return None


def test_every_module_sits_in_a_layer() -> None:
    for found in package_imports():
        layer(found.module)
        layer(found.target)


def test_layers_only_point_down() -> None:
    wrong = [
        f"{f.module}:{f.line} imports {f.target} (layer {layer(f.target)} > {layer(f.module)})"
        for f in package_imports()
        if upward(f)
    ]
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_only_public_names_cross_a_module_boundary() -> None:
    wrong = [
        f"{f.module}:{f.line} imports {why}"
        for f in package_imports()
        if (why := private_crossing(f)) is not None
    ]
    assert not wrong, "private names used from another module:\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("orglens.io.config", "from orglens.scenarios import apply\n"),
        ("orglens.engine", "def f():\n    from orglens.io.eventlog import read_events\n"),
        ("orglens.model.records", "from ..advice import advise\n"),
        ("orglens.lenses.hr", "import orglens.workspace\n"),
    ],
)
def test_a_deliberate_upward_import_is_caught(module: str, source: str) -> None:
    (found,) = imports_of(source, module)
    assert upward(found)


def test_imports_down_and_sideways_within_a_layer_pass() -> None:
    source = "from orglens.model import Organization\nfrom orglens.io import load\n"
    assert not any(upward(f) for f in imports_of(source, "orglens.lenses.hr"))


def test_a_private_name_or_module_from_elsewhere_is_caught() -> None:
    elsewhere = "from orglens.mining._log import EventLog\nfrom orglens.io.xes import _read\n"
    assert [private_crossing(f) for f in imports_of(elsewhere, "orglens.lenses.process")] == [
        "private module orglens.mining._log",
        "private name _read of orglens.io.xes",
    ]
    inside = "from orglens.mining._log import EventLog\n"
    assert private_crossing(next(imports_of(inside, "orglens.mining.dfg"))) is None
