"""The packages are layers (DESIGN 1): each imports only the ones listed above it.

Issue 12 draws the contract aggregate's layers (pricing, then schedules, then
penalties, then contracts); the house issue extends ``LAYERS`` to the whole
package. Every import counts, including those made only for type checking
and those inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "contractcore"

#: Lowest first: a package may import only the packages before it (``testing``, the
#: shipped fakes and conformance suite, is the top: no package of the library imports it).
LAYERS = ("pricing", "schedules", "penalties", "contracts", "testing")


def _imports(path: Path, modules: frozenset[str] = frozenset()) -> set[str]:
    """The ``contractcore`` modules ``path`` imports, as dotted names.

    ``from package import submodule`` counts as importing the submodule
    (``modules`` lists the known ones); ``from module import name`` as
    importing the module.
    """
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("contractcore"))
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and node.module
            and node.module.startswith("contractcore")
        ):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in modules else node.module)
    return found


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def _modules() -> dict[str, set[str]]:
    paths = sorted(SRC.rglob("*.py"))
    known = frozenset(_module(path) for path in paths)
    return {_module(path): _imports(path, known) for path in paths}


def test_no_layer_imports_a_layer_above_it() -> None:
    wrong = []
    for module, imported in _modules().items():
        here = _package(module)
        if here not in LAYERS:
            continue
        for name in imported:
            there = _package(name)
            if there in LAYERS and LAYERS.index(there) > LAYERS.index(here):
                wrong.append(f"{module} imports {name}")
    assert sorted(wrong) == []


def test_no_two_modules_of_the_layers_import_each_other() -> None:
    modules = _modules()
    known = set(modules)
    edges = {
        (module, name)
        for module, imported in modules.items()
        if _package(module) in LAYERS
        for name in imported
        if name in known and name != module
    }
    circles = sorted(f"{a} <-> {b}" for a, b in edges if (b, a) in edges and a < b)
    assert circles == []


def test_the_check_sees_imports_made_for_type_checking_and_inside_functions(
    tmp_path: Path,
) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from contractcore.contracts import Contract\n"
        "def f() -> None:\n"
        "    import contractcore.repository\n",
        encoding="utf-8",
    )
    assert _imports(sample) == {"contractcore.contracts", "contractcore.repository"}


def test_no_module_outside_the_recipes_imports_django_or_a_recipe() -> None:
    wrong: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        module = _module(path)
        if module.startswith("contractcore.recipes"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and node.level == 0
                else []
            )
            wrong.extend(
                f"{module} imports {name}"
                for name in names
                if name.split(".")[0] in {"django", "helpdesk"}
                or name.startswith("contractcore.recipes")
            )
    assert wrong == []
