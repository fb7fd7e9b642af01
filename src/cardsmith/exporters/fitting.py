"""How large each flashcard's text can be set: measured, never guessed, and measured only when in doubt.

A card side is laid out at font-size steps, largest first, until it fits its card; one that does not
fit at the smallest is cut off. Three ways to know, cheapest first:

- **the bound**: plain text (no markup, printable ASCII) whose every line, wrapped as badly as greedy
  line breaking can, still fits at the largest size certainly fits there. The glyph widths, line
  heights and the head's height it reckons with are measured once by WeasyPrint for the fonts
  installed (`Bound.measure`), so a card it passes is laid out exactly as the probes would find;
- **what was found before** (`known`): a side's size kept by the sheet cache, keyed by its content;
- **the probes**: the rest are laid out one under another on pages as wide as a card (`spilled`),
  in chunks that the build spreads over its worker processes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Generator, Sequence
from dataclasses import dataclass, replace

from cardsmith.exporters import Spread
from cardsmith.exporters.printing import (
    PrintQuestion,
    document,
    print_lines,
    render_template,
)
from cardsmith.model import Kind

FIT_LEVELS = 4  # font-size steps in flashcards.css: .fit-0 (largest) .. .fit-3 (smallest)
# About what a card holds at the smallest size, in the cheat sheet's lines (`print_lines`): a longer
# side is first measured at the smallest size, where it most likely spills (see `fit`).
LONG_LINES = 30
PROBE_PAGE_CARDS = 15  # cards measured are laid out on pages this many cards tall
PROBE_CHUNK = 120  # cards in one probe document: a worker's share, and WeasyPrint's memory bounded
PX_PER_MM = 96 / 25.4  # WeasyPrint's positions are CSS pixels

# What the bound reads: printable ASCII but the characters that HTML escapes. Only DejaVu draws it
# (the PDF's first font), and every glyph's advance is measured.
PLAIN = "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) not in "<>&")
_PLAIN_PROMPT = re.compile(f"[{re.escape(PLAIN)}]*")
_PLAIN_ANSWER = re.compile(f"(?:<p>[{re.escape(PLAIN)}\n]*</p>\n?)+")
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_PLAIN_INDEX = {c: i for i, c in enumerate(PLAIN)}


@dataclass(frozen=True, slots=True)
class Card:
    """One flashcard as `flashcards.html` shows it: its question in print HTML, the start of each
    side's text (`flashcards.PROBE_LINES`; `question` itself when that is all of it), its number
    and heads, and the size step its text is set at (or cut off at the smallest)."""

    question: PrintQuestion
    front_start: PrintQuestion
    back_start: PrintQuestion
    label: str
    section: str  # for the question side's head
    prompt_text: str  # for the answer side's head
    fit: int = 0
    overflow: bool = False


@dataclass(frozen=True, slots=True)
class Fit:
    level: int
    overflow: bool = False
    start_only: bool = False  # cut off already at its start: the start is all a card shows


@dataclass(frozen=True, slots=True)
class Bound:
    """Measured at the largest size (`Bound.measure`): the advance of each `PLAIN` character (px, in
    `PLAIN`'s order) in the question's and in the answer's type, their line heights, the height of a
    side's head with one line of text, the gap between an answer's paragraphs, and the room inside a
    card and its width."""

    prompt_advances: tuple[float, ...]
    answer_advances: tuple[float, ...]
    prompt_line: float
    answer_line: float
    front_one_line: float
    back_one_line: float
    paragraph_gap: float
    room: float
    width: float

    def fits(self, question: PrintQuestion, side: str) -> bool:
        """Whether `side` of `question` certainly fits its card at the largest size."""
        if side == "front":
            plain = not (question.asked or question.front or question.options)
            if not plain or question.dir != "ltr" or not _PLAIN_PROMPT.fullmatch(question.prompt):
                return False
            lines = self._lines(question.prompt, self.prompt_advances)
            height = self.front_one_line + (lines - 1) * self.prompt_line
        else:
            answer = question.answer
            if question.filled or question.correct or not _PLAIN_ANSWER.fullmatch(answer):
                return False
            paragraphs = _PARAGRAPH.findall(answer)
            lines = sum(self._lines(text, self.answer_advances) for text in paragraphs)
            height = (
                self.back_one_line
                + (lines - 1) * self.answer_line
                + (len(paragraphs) - 1) * self.paragraph_gap
            )
        return height <= self.room - 0.5

    def _lines(self, text: str, advances: tuple[float, ...]) -> float:
        """At most how many lines greedy breaking makes of `text`: every line but the last holds
        more than the width less a space, a hyphen and the longest word (else that word had fit on
        it). Each character counts its measured advance and a fiftieth more (kerning, rounding).
        Infinite when a word alone may be too wide."""
        words = text.split()
        if not words:
            return 1
        widths = [sum(advances[_PLAIN_INDEX[c]] for c in word) * 1.02 for word in words]
        widest = max(advances) * 1.02
        spare = self.width - max(widths) - 2 * widest
        if spare <= 0:
            return float("inf")
        return 1 + int((sum(widths) + len(words) * widest) // spare)

    @classmethod
    def measure(cls, layout, geometry: dict) -> Bound:
        """Lay out the calibration cards (`flashcards.html`, mode "probe") and read the bound from
        them: each `PLAIN` character repeated in each side's type, sides of one and three lines, an
        answer of two paragraphs."""

        def card(prompt: str = "", answer: str = "") -> Card:
            shown = PrintQuestion(question=None, prompt=prompt, front="", answer=answer, section="")
            return Card(shown, shown, shown, label="1", section="S", prompt_text="Q")

        samples = {
            "front": [card(prompt="W"), card(prompt="W<br>W<br>W")],
            "back": [
                card(answer="<p>W</p>"),
                card(answer="<p>W<br>W<br>W</p>"),
                card(answer="<p>W</p><p>W</p>"),
            ],
        }
        repeat = 10
        # inline runs on one unbroken line: boxes of their own (inline blocks) cost ten times more
        glyphs = "".join(
            f'<span id="g{i}">{html.escape(c * repeat)}</span>' for i, c in enumerate(PLAIN)
        )
        heights, advances = {}, {}
        for side, cards in samples.items():
            page = render_template(
                "flashcards.html",
                mode="probe",
                side=side,
                cards=cards,
                deck=layout,
                title="",
                pages=[],
                probe_page_height=PROBE_PAGE_CARDS * geometry["card_height"],
                **geometry,
            )
            # the characters in the type of the side's text: the prompt's box, an answer paragraph
            holder = '<div class="prompt">{}</div>' if side == "front" else "<p>{}</p>"
            page = page.replace(
                "</body>",
                f'<div class="probe {side} fit-0" style="white-space: pre">'
                f"{holder.format(glyphs)}</div></body>",
            )
            found = _anchors(document(page, layout, "calibrating"))
            heights[side] = [found[f"probe-{i}"][1] for i in range(len(cards))]
            advances[side] = tuple(found[f"g{i}"][0] / repeat for i in range(len(PLAIN)))
        front, back = heights["front"], heights["back"]
        return cls(
            prompt_advances=advances["front"],
            answer_advances=advances["back"],
            prompt_line=(front[1] - front[0]) / 2,
            answer_line=(back[1] - back[0]) / 2,
            front_one_line=front[0],
            back_one_line=back[0],
            paragraph_gap=back[2] - back[0] - (back[1] - back[0]) / 2,
            room=(geometry["card_height"] - 2 * geometry["card_padding"]) * PX_PER_MM,
            width=(geometry["card_width"] - 2 * geometry["card_padding"]) * PX_PER_MM,
        )


def _anchors(rendered) -> dict[str, tuple[float, float, int]]:
    """Each anchor's (width, height, page) in a laid-out document, where it starts."""
    found: dict[str, tuple[float, float, int]] = {}
    for number, page in enumerate(rendered.pages):
        for anchor, (left, top, right, bottom) in page.anchors.items():
            found.setdefault(anchor, (right - left, bottom - top, number))
    return found


def fit(
    cards: Sequence,
    side: str,
    layout,
    geometry: dict,
    bound: Bound | None = None,
    known: Sequence[Fit | None] = (),
) -> Generator[Spread, list, list[Fit]]:
    """The `Fit` of `side` (front, back) of each card (`flashcards.Card`). Steps of the flashcards'
    export: the probes are handed to the build as `Spread`s.

    Every size is measured, or passed by the `bound`, or `known`; the order only saves work. A side of
    a few lines is tried at the largest size first (most fit), a long one (`LONG_LINES`) at the
    smallest: when that spills the card is cut off, known in one try instead of two. Then the sizes
    between."""
    last = FIT_LEVELS - 1
    fits: list[Fit | None] = list(known) + [None] * (len(cards) - len(known))
    for index, card in enumerate(cards):
        if fits[index] is None and bound is not None and bound.fits(card.question, side):
            fits[index] = Fit(0)
    todo = [i for i, found in enumerate(fits) if found is None]

    def measure(level: int, pending: list[int]) -> Generator[Spread, list, tuple[list, list]]:
        """(fit, spilled): the `pending` cards' indexes at `level`; those that fit get `level`."""
        chunks = [pending[i : i + PROBE_CHUNK] for i in range(0, len(pending), PROBE_CHUNK)]
        items = [
            [(replace(cards[i], fit=level), _start_of(cards[i], side)) for i in chunk]
            for chunk in chunks
        ]
        results = yield Spread(spilled, items, (side, layout, geometry))
        fitting, spilling = [], []
        for chunk, (spilled_whole, by_start) in zip(chunks, results, strict=True):
            for position, index in enumerate(chunk):
                if position not in spilled_whole:
                    fits[index] = Fit(level)
                    fitting.append(index)
                    continue
                spilling.append(index)
                if level == last:
                    fits[index] = Fit(last, overflow=True, start_only=position in by_start)
        return fitting, sorted(spilling)

    long = [i for i in todo if last and _lines(cards[i], side) > LONG_LINES]
    short = [i for i in todo if i not in set(long)]
    _, spilled_short = (yield from measure(0, short)) if short else ([], [])
    if last and (spilled_short or long):
        fit_smallest, _ = yield from measure(last, sorted(spilled_short + long))
        untried = [i for i in fit_smallest if i in set(long)]  # not yet tried at the largest size
        fit_largest, _ = (yield from measure(0, untried)) if untried else ([], [])
        pending = [i for i in fit_smallest if i not in set(fit_largest)]
        for level in range(1, last):
            if not pending:
                break
            _, pending = yield from measure(level, pending)
    return fits


def _start_of(card, side: str) -> PrintQuestion | None:
    """The start of `side` of `card`, None when it is the whole."""
    start = card.front_start if side == "front" else card.back_start
    return None if start is card.question else start


def _lines(card, side: str) -> float:
    question = card.question.question
    if side == "front":
        return print_lines(question.prompt, question.front, *(c.text for c in question.choices))
    filled = question.prompt if question.kind is Kind.CLOZE else ""  # a cloze's back starts with it
    return print_lines(filled, question.answer, *(c.text for c in question.choices if c.correct))


def spilled(chunk: list, side: str, layout, geometry: dict) -> tuple[set[int], set[int]]:
    """Of the (card, its start or None) in `chunk`, the positions of the cards whose `side` needs
    more than one card, and of those whose start alone did: each is measured on its start first,
    whole only if the start fits. Runs in a worker process."""
    cards = [card for card, _ in chunk]
    starts = [start or card.question for card, start in chunk]
    by_start = _spilled_pages(starts, cards, side, layout, geometry)
    again = [i for i, (_, start) in enumerate(chunk) if i not in by_start and start is not None]
    found = set(by_start)
    if again:
        whole = _spilled_pages(
            [cards[i].question for i in again], [cards[i] for i in again], side, layout, geometry
        )
        found |= {again[p] for p in whole}
    return found, by_start


def _spilled_pages(
    texts: list[PrintQuestion], cards: list, side: str, layout, geometry: dict
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
        deck=layout,
        title=layout.title,
        pages=[],
        probe_page_height=PROBE_PAGE_CARDS * geometry["card_height"],
        **geometry,
    )
    what = f"{layout.stem}.cards.pdf: fitting {'questions' if side == 'front' else 'answers'}"
    found = _anchors(document(html, layout, what))
    room = (geometry["card_height"] - 2 * geometry["card_padding"]) * PX_PER_MM
    spilled_now = set()
    for i in range(len(cards)):
        (_, height, page), (_, _, end_page) = found[f"probe-{i}"], found[f"probe-end-{i}"]
        if end_page != page or height > room + 0.01:  # a hundredth of a pixel: rounding
            spilled_now.add(i)
    return spilled_now
