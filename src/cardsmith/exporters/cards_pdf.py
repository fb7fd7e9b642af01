"""Duplex flashcards: a grid of cards per sheet, questions on odd pages, answers on even pages.

Answers are mirrored left-right so that, printed double-sided and flipped on the long edge, each answer
lands behind its question. Text that is too long for a card is measured, not guessed: every card is laid
out alone on a card-sized page, and a card that spills onto a second page is set one size smaller. One
that does not fit even at the smallest size is cut off with a visible mark and a warning at its line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from cardsmith.errors import Report
from cardsmith.exporters.printing import (
    PAPER,
    PrintQuestion,
    check_fonts,
    document,
    print_question,
    render_template,
    write_pdf,
)
from cardsmith.model import Deck
from cardsmith.options import Options
from cardsmith.output import Staging
from cardsmith.render import Renders, to_text

GRID = (2, 4)  # columns, rows: eight cards a sheet, on A4 and Letter alike
SHEET_MARGIN_MM = 10
CARD_PADDING_MM = 4
FIT_LEVELS = 4  # font-size steps in flashcards.css: .fit-0 (largest) .. .fit-3 (smallest)


@dataclass(frozen=True, slots=True)
class Card:
    question: PrintQuestion
    label: str
    section: str  # for the question side's head
    prompt_text: str  # for the answer side's head
    fit: int = 0
    overflow: bool = False


@dataclass(frozen=True, slots=True)
class Slot:
    card: Card
    x: float  # mm from the sheet's content box
    y: float


def export(
    deck: Deck, out: Staging, options: Options, report: Report, renders: Renders
) -> list[Path]:
    check_fonts(deck, report)
    geometry = _geometry(options.paper)
    cards = [
        Card(
            question=print_question(q, deck, options, report, renders),
            label=str(q.number if q.number is not None else index),
            section=head_text(q.section_label),
            prompt_text=head_text(to_text(q.prompt)),
        )
        for index, q in enumerate(deck.questions, start=1)
    ]
    fronts = _fit(cards, "front", deck, geometry)
    backs = _fit(cards, "back", deck, geometry)
    cut = [
        f"{card.question.question.source}: {side} cut off: {card.prompt_text}"
        for side, fitted in (("question", fronts), ("answer", backs))
        for card in fitted
        if card.overflow
    ]
    if cut:
        count = len(cut)
        report.warn(
            deck.source,
            f"{count} flashcard{'s' * (count != 1)} cut off: too long for a card even at the "
            "smallest size, marked on the paper (shorten or split them; -v lists them)",
            tuple(sorted(cut, key=_by_line)),
        )
    html = render_template(
        "flashcards.html",
        mode="sheets",
        deck=deck,
        title=deck.title,
        pages=_pages(fronts, backs, geometry),
        **geometry,
    )
    return [write_pdf(document(html, deck), out, f"{deck.stem}.cards.pdf")]


def _by_line(detail: str) -> tuple[int, str]:
    place = detail.split(": ", 1)[0]
    line = place.rsplit(":", 1)[-1]
    return (int(line) if line.isdigit() else 0, detail)


HEAD_CHARACTERS = 100  # more than a card's head line shows at its size


def head_text(text: str) -> str:
    """`text` cut to what a card's one-line head can show; CSS ellipsises it to the card's width. Cut
    here first: WeasyPrint maps its ellipsis glyph to all of the hidden text, and a long question made
    a ToUnicode entry PDF readers reject ("Illegal entry in bfchar block")."""
    if len(text) <= HEAD_CHARACTERS:
        return text
    cut = text[:HEAD_CHARACTERS]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


def _geometry(paper: str) -> dict:
    width, height = PAPER[paper]
    columns, rows = GRID
    card_width = (width - 2 * SHEET_MARGIN_MM) / columns
    card_height = (height - 2 * SHEET_MARGIN_MM) / rows
    return {
        "page_size": f"{width}mm {height}mm",
        "sheet_margin": SHEET_MARGIN_MM,
        "card_width": round(card_width, 3),
        "card_height": round(card_height, 3),
        "card_padding": CARD_PADDING_MM,
        "columns": columns,
        "rows": rows,
    }


def _fit(cards: list[Card], side: str, deck: Deck, geometry: dict) -> list[Card]:
    """Give each card the largest font-size step at which its `side` fits; flag the ones that never do."""
    fitted = list(cards)
    pending = list(range(len(cards)))
    for level in range(FIT_LEVELS):
        if not pending:
            break
        probe = [replace(fitted[i], fit=level) for i in pending]
        spilled = _spilled(probe, side, deck, geometry)
        for position, index in enumerate(pending):
            fitted[index] = probe[position]
        pending = [pending[p] for p in spilled]
    for index in pending:
        fitted[index] = replace(fitted[index], overflow=True)
    return fitted


def _spilled(cards: list[Card], side: str, deck: Deck, geometry: dict) -> list[int]:
    """Indexes of `cards` whose `side` needs more than one card-sized page."""
    html = render_template(
        "flashcards.html",
        mode="probe",
        side=side,
        cards=cards,
        deck=deck,
        title=deck.title,
        pages=[],
        **geometry,
    )
    starts: dict[int, int] = {}
    pages = document(html, deck).pages
    for number, page in enumerate(pages):
        for anchor in page.anchors:
            if anchor.startswith("probe-"):
                starts.setdefault(int(anchor.removeprefix("probe-")), number)
    ends = [starts.get(i + 1, len(pages)) for i in range(len(cards))]
    return [i for i in range(len(cards)) if ends[i] - starts[i] > 1]


def _pages(fronts: list[Card], backs: list[Card], geometry: dict) -> list[dict]:
    """Sheets in print order: a page of questions, then the page of their answers, mirrored."""
    columns, rows = geometry["columns"], geometry["rows"]
    per_sheet = columns * rows
    pages = []
    for start in range(0, len(fronts), per_sheet):
        front_slots, back_slots = [], []
        for offset, (front, back) in enumerate(
            zip(fronts[start : start + per_sheet], backs[start : start + per_sheet], strict=True)
        ):
            row, column = divmod(offset, columns)
            y = row * geometry["card_height"]
            front_slots.append(Slot(front, column * geometry["card_width"], y))
            mirrored = columns - 1 - column  # long-edge flip swaps left and right
            back_slots.append(Slot(back, mirrored * geometry["card_width"], y))
        pages.append({"side": "front", "slots": front_slots})
        pages.append({"side": "back", "slots": back_slots})
    return pages
