"""The Obsidian vault reader: a folder with `.obsidian/` is one deck of the cards in its notes (a
`cardsmith.reading.Reader`).

The deck is named after the vault; its sections are the cards' sub-decks (`Vault::spanish::verbs`),
in the order first met. The rules live by job: which files are notes, the fingerprint and the
plugin's settings in `vault`; how a note's text becomes cards in `cards` (the plugin's card syntax)
and `dialect` (Obsidian's Markdown); what each note gave last time in `notes_cache`.

What the plugin writes into notes never reaches a card and is not an edit: `<!--SR:...-->` review
comments and `sr-due`/`sr-interval`/`sr-ease` properties are ignored, and the vault's fingerprint for
the build cache leaves them out (`vault.vault_digest`), so reviewing in Obsidian rebuilds nothing.

The deck settings are resolved as for any deck (`DeckSettings.resolve`), with nothing between the
command line and the config file: a vault says nothing of itself, and a note's properties are its
own, not the deck's. So `--allow-html`, `--lang` and the config's `tags` (added to every card) apply
to a vault as to a Markdown file; `questions` and `question-level` are for question banks.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path, PurePosixPath

from cardsmith.errors import ContentError, Report
from cardsmith.model import Deck, Question, Section, Skipped, Source
from cardsmith.reading import CacheFolder
from cardsmith.reading.bank.assemble import slug
from cardsmith.reading.obsidian.cards import NoteCards, NoteReader
from cardsmith.reading.obsidian.notes_cache import NotesCache
from cardsmith.reading.obsidian.vault import (
    PLUGIN_SETTINGS,
    Syntax,
    VaultFiles,
    is_vault,
    note_digest,
    vault_digest,
    vault_notes,
)
from cardsmith.reading.source import decode, normalise_newlines, read_bytes
from cardsmith.settings import Settings
from cardsmith.text.scripts import language

CONFIG_FILES = (PurePosixPath(PLUGIN_SETTINGS.as_posix()),)


def claims(path: Path) -> bool:
    return is_vault(path)


def digest(path: Path) -> str:
    return vault_digest(path)


def read(
    path: Path,
    root: Path,
    report: Report,
    settings: Settings,
    cache: CacheFolder | None = None,
    parsed: dict[str, list] | None = None,
) -> Deck:
    """Every card of the vault's notes as one deck named after the vault (sub-decks from tags and
    folders). What each note gave is kept in `cache`, and read back unless it is to be refreshed.
    Its cards' answers are parsed when they are rendered (`parsed` is left empty)."""
    vault = path
    notes = vault_notes(vault)
    if not notes:
        raise ContentError.at(Source(vault, 0), "no notes (*.md) in this vault")
    files = VaultFiles(vault)
    syntax = Syntax.of(vault, settings, report)
    reader = NoteReader(vault, root, report, syntax, files)
    notes_cache = NotesCache(cache, vault, root, syntax, files.listing)
    cards = _Cards()
    digests: dict[str, str] = {}  # name -> `note_digest` of the bytes read
    for note in notes:
        said = len(report.diagnostics)
        data = read_bytes(note)
        name = note.relative_to(vault).as_posix()
        # the cache's key and the deck's fingerprint: the bytes read now
        digests[name] = note_digest(data)
        cached = notes_cache.get(name, digests[name], note)
        if cached is None:
            found = reader.read(note, normalise_newlines(decode(data, note, report)))
            mine = [d for d in report.diagnostics[said:] if d.source.path == note]
            notes_cache.put(name, digests[name], found, mine)
        else:
            found, messages = cached
            for message in messages:
                report.add(message)
        cards.add(found)
    notes_cache.save(report)
    if not cards.count:
        raise ContentError.at(
            Source(vault, 0),
            f"no cards in this vault: {len(notes)} notes, {cards.tagged} of them with a flashcards "
            f"tag ({', '.join('#' + t for t in syntax.tags)}); see the Obsidian section of "
            "cardsmith's README for how cards are written",
        )
    values = settings.deck.resolve({})  # a vault has no front matter of its own
    tags = tuple(dict.fromkeys(slug(str(t)) for t in values["tags"] or () if slug(str(t))))
    sections = []
    for deck_path, questions in cards.decks.items():
        questions = tuple(_tagged(q, tags) for q in questions)
        title = deck_path[-1] if deck_path else vault.name
        sections.append(
            Section(title, deck_path, "::".join(deck_path), questions[0].source, questions)
        )
    counts = (("obsidian", sum(len(s.questions) for s in sections)),)
    lang = values["lang"]
    if lang == "auto":
        sample = " ".join(q.prompt for s in sections for q in s.questions[:3])[:2000]
        lang = language(sample) if sample else "en"
    return Deck(
        title=vault.name,
        name=vault.name,
        source=Source(vault, 0),
        metadata={},
        tags=tags,
        sections=tuple(sections),
        allow_html=bool(values["html"]),
        unanswered=(),
        content_root=root,
        rule="obsidian",
        rule_counts=counts,
        lang=lang,
        skipped=tuple(cards.skipped),
        digest=vault_digest(vault, digests),
        files=tuple(notes),
    )


class _Cards:
    """The vault's cards by sub-deck, in the order first met, and what its notes left out."""

    def __init__(self):
        self.decks: dict[tuple[str, ...], list[Question]] = {}
        self.skipped: list[Skipped] = []
        self.count = 0
        self.tagged = 0  # notes with a flashcards tag

    def add(self, found: NoteCards) -> None:
        for deck, question in found.cards:
            self.decks.setdefault(deck, []).append(question)
        self.count += len(found.cards)
        self.skipped += found.skipped
        self.tagged += found.tagged


def _tagged(question: Question, tags: tuple[str, ...]) -> Question:
    """The question with the deck's tags before its own (as a Markdown file's questions have them)."""
    if not tags:
        return question
    return replace(question, tags=tuple(dict.fromkeys((*tags, *question.tags))))
