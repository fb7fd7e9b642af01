"""The spaced-repetition plugin's card syntax: how one note of a vault becomes cards.

- `Question::Answer` on one line: a basic card; `Question:::Answer`: a reversed pair (one note, two
  cards: `Kind.REVERSED`). A card may be written as a list item.
- Multi-line: question lines, a line holding only `?` (`??` for a reversed pair), answer lines; the
  card is the paragraph around the separator, ending at a blank line, a heading or a rule (a fenced
  code block inside it may hold blank lines). With an end marker set, an answer goes on over blank
  lines up to the marker line.
- Cloze: a paragraph with no card but `==highlights==` (and `**bold**`, `{{curly}}` when asked), each
  deletion a card of its own (`{{c1::…}}`, `{{c2::…}}`); `==text==^[hint]` keeps its hint.

The separators, end marker, flashcard tags and clozes are the vault's (`vault.Syntax`: the plugin's
settings, cardsmith's `flashcard_tags` and `cloze` over them).

A note holds cards when it has a flashcards tag (`#flashcards`, or one of the `flashcard_tags`
setting) in its text or properties. A card's sub-deck comes from the tag after `flashcards/`
(`#flashcards/spanish/verbs` -> `Vault::spanish::verbs`), else from the note's folder. A tag line
applies to the cards after it in the note; a tag at the start of a card's own line to that card only.
Notes without the tag are skipped quietly (`check -v` lists them), as is a card-bearing note's other
text (it is a note, not a card). A card's sides are Obsidian's Markdown, made cardsmith's by
`dialect`. Headed questions in the conventions cardsmith reads anywhere else still work in a tagged
note that has no cards of the plugin's kinds, when every question found asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from cardsmith.errors import ContentError, Report
from cardsmith.model import Image, Kind, Question, Skipped, Source
from cardsmith.reading.bank import read_text
from cardsmith.reading.bank.asking import asks
from cardsmith.reading.frontmatter import read_properties
from cardsmith.reading.obsidian.dialect import (
    CODE_SPAN,
    COMMENT,
    SR_COMMENT,
    blank_comments,
    in_fence,
    in_text,
    line_tags,
    marked,
    only_tags,
    structural,
    to_markdown,
)
from cardsmith.reading.obsidian.vault import IMAGE_SUFFIXES, Syntax, VaultFiles
from cardsmith.text.images import html_image_sources, resolve_image
from cardsmith.text.scripts import without_direction_controls

_HIGHLIGHT = re.compile(r"==(?=\S)(.+?)(?<=\S)==(?:\^\[([^\]]*)\])?")
_CURLY = re.compile(r"\{\{(?!c\d+::)(.+?)\}\}")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_HEADING = re.compile(r"^#{1,6}\s")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_UNTAGGED = "note without a flashcards tag"
CLOZE_KINDS = {"highlight": _HIGHLIGHT, "bold": _BOLD, "curly": _CURLY}


@dataclass
class NoteCards:
    """What one note gave: its cards, each with its sub-deck, in order; the lines left out; whether
    it has a flashcards tag."""

    cards: list[tuple[tuple[str, ...], Question]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    tagged: bool = False


@dataclass
class _Card:
    kind: Kind
    front: list[tuple[int, str]]  # (line number, text)
    back: list[tuple[int, str]] = field(default_factory=list)
    decks: tuple[tuple[str, ...], ...] = ()  # given by a tag on the card's own line


class NoteReader:
    """Reads the notes of one vault into cards; what it finds wrong goes to `report`."""

    def __init__(
        self, vault: Path, content_root: Path, report: Report, syntax: Syntax, files: VaultFiles
    ):
        self.vault = vault
        self.content_root = content_root
        self.report = report
        self.files = files
        self.syntax = syntax
        self.flashcard_tags = tuple(t.casefold() for t in syntax.tags)
        self.cloze = [CLOZE_KINDS[kind] for kind in syntax.cloze if kind in CLOZE_KINDS]
        self.found = NoteCards()  # the note being read

    def read(self, path: Path, text: str) -> NoteCards:
        """One note's cards; `text` is its decoded text, newlines normalised."""
        self.found = NoteCards()
        self._read(path, text)
        return self.found

    def _read(self, path: Path, text: str) -> None:
        lines = text.split("\n")
        start, properties = self._properties(lines, path)
        if start:
            self.found.skipped.append(Skipped(Source(path, 1), start, "note properties"))
        raw = "\n".join(lines[start:])
        for match in COMMENT.finditer(raw):  # gone from every card, and said so (`check -v`)
            first = start + 1 + raw.count("\n", 0, match.start())
            last = first + match.group(0).count("\n")
            self.found.skipped.append(Skipped(Source(path, first), last, "Obsidian comment"))
        body = blank_comments(raw)
        body_lines = [SR_COMMENT.sub("", line) for line in body.split("\n")]
        numbered = [(start + i + 1, line) for i, line in enumerate(body_lines)]
        fences = in_fence(body_lines)
        note_decks = self._property_decks(properties)
        found_in_text = any(
            self._deck_of(tag) is not None
            for (number, line), fenced in zip(numbered, fences, strict=True)
            if not fenced
            for tag in line_tags(line)
        )
        if not note_decks and not found_in_text:
            if any(line.strip() for _, line in numbered):
                self.found.skipped.append(Skipped(Source(path, 1), len(lines), _UNTAGGED))
            return
        self.found.tagged = True
        folder = self._folder_deck(path)
        current = note_decks or self._first_text_decks(numbered, fences) or (folder,)
        current = tuple(folder if d == () else d for d in current)
        cards = 0
        for block in _blocks(numbered, fences, self.syntax):
            current, made = self._block(block, path, current, folder)
            cards += made
        for (number, line), fenced in zip(numbered, fences, strict=True):
            if not fenced and (_HEADING.match(line) or _RULE.match(line)):
                self.found.skipped.append(Skipped(Source(path, number), number, "heading or rule"))
        if not cards and not self._conventions(path, text, folder, current):
            # tagged for cards, yet none: most likely written with separators this vault's settings
            # do not have. Said, not skipped in silence.
            self.report.warn(
                Source(path, 1),
                "note tagged for flashcards holds no card "
                f"(`{self.syntax.single}`, `{self.syntax.multi}` lines, "
                f"clozes: {', '.join(self.syntax.cloze) or 'off'})",
            )
            self.found.skipped.append(
                Skipped(Source(path, 1), len(lines), "tagged note without cards")
            )

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
                    self.found.skipped.append(Skipped(Source(path, 2), end, reason))
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
        if isinstance(tags, str | int | float):  # `tags: flashcards, spanish`; `tags: 2024`
            tags = str(tags).replace(",", " ").split()
        elif not isinstance(tags, list):  # a mapping, say: no tags
            tags = []
        decks = [self._deck_of(str(t).lstrip("#")) for t in tags if isinstance(t, str | int)]
        return tuple(d for d in decks if d is not None)

    def _first_text_decks(self, numbered, fences) -> tuple[tuple[str, ...], ...]:
        for (_, line), fenced in zip(numbered, fences, strict=True):
            decks = (
                ()
                if fenced
                else tuple(d for d in (self._deck_of(t) for t in line_tags(line)) if d is not None)
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
        while lines and only_tags(lines[0][1]):
            decks = tuple(
                d for d in (self._deck_of(t) for t in line_tags(lines[0][1])) if d is not None
            )
            if decks:
                current = tuple(folder if d == () else d for d in decks)
            self.found.skipped.append(Skipped(Source(path, lines[0][0]), lines[0][0], "tag line"))
            lines.pop(0)
        if not lines:
            return current, 0
        # line by line, as the plugin reads: a `::` line is a card of its own; the lines after it
        # up to a `?`/`??` line are a multi-line card's question, the rest of the paragraph its
        # answer; a paragraph with no card but cloze deletions is a cloze card
        fences = in_fence([line for _, line in lines])
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
                    self._back_to_back(path, pending[0][0], answer, fences[index + 1 :])
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
            self.found.skipped.append(
                Skipped(Source(path, text_lines[0][0]), text_lines[-1][0], "note text (not a card)")
            )
        return current, len(cards)

    def _back_to_back(self, path: Path, first: int, answer, fences) -> None:
        """A second `?` line in a multi-line card's answer: cards written back to back with no blank
        line between them. The plugin ends a multi-line card only at a blank line (or its end
        marker) and splits it at its first separator line, so it shows one card whose answer holds
        the next; cardsmith reads it the same way (the author studies the same cards in Obsidian)
        and says so, with the line where a blank line makes two cards."""
        separators = (self.syntax.multi, self.syntax.multi_reversed)
        more = [
            position
            for position, ((_, line), fenced) in enumerate(zip(answer, fences, strict=True))
            if position and not fenced and line.strip() in separators
        ]
        if not more:
            return
        numbers = ", ".join(str(answer[p][0]) for p in more)
        self.report.warn(
            Source(path, first),
            f"cards written back to back: the answer holds {len(more)} more separator line"
            f"{'s' if len(more) > 1 else ''} (line{'s' if len(more) > 1 else ''} {numbers}); the "
            f"spaced-repetition plugin reads one card up to the blank line, and so does cardsmith; "
            f"a blank line before line {answer[more[0] - 1][0]} (and each next card's question) "
            f"makes {len(more) + 1} cards",
        )

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
        text = CODE_SPAN.sub("", "\n".join(line for _, line in lines))
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
            front, back = marked(front), marked(back)
        if not _visible(front) or (card.kind is not Kind.CLOZE and not _visible(back)):
            self.report.warn(source, "card with an empty side left out")
            return
        # a question of plain lines is the prompt, line breaks and all; one with blocks (code,
        # lists, tables) asks its first line and shows the rest under it
        if any(structural(line) for line in front.split("\n")):
            prompt, _, rest = front.partition("\n")
        else:
            prompt, rest = front, ""
        # (a cloze's prompt is its whole front)
        prompt = front if card.kind is Kind.CLOZE else prompt.rstrip(" \\")
        prompt, removed = without_direction_controls(prompt)
        if removed:
            self.report.warn(source, removed)
        images = self._images(front + "\n" + back, path, source)
        for deck in card.decks or current:
            question = Question(
                id="",
                number=None,
                prompt=prompt,
                answer=back,
                section=deck,
                tags=tuple(dict.fromkeys(tags)),
                kind=card.kind,
                source=source,
                images=images,
                front=rest if card.kind is not Kind.CLOZE else "",
                rule="obsidian",
                end=(card.back or card.front)[-1][0],
            )
            self.found.cards.append((deck, question))

    def _markdown(self, numbered: list[tuple[int, str]], path: Path, tags: list[str]) -> str:
        """A card side in the Markdown and safe HTML the renderers know (`dialect`); its tags
        (flashcards tags aside) go into `tags`."""

        def image(target: str) -> Path | None:
            if self.files.leaves(target, self.content_root):  # said whether or not it exists
                line = next((n for n, text in numbered if target in text), numbered[0][0])
                message = f"image {target.strip()!r} is outside the content folder"
                self.report.error(Source(path, line), f"{message} {self.content_root}")
                return None
            found = self.files.image(target, path)
            if found is None and Path(target.strip()).suffix.lower() in IMAGE_SUFFIXES:
                line = next((n for n, text in numbered if target in text), numbered[0][0])
                message = f"image {target.strip()!r} not found in the vault; cards show its name"
                self.report.warn(Source(path, line), message)
            return found

        text, found = to_markdown(
            [line for _, line in numbered],
            image,
            self.content_root,
            keep=lambda tag: self._deck_of(tag) is not None,
        )
        tags += found
        return text

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

        return in_text(text, delete)

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
            deck = read_text(text, path, self.content_root, report)
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
            self.found.cards.append((deck_path, replace(question, section=deck_path)))
        return True


# --- paragraphs and lines ---------------------------------------------------------------------


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


def _single_line(line: str, syntax: Syntax) -> tuple[Kind, str, str] | None:
    """`front::back` or `front:::back` (or the vault's own separators) outside inline code, both
    sides non-empty. The longer separator is tried first where one contains the other."""
    masked = CODE_SPAN.sub(lambda m: "\0" * len(m.group(0)), line)
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


def _visible(markdown: str) -> bool:
    return bool(re.sub(r"<[^>]*>|\\", "", markdown).strip()) or "<img" in markdown
