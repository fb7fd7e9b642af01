"""An Obsidian vault on disk: what makes a folder one, which files are its notes, its fingerprint for
the build cache, the spaced-repetition plugin's settings that say how cards are written (`Syntax`),
and the notes cache that lets one edited note be the only one read again (`NotesCache`). How the
notes' text becomes cards is `cardsmith.reading.obsidian.cards`'s."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from cardsmith.errors import Report
from cardsmith.fingerprint import code_fingerprint
from cardsmith.model import Choice, Image, Kind, Question, Source
from cardsmith.output import write_atomic
from cardsmith.settings import SETTINGS, Settings

VAULT_MARK = ".obsidian"
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".avif"}

_SR_COMMENT_BYTES = re.compile(rb"[ \t]*<!--SR:.*?-->")
_SR_PROPERTY_BYTES = re.compile(rb"(?m)^sr-(?:due|interval|ease):[^\n]*\n?")


def is_vault(folder: Path) -> bool:
    return (folder / VAULT_MARK).is_dir()


def vault_notes(vault: Path) -> list[Path]:
    """The vault's notes: `*.md` outside `.obsidian/`, `.trash/`, other hidden folders and the
    attachment folder Obsidian is set to (`.obsidian/app.json`); Excalidraw drawings
    (`*.excalidraw.md`, which the plugin ignores too) are not notes."""
    attachments = _attachment_folder(vault)
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


def _attachment_folder(vault: Path) -> tuple[str, ...]:
    try:
        settings = json.loads((vault / VAULT_MARK / "app.json").read_text(encoding="utf-8"))
        folder = str(settings.get("attachmentFolderPath") or "")
    except (OSError, ValueError, AttributeError):
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
        digest.update((vault / PLUGIN_SETTINGS).read_bytes())
    except OSError:
        digest.update(b"\0no plugin settings")
    if notes is None:
        notes = {}
        for note in vault_notes(vault):
            try:
                notes[note.relative_to(vault).as_posix()] = note_digest(note.read_bytes())
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
    cloze: tuple[str, ...] = ()  # of `_CLOZE_KINDS`

    @classmethod
    def of(cls, vault: Path, settings: Settings, report: Report) -> Syntax:
        declared = {s.name: s.default for s in SETTINGS}
        defaults = cls(tags=declared["flashcard_tags"], cloze=declared["cloze"])
        found: dict = {}
        path = vault / PLUGIN_SETTINGS
        if path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                found = _plugin_syntax(data if isinstance(data, dict) else {})
            except (OSError, ValueError) as exc:
                report.warn(
                    Source(path, 0), f"cannot read the plugin's settings ({exc}); defaults used"
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


class Stale(Exception):
    """A cached note whose image no longer resolves: the note is read again."""


class NotesCache:
    """What each note of a vault gave last time (its cards, skipped lines and messages), keyed by its
    bytes, in the output folder (`.cardsmith-vault-<name>.json`): a vault is one deck, and one edited
    note must not mean reading five thousand. Everything a note's reading depends on besides its own
    bytes is in `context` (cardsmith's code and templates, the syntax, the vault's file names, where
    it is); any change there starts afresh. Plain JSON, read defensively: a cache of any shape is
    ignored, never trusted as code."""

    VERSION = 1

    def __init__(self, folder: Path | None, vault: Path, content_root: Path, syntax, listing: str):
        self.path = folder / f".cardsmith-vault-{vault.name}.json" if folder else None
        parts = [code_fingerprint(), repr(syntax), listing, str(vault.resolve())]
        parts.append(str(content_root.resolve()))
        self.context = hashlib.sha256("\0".join(parts).encode()).hexdigest() if folder else ""

    def load(self) -> dict:
        if self.path is None:
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return {}
        if not isinstance(data, dict) or data.get("version") != self.VERSION:
            return {}
        notes = data.get("notes")
        return notes if data.get("context") == self.context and isinstance(notes, dict) else {}

    def save(self, notes: dict, report: Report) -> None:
        if self.path is None:
            return
        text = json.dumps(
            {"version": self.VERSION, "context": self.context, "notes": notes}, ensure_ascii=False
        )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, text)
        except OSError as exc:  # the deck is read; the next build only reads more
            report.warn(Source(self.path, 0), f"cannot save the notes cache: {exc.strerror}")


def question_record(deck: tuple[str, ...], question: Question) -> dict:
    return {
        "deck": list(deck),
        "id": question.id,
        "number": question.number,
        "prompt": question.prompt,
        "answer": question.answer,
        "section": list(question.section),
        "tags": list(question.tags),
        "kind": question.kind.value,
        "line": question.source.line,
        "images": [image.src for image in question.images],
        "front": question.front,
        "choices": [[c.label, c.text, c.correct] for c in question.choices],
        "convention": question.rule,
    }


def question_of(record: dict, path: Path, images: tuple[Image, ...]) -> Question:
    texts = ("prompt", "answer", "front", "convention", "id")
    if not all(isinstance(record[k], str) for k in texts):
        raise TypeError("a cached question of another shape")
    return Question(
        id=record["id"],
        number=record["number"] if isinstance(record["number"], int) else None,
        prompt=record["prompt"],
        answer=record["answer"],
        section=tuple(str(p) for p in record["section"]),
        tags=tuple(str(t) for t in record["tags"]),
        kind=Kind(record["kind"]),
        source=Source(path, int(record["line"])),
        images=images,
        front=record["front"],
        choices=tuple(Choice(str(a), str(b), bool(c)) for a, b, c in record["choices"]),
        rule=record["convention"],
    )
