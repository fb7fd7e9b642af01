"""What a rule is: its name (`Rule`), what it finds (`Candidate`), what the layout tells it (`Given`),
how the layout weighs its questions (`Role`), and its row in the table (`RuleSpec`)."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cardsmith.reading.bank.answers import Part
    from cardsmith.reading.bank.document import Document
    from cardsmith.reading.bank.rules.pattern import Pattern


class Rule(enum.StrEnum):
    """A way of writing questions, by the name the `questions` setting and the JSON give it."""

    HEADING = "heading"
    LIST_HEADING = "list-heading"
    LIST_BOLD = "list-bold"
    LIST_DETAILS = "list-details"
    LIST_ITEM = "list-item"
    DETAILS = "details"
    QA = "qa"
    BOLD = "bold"
    GLOSSARY = "glossary"
    PATTERN = "pattern"


class Role(enum.Enum):
    """How the layout weighs a rule's questions against the file's headings and each other."""

    # the questions are headings: the outline decides which headings ask and which are sections
    OUTLINE = "outline"
    # blocks that are questions wherever they stand: a heading over them groups them (a section)
    STRONG = "strong"
    # blocks that may only organise an answer (`**Example**`): inside another question they are part
    # of its answer; elsewhere they count when they ask, or when the file has no other questions
    WEAK = "weak"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A question one rule found: where its prompt is and which lines its body may take. The layout
    knows its shape from these fields (a body the rule closes: `hard_end`; a list item: `item_end`;
    a heading: `level`) and its weight from its rule's row in the table, never from the rule's name."""

    rule: Rule
    prompt: str  # Markdown, possibly with the author's marker, explicit id, difficulty emoji
    line: int  # 0-based line of the prompt
    body_start: int  # the body begins on this line ...
    body_column: int = 0  # ... at this column (a `<details>` answer begins after `</summary>`)
    hard_end: int | None = None  # the body ends here at the latest (`</details>`); else open
    indent: int = 0  # list items: columns of indentation to remove from the item's own lines
    item_end: int | None = None  # list items: where the item itself ends
    number: int | None = None  # the list item's own number (`12. ### ...`)
    level: int = 0  # headings: the heading's level
    front: str = ""  # Markdown shown with the prompt (the rest of a multi-line summary)
    # where the answer starts, (line, column), when the rule knows it (the author's answer pattern)
    answer_at: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Placed:
    """A candidate that the layout kept, with the lines its body takes: [body_start, end)."""

    candidate: Candidate
    end: int


@dataclass(frozen=True, slots=True)
class Given:
    """What the layout tells a rule before it looks. Block rules find their questions from the
    document alone; the heading rule is told the question level (the author's `question-level`, else
    the level whose headings most ask) and whether list items hold questions (then a heading indented
    under one is part of its answer); the pattern rule is told the author's pattern."""

    level: int | None = None
    nested: bool = False
    pattern: Pattern | None = None  # the author's own pattern (`pattern`, `answer-pattern`)
    forced: bool = False  # the author allows this rule alone (`questions: glossary`)


# (document, what the layout knows) -> the rule's candidates, in any order
Find = Callable[["Document", Given], list[Candidate]]
# (document, placed question, its body) -> (front, answer): what stands with the prompt, what answers
Split = Callable[["Document", Placed, "Part"], tuple["Part", "Part"]]
# a body -> the body without the rule's own wrapping (a `<details>`'s summary and closing tag)
Unwrap = Callable[["Part"], "Part"]


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One row of the rules table: how a rule finds questions, how the layout weighs them, and how
    their bodies become a front and an answer."""

    find: Find
    role: Role
    split: Split
    unwrap: Unwrap | None = None  # taken off the body before its ends are trimmed
