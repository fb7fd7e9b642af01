"""A file's outline as cardsmith read it, for `cardsmith explain`: every question with its line span,
the rule that read it and its kind; every section, skipped range with its reason, unanswered
question, and what was said, in line order. An author whose deck came out wrong sees where and why.

The reader records all of it in the model (`Question.end`, `Question.rule`, `Unanswered.reason`,
`Deck.skipped`); this only puts it in order. The command line prints it, or its `as_dict` as JSON.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cardsmith.errors import Diagnostic
from cardsmith.model import Deck, section_label


class What(enum.StrEnum):
    """What an entry of the outline is."""

    SECTION = "section"
    QUESTION = "question"
    UNANSWERED = "unanswered"
    SKIPPED = "skipped"
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the outline: what it is, where (its file, first and last line; 0 for the file as a
    whole), and what it says (a prompt, a section's path, a reason, a message)."""

    what: What
    path: Path
    line: int
    end: int
    text: str
    rule: str = ""  # a question's: how it was written (`heading`, `qa`, `pattern`, ...)
    kind: str = ""  # a question's: basic, choice, cloze or reversed
    section: tuple[str, ...] = ()  # a question's section path
    reason: str = ""  # why a question has no card, or a range is in no output

    @property
    def span(self) -> str:
        """`12-19`, `12`, or `-` (the file as a whole)."""
        if not self.line:
            return "-"
        return f"{self.line}-{self.end}" if self.end > self.line else str(self.line)


@dataclass(frozen=True, slots=True)
class Outline:
    """A deck's outline: its file, name, counts and entries in file and line order."""

    path: Path
    deck: str  # the deck's name ("" when the file could not be read)
    questions: int
    sections: int
    rules: tuple[tuple[str, int], ...]  # questions each rule read, most first
    entries: tuple[Entry, ...]

    @property
    def unanswered(self) -> int:
        return sum(entry.what is What.UNANSWERED for entry in self.entries)


# at the same line, a section comes before its first question, a question before what was said of it
_ORDER = {what: index for index, what in enumerate(What)}


def outline(path: Path, deck: Deck | None, diagnostics: Iterable[Diagnostic]) -> Outline:
    """The outline of the deck read from `path` (None: it could not be read; then only what was
    said), with the diagnostics found reading and checking it."""
    entries: list[Entry] = []
    if deck is not None:
        for section in deck.sections:
            if section.path:
                source = section.source
                label = section_label(section.path)
                entries.append(
                    Entry(
                        What.SECTION,
                        source.path,
                        source.line,
                        source.line,
                        label,
                        section=section.path,
                    )
                )
            for question in section.questions:
                source = question.source
                entries.append(
                    Entry(
                        What.QUESTION,
                        source.path,
                        source.line,
                        max(question.end, source.line),
                        question.prompt,
                        rule=question.rule,
                        kind=str(question.kind),
                        section=question.section,
                    )
                )
        for unanswered in deck.unanswered:
            source = unanswered.source
            entries.append(
                Entry(
                    What.UNANSWERED,
                    source.path,
                    source.line,
                    max(unanswered.end, source.line),
                    unanswered.prompt,
                    rule=unanswered.rule,
                    section=unanswered.section,
                    reason=unanswered.reason,
                )
            )
        for skipped in deck.skipped:
            source = skipped.source
            entries.append(
                Entry(What.SKIPPED, source.path, source.line, skipped.end, skipped.reason)
            )
    for diagnostic in diagnostics:
        what = What.ERROR if diagnostic.is_error else What.WARNING
        source = diagnostic.source
        entries.append(Entry(what, source.path, source.line, source.line, diagnostic.message))
    entries.sort(key=lambda e: (str(e.path) != str(path), str(e.path), e.line, _ORDER[e.what]))
    return Outline(
        path=path,
        deck=deck.name if deck is not None else "",
        questions=len(deck.questions) if deck is not None else 0,
        sections=sum(1 for s in deck.sections if s.path) if deck is not None else 0,
        rules=deck.rule_counts if deck is not None else (),
        entries=tuple(dict.fromkeys(entries)),
    )


def as_dict(found: Outline) -> dict:
    """The outline for programs (`cardsmith explain --json`)."""
    return {
        "file": found.path.as_posix(),
        "deck": found.deck,
        "questions": found.questions,
        "sections": found.sections,
        "unanswered": found.unanswered,
        "rules": dict(found.rules),
        "entries": [_entry_dict(entry) for entry in found.entries],
    }


def _entry_dict(entry: Entry) -> dict:
    found: dict = {
        "what": str(entry.what),
        "file": entry.path.as_posix(),
        "line": entry.line,
        "end": entry.end,
    }
    if entry.what in (What.QUESTION, What.UNANSWERED):
        found.update(prompt=entry.text, rule=entry.rule, section=list(entry.section))
        if entry.what is What.QUESTION:
            found["kind"] = entry.kind
        else:
            found["reason"] = entry.reason
    elif entry.what is What.SECTION:
        found["section"] = list(entry.section)
    elif entry.what is What.SKIPPED:
        found["reason"] = entry.text
    else:
        found["message"] = entry.text
    return found
