"""`cardsmith stats`: what a question bank holds, per deck and section, for authors tidying it."""

from __future__ import annotations

from cardsmith.model import Deck, Kind

LONGEST = 5


def deck_stats(deck: Deck) -> dict:
    sections = []
    for index, section in enumerate(deck.sections):
        next_line = deck.sections[index + 1].source.line if index + 1 < len(deck.sections) else None
        unanswered = sum(
            1
            for s in deck.unanswered
            if s.line >= section.source.line and (next_line is None or s.line < next_line)
        )
        sections.append(
            {
                "section": section.label or "(no section)",
                "questions": len(section.questions),
                "unanswered": unanswered,
                "cloze": sum(q.kind is Kind.CLOZE for q in section.questions),
                "images": sum(len(q.images) for q in section.questions),
            }
        )
    longest = sorted(deck.questions, key=lambda q: len(q.answer), reverse=True)[:LONGEST]
    return {
        "deck": deck.name,
        "source": str(deck.source.path),
        "convention": deck.convention,
        "questions": len(deck.questions),
        "unanswered": len(deck.unanswered),
        "cloze": sum(s["cloze"] for s in sections),
        "images": sum(s["images"] for s in sections),
        "sections": sections,
        "longest_answers": [
            {"source": str(q.source), "prompt": q.prompt, "characters": len(q.answer)}
            for q in longest
        ],
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
    lines.append("  longest answers:")
    lines.extend(
        f"    {q['source']}: {q['characters']} characters  {q['prompt']}"
        for q in stats["longest_answers"]
    )
    return "\n".join(lines)
