"""Obsidian vaults: a folder with `.obsidian/` is read as one deck of the cards in its notes.

Cards are written as the obsidian-spaced-repetition plugin reads them:

- `Question::Answer` on one line: a basic card; `Question:::Answer`: a reversed pair (one note, two
  cards: `Kind.REVERSED`).
- Multi-line: question lines, a line holding only `?` (`??` for a reversed pair), answer lines; the
  card is the paragraph around the separator, ending at a blank line (a fenced code block inside it
  may hold blank lines).
- Cloze: a paragraph with `==highlights==` (and `**bold**`, `{{curly}}` when asked), each deletion a
  card of its own (`{{c1::…}}`, `{{c2::…}}`); `==text==^[hint]` keeps its hint.

The plugin's settings in the vault (`Syntax`: its separators, end marker, flashcard tags, clozes) are
followed; cardsmith's `flashcard_tags` and `cloze` settings, when given, win over them.

A note holds cards when it has a flashcards tag (`#flashcards`, or one of the `flashcard_tags`
setting) in its text or properties. A card's sub-deck comes from the tag after `flashcards/`
(`#flashcards/spanish/verbs` -> `Vault::spanish::verbs`), else from the note's folder. A tag line
applies to the cards after it in the note; a tag at the start of a card's own line to that card only.
Notes without the tag are skipped quietly (`check -v` lists them), as is a card-bearing note's other
text (it is a note, not a card).

What the plugin writes into notes never reaches a card and is not an edit: `<!--SR:...-->` review
comments and `sr-due`/`sr-interval`/`sr-ease` properties are ignored, and the vault's fingerprint for
the build cache leaves the comments out (`vault_digest`), so reviewing in Obsidian rebuilds nothing.

Obsidian's own Markdown becomes the Markdown and safe HTML the renderers know, in the model:
`![[image.png|300]]` embeds are found by name anywhere in the vault (still confined to it) and bundled
like other images; `[[Note]]`/`[[Note|alias]]` links become their text; `> [!note] Title` callouts
the boxes GitHub's alerts render as; `%%comments%%` go; `==highlight==` outside a cloze is `<mark>`;
`#tags` in a card become its Anki tags; a single line break is a line break (Obsidian's default).
Headed questions in the conventions cardsmith reads anywhere else still work in a tagged note that has
no cards of the plugin's kinds.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote

from cardsmith.errors import ContentError, Diagnostic, Report, Severity
from cardsmith.model import Deck, Image, Kind, Question, Section, Skipped, Source
from cardsmith.reading.bank.conventions import asks
from cardsmith.reading.bank.parse import parse_text
from cardsmith.reading.frontmatter import read_properties
from cardsmith.reading.obsidian.vault import (
    IMAGE_SUFFIXES,
    NotesCache,
    Stale,
    Syntax,
    note_digest,
    question_of,
    question_record,
    vault_digest,
    vault_notes,
)
from cardsmith.reading.source import decode, normalise_newlines, read_bytes
from cardsmith.settings import Settings
from cardsmith.text.images import html_image_sources, resolve_image
from cardsmith.text.scripts import language

_SR_COMMENT = re.compile(r"[ \t]*<!--SR:.*?-->")
_COMMENT = re.compile(r"%%.*?%%", re.S)
# an Obsidian tag: # then letters, digits, _ - /, not all digits; not inside a word or a link
_TAG = re.compile(r"(?<![\w/#&\]`])#([\w/-]*[^\W\d][\w/-]*)")
_EMBED = re.compile(r"!\[\[([^\]|#^]+)(?:[#^][^\]|]*)?(?:\|([^\]]*))?\]\]")
_LINK = re.compile(r"\[\[([^\]|#^]*)(?:[#^]([^\]|]*))?(?:\|([^\]]*))?\]\]")
_HIGHLIGHT = re.compile(r"==(?=\S)(.+?)(?<=\S)==(?:\^\[([^\]]*)\])?")
_MARK = re.compile(r"==(?=\S)(.+?)(?<=\S)==")  # a highlight (its `^[note]`, if any, stays)
_CURLY = re.compile(r"\{\{(?!c\d+::)(.+?)\}\}")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_FENCE = re.compile(r"^\s*(```+|~~~+)")
_CALLOUT = re.compile(r"^>\s*\[!([\w-]+)\]([+-]?)\s*(.*)$")
_HEADING = re.compile(r"^#{1,6}\s")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_UNTAGGED = "note without a flashcards tag"
CLOZE_KINDS = {"highlight": _HIGHLIGHT, "bold": _BOLD, "curly": _CURLY}


@dataclass
class _Card:
    kind: Kind
    front: list[tuple[int, str]]  # (line number, text)
    back: list[tuple[int, str]] = field(default_factory=list)
    decks: tuple[tuple[str, ...], ...] = ()  # given by a tag on the card's own line


def parse_vault(
    vault: Path,
    content_root: Path,
    report: Report,
    settings: Settings,
    cache: Path | None = None,
    refresh: bool = False,
) -> Deck:
    """Every card of the vault's notes as one deck named after the vault (sub-decks from tags and
    folders). What each note gave is kept in the folder `cache` (None: nowhere), and read back unless
    `refresh`."""
    notes = vault_notes(vault)
    if not notes:
        raise ContentError.at(Source(vault, 0), "no notes (*.md) in this vault")
    names = _NameIndex(vault)
    reader = _Reader(vault, content_root, report, settings, names)
    notes_cache = NotesCache(cache, vault, content_root, reader.syntax, names.listing)
    reader.cache = {} if refresh else notes_cache.load()
    for note in notes:
        reader.note(note)
    notes_cache.save(reader.fresh, report)
    if not reader.added:
        tagged = len(reader.tagged)
        raise ContentError.at(
            Source(vault, 0),
            f"no cards in this vault: {len(notes)} notes, {tagged} of them with a flashcards tag "
            f"({', '.join('#' + t for t in reader.syntax.tags)}); see the Obsidian section of "
            "cardsmith's README for how cards are written",
        )
    sections = []
    for path in reader.order:
        questions = tuple(reader.decks[path])
        title = path[-1] if path else vault.name
        sections.append(Section(title, path, "::".join(path), questions[0].source, questions))
    counts = (("obsidian", sum(len(s.questions) for s in sections)),)
    sample = " ".join(q.prompt for s in sections for q in s.questions[:3])[:2000]
    return Deck(
        title=vault.name,
        name=vault.name,
        source=Source(vault, 0),
        metadata={},
        tags=(),
        sections=tuple(sections),
        unanswered=(),
        content_root=content_root,
        rule="obsidian",
        rule_counts=counts,
        lang=language(sample) if sample else "en",
        skipped=tuple(reader.skipped),
        digest=vault_digest(vault, reader.digests),
        files=tuple(notes),
    )


class _NameIndex:
    """Files of the vault by name, for `![[name]]` embeds: the one beside the note first, else the
    first in path order (Obsidian's "shortest path" links name a file unique in the vault)."""

    def __init__(self, vault: Path):
        self.by_name: dict[str, list[Path]] = {}
        # the vault's images: which file an embed shows depends on what other files there are
        listing = hashlib.sha256()
        for root, folders, files in os.walk(vault):
            folders[:] = sorted(f for f in folders if not f.startswith("."))
            for name in sorted(files):
                self.by_name.setdefault(name.casefold(), []).append(Path(root) / name)
                if Path(name).suffix.lower() in IMAGE_SUFFIXES:
                    listing.update(f"{root}/{name}\0".encode())
        self.listing = listing.hexdigest()

    def find(self, target: str, note: Path, vault: Path) -> Path | None:
        target = target.strip()
        if "/" in target:  # a path from the vault's top
            candidate = vault / target
            return candidate if candidate.is_file() else None
        found = self.by_name.get(target.casefold(), [])
        near = [p for p in found if p.parent == note.parent]
        return (near or found or [None])[0]


class _Reader:
    def __init__(self, vault, content_root, report: Report, settings: Settings, names: _NameIndex):
        self.vault = vault
        self.content_root = content_root
        self.report = report
        self.names = names
        self.syntax = Syntax.of(vault, settings, report)
        self.flashcard_tags = tuple(t.casefold() for t in self.syntax.tags)
        self.cloze = [CLOZE_KINDS[kind] for kind in self.syntax.cloze if kind in CLOZE_KINDS]
        self.decks: dict[tuple[str, ...], list[Question]] = {}
        self.order: list[tuple[str, ...]] = []
        self.skipped: list[Skipped] = []
        self.added: list[tuple[tuple[str, ...], Question]] = []  # every card put, in order
        self.cache: dict = {}  # the notes read last time (`NotesCache`), by name
        self.fresh: dict = {}  # the notes read now, for the next build
        self.digests: dict[str, str] = {}  # name -> `note_digest` of the bytes read
        self.tagged: set[Path] = set()  # notes with a flashcards tag (read now, not from the cache)

    # --- one note -------------------------------------------------------------------------------

    def note(self, path: Path) -> None:
        """Read one note into the deck: from the notes cache when its bytes are those read last time
        (and its images still resolve), else parsed; either way remembered for the next build."""
        said = len(self.report.diagnostics)
        data = read_bytes(path)
        digest = note_digest(data)  # the cache's key, the deck's fingerprint: the bytes read now
        name = path.relative_to(self.vault).as_posix()
        self.digests[name] = digest
        cached = self.cache.get(name)
        if isinstance(cached, dict) and cached.get("digest") == digest:
            try:
                self._replay(path, cached)
                if cached.get("tagged") is True:
                    self.tagged.add(path)
                self.fresh[name] = cached
                return
            except (KeyError, TypeError, ValueError, Stale):
                pass  # a cache of another shape, or an image gone: read the note
        added, skipped = len(self.added), len(self.skipped)
        self._read(path, normalise_newlines(decode(data, path, self.report)))
        self.fresh[name] = {
            "digest": digest,
            "tagged": path in self.tagged,
            "questions": [question_record(d, q) for d, q in self.added[added:]],
            "skipped": [[k.source.line, k.end, k.reason] for k in self.skipped[skipped:]],
            "diagnostics": [
                [d.source.line, d.severity.value, d.message]
                for d in self.report.diagnostics[said:]
                if d.source.path == path
            ],
        }

    def _replay(self, path: Path, cached: dict) -> None:
        questions = []
        for record in cached["questions"]:
            images = []
            for src in record["images"]:
                image = resolve_image(
                    src, Source(path, record["line"]), path, self.content_root, Report()
                )
                if image is None:
                    raise Stale(src)
                images.append(image)
            questions.append((tuple(record["deck"]), question_of(record, path, tuple(images))))
        for deck, question in questions:
            self._put(deck, question)
        for line, end, reason in cached["skipped"]:
            self.skipped.append(Skipped(Source(path, int(line)), int(end), str(reason)))
        for line, severity, message in cached["diagnostics"]:
            self.report.add(Diagnostic(Source(path, int(line)), Severity(severity), str(message)))

    def _put(self, deck: tuple[str, ...], question: Question) -> None:
        if deck not in self.decks:
            self.decks[deck] = []
            self.order.append(deck)
        self.decks[deck].append(question)
        self.added.append((deck, question))

    def _read(self, path: Path, text: str) -> None:
        lines = text.split("\n")
        start, properties = self._properties(lines, path)
        if start:
            self.skipped.append(Skipped(Source(path, 1), start, "note properties"))
        raw = "\n".join(lines[start:])
        for match in _COMMENT.finditer(raw):  # gone from every card, and said so (`check -v`)
            first = start + 1 + raw.count("\n", 0, match.start())
            last = first + match.group(0).count("\n")
            self.skipped.append(Skipped(Source(path, first), last, "Obsidian comment"))
        body = _blank_comments(raw)
        body_lines = [_SR_COMMENT.sub("", line) for line in body.split("\n")]
        numbered = [(start + i + 1, line) for i, line in enumerate(body_lines)]
        fences = _in_fence(body_lines)
        note_decks = self._property_decks(properties)
        found_in_text = any(
            self._deck_of(tag) is not None
            for (number, line), fenced in zip(numbered, fences, strict=True)
            if not fenced
            for tag in _tags(line)
        )
        if not note_decks and not found_in_text:
            if any(line.strip() for _, line in numbered):
                self.skipped.append(Skipped(Source(path, 1), len(lines), _UNTAGGED))
            return
        self.tagged.add(path)
        folder = self._folder_deck(path)
        current = note_decks or self._first_text_decks(numbered, fences) or (folder,)
        current = tuple(folder if d == () else d for d in current)
        cards = 0
        for block in _blocks(numbered, fences, self.syntax):
            current, made = self._block(block, path, current, folder)
            cards += made
        for (number, line), fenced in zip(numbered, fences, strict=True):
            if not fenced and (_HEADING.match(line) or _RULE.match(line)):
                self.skipped.append(Skipped(Source(path, number), number, "heading or rule"))
        if not cards and not self._conventions(path, text, folder, current):
            # tagged for cards, yet none: most likely written with separators this vault's settings
            # do not have. Said, not skipped in silence.
            self.report.warn(
                Source(path, 1),
                "note tagged for flashcards holds no card "
                f"(`{self.syntax.single}`, `{self.syntax.multi}` lines, "
                f"clozes: {', '.join(self.syntax.cloze) or 'off'})",
            )
            self.skipped.append(Skipped(Source(path, 1), len(lines), "tagged note without cards"))

    def _properties(self, lines: list[str], path: Path) -> tuple[int, dict]:
        if not lines or lines[0].strip() != "---":
            return 0, {}
        for end in range(1, len(lines)):
            if lines[end].strip() in ("---", "..."):
                block = lines[1:end]
                # only tags matter here: YAML is read (a fifth of a vault's time) when they are there
                if not any(re.match(r"(?i)tags?\s*:", line) for line in block):
                    return end + 1, {}
                found = read_properties("\n".join(block))
                if found is None:  # listed by `check -v`; the note is read without them
                    reason = "properties that are not YAML"
                    self.skipped.append(Skipped(Source(path, 2), end, reason))
                return end + 1, found or {}
        return 0, {}

    def _deck_of(self, tag: str) -> tuple[str, ...] | None:
        """The sub-deck a flashcards tag names (() for the bare tag), or None for another tag."""
        lowered = tag.casefold()
        for base in self.flashcard_tags:
            if lowered == base:
                return ()
            if lowered.startswith(base + "/"):
                return tuple(p for p in tag[len(base) + 1 :].split("/") if p)
        return None

    def _property_decks(self, properties: dict) -> tuple[tuple[str, ...], ...]:
        tags = properties.get("tags") or properties.get("tag") or []
        if isinstance(tags, str):
            tags = tags.replace(",", " ").split()
        decks = [self._deck_of(str(t).lstrip("#")) for t in tags if isinstance(t, str | int)]
        return tuple(d for d in decks if d is not None)

    def _first_text_decks(self, numbered, fences) -> tuple[tuple[str, ...], ...]:
        for (_, line), fenced in zip(numbered, fences, strict=True):
            decks = (
                ()
                if fenced
                else tuple(d for d in (self._deck_of(t) for t in _tags(line)) if d is not None)
            )
            if decks:
                return decks
        return ()

    def _folder_deck(self, path: Path) -> tuple[str, ...]:
        return path.parent.relative_to(self.vault).parts

    # --- one paragraph ----------------------------------------------------------------------------

    def _block(self, block, path: Path, current, folder):
        """Read one paragraph: tag lines change the current decks; cards are made. Returns the
        decks for what follows and how many cards were made."""
        lines = list(block)
        cards: list[_Card] = []
        text_lines: list[tuple[int, str]] = []
        # leading lines of tags only: the decks of every card after them in the note
        while lines and _only_tags(lines[0][1]):
            decks = tuple(
                d for d in (self._deck_of(t) for t in _tags(lines[0][1])) if d is not None
            )
            if decks:
                current = tuple(folder if d == () else d for d in decks)
            self.skipped.append(Skipped(Source(path, lines[0][0]), lines[0][0], "tag line"))
            lines.pop(0)
        if not lines:
            return current, 0
        # line by line, as the plugin reads: a `::` line is a card of its own; the lines after it
        # up to a `?`/`??` line are a multi-line card's question, the rest of the paragraph its
        # answer; a paragraph with no card but cloze deletions is a cloze card
        fences = _in_fence([line for _, line in lines])
        pending: list[tuple[int, str]] = []
        for index, ((number, line), fenced) in enumerate(zip(lines, fences, strict=True)):
            separator = line.strip()
            syntax = self.syntax
            if not fenced and separator in (syntax.multi, syntax.multi_reversed) and pending:
                kind = Kind.REVERSED if separator == syntax.multi_reversed else Kind.BASIC
                answer = lines[index + 1 :]
                if answer:
                    own, asked = self._own(pending, folder)
                    cards.append(_Card(kind, asked, answer, own))
                    pending = []
                    break
            single = None if fenced else _single_line(line, self.syntax)
            if single is None:
                pending.append((number, line))
                continue
            text_lines += pending
            pending = []
            kind, front, back = single
            own, asked = self._own([(number, front)], folder)
            cards.append(_Card(kind, asked, [(number, back)], own))
        text_lines += pending
        if not cards and self._has_cloze(lines):
            own, asked = self._own(lines, folder)
            cards.append(_Card(Kind.CLOZE, asked, [], own))
            text_lines = []
        for card in cards:
            self._add(card, path, current)
        if text_lines:
            self.skipped.append(
                Skipped(Source(path, text_lines[0][0]), text_lines[-1][0], "note text (not a card)")
            )
        return current, len(cards)

    def _own(self, lines, folder) -> tuple[tuple[tuple[str, ...], ...], list]:
        """(decks, lines): the decks that flashcards tags at the very start of a card's first line
        give that card alone, and the card's lines without those tags (other tags stay: they
        become its Anki tags)."""
        number, first = lines[0]
        rest, kept, decks = first.lstrip(), [], []
        while match := re.match(r"#(\S+)\s*", rest):
            deck = self._deck_of(match.group(1))
            if deck is None:
                kept.append(match.group(0))
            else:
                decks.append(folder if deck == () else deck)
            rest = rest[match.end() :]
        if not decks:
            return (), lines
        return tuple(decks), [(number, "".join(kept) + rest), *lines[1:]]

    def _has_cloze(self, lines) -> bool:
        text = _CODE_SPAN.sub("", "\n".join(line for _, line in lines))
        return any(pattern.search(text) for pattern in self.cloze)

    # --- one card -------------------------------------------------------------------------------

    def _add(self, card: _Card, path: Path, current) -> None:
        line = card.front[0][0]
        source = Source(path, line)
        tags: list[str] = []
        front = self._markdown(card.front, path, tags)
        back = self._markdown(card.back, path, tags) if card.back else ""
        if card.kind is Kind.CLOZE:
            front = self._cloze(front)
        else:  # a highlight outside a cloze is a highlight
            front, back = _marked(front), _marked(back)
        if not _visible(front) or (card.kind is not Kind.CLOZE and not _visible(back)):
            self.report.warn(source, "card with an empty side left out")
            return
        # a question of plain lines is the prompt, line breaks and all; one with blocks (code,
        # lists, tables) asks its first line and shows the rest under it
        if any(_structural(line) for line in front.split("\n")):
            prompt, _, rest = front.partition("\n")
        else:
            prompt, rest = front, ""
        images = self._images(front + "\n" + back, path, source)
        for deck in card.decks or current:
            question = Question(
                id="",
                number=None,
                prompt=prompt.rstrip(" \\"),
                answer=back,
                section=deck,
                tags=tuple(dict.fromkeys(tags)),
                kind=card.kind,
                source=source,
                images=images,
                front=rest if card.kind is not Kind.CLOZE else "",
                rule="obsidian",
            )
            if card.kind is Kind.CLOZE:
                question = replace(question, prompt=front)
            self._put(deck, question)

    def _markdown(self, numbered: list[tuple[int, str]], path: Path, tags: list[str]) -> str:
        """A card side in the Markdown and safe HTML the renderers know (see the module docstring);
        its tags (flashcards tags aside) go into `tags`."""
        lines = [line for _, line in numbered]
        fences = _in_fence(lines)
        out = []
        for line, fenced in zip(lines, fences, strict=True):
            if fenced or _FENCE.match(line):
                out.append(line)
                continue
            # a card's tags are its Anki tags, not its text; a flashcards tag inside a card (not at
            # its start, where it names the card's deck) is left as the author wrote it
            for tag in _tags(line):
                if self._deck_of(tag) is None:
                    tags.append(tag.replace("/", "::"))
            line = _without_tags(line, keep=lambda tag: self._deck_of(tag) is not None)
            line = self._outside_code(line, path)
            out.append(line)
        text = "\n".join(out).strip("\n")
        text = _callouts(text)
        return _hard_breaks(text)

    def _outside_code(self, line: str, path: Path) -> str:
        """Embeds and wiki links as the renderers know them, outside inline code."""

        def change(text: str) -> str:
            return _LINK.sub(_link_text, _EMBED.sub(lambda m: self._embed(m, path), text))

        return _in_text(line, change)

    def _embed(self, match: re.Match, path: Path) -> str:
        target, size = match.group(1), (match.group(2) or "").strip()
        found = self.names.find(target, path, self.vault)
        if found is None or found.suffix.lower() not in IMAGE_SUFFIXES:
            return target.strip()  # a note or a file no card can show: its name
        src = "/" + quote(found.relative_to(self.content_root).as_posix())
        width = size.split("x")[0] if re.fullmatch(r"\d+(x\d+)?", size) else ""
        alt = size if size and not width else found.name
        sized = f' width="{width}"' if width else ""
        return f'<img src="{src}" alt="{_attribute(alt)}"{sized}>'

    def _cloze(self, text: str) -> str:
        """The paragraph with each deletion, in reading order, numbered as Anki's clozes (a card
        each); a highlight's `^[hint]` kept as the cloze's hint. Inline code is left alone."""
        number = 0

        def delete(piece: str) -> str:
            nonlocal number
            found = sorted(
                (m for pattern in self.cloze for m in pattern.finditer(piece)),
                key=lambda m: m.start(),
            )
            out, at = [], 0
            for match in found:
                if match.start() < at:
                    continue  # inside a deletion already taken
                number += 1
                hint = match.group(2) if match.re is _HIGHLIGHT else None
                out.append(piece[at : match.start()])
                out.append(f"{{{{c{number}::{match.group(1)}{'::' + hint if hint else ''}}}}}")
                at = match.end()
            return "".join(out) + piece[at:]

        return _in_text(text, delete)

    def _images(self, markdown: str, path: Path, source: Source) -> tuple[Image, ...]:
        found: dict[str, Image] = {}
        sources = [src for _, src in html_image_sources(markdown)]
        sources += re.findall(r"!\[[^\]]*\]\(<?([^)>\s]+)>?(?:\s+\"[^\"]*\")?\)", markdown)
        for src in sources:
            if src not in found:
                image = resolve_image(src, source, path, self.content_root, self.report)
                if image is not None:
                    found[src] = image
        return tuple(found.values())

    def _conventions(self, path: Path, text: str, folder, current) -> bool:
        """A tagged note with no card of the plugin's kinds: read as any question bank is. Whether
        it held questions."""
        report = Report()
        try:
            deck = parse_text(text, path, self.content_root, report)
        except ContentError:
            return False
        found = list(deck.questions)
        # a note's own headings ("Dictionaries", "debugging") are not questions: a note counts as a
        # question bank only when every question found asks (a question mark, an asking word)
        if not found or not all(asks(question.prompt) for question in found):
            return False
        self.report.diagnostics.extend(
            d for d in report.diagnostics if "front matter" not in d.message
        )
        base = current[0] if current else folder
        for question in found:
            deck_path = base + question.section
            self._put(deck_path, replace(question, section=deck_path))
        return True


# --- text helpers ---------------------------------------------------------------------------------


def _blank_comments(text: str) -> str:
    """`%%comments%%` gone, their lines kept (line numbers stay the note's)."""
    return _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def _in_fence(lines: list[str]) -> list[bool]:
    """For each line, whether it is inside a fenced code block (the fences themselves included)."""
    inside, marker, flags = False, "", []
    for line in lines:
        match = _FENCE.match(line)
        if match and not inside:
            inside, marker = True, match.group(1)[:3]
            flags.append(True)
        elif (
            match
            and inside
            and match.group(1).startswith(marker)
            and not line.strip()[3:].strip(marker[0])
        ):
            inside = False
            flags.append(True)
        else:
            flags.append(inside)
    return flags


def _blocks(numbered, fences, syntax: Syntax):
    """Paragraphs: runs of non-blank lines, a fenced code block (blank lines and all) inside one.
    With an end marker set (the plugin's "characters denoting the end of multiline flashcards"), a
    paragraph holding a multi-line separator goes on over blank lines, up to the marker line."""
    block: list = []
    separators = (syntax.multi, syntax.multi_reversed)
    open_card = False  # inside a multi-line card that ends at the marker
    for (number, line), fenced in zip(numbered, fences, strict=True):
        stripped = line.strip()
        if syntax.end_marker and not fenced and stripped == syntax.end_marker:
            if block:
                yield block
            block, open_card = [], False
            continue
        if not fenced and syntax.end_marker and stripped in separators:
            open_card = True
        # a blank line, a heading or a rule ends a paragraph (the rule is no part of a card)
        ends = not stripped or _HEADING.match(line) or _RULE.match(line)
        if not fenced and ends and not (open_card and not stripped):
            if block:
                yield block
            block, open_card = [], False
        else:
            block.append((number, line))
    if block:
        yield block


def _tags(line: str) -> list[str]:
    return [m.group(1) for m in _TAG.finditer(_CODE_SPAN.sub("", line))]


def _without_tags(line: str, keep=lambda tag: False) -> str:
    """The line without its tags (outside inline code, but those `keep` says), and the blanks they
    leave at its end."""

    def drop(text: str) -> str:
        return _TAG.sub(lambda m: m.group(0) if keep(m.group(1)) else "", text)

    return _in_text(line, drop).rstrip()


def _in_text(markdown: str, change) -> str:
    """`markdown` with `change` applied to its text outside inline code spans."""
    parts = _CODE_SPAN.split(markdown)  # text, fence, code, text, fence, code, ..., text
    out = []
    for index in range(0, len(parts), 3):
        out.append(change(parts[index]))
        if index + 2 < len(parts):
            out.append(parts[index + 1] + parts[index + 2] + parts[index + 1])
    return "".join(out)


def _only_tags(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not _TAG.sub("", stripped).strip()


def _single_line(line: str, syntax: Syntax) -> tuple[Kind, str, str] | None:
    """`front::back` or `front:::back` (or the vault's own separators) outside inline code, both
    sides non-empty. The longer separator is tried first where one contains the other."""
    masked = _CODE_SPAN.sub(lambda m: "\0" * len(m.group(0)), line)
    found = []
    for separator, kind in ((syntax.single_reversed, Kind.REVERSED), (syntax.single, Kind.BASIC)):
        at = masked.find(separator) if separator else -1
        if at >= 0:
            found.append((at, -len(separator), separator, kind))
    if not found:
        return None
    at, _, separator, kind = min(found)
    front, back = line[:at].strip(), line[at + len(separator) :].strip()
    front = re.sub(r"^([-*+]|\d+[.)])\s+", "", front)  # a card written as a list item
    if not front or not back or back.startswith(separator[-1]):
        return None
    return kind, front, back


def _marked(markdown: str) -> str:
    """`==text==` as `<mark>text</mark>`, outside code."""
    return _in_text(markdown, lambda text: _MARK.sub(r"<mark>\1</mark>", text))


def _link_text(match: re.Match) -> str:
    note, heading, alias = match.group(1), match.group(2), match.group(3)
    if alias:
        return alias.strip()
    name = note.strip().rsplit("/", 1)[-1]
    if name.lower().endswith(".md"):
        name = name[:-3]
    return f"{name} › {heading.strip()}" if name and heading else (name or (heading or "").strip())


_CALLOUT_TITLES = {"tldr": "TL;DR", "faq": "FAQ"}


def _callouts(text: str) -> str:
    """`> [!type] Title` quotes as the boxes GitHub's alerts are (`markdown-alert-*`), title kept."""
    lines = text.split("\n")
    out, index = [], 0
    while index < len(lines):
        match = _CALLOUT.match(lines[index])
        if not match:
            out.append(lines[index])
            index += 1
            continue
        kind = match.group(1).casefold()
        title = match.group(3).strip() or _CALLOUT_TITLES.get(kind, kind.replace("-", " ").title())
        body = []
        index += 1
        while index < len(lines) and lines[index].startswith(">"):
            body.append(re.sub(r"^>\s?", "", lines[index]))
            index += 1
        kind_class = re.sub(r"[^a-z0-9-]", "", kind) or "note"
        out += [
            f'<div class="markdown-alert markdown-alert-{kind_class}">',
            f'<p class="markdown-alert-title">{_attribute(title)}</p>',
            "",
            *body,
            "",
            "</div>",
        ]
    return "\n".join(out)


def _hard_breaks(text: str) -> str:
    """A single line break is a line break, as Obsidian shows it: a backslash at the end of each
    line of text that another line of text follows (not in code, tables, lists or HTML)."""
    lines = text.split("\n")
    fences = _in_fence(lines)
    out = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if (
            not fences[index]
            and line.strip()
            and following.strip()
            and not (index + 1 < len(lines) and fences[index + 1])
            and not _structural(line)
            and not _structural(following)
        ):
            line = line.rstrip() + "\\"
        out.append(line)
    return "\n".join(out)


def _structural(line: str) -> bool:
    stripped = line.lstrip()
    return bool(
        re.match(r"([-*+]|\d+[.)])\s|\||>|<|#{1,6}\s|\$\$", stripped)
    ) or stripped.startswith(("```", "~~~"))


def _visible(markdown: str) -> bool:
    return bool(re.sub(r"<[^>]*>|\\", "", markdown).strip()) or "<img" in markdown


def _attribute(text: str) -> str:
    import html

    return html.escape(text, quote=True)
