"""Helpers around the real Anki engine (the `anki` package) for tests that import our outputs."""

from __future__ import annotations

import zipfile
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from cardsmith.build.pipeline import build

from support.library import settings_and_run


def build_one(source: Path, out: Path, fmt: str = "apkg", **options) -> Path:
    """Build `source` (file or folder) in one format; fail the test on any error."""
    result = build([source], out, [fmt], *settings_and_run(**options))
    assert not result.failed, [str(d) for d in result.all_diagnostics]
    [deck] = result.decks if source.is_file() else [result.decks[0]]
    return deck.outputs[0]


def import_package(collection: Collection, package: Path):
    request = ImportAnkiPackageRequest(
        package_path=str(package), options=ImportAnkiPackageOptions()
    )
    return collection.import_anki_package(request).log


def notes(collection: Collection) -> list:
    return [collection.get_note(nid) for nid in collection.find_notes("")]


def guids(collection: Collection) -> set[str]:
    return {note.guid for note in notes(collection)}


def deck_names(collection: Collection) -> set[str]:
    return {d.name for d in collection.decks.all_names_and_ids()} - {"Default"}


def package_media(package: Path) -> dict[str, bytes]:
    """The package's media files by their Anki name."""
    import json

    with zipfile.ZipFile(package) as zf:
        index = json.loads(zf.read("media"))
        return {name: zf.read(number) for number, name in index.items()}
