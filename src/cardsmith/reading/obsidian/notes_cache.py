"""The notes cache: what each note of a vault gave last time, so that one edited note is the only one
read again.

It is kept in the output folder (`.cardsmith-vault-<name>.json`): a vault is one deck, and one edited
note must not mean reading five thousand. A note's entry is keyed by its bytes without review data
(`vault.note_digest`) and holds its cards, skipped lines and messages; it is used again only while
its images still resolve. Everything a note's reading depends on besides its own bytes is the cache's
`context` (cardsmith's code and templates, the syntax, the vault's image names, where it is); any
change there starts afresh. Deck settings (`tags`, `lang`, `html`) are applied to the whole deck
after the notes are read, so they are not in it. Plain JSON, read defensively: a cache of any shape
is ignored, never trusted as code.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from cardsmith.errors import Diagnostic, Report, Severity
from cardsmith.files import read_regular
from cardsmith.fingerprint import code_fingerprint
from cardsmith.model import Choice, Image, Kind, Question, Skipped, Source
from cardsmith.output import write_atomic
from cardsmith.reading import CacheFolder
from cardsmith.reading.obsidian.cards import NoteCards
from cardsmith.reading.obsidian.vault import Syntax
from cardsmith.text.images import resolve_image

# the cards of every note of a vault, read whole: a larger one is not one cardsmith wrote
MAX_CACHE_BYTES = 256 << 20


class _Stale(Exception):
    """A cached note whose image no longer resolves: the note is read again."""


class NotesCache:
    """A vault's notes cache in `cache` (None: none): what the notes gave last time (unless
    `cache.refresh`), and what they give now, saved for the next build."""

    VERSION = 1

    def __init__(
        self,
        cache: CacheFolder | None,
        vault: Path,
        content_root: Path,
        syntax: Syntax,
        listing: str,
    ):
        self.content_root = content_root
        self.path = cache.path / f".cardsmith-vault-{vault.name}.json" if cache else None
        parts = [code_fingerprint(), repr(syntax), listing, str(vault.resolve())]
        parts.append(str(content_root.resolve()))
        self.context = hashlib.sha256("\0".join(parts).encode()).hexdigest() if cache else ""
        self.known = {} if cache is None or cache.refresh else self._load()
        self.fresh: dict = {}  # the notes read now, by name, for the next build

    def get(self, name: str, digest: str, path: Path) -> tuple[NoteCards, list[Diagnostic]] | None:
        """What the note `name` gave last time, and what was said of it, when its bytes are those
        read then (`digest`) and its images still resolve; else None."""
        record = self.known.get(name)
        if not isinstance(record, dict) or record.get("digest") != digest:
            return None
        try:
            found = _note_of(record, path, self.content_root)
        except (KeyError, TypeError, ValueError, _Stale):
            return None  # a cache of another shape, or an image gone: the note is read
        self.fresh[name] = record
        return found

    def put(self, name: str, digest: str, found: NoteCards, said: list[Diagnostic]) -> None:
        """What the note `name` (of bytes `digest`) gave now, and what was said of it."""
        self.fresh[name] = {
            "digest": digest,
            "tagged": found.tagged,
            "questions": [_question_record(d, q) for d, q in found.cards],
            "skipped": [[k.source.line, k.end, k.reason] for k in found.skipped],
            "diagnostics": [[d.source.line, d.severity.value, d.message] for d in said],
        }

    def save(self, report: Report) -> None:
        if self.path is None:
            return
        text = json.dumps(
            {"version": self.VERSION, "context": self.context, "notes": self.fresh},
            ensure_ascii=False,
        )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, text)
        except OSError as exc:  # the deck is read; the next build only reads more
            report.warn(Source(self.path, 0), f"cannot save the notes cache: {exc.strerror}")

    def _load(self) -> dict:
        if self.path is None:
            return {}
        try:
            data = json.loads(read_regular(self.path, MAX_CACHE_BYTES))
        except (OSError, ValueError, RecursionError):
            return {}
        if not isinstance(data, dict) or data.get("version") != self.VERSION:
            return {}
        notes = data.get("notes")
        return notes if data.get("context") == self.context and isinstance(notes, dict) else {}


def _note_of(record: dict, path: Path, content_root: Path) -> tuple[NoteCards, list[Diagnostic]]:
    found = NoteCards(tagged=record.get("tagged") is True)
    for question in record["questions"]:
        images = []
        for src in question["images"]:
            where = Source(path, question["line"])
            image = resolve_image(src, where, path, content_root, Report())
            if image is None:
                raise _Stale(src)
            images.append(image)
        found.cards.append((tuple(question["deck"]), _question_of(question, path, tuple(images))))
    for line, end, reason in record["skipped"]:
        found.skipped.append(Skipped(Source(path, int(line)), int(end), str(reason)))
    said = [
        Diagnostic(Source(path, int(line)), Severity(severity), str(message))
        for line, severity, message in record["diagnostics"]
    ]
    return found, said


def _question_record(deck: tuple[str, ...], question: Question) -> dict:
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
        "end": question.end,
        "images": [image.src for image in question.images],
        "front": question.front,
        "choices": [[c.label, c.text, c.correct] for c in question.choices],
        "convention": question.rule,
    }


def _question_of(record: dict, path: Path, images: tuple[Image, ...]) -> Question:
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
        end=int(record["end"]),
        images=images,
        front=record["front"],
        choices=tuple(Choice(str(a), str(b), bool(c)) for a, b, c in record["choices"]),
        rule=record["convention"],
    )
