"""`cardsmith explain`'s text: a deck's outline (`cardsmith.reading.outline`) as lines a terminal
shows, one entry a line, in line order, each cut to the terminal's width."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from cardsmith.errors import Diagnostic
    from cardsmith.reading.outline import Entry, Outline

# the colour of each kind of entry's label on a terminal
_COLOURS = {"question": "green", "unanswered": "magenta", "error": "red", "warning": "yellow"}


def concerning(diagnostics: Iterable[Diagnostic], sources: Sequence[Path]) -> list[Diagnostic]:
    """What was said of no one deck that concerns the files asked about: all of it but what is
    about another Markdown file (a question of a deleted file the folder's lock still knows,
    "removed since the last build"): `explain FILE` outlines FILE, and a folder's other files are
    not its concern. Said of a file asked, of one inside a folder asked, or of no Markdown file (the
    config, the lock), it is shown."""
    asked = [Path(source).resolve() for source in sources]
    out = []
    for diagnostic in diagnostics:
        path = Path(diagnostic.source.path).resolve()
        mine = any(path == a or a in path.parents for a in asked)
        if mine or path.suffix.lower() not in (".md", ".markdown"):
            out.append(diagnostic)
    return out


def outline_text(found: Outline, width: int | None = None, colour: bool = False) -> str:
    """The outline as text: a head line with the counts, then a row an entry (its lines, what it is,
    the rule and kind of a question, its text), each cut to `width` columns when given."""
    from wcwidth import clip, wcswidth

    rules = ", ".join(f"{name} {count}" for name, count in found.rules)
    head = f"{found.path}: "
    if found.deck:
        head += (
            f"deck {found.deck!r}, {found.questions} question{'s' * (found.questions != 1)}"
            f"{f' ({rules})' if rules else ''}, {found.sections} section"
            f"{'s' * (found.sections != 1)}"
        )
        unanswered = found.unanswered
        if unanswered:
            head += f", {unanswered} unanswered"
    else:
        head += "not read"
    spans = [_where(found, entry) for entry in found.entries]
    span_width = max((len(s) for s in spans), default=5)
    rows = [head]
    for span, entry in zip(spans, found.entries, strict=True):
        what = str(entry.what)
        lead = f"  {span:>{span_width}}  "
        row = f"{lead}{what:<10}  {entry.rule:<12}  {entry.kind:<8}  {_text(entry)}".rstrip()
        if width and wcswidth(row) > width:
            row = clip(row, 0, width - 1) + "…"
        if colour and what in _COLOURS:
            row = lead + click.style(what, fg=_COLOURS[what]) + row[len(lead) + len(what) :]
        rows.append(row)
    return "\n".join(rows)


def _where(found: Outline, entry: Entry) -> str:
    """An entry's lines, with its note's name when it is not the outline's own file (a vault)."""
    if entry.path != found.path:
        return f"{entry.path.name}:{entry.span}"
    return entry.span


def _text(entry: Entry) -> str:
    """A prompt, a section's path, a reason or a message; an unanswered question's with its reason."""
    if entry.reason:
        return f"{entry.text}  ({entry.reason})"
    return entry.text
