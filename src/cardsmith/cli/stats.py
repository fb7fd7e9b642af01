"""`cardsmith stats`: what a question bank holds, per deck and section, for authors tidying it.

`deck_stats` counts from a `Deck` (what `--json` prints); `cardsmith.cli.terminal.stats_table` shows
it as a table."""

from __future__ import annotations

from cardsmith.model import Deck, Kind, section_label

LONGEST = 5


def deck_stats(deck: Deck) -> dict:
    rows: dict[tuple[str, ...], dict] = {}
    first_line: dict[tuple[str, ...], int] = {}
    for section in deck.sections:
        if not section.questions:  # an introduction alone, or unanswered questions (counted below)
            continue
        rows[section.path] = _row(
            section.path,
            questions=len(section.questions),
            cloze=sum(q.kind is Kind.CLOZE for q in section.questions),
            images=sum(len(q.images) for q in section.questions),
        )
        first_line[section.path] = section.source.line
    for unanswered in deck.unanswered:  # its section may have no answered question at all
        rows.setdefault(unanswered.section, _row(unanswered.section))["unanswered"] += 1
        first_line.setdefault(unanswered.section, unanswered.source.line)
    sections = [rows[path] for path in sorted(rows, key=first_line.__getitem__)]
    longest = sorted(deck.questions, key=lambda q: len(q.answer), reverse=True)[:LONGEST]
    return {
        "deck": deck.name,
        "source": str(deck.source.path),
        "convention": deck.rule,
        "questions": len(deck.questions),
        "unanswered": len(deck.unanswered),
        "cloze": sum(s["cloze"] for s in sections),
        "images": sum(s["images"] for s in sections),
        "removed": len(deck.removed),  # tombstones: deleted questions whose notes Anki may hold
        "sections": sections,
        "longest_answers": [
            {"source": str(q.source), "prompt": q.prompt, "characters": len(q.answer)}
            for q in longest
        ],
    }


def _row(path: tuple[str, ...], questions: int = 0, cloze: int = 0, images: int = 0) -> dict:
    return {
        "section": section_label(path) or "(no section)",
        "questions": questions,
        "unanswered": 0,
        "cloze": cloze,
        "images": images,
    }
