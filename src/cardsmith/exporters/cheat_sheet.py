"""The cheat sheet: every question and answer, dense and multi-column, to print and keep on the desk."""

from __future__ import annotations

from pathlib import Path

from cardsmith.errors import Report
from cardsmith.exporters.printing import (
    PAPER,
    check_fonts,
    document,
    print_intro,
    print_question,
    render_template,
    write_pdf,
)
from cardsmith.model import Deck
from cardsmith.output import Staging
from cardsmith.render import Rendering, Renders, Target
from cardsmith.settings import Settings
from cardsmith.text.scripts import direction


def export(
    deck: Deck, out: Staging, settings: Settings, report: Report, renders: Renders
) -> list[Path]:
    check_fonts(deck, report, intros=True)
    html = cheat_sheet_html(deck, settings, report, renders)
    name = f"{deck.stem}.pdf"
    return [write_pdf(document(html, deck, name), out, name)]


def cheat_sheet_html(
    deck: Deck, settings: Settings, report: Report | None = None, renders: Renders | None = None
) -> str:
    width, height = PAPER[settings.paper]
    rendering = Rendering.of(deck, Target.PRINT, renders)
    sections = [
        {
            "title": section.label,
            "dir": direction(section.label),
            "intro": print_intro(section, rendering, report),
            "questions": [print_question(q, rendering, report) for q in section.questions],
        }
        for section in deck.sections
        if section.questions or section.intro  # not one that holds only unanswered questions
    ]
    return render_template(
        "cheatsheet.html",
        deck=deck,
        title=deck.title,
        date=str(deck.metadata.get("date", "")),
        author=str(deck.metadata.get("author", "")),
        sections=sections,
        section_count=sum(1 for s in sections if s["questions"]),
        count=len(deck.questions),
        page_size=f"{width}mm {height}mm",
        columns=settings.columns or default_columns(settings.paper),
        number_width=_number_width(deck),
    )


def _number_width(deck: Deck) -> float:
    """Room for the widest question number ("12.") in em: the prompt's lines hang after it."""
    digits = max((len(str(q.number)) for q in deck.questions if q.number is not None), default=0)
    return round(0.62 * digits + 0.55, 2) if digits else 0


MARGIN_MM = 9
MIN_COLUMN_MM = 80  # at 8.5 pt about 55 characters a line: dense, still easy to read


def default_columns(paper: str) -> int:
    width = PAPER[paper][0] - 2 * MARGIN_MM
    return max(1, int(width // MIN_COLUMN_MM))
