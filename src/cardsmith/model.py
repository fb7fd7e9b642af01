"""The question model: the only road between the Markdown parser and the exporters.

Plain immutable records. Prompts and answers keep the author's Markdown; turning it into HTML is
`cardsmith.render`'s job, called by the exporters that need it.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Source:
    """Where an item came from, for messages like `content/x.md:42: error: ...`. Line 0 is the file
    as a whole (an output that could not be written): `output/x.apkg: error: ...`."""

    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


class Kind(enum.StrEnum):
    BASIC = "basic"
    CLOZE = "cloze"
    CHOICE = "choice"  # a quiz: options on the front, the right one(s) on the back
    REVERSED = "reversed"  # two cards, prompt -> answer and answer -> prompt (`Q:::A` in Obsidian)


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a quiz question: its label as shown (`A`, or the author's own `1`), its Markdown,
    and whether it is a right answer."""

    label: str
    text: str
    correct: bool


@dataclass(frozen=True, slots=True)
class Image:
    """An image the Markdown refers to: the author's `src`, the file it resolved to, and the sha256
    of its bytes (read once, by the parser; identity and media names use it)."""

    src: str
    path: Path
    digest: str


# a cloze deletion in a prompt makes the question a cloze note
CLOZE_MARK = re.compile(r"\{\{c\d+::")

# what a question id may look like: cardsmith's own (10 base32 letters) or an author's `{#my-id}`
ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}"


@dataclass(frozen=True, slots=True)
class Question:
    """One card's worth: what is asked (`prompt`, and a `front` of code or text shown with it, and a
    quiz's `choices`), the `answer` as the author's Markdown, where it stands (`section`, `source`),
    and its identity (`id`, `guid`, kept by the lock; `cardsmith.identity`)."""

    id: str
    number: int | None
    prompt: str
    answer: str
    section: tuple[str, ...]
    tags: tuple[str, ...]
    kind: Kind
    source: Source
    images: tuple[Image, ...] = ()
    # Markdown shown with the prompt on the question side (say, the code a question asks about)
    front: str = ""
    # Unix time of the last change to what this question puts on a card; kept by the lock file so
    # that unchanged content builds byte-identical packages and edited notes look newer to Anki.
    modified: int = 0
    # the note's identity in Anki, kept by the lock file (`cardsmith.identity`); "" until assigned
    guid: str = ""
    choices: tuple[Choice, ...] = ()  # the options of a `Kind.CHOICE` question
    # the rule that read it: how it was written (`heading`, `details`, ...; `obsidian` in a vault)
    rule: str = "heading"
    # the last line it was read from, prompt to answer (1-based, inclusive; 0: not known), for
    # `cardsmith explain`
    end: int = 0

    @property
    def section_label(self) -> str:
        """The section path for people: `Part › Chapter` ("" outside any section)."""
        return section_label(self.section)


@dataclass(frozen=True, slots=True)
class Section:
    """A heading that groups questions, with the path of headings above it (an Anki sub-deck and a
    tag each); questions outside any section are in the section with the empty path."""

    title: str
    path: tuple[str, ...]
    tag: str
    source: Source
    questions: tuple[Question, ...]
    intro: str = ""  # Markdown between the section's heading and its first question
    images: tuple[Image, ...] = ()  # the images its intro shows

    @property
    def label(self) -> str:
        """The section path for people: `Part › Chapter` ("" for questions outside any section)."""
        return section_label(self.path)


@dataclass(frozen=True, slots=True)
class Unanswered:
    """A question with no answer yet (or a template's placeholder): never a card, but in the model
    with what the author wrote, so JSON, `explain` and the study page's "not answered yet" list
    show it. Where it is and in which section (a bank reader gives that section a `Section`, with no
    questions when it has no answered one)."""

    source: Source
    section: tuple[str, ...]
    prompt: str = ""
    end: int = 0  # its last line (1-based, inclusive; 0: its first)
    rule: str = ""  # the rule that read it ("": a list of questions with no answers)
    reason: str = ""  # why it has no card: `no answer`, `a placeholder answer`, `no text`, ...
    # its Markdown after the prompt: the text or code it shows, a quiz's options, a placeholder
    body: str = ""


