"""Duplex flashcards: a grid of cards per sheet, questions on odd pages, answers on even pages.

Answers are mirrored left-right so that, printed double-sided and flipped on the long edge, each answer
lands behind its question. Text that is too long for a card is measured, not guessed: every card is laid
out alone on a card-sized page, and a card that spills onto a second page is set smaller. One that does
not fit even at the smallest size is cut off with a visible mark and a warning at its line.
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
    first_part,
    print_lines,
    print_question,
    render_template,
    write_pdf,
)
from cardsmith.model import Deck, Kind, Question
from cardsmith.output import Staging
from cardsmith.render import Rendering, Renders, Target, cloze_text, to_text
from cardsmith.settings import Settings

GRID = (2, 4)  # columns, rows: eight cards a sheet, on A4 and Letter alike
SHEET_MARGIN_MM = 10
CARD_PADDING_MM = 4
FIT_LEVELS = 4  # font-size steps in flashcards.css: .fit-0 (largest) .. .fit-3 (smallest)
# A card is first measured with the start of its text only, a little more than a card holds at the
# smallest size (about 25 lines of 75 characters, or 1,600 characters of prose). If the start spills,
# so does the whole; a start that fits is measured again whole. A README's 150-line answer was laid
# out on fifteen probe pages at each size.
PROBE_LINES = 30
PROBE_CHARACTERS = 2000
PROBE_PAGE_CARDS = 15  # cards measured are laid out on pages this many cards tall
PX_PER_MM = 96 / 25.4  # WeasyPrint's positions are CSS pixels
# About what a card holds at the smallest size, in the cheat sheet's lines (`print_lines`): a longer
# side is first measured at the smallest size, where it most likely spills (see `fit`).
LONG_LINES = 30


@dataclass(frozen=True, slots=True)
class Card:
    question: PrintQuestion
    # the start of each side's text (`PROBE_LINES`), or `question` itself when that is all of it
    front_start: PrintQuestion
    back_start: PrintQuestion
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
    deck: Deck, out: Staging, settings: Settings, report: Report, renders: Renders
) -> list[Path]:
    check_fonts(deck, report)
    geometry = geometry_of(settings.paper)
    cards = deck_cards(deck, report, renders)
    fronts = fit(cards, "front", deck, geometry)
    backs = fit(cards, "back", deck, geometry)
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
    pages = _pages(fronts, backs, geometry)
    html = render_template(
        "flashcards.html", mode="sheets", deck=deck, title=deck.title, pages=pages, **geometry
    )
    name = f"{deck.stem}.cards.pdf"
    return [write_pdf(document(html, deck, f"{name}: sheets", len(pages)), out, name)]


def deck_cards(
    deck: Deck, report: Report | None = None, renders: Renders | None = None
) -> list[Card]:
    rendering = Rendering.of(deck, Target.PRINT, renders)
    cards = []
    for index, question in enumerate(deck.questions, start=1):
        label = str(question.number if question.number is not None else index)
        # a reversed pair is two cards: the second asks its answer
        sides = [question] + ([_reversed(question)] if question.kind is Kind.REVERSED else [])
        for q, mark in zip(sides, ("", " ⇄"), strict=False):
            whole = print_question(q, rendering, report)
            cards.append(
                Card(
                    question=whole,
                    front_start=_start(whole, "front", rendering),
                    back_start=_start(whole, "back", rendering),
                    label=label + mark,
                    section=head_text(q.section_label),
                    prompt_text=head_text(to_text(cloze_text(q.prompt))),
                )
            )
    return cards


def _reversed(question: Question) -> Question:
    """The second card of a reversed pair: its answer asked, its question the answer."""
    prompt, _, rest = question.answer.strip().partition("\n")
    asked = question.prompt + (f"\n\n{question.front}" if question.front else "")
    return replace(question, prompt=prompt, front=rest.strip(), answer=asked)


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


def geometry_of(paper: str) -> dict:
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


def _start(whole: PrintQuestion, side: str, rendering: Rendering) -> PrintQuestion:
    """`whole` with the text of its `side` (the question's code, or the answer) cut to its first
    `PROBE_LINES` lines, or `whole` itself."""
    question = whole.question
    field = "front" if side == "front" else "answer"
    text, _ = first_part(getattr(question, field), PROBE_CHARACTERS, PROBE_LINES)
    if text is getattr(question, field):
        return whole
    return print_question(replace(question, **{field: text}), rendering)


def fit(cards: list[Card], side: str, deck: Deck, geometry: dict) -> list[Card]:
    """Give each card the largest font-size step at which its `side` fits; flag the ones that never
    do. Every step is measured; the order only saves work. A card of a few lines is tried at the
    largest size first (most fit), a long one (`LONG_LINES`) at the smallest: when that spills the
    card is cut off, known in one try instead of two. Then the sizes between."""
    last = FIT_LEVELS - 1
    fitted = list(cards)
    pending: list[int] = []

    def measure(level: int) -> tuple[list[int], list[int]]:
        """(fit, spilled): the pending cards' indexes at `level`; the cards that fit get `level`."""
        spilled, by_start = _spilled(
            [replace(fitted[i], fit=level) for i in pending], side, deck, geometry
        )
        fitting = [index for position, index in enumerate(pending) if position not in spilled]
        for index in fitting:
            fitted[index] = replace(fitted[index], fit=level)
        if level == last:
            for position in sorted(spilled):
                card = fitted[pending[position]]
                # when its start alone spills, the start is all a card can show
                shown = _start_of(card, side) if position in by_start else card.question
                fitted[pending[position]] = replace(card, question=shown, fit=last, overflow=True)
        return fitting, [pending[position] for position in sorted(spilled)]

    long = [i for i, card in enumerate(cards) if last and _lines(card, side) > LONG_LINES]
    pending = sorted(set(range(len(cards))) - set(long))
    _, spilled = measure(0) if pending else ([], [])
    if last and (spilled or long):
        pending = sorted(spilled + long)
        fit_smallest, _ = measure(last)
        pending = [i for i in fit_smallest if i in long]  # not yet tried at the largest size
        fit_largest, _ = measure(0) if pending else ([], [])
        pending = [i for i in fit_smallest if i not in fit_largest]
        for level in range(1, last):
            if not pending:
                break
            _, pending = measure(level)
    return fitted


def _lines(card: Card, side: str) -> float:
    question = card.question.question
    if side == "front":
        return print_lines(question.prompt, question.front, *(c.text for c in question.choices))
    filled = question.prompt if question.kind is Kind.CLOZE else ""  # a cloze's back starts with it
    return print_lines(filled, question.answer, *(c.text for c in question.choices if c.correct))


def _spilled(cards: list[Card], side: str, deck: Deck, geometry: dict) -> tuple[set[int], set[int]]:
    """Positions in `cards` of the cards whose `side` needs more than one card-sized page, and of
    those whose start alone did: each is measured on its start first, whole only if the start fits."""
    starts = [_start_of(card, side) for card in cards]
    by_start = _spilled_pages(starts, cards, side, deck, geometry)
    again = [
        i for i, card in enumerate(cards) if i not in by_start and starts[i] is not card.question
    ]
    spilled = set(by_start)
    if again:
        whole = _spilled_pages(
            [cards[i].question for i in again], [cards[i] for i in again], side, deck, geometry
        )
        spilled |= {again[p] for p in whole}
    return spilled, by_start


def _start_of(card: Card, side: str) -> PrintQuestion:
    return card.front_start if side == "front" else card.back_start


def _spilled_pages(
    texts: list[PrintQuestion], cards: list[Card], side: str, deck: Deck, geometry: dict
) -> set[int]:
    """Positions of the `cards`, shown with `texts`, whose `side` is taller than a card's inside.
    The cards are laid out one under another on pages as wide as a card and `PROBE_PAGE_CARDS`
    cards tall, each a box whose height is measured (one that ends on a later page than it
    began, found by a marker after it, is taller than any card). A page of its own for each card
    cost four times as much: WeasyPrint's work for a page is more than for a short question."""
    html = render_template(
        "flashcards.html",
        mode="probe",
        side=side,
        cards=[replace(card, question=text) for card, text in zip(cards, texts, strict=True)],
        deck=deck,
        title=deck.title,
        pages=[],
        probe_page_height=PROBE_PAGE_CARDS * geometry["card_height"],
        **geometry,
    )
    what = f"{deck.stem}.cards.pdf: fitting {'questions' if side == 'front' else 'answers'}"
    found: dict[str, tuple[int, float]] = {}  # anchor: (page, height in px)
    for number, page in enumerate(document(html, deck, what).pages):
        for anchor, (_, top, _, bottom) in page.anchors.items():
            found.setdefault(anchor, (number, bottom - top))
    room = (geometry["card_height"] - 2 * geometry["card_padding"]) * PX_PER_MM
    spilled = set()
    for i in range(len(cards)):
        (page, height), (end_page, _) = found[f"probe-{i}"], found[f"probe-end-{i}"]
        if end_page != page or height > room + 0.01:  # a hundredth of a pixel: rounding
            spilled.add(i)
    return spilled


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
