"""The house's layering, checked: no module of cardsmith imports from a higher floor, and only the
command line (`cardsmith.cli`) prints.

Each top-level module or sub-package of `src/cardsmith` is a room on a floor. A room uses its own
modules and the floors below it, never a room beside it or above it (the ground floor's modules may
use each other). Every import counts: at the top of a module, inside a function, under
`TYPE_CHECKING`, relative, and a string that is exactly a module's dotted name (the exporter registry
imports its modules by name with `importlib`)."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

from support.inputs import ROOT

PACKAGE = ROOT / "src" / "cardsmith"

FLOORS = {
    **dict.fromkeys(
        (
            "__init__",
            "model",
            "errors",
            "settings",
            "run",
            "output",
            "activity",
            "templating",
            "fingerprint",
            "files",
        ),
        0,
    ),
    "text": 1,
    "identity": 1,
    "reading": 2,
    "render": 2,
    "exporters": 3,
    "build": 4,
    "collection": 5,
    "cli": 6,
    "__main__": 7,  # `python -m cardsmith` runs the command line
}
FLOOR_NAMES = ("the ground floor", *(f"floor {n}" for n in range(1, 8)))
# only the command line speaks; the rest of the house raises or reports (`cardsmith.errors`)
SPEAKING_ROOM = "cli"


@dataclass(frozen=True)
class Found:
    module: str
    line: int
    what: str  # the imported module, or the printing call


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports(module: str, source: str, modules: set[str], package: bool = False) -> list[Found]:
    """Every cardsmith module that `source`, the text of `module` (a package's `__init__` when
    `package`), imports, wherever it does."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's own package upwards
                parts = module.split(".")
                parts = parts[: len(parts) - node.level + package]
                base = ".".join([*parts, *([base] if base else [])])
            # `from cardsmith.x import y` may name a module y, or a name defined in x
            names = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names
            ]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value] if node.value in modules and "." in node.value else []
        found += [Found(module, node.lineno, n) for n in names if n.split(".")[0] == "cardsmith"]
    return sorted(found, key=lambda f: f.line)


def prints(module: str, source: str) -> list[Found]:
    """Every `print`, `click.echo`/`secho` and write to `sys.stdout`/`sys.stderr` in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and node.id == "print":
            found.append(Found(module, node.lineno, "print"))
        elif isinstance(node, ast.Attribute):
            dotted = ast.unparse(node)
            if dotted in ("click.echo", "click.secho", "sys.stdout.write", "sys.stderr.write"):
                found.append(Found(module, node.lineno, dotted))
        elif isinstance(node, ast.ImportFrom) and node.module == "click":
            found += [
                Found(module, node.lineno, f"click.{a.name}")
                for a in node.names
                if a.name in ("echo", "secho")
            ]
    return found


def upward(found: Found) -> str | None:
    """Why this import breaks the layering, or None when it does not."""
    mine, theirs = room(found.module), room(found.what)
    if mine not in FLOORS:
        return f"{found.module}: the room {mine!r} has no floor in tests/test_layers.py FLOORS"
    if mine == theirs or theirs not in FLOORS or FLOORS[theirs] == FLOORS[mine] == 0:
        return None
    if FLOORS[theirs] < FLOORS[mine]:
        return None
    return (
        f"{found.module} (line {found.line}) imports {found.what}: {mine} is on "
        f"{FLOOR_NAMES[FLOORS[mine]]}, {theirs} on {FLOOR_NAMES[FLOORS[theirs]]}"
        + (", beside it" if FLOORS[theirs] == FLOORS[mine] else ", above it")
    )


def package_files() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def test_no_module_imports_from_a_higher_floor():
    files = package_files()
    broken = [
        why
        for module, path in files.items()
        for found in imports(
            module, path.read_text(encoding="utf-8"), set(files), path.name == "__init__.py"
        )
        if (why := upward(found))
    ]
    if broken:
        pytest.fail("the layering is broken:\n" + "\n".join(broken), pytrace=False)


def test_only_the_command_line_prints():
    found = [
        f"{p.module} (line {p.line}) calls {p.what}: only cardsmith.cli prints; report it instead"
        for module, path in package_files().items()
        if room(module) != SPEAKING_ROOM
        for p in prints(module, path.read_text(encoding="utf-8"))
    ]
    if found:
        pytest.fail("\n".join(found), pytrace=False)


def test_exporters_never_read_markdown():
    """The model is the only road: an exporter (one floor above the readers) imports no reader."""
    files = package_files()
    found = [
        f"{f.module} (line {f.line}) imports {f.what}: exporters take the Deck, never a reader"
        for module, path in files.items()
        if room(module) == "exporters"
        for f in imports(
            module, path.read_text(encoding="utf-8"), set(files), path.name == "__init__.py"
        )
        if room(f.what) == "reading"
    ]
    assert not found, "\n".join(found)


def test_every_room_has_a_floor():
    rooms = {room(module) for module in package_files()}
    assert rooms <= set(FLOORS), f"place these in FLOORS: {sorted(rooms - set(FLOORS))}"


def test_the_checks_see_every_kind_of_import_and_print():
    """The checks above pass only if they can fail: a made-up exporter breaking both rules."""
    modules = {
        "cardsmith",
        "cardsmith.exporters",
        "cardsmith.exporters.apkg",
        "cardsmith.build",
        "cardsmith.build.cache",
        "cardsmith.cli",
        "cardsmith.model",
        "cardsmith.render",
    }
    source = (
        "import importlib, sys, click\n"
        "from cardsmith.model import Deck\n"
        "from ..render import html\n"
        "def export():\n"
        "    from cardsmith.build import cache\n"
        "    importlib.import_module('cardsmith.cli')\n"
        "    print('x'); click.echo('x'); sys.stderr.write('x')\n"
    )
    found = imports("cardsmith.exporters.apkg", source, modules)
    assert [(f.line, f.what) for f in found] == [
        (2, "cardsmith.model"),
        (3, "cardsmith.render"),
        (5, "cardsmith.build.cache"),
        (6, "cardsmith.cli"),
    ]
    assert [upward(f) for f in found] == [
        None,
        None,
        "cardsmith.exporters.apkg (line 5) imports cardsmith.build.cache: exporters is on floor 3, "
        "build on floor 4, above it",
        "cardsmith.exporters.apkg (line 6) imports cardsmith.cli: exporters is on floor 3, "
        "cli on floor 6, above it",
    ]
    assert [p.what for p in prints("cardsmith.exporters.apkg", source)] == [
        "print",
        "click.echo",
        "sys.stderr.write",
    ]
