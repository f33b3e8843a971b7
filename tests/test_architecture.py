"""The house rules of ``ARCHITECTURE.md``, checked on the source itself.

* No module imports another module's ``_private`` names, except within one subpackage.
* No stage (reading is the API's job) reads files: only the boundary calls the reader.
* One vocabulary: status codes and colours are written only in ``_vocab``.
* Tests use the public API or the module they test, not another module's private helpers.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "src" / "dak_monitor"
MODULES = sorted(p for p in PKG.rglob("*.py"))

#: Modules that may read files: the reader, the API boundary, configuration and packaged
#: reference data, the CLI, and the sample generator.
BOUNDARY = {"_reader", "_inputs", "_monitor", "cli", "_config", "_regions", "datasets", "__init__",
            "__main__"}
#: The stages between reading and writing.
STAGES = {"_absorption", "_items", "_checks", "_flags", "_projection", "_validate", "schemas"}
#: What reads files. A stage's public entry point may take paths, but hands them to the API
#: boundary (``_inputs.as_history``) instead of reading them itself.
READERS = {"read_export", "read_table", "validate_export", "load_mapping_file"}
STATUS_CODES = {"on-track", "at-risk", "will-miss"}
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def _rel(path: Path) -> tuple[str, ...]:
    return path.relative_to(PKG).with_suffix("").parts


def _room(path: Path) -> str:
    """The top-level module or subpackage a file belongs to (``_checks``, ``_reader``)."""
    return _rel(path)[0]


def _target(path: Path, node: ast.ImportFrom) -> tuple[str, ...]:
    """The module an ``from ... import`` refers to, as parts below ``dak_monitor``."""
    if node.level == 0:
        parts = tuple((node.module or "").split("."))
        return parts[1:] if parts[:1] == ("dak_monitor",) else ()
    package = _rel(path)[:-1]  # the package the file is in (for __init__: its own)
    base = package[: len(package) - (node.level - 1)]
    return (*base, *(node.module.split(".") if node.module else ()))


def _is_module(parts: tuple[str, ...]) -> bool:
    p = PKG.joinpath(*parts)
    return p.with_suffix(".py").exists() or (p / "__init__.py").exists()


def _imports(path: Path) -> Iterator[tuple[tuple[str, ...], str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            target = _target(path, node)
            for alias in node.names:
                yield target, alias.name, node.lineno


def _strings(path: Path) -> Iterator[tuple[str, int]]:
    """String constants that are not docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                id(node) not in docstrings:
            yield node.value, node.lineno


@pytest.mark.parametrize("path", MODULES, ids=lambda p: "/".join(_rel(p)))
def test_no_private_imports_across_rooms(path: Path) -> None:
    """``from ._x import _helper`` only within one subpackage; private *modules* are rooms."""
    bad = []
    for target, name, line in _imports(path):
        if not target or not name.startswith("_") or name.startswith("__"):
            continue
        if _is_module((*target, name)):
            continue  # a room of the package, not a private helper
        if target[0] != _room(path):
            bad.append(f"line {line}: {'.'.join(target)}.{name}")
    assert not bad, bad


@pytest.mark.parametrize("path", [p for p in MODULES if _room(p) in STAGES],
                         ids=lambda p: "/".join(_rel(p)))
def test_no_stage_reads_files(path: Path) -> None:
    """Stages take frames: they import no reader and open no file (the API reads)."""
    bad = [f"line {line}: imports {name}" for _t, name, line in _imports(path)
           if name in READERS]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            fn = node.func
            called = fn.id if isinstance(fn, ast.Name) else (
                fn.attr if isinstance(fn, ast.Attribute) else "")
            if called in {"open", "read_text", "read_bytes", "read_csv", "read_excel"}:
                bad.append(f"line {node.lineno}: calls {called}")
    assert not bad, bad


@pytest.mark.parametrize("path", [p for p in MODULES if _room(p) not in {"_vocab", "datasets"}],
                         ids=lambda p: "/".join(_rel(p)))
def test_words_and_colours_come_from_the_vocabulary(path: Path) -> None:
    """Status codes and colours are declared once, in ``_vocab``; elsewhere they are names."""
    bad = [f"line {line}: {value!r}" for value, line in _strings(path)
           if value in STATUS_CODES or HEX.match(value)]
    assert not bad, bad


def test_the_rules_see_the_rooms() -> None:
    """The lists above name modules that exist (a renamed room must be renamed here too)."""
    rooms = {_room(p) for p in MODULES}
    assert STAGES <= rooms
    assert BOUNDARY - rooms <= {"_inputs"}  # the API-boundary helper, where there is one


@pytest.mark.parametrize("path", sorted((ROOT / "tests").glob("test_*.py")),
                         ids=lambda p: p.name)
def test_tests_use_the_public_api_or_their_own_module(path: Path) -> None:
    """A test imports private names only from the module it is named after."""
    own = path.stem.removeprefix("test_")
    bad = []
    for target, name, line in _imports(path):
        if not target or not name.startswith("_") or name.startswith("__"):
            continue
        if _is_module((*target, name)):
            continue
        tested = {target[-1].lstrip("_"), target[0].lstrip("_")}
        if not any(own == t or own.startswith(t + "_") for t in tested):
            bad.append(f"line {line}: {'.'.join(target)}.{name}")
    assert not bad, bad
