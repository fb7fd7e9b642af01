"""`cardsmith stats`: what a question bank holds, per deck and section, for authors tidying it."""

from __future__ import annotations

from cardsmith.model import Deck, Kind, section_label

LONGEST = 5


def deck_stats(deck: Deck) -> dict:
    rows: dict[tuple[str, ...], dict] = {}
    first_line: dict[tuple[str, ...], int] = {}
    for section in deck.sections:
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


def format_table(stats: dict) -> str:
    """A plain-text table, like `git diff --stat`: easy to read in a terminal, easy to diff."""
    rows = [
        (s["section"], s["questions"], s["unanswered"], s["cloze"], s["images"])
        for s in stats["sections"]
    ]
    rows.append(("total", stats["questions"], stats["unanswered"], stats["cloze"], stats["images"]))
    header = ("section", "questions", "unanswered", "cloze", "images")
    width = max(len(str(r[0])) for r in [header, *rows])
    lines = [f"{stats['deck']} ({stats['source']}, questions written as {stats['convention']!r})"]
    lines.append(f"  {header[0]:<{width}}  " + "  ".join(f"{h:>10}" for h in header[1:]))
    for row in rows:
        lines.append(f"  {row[0]:<{width}}  " + "  ".join(f"{v:>10}" for v in row[1:]))
    if stats["removed"]:
        count = stats["removed"]
        lines.append(
            f"  {count} removed question{'' if count == 1 else 's'} (cardsmith forget, once their "
            "notes tagged cardsmith::removed are deleted in Anki)"
        )
    lines.append("  longest answers:")
    lines.extend(
        f"    {q['source']}: {q['characters']} characters  {q['prompt']}"
        for q in stats["longest_answers"]
    )
    return "\n".join(lines)
