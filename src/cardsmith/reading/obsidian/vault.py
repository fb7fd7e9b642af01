"""An Obsidian vault on disk: what makes a folder one, which files are its notes, its files by name
(what an embed shows), its fingerprint for the build cache, and the spaced-repetition plugin's
settings that say how cards are written (`Syntax`).

- A vault is a folder holding `.obsidian/`.
- Its notes are its `*.md` files outside `.obsidian/`, `.trash/`, other hidden folders and the
  attachment folder Obsidian is set to (`.obsidian/app.json`); Excalidraw drawings (`*.excalidraw.md`)
  are not notes.
- Its fingerprint is made from its notes' bytes without the plugin's review data (`<!--SR:...-->`
  comments, `sr-due`, `sr-interval`, `sr-ease` properties: reviewing is not an edit) and from the
  plugin's settings (`.obsidian/plugins/obsidian-spaced-repetition/data.json`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from cardsmith.errors import Report
from cardsmith.files import read_regular
from cardsmith.model import Source
from cardsmith.reading.source import MAX_BYTES
from cardsmith.settings import SETTINGS, Settings

VAULT_MARK = ".obsidian"
MAX_SETTINGS_BYTES = 1 << 20  # Obsidian's and the plugin's settings: a few KiB of JSON
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".avif"}

_SR_COMMENT_BYTES = re.compile(rb"[ \t]*<!--SR:.*?-->")
_SR_PROPERTY_BYTES = re.compile(rb"(?m)^sr-(?:due|interval|ease):[^\n]*\n?")


def is_vault(folder: Path) -> bool:
    return (folder / VAULT_MARK).is_dir()


def vault_notes(vault: Path) -> list[Path]:
    """The vault's notes: `*.md` outside `.obsidian/`, `.trash/`, other hidden folders and the
    attachment folder Obsidian is set to (`.obsidian/app.json`); Excalidraw drawings
    (`*.excalidraw.md`, which the plugin ignores too) are not notes."""
    attachments = attachment_folder(vault)
    notes = []
    for path in sorted(vault.rglob("*.md")):
        parts = path.relative_to(vault).parts
        if any(p.startswith(".") for p in parts) or not path.is_file():
            continue
        if path.name.lower().endswith(".excalidraw.md"):
            continue
        if attachments and parts[: len(attachments)] == attachments:
            continue
        notes.append(path)
    return notes


def attachment_folder(vault: Path) -> tuple[str, ...]:
    """The vault's attachment folder (Obsidian's setting), as parts below the vault; () for none."""
    try:
        settings = json.loads(read_regular(vault / VAULT_MARK / "app.json", MAX_SETTINGS_BYTES))
        folder = str(settings.get("attachmentFolderPath") or "")
    except (OSError, ValueError, AttributeError, RecursionError):
        return ()
    if not folder or folder.startswith(".") or folder == "/":
        return ()  # "./": beside each note; "/": the vault's top, where notes live too
    return tuple(Path(folder.strip("/")).parts)


def vault_digest(vault: Path, notes: dict[str, str] | None = None) -> str:
    """A fingerprint of the vault's notes for the build cache, review data left out: reviewing in
    Obsidian (which rewrites `<!--SR:...-->` comments and `sr-due`, `sr-interval`, `sr-ease`
    properties) is not an edit. `notes` (name -> `note_digest`) are those of the bytes a build
    read; without them the notes are read now."""
    digest = hashlib.sha256()
    try:  # how cards are written (the plugin's settings) is part of what the notes say
        digest.update(read_regular(vault / PLUGIN_SETTINGS, MAX_SETTINGS_BYTES))
    except OSError:
        digest.update(b"\0no plugin settings")
    if notes is None:
        notes = {}
        for note in vault_notes(vault):
            try:
                notes[note.relative_to(vault).as_posix()] = note_digest(
                    read_regular(note, MAX_BYTES)
                )
            except OSError:
                notes[note.relative_to(vault).as_posix()] = "unreadable"
    for name, value in notes.items():
        digest.update(f"{name}\0{value}\0".encode())
    return digest.hexdigest()


def note_digest(data: bytes) -> str:
    """sha256 of a note's bytes without the plugin's review data."""
    return hashlib.sha256(_SR_PROPERTY_BYTES.sub(b"", _SR_COMMENT_BYTES.sub(b"", data))).hexdigest()


PLUGIN_SETTINGS = Path(VAULT_MARK) / "plugins" / "obsidian-spaced-repetition" / "data.json"


@dataclass(frozen=True)
class Syntax:
    """How the vault writes cards: the plugin's defaults, its settings in the vault
    (`.obsidian/plugins/obsidian-spaced-repetition/data.json`: separators, end marker, flashcard
    tags, which clozes), and cardsmith's own `flashcard_tags` / `cloze` settings over both."""

    single: str = "::"
    single_reversed: str = ":::"
    multi: str = "?"
    multi_reversed: str = "??"
    end_marker: str = ""  # a line ending multi-line cards (which may then hold blank lines)
    tags: tuple[str, ...] = ()  # the flashcard tags, without `#`
    cloze: tuple[str, ...] = ()  # of `cards.CLOZE_KINDS`

    @classmethod
    def of(cls, vault: Path, settings: Settings, report: Report) -> Syntax:
        declared = {s.name: s.default for s in SETTINGS}
        defaults = cls(tags=declared["flashcard_tags"], cloze=declared["cloze"])
        found: dict = {}
        path = vault / PLUGIN_SETTINGS
        try:
            data = json.loads(read_regular(path, MAX_SETTINGS_BYTES))
            found = _plugin_syntax(data if isinstance(data, dict) else {})
        except FileNotFoundError:
            pass  # the plugin's defaults
        except (OSError, ValueError, RecursionError) as exc:
            if isinstance(exc, RecursionError):
                why = "nested too deeply"
            else:
                why = (exc.strerror if isinstance(exc, OSError) else None) or str(exc)
            report.warn(
                Source(path, 0), f"cannot read the plugin's settings ({why}); defaults used"
            )
        if tuple(settings.flashcard_tags) != declared["flashcard_tags"]:
            found["tags"] = tuple(t.lstrip("#") for t in settings.flashcard_tags)
        if tuple(settings.cloze) != declared["cloze"]:
            found["cloze"] = tuple(settings.cloze)
        return replace(defaults, **found)


