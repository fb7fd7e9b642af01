"""Duplex flashcards: a grid of cards per sheet, questions on odd pages, answers on even pages.

Answers are mirrored left-right so that, printed double-sided and flipped on the long edge, each answer
lands behind its question. Text that is too long for a card is measured, not guessed (`fitting`): a card
that spills at the largest size is set smaller, and one that does not fit even at the smallest is cut
off with a visible mark and a warning at its line.

The export is a generator (see `cardsmith.exporters`): the fitting probes, the chunks of sheets and the
join are `Spread`s the build runs on its worker processes. The sheets' pages are kept in the sheet
cache (`sheets`): a rebuild lays out only the sheets whose cards changed.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Generator
from dataclasses import replace
from pathlib import Path

from cardsmith import __version__
from cardsmith.errors import Report
from cardsmith.exporters import Spread
from cardsmith.exporters.fitting import Bound, Card, Fit, fit
from cardsmith.exporters.fonts import fonts_fingerprint
from cardsmith.exporters.printing import (
    PAPER,
    PrintDeck,
    PrintQuestion,
    check_fonts,
    first_part,
    print_question,
)
from cardsmith.exporters.sheets import (
    CHUNK_SHEETS,
    Joined,
    Sheet,
    SheetCache,
    join,
    lay_out,
    sheet_key,
    side_key,
)
from cardsmith.fingerprint import code_fingerprint
from cardsmith.model import Deck, Kind, Question
from cardsmith.output import Staging
from cardsmith.render import Rendering, Renders, Target, cloze_text, to_text
from cardsmith.settings import Settings

GRID = (2, 4)  # columns, rows: eight cards a sheet, on A4 and Letter alike
SHEET_MARGIN_MM = 10
CARD_PADDING_MM = 4
HEAD_MM = 4.3  # a card's head line and the space under it (flashcards.css: height and margin)
# A card is first measured with the start of its text only, a little more than a card holds at the
# smallest size (about 25 lines of 75 characters, or 1,600 characters of prose). If the start spills,
# so does the whole; a start that fits is measured again whole. A README's 150-line answer was laid
# out on fifteen probe pages at each size.
PROBE_LINES = 30
PROBE_CHARACTERS = 2000
# Measuring the bound (`fitting.Bound`) costs about what probing this many cards does: fewer cards
# that it could pass are probed instead. The bound is kept in the sheet cache.
BOUND_CARDS = 60


def export(
    deck: Deck, out: Staging, settings: Settings, report: Report, renders: Renders
) -> Generator[Spread, list, list[Path]]:
    check_fonts(deck, report)
    geometry = geometry_of(settings.paper)
    layout = PrintDeck.of(deck)
    cards = deck_cards(deck, report, renders)
    cache = SheetCache.load(out.folder, deck.stem, style_key(settings.paper))
    cache.folder.mkdir(parents=True, exist_ok=True)
    bound = cache.bound
    if bound is None and _bound_would_pass(cards) >= BOUND_CARDS:
        [bound] = yield Spread(Bound.measure, [layout], (geometry,))
    fits: dict[str, Fit] = {}
    sides = {}
    for side in ("front", "back"):
        keys = [side_key(card, side) for card in cards]
        known = [cache.fit(key) for key in keys]
        found = yield from fit(cards, side, layout, geometry, bound, known)
        fits.update(zip(keys, found, strict=True))
        sides[side] = [_fitted(card, f, side) for card, f in zip(cards, found, strict=True)]
    _warn_cut_off(deck, report, sides["front"], sides["back"])

    sheets = sheets_of(sides["front"], sides["back"], cache.style)
    pages = {sheet.key: cache.pages(sheet.key) for sheet in sheets}
    missing = [(n, s) for n, s in enumerate(sheets) if pages[s.key] is None]
    chunks = _chunks(missing)
    names = yield Spread(lay_out, chunks, (layout, geometry, str(cache.folder), 2 * len(sheets)))
    for (_, chunk), name in zip(chunks, names, strict=True):
        for position, sheet in enumerate(chunk):
            pages[sheet.key] = (cache.folder / name, 2 * position)
    name = f"{deck.stem}.cards.pdf"
    parts = [(str(pages[sheet.key][0]), pages[sheet.key][1]) for sheet in sheets]
    joined = Joined(
        title=f"{deck.title} — flashcards",
        lang=deck.lang,
        creator=f"cardsmith {__version__}",
        outline=_outline(cards),
    )
    with out.file(name) as temp:
        yield Spread(join, [(parts, str(temp), joined)])
    cache.save(fits, {key: where for key, where in pages.items() if where}, bound)
    return [out.folder / name]


@functools.cache
def style_key(paper: str) -> str:
    """What every sheet's look depends on besides its cards: cardsmith's code and templates, the paper
    and the fonts installed (`fonts_fingerprint`)."""
    return hashlib.sha256(
        f"{code_fingerprint()} {paper} {fonts_fingerprint()}".encode()
    ).hexdigest()


def _bound_would_pass(cards: list[Card]) -> int:
    """About how many of `cards` the bound could pass: those with one plain paragraph each side."""
    return sum(
        1
        for card in cards
        if "<" not in card.question.prompt and card.question.answer.count("<") == 2
    )


def _fitted(card: Card, found: Fit, side: str) -> Card:
    shown = card.question
    if found.start_only:  # when its start alone spills, the start is all a card can show
        shown = card.front_start if side == "front" else card.back_start
    return replace(card, question=shown, fit=found.level, overflow=found.overflow)


def _warn_cut_off(deck: Deck, report: Report, fronts: list[Card], backs: list[Card]) -> None:
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


def sheets_of(fronts: list[Card], backs: list[Card], style: str) -> list[Sheet]:
    columns, rows = GRID
    per_sheet = columns * rows
    sheets = []
    for start in range(0, len(fronts), per_sheet):
        front, back = fronts[start : start + per_sheet], backs[start : start + per_sheet]
        sheets.append(Sheet(tuple(front), tuple(back), sheet_key(style, front, back)))
    return sheets


def _chunks(missing: list[tuple[int, Sheet]]) -> list[tuple[int, list[Sheet]]]:
    """The sheets to lay out, in chunks of at most `CHUNK_SHEETS` neighbours: (first number, sheets)."""
    chunks: list[tuple[int, list[Sheet]]] = []
    for number, sheet in missing:
        last = chunks[-1] if chunks else None
        if last and len(last[1]) < CHUNK_SHEETS and last[0] + len(last[1]) == number:
            last[1].append(sheet)
        else:
            chunks.append((number, [sheet]))
    return chunks


def _outline(cards: list[Card]) -> tuple[tuple[str, int], ...]:
    """A bookmark for each named section, at the page of questions its first card is on."""
    columns, rows = GRID
    marks: dict[str, int] = {}
    for index, card in enumerate(cards):
        if card.question.section:
            marks.setdefault(card.question.section, 2 * (index // (columns * rows)))
    return tuple(marks.items())


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
    # the question sits in the middle of the room below the head: laid out at its top, drawn lower by
    # half that room and back up by half its own height (flashcards.css)
    below_head = card_height - 2 * CARD_PADDING_MM - HEAD_MM
    return {
        "page_size": f"{width}mm {height}mm",
        "sheet_margin": SHEET_MARGIN_MM,
        "card_width": round(card_width, 3),
        "card_height": round(card_height, 3),
        "card_padding": CARD_PADDING_MM,
        "prompt_top": round(CARD_PADDING_MM + HEAD_MM, 3),
        "prompt_shift": round(below_head / 2, 3),
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