@dataclass(frozen=True, slots=True)
class Removed:
    """A question deleted from the Markdown whose note a collection may still hold (a tombstone in the
    lock, `cardsmith.identity`): the Anki exporters send its note once more, newer, tagged
    `cardsmith::removed`, so an import marks it for deletion; `cardsmith forget` drops it."""

    id: str
    guid: str
    prompt: str  # its last prompt (with a front and quiz options, as `question_text` joins them)
    section: tuple[str, ...]  # the section it was in
    removed: int  # Unix time it was found gone
    modified: int  # the note's change time: newer than the live note's, so an import updates it
    source: Source  # its file (line 0: the question is no longer in it)
    reversed: bool = False  # its note had two cards, prompt -> answer and back

    @property
    def kind(self) -> Kind:
        if self.reversed:
            return Kind.REVERSED
        return Kind.CLOZE if CLOZE_MARK.search(self.prompt) else Kind.BASIC


@dataclass(frozen=True, slots=True)
class Skipped:
    """Lines of the Markdown that are in no output, and why (`cardsmith check -v` lists them)."""

    source: Source  # the first line
    end: int  # the last line (1-based, inclusive)
    reason: str


@dataclass(frozen=True, slots=True)
class Deck:
    """One Markdown file read: its sections and questions in document order, what its front matter
    and settings say, and what was left out (unanswered questions, skipped lines with their reason).
    Everything an exporter may show is here; no exporter reads the Markdown."""

    title: str
    name: str
    source: Source
    metadata: dict[str, Any]
    tags: tuple[str, ...]
    sections: tuple[Section, ...]
    allow_html: bool = False
    unanswered: tuple[Unanswered, ...] = ()
    content_root: Path = field(default=Path("."))
    rule: str = "heading"  # the rule most of its questions were read by
    rule_counts: tuple[
        tuple[str, int], ...
    ] = ()  # questions each rule read, most first: `check -v`
    intro: str = ""  # Markdown between the title and the first question or section
    intro_images: tuple[Image, ...] = ()  # the images the intro shows
    lang: str = "en"  # BCP 47 tag: from front matter or settings, else found from the script
    skipped: tuple[Skipped, ...] = ()
    digest: str = ""  # sha256 of the Markdown bytes this deck was read from
    removed: tuple[Removed, ...] = ()  # questions deleted since an earlier build (tombstones)
    # the Markdown files the deck was read from, when not just `source` (an Obsidian vault's notes)
    files: tuple[Path, ...] = ()
    # when the note types (card templates, styling) last changed, from the lock; an Anki package must
    # be no older, or a collection keeps its old card templates
    note_types_modified: int = 0
    # local images the Markdown names that are not there (each a warning; its cards show the alt
    # text): the build cache builds the deck again once one appears
    missing_images: tuple[Path, ...] = ()

    @property
    def stem(self) -> str:
        return self.source.path.stem

    @property
    def source_files(self) -> tuple[Path, ...]:
        return self.files or (self.source.path,)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)


def unchecked(kind: type, names: tuple[str, ...], values: tuple) -> Any:
    """An object of the frozen model dataclass `kind` with its fields `names` set to `values`, made
    without `__init__`: for copies of objects that were whole when made (a deck handed between
    processes, a question given its id), where `dataclasses.replace` or the default pickling cost
    two or three times as much. Every field must be named."""
    known = _SETTERS.get(kind)
    if known is None or known[0] != names:
        # each field set past the frozen `__setattr__` by its slot's own descriptor, found once
        # (`object.__setattr__` looks it up by name each time: twice the cost)
        known = _SETTERS[kind] = (names, tuple(getattr(kind, name).__set__ for name in names))
    made = object.__new__(kind)
    for put, value in zip(known[1], values, strict=True):
        put(made, value)
    return made


_SETTERS: dict[type, tuple[tuple[str, ...], tuple]] = {}  # `unchecked`'s, by kind: the last names


def section_label(path: tuple[str, ...]) -> str:
    """`Part › Chapter` for a section path ("" outside any section)."""
    return " › ".join(path)


def question_text(question: Question) -> str:
    """What the question asks: its prompt, the front body when there is one, and a quiz's options
    (many "What does this print?" questions differ only in the code shown)."""
    parts = [question.prompt]
    if question.front:
        parts.append(question.front)
    if question.choices:
        parts.append(choices_markdown(question.choices))
    return "\n\n".join(parts)


def choices_markdown(choices: tuple[Choice, ...], mark_correct: bool = False) -> str:
    """A quiz's options as a Markdown list (`- A. text`), the right ones marked ✓ when asked."""
    return "\n".join(
        f"- {'✓ ' if mark_correct and c.correct else ''}{c.label}. {c.text}" for c in choices
    )


def correct_choices(question: Question) -> tuple[Choice, ...]:
    return tuple(c for c in question.choices if c.correct)