def _plugin_syntax(data: dict) -> dict:
    """What of the plugin's settings says how cards are written."""
    found: dict = {}
    names = {
        "singleLineCardSeparator": "single",
        "singleLineReversedCardSeparator": "single_reversed",
        "multilineCardSeparator": "multi",
        "multilineReversedCardSeparator": "multi_reversed",
        "multilineCardEndMarker": "end_marker",
    }
    for key, name in names.items():
        value = data.get(key)
        if isinstance(value, str) and (value.strip() or name == "end_marker"):
            found[name] = value.strip()
    tags = data.get("flashcardTags")
    if isinstance(tags, list) and all(isinstance(t, str) for t in tags) and tags:
        found["tags"] = tuple(t.lstrip("#") for t in tags)
    # (key, kind, the plugin's default when the key is not there)
    switches = (
        ("convertHighlightsToClozes", "highlight", True),
        ("convertBoldTextToClozes", "bold", False),
        ("convertCurlyBracketsToClozes", "curly", False),
    )
    if any(key in data for key, _, _ in switches):
        found["cloze"] = tuple(
            kind for key, kind, default in switches if data.get(key, default) is True
        )
    return found


class VaultFiles:
    """The vault's files by name, for `![[name]]` embeds: the one beside the note first, else the
    first in path order (Obsidian's "shortest path" links name a file unique in the vault). `listing`
    fingerprints the vault's images: which file an embed shows depends on what other files there are."""

    def __init__(self, vault: Path):
        self.vault = vault
        self.by_name: dict[str, list[Path]] = {}
        listing = hashlib.sha256()
        for root, folders, files in os.walk(vault):
            folders[:] = sorted(f for f in folders if not f.startswith("."))
            for name in sorted(files):
                self.by_name.setdefault(name.casefold(), []).append(Path(root) / name)
                if Path(name).suffix.lower() in IMAGE_SUFFIXES:
                    listing.update(f"{root}/{name}\0".encode())
        self.listing = listing.hexdigest()

    def leaves(self, target: str, root: Path) -> bool:
        """Whether an embed names a path (`/x/y.png`, `../y.png`) out of `root`, by its spelling:
        whether anything is there is not looked at, so nothing tells what exists outside."""
        target = target.strip()
        if "/" not in target:
            return False
        where = Path(os.path.normpath(self.vault / target))
        return not (where.is_relative_to(root) or where.is_relative_to(root.resolve()))

    def image(self, target: str, note: Path) -> Path | None:
        """The image an embed in `note` names; None for a note, another file, or nothing found."""
        found = self._find(target, note)
        return found if found is not None and found.suffix.lower() in IMAGE_SUFFIXES else None

    def _find(self, target: str, note: Path) -> Path | None:
        target = target.strip()
        if "/" in target:  # a path from the vault's top
            candidate = self.vault / target
            return candidate if candidate.is_file() else None
        found = self.by_name.get(target.casefold(), [])
        near = [p for p in found if p.parent == note.parent]
        return (near or found or [None])[0]
