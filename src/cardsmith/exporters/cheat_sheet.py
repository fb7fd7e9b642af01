"""The cheat sheet: every question and answer, dense and multi-column, to print and keep on the desk.

Its columns are laid out as pages of one column's size (templates/pdf/cheatsheet.html) and set side
by side on the sheets (`exporters.imposing`), over a frame that holds the deck's header, the
running heads, page numbers and the rules between columns (cheatsheet-frame.html). The first
sheet's columns start below the header. The last sheet's columns are balanced: when its text starts
with a section or a Q&A, it is laid out again at the least column height that fits it on that
sheet."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cardsmith.errors import Report
from cardsmith.exporters.imposing import Placed, impose
from cardsmith.exporters.printing import (
    PAPER,
    check_fonts,
    document,
    laid_out,
    print_intro,
    print_question,
    render_template,
)
from cardsmith.model import Deck
from cardsmith.output import Staging
from cardsmith.render import Rendering, Renders, Target
from cardsmith.settings import Settings
from cardsmith.text.scripts import direction, is_rtl_language

# The sheet's geometry, in millimetres: its margins hold the running heads and page numbers
MARGIN_TOP_MM = 13
MARGIN_SIDE_MM = 9
MARGIN_BOTTOM_MM = 12
COLUMN_GAP_MM = 5
MIN_COLUMN_MM = 80  # at 8.5 pt about 55 characters a line: dense, still easy to read
PT_PER_MM = 72 / 25.4
MM_PER_PX = 25.4 / 96
AT_TOP_PX = 1.0  # a box this close to its page's top starts the page
BALANCE_STEP = 0.03  # of a column's height: how much taller each try of the last sheet's columns is


def export(
    deck: Deck, out: Staging, settings: Settings, report: Report, renders: Renders
) -> list[Path]:
    check_fonts(deck, report, intros=True)
    name = f"{deck.stem}.pdf"
    sheet = Sheet.of(settings, deck)
    context = _context(deck, settings, report, renders)
    # the first sheet's columns start below the deck's header: the frame of that one sheet says where
    first = document(_frame_html(deck, sheet, context, [_Frame("", [])]), deck, name)
    # (a frame template without the mark has no header to leave room for)
    end = first.pages[0].anchors.get("cs-header-end", (0, MARGIN_TOP_MM / MM_PER_PX))
    header = min(max(0.0, end[1] * MM_PER_PX - MARGIN_TOP_MM), sheet.column_height / 2)
    laid = document(_columns_html(deck, sheet, context, context["sections"], header), deck, name)
    parts, placed, level = [laid], _place(sheet, 0, range(len(laid.pages))), None
    balanced = _balance(deck, sheet, context, laid, header, name)
    if balanced is not None:  # the last sheet is laid out again, its columns level
        start, tail, height = balanced
        parts = [laid.copy(laid.pages[:start])] if start else []
        placed = _place(sheet, 0, range(start))
        parts.append(tail)
        level = (start // sheet.columns, height)
        placed += _place(sheet, len(parts) - 1, range(len(tail.pages)), level[0], height)
    # each written, its boxes let go before the next is made: memory stays that of the largest
    del laid, balanced
    parts = [laid_out(parts.pop(0), name) for _ in range(len(parts))]
    frames = _frames(sheet, parts, placed, header, level)
    frame = laid_out(document(_frame_html(deck, sheet, context, frames), deck, name), name)
    data = impose(parts, frame, placed)
    with out.file(name) as temp:
        temp.write_bytes(data)
    return [out.folder / name]


@dataclass(frozen=True, slots=True)
class Sheet:
    """A sheet's geometry: paper in millimetres, its columns, and which way they run."""

    width: float
    height: float
    columns: int
    rtl: bool

    @classmethod
    def of(cls, settings: Settings, deck: Deck) -> Sheet:
        width, height = PAPER[settings.paper]
        columns = settings.columns or default_columns(settings.paper)
        return cls(width, height, columns, is_rtl_language(deck.lang))

    @property
    def column_width(self) -> float:
        inner = self.width - 2 * MARGIN_SIDE_MM - (self.columns - 1) * COLUMN_GAP_MM
        return inner / self.columns

    @property
    def column_height(self) -> float:
        return self.height - MARGIN_TOP_MM - MARGIN_BOTTOM_MM

    def column_left(self, column: int) -> float:
        """The left edge of a column, from the sheet's left, in millimetres: the first column is on
        the right in a right-to-left deck."""
        place = self.columns - 1 - column if self.rtl else column
        return MARGIN_SIDE_MM + place * (self.column_width + COLUMN_GAP_MM)

    def rule_left(self, column: int) -> float:
        """Where the rule after a column is drawn (between it and the next), from the left edge of
        the sheet's text area, in millimetres."""
        left = self.column_left(column) - MARGIN_SIDE_MM
        return (
            left - COLUMN_GAP_MM / 2 if self.rtl else left + self.column_width + COLUMN_GAP_MM / 2
        )


def _place(
    sheet: Sheet, part: int, pages: range, first_sheet: int = 0, height: float | None = None
) -> list[Placed]:
    """Where the pages of one part go: `columns` to a sheet from `first_sheet`, each column's top
    at the top of the sheet's text area. `height`: the pages' height when they are shorter than a
    column (the balanced last sheet), in millimetres."""
    height = sheet.column_height if height is None else height
    bottom = MARGIN_BOTTOM_MM + sheet.column_height - height
    return [
        Placed(
            part,
            page,
            first_sheet + page // sheet.columns,
            sheet.column_left(page % sheet.columns) * PT_PER_MM,
            bottom * PT_PER_MM,
        )
        for page in pages
    ]


def _context(
    deck: Deck, settings: Settings, report: Report | None, renders: Renders | None
) -> dict:
    rendering = Rendering.of(deck, Target.PRINT, renders)
    sections, index = [], 0
    for number, section in enumerate(deck.sections):
        if not (section.questions or section.intro):
            continue  # one that holds only unanswered questions
        questions = [
            _Numbered(index + n, print_question(question, rendering, report))
            for n, question in enumerate(section.questions)
        ]
        index += len(questions)
        sections.append(
            {
                "index": number,
                "title": section.label,
                "dir": direction(section.label),
                "heading": True,
                "intro": print_intro(section, rendering, report),
                "questions": questions,
            }
        )
    return {
        "deck": deck,
        "title": deck.title,
        "date": str(deck.metadata.get("date", "")),
        "author": str(deck.metadata.get("author", "")),
        "sections": sections,
        "section_count": sum(1 for s in sections if s["questions"]),
        "count": len(deck.questions),
        "number_width": _number_width(deck),
    }


class _Numbered:
    """A print question with its place among the deck's (the anchor of its Q&A)."""

    __slots__ = ("_question", "index")

    def __init__(self, index: int, question) -> None:
        self.index = index
        self._question = question

    def __getattr__(self, name: str):
        return getattr(self._question, name)


def cheat_sheet_html(
    deck: Deck, settings: Settings, report: Report | None = None, renders: Renders | None = None
) -> str:
    """The HTML of the cheat sheet's columns (no header: that is the frame's)."""
    context = _context(deck, settings, report, renders)
    return _columns_html(deck, Sheet.of(settings, deck), context, context["sections"], 0)


def _columns_html(
    deck: Deck, sheet: Sheet, context: dict, sections: list, header: float, height=None
) -> str:
    return render_template(
        "cheatsheet.html",
        **{**context, "sections": sections},
        column_width=round(sheet.column_width, 3),
        column_height=round(sheet.column_height if height is None else height, 3),
        columns=sheet.columns,
        header_height=round(header, 3) if header > 0 else 0,
    )


@dataclass(frozen=True, slots=True)
class _Frame:
    section: str  # the running head: the section the sheet starts in
    rules: list[dict]


def _frame_html(deck: Deck, sheet: Sheet, context: dict, frames: list[_Frame]) -> str:
    return render_template(
        "cheatsheet-frame.html",
        **context,
        sheets=frames,
        page_size=f"{sheet.width}mm {sheet.height}mm",
        margin_top=MARGIN_TOP_MM,
        margin_side=MARGIN_SIDE_MM,
        margin_bottom=MARGIN_BOTTOM_MM,
        column_height=round(sheet.column_height, 3),
    )


def _frames(sheet: Sheet, parts: list, placed: list[Placed], header: float, level) -> list:
    """Each sheet's running head (the section it starts in, as CSS's `string()` takes it: the first
    set on the sheet, else the last before it) and its rules between columns that hold something,
    as tall as the columns (`level`: the balanced last sheet and its columns' height)."""
    by_sheet: dict[int, list[Placed]] = {}
    for place in placed:
        by_sheet.setdefault(place.sheet, []).append(place)
    frames, carried = [], ""
    for number in range(max(by_sheet) + 1):
        here = by_sheet.get(number, [])
        labels = [
            label
            for place in here
            for level_of, label, _, _ in parts[place.part].pages[place.page].bookmarks
            if level_of == 1
        ]
        section = labels[0] if labels else carried
        carried = labels[-1] if labels else carried
        top = header if number == 0 else 0
        height = (level[1] if level and level[0] == number else sheet.column_height) - top
        rules = [
            {"left": round(sheet.rule_left(c), 3), "top": round(top, 3), "height": round(height, 3)}
            for c in range(len(here) - 1)
        ]
        frames.append(_Frame(section, rules))
    return frames


def _anchor(document, name: str) -> tuple[int, float] | None:
    """(page, y in CSS pixels) of an anchor of a laid-out document, or None."""
    for number, page in enumerate(document.pages):
        if name in page.anchors:
            return number, page.anchors[name][1]
    return None


def _balance(deck: Deck, sheet: Sheet, context: dict, laid, header: float, name: str):
    """The last sheet's columns made level: (its first page in `laid`, the tail laid out again,
    the columns' height in millimetres), or None when there is nothing to balance or its text does
    not start with a section or a Q&A of its own (it goes on from the sheet before)."""
    pages = laid.pages
    columns = sheet.columns
    start = (len(pages) - 1) // columns * columns
    end = _anchor(laid, "cs-end")
    if columns == 1 or end is None:
        return None
    top = header if start == 0 else 0.0  # the first sheet's columns start below its header
    first = _first_box(pages, start, top / MM_PER_PX)
    if first is None:
        return None
    tail_sections = _tail(context["sections"], first)
    # as in CSS's balancing, a Q&A kept in one piece is not broken to make the columns level
    whole = {f"cs-q{q.index}" for s in tail_sections for q in s["questions"] if not q.tall}
    available = sheet.column_height - top
    used = (len(pages) - 1 - start) * available + end[1] * MM_PER_PX - top
    height = used / columns
    while height < available:
        tail = document(
            _columns_html(deck, sheet, context, tail_sections, top, height + top), deck, name
        )
        if len(tail.pages) <= columns and not _split(tail, whole):
            return start, tail, height + top
        height += available * BALANCE_STEP
    return None


def _split(document, whole: set[str]) -> bool:
    """Whether a box of `whole` (anchors) is on two pages of a laid-out document."""
    seen: set[str] = set()
    for page in document.pages:
        on_page = whole.intersection(page.anchors)
        if seen & on_page:
            return True
        seen |= on_page
    return False


def _first_box(pages, number: int, top_px: float) -> str | None:
    """The anchor of the section, section text or Q&A the page `number` starts with, or None when
    it goes on with a text or Q&A from the page before. (WeasyPrint gives a box's anchor to every
    page the box is on: a box starts on the first of them.)"""
    first_page: dict[str, int] = {}
    for index, page in enumerate(pages[: number + 1]):
        for name in page.anchors:
            first_page.setdefault(name, index)
    boxes = [
        (y, "siq".index(name[3]), name)
        for name, (_, y, *_) in pages[number].anchors.items()
        if name[:4] in ("cs-s", "cs-i", "cs-q")
    ]
    if any(first_page[name] < number and name[3] != "s" for _, _, name in boxes):
        return None  # a section's text or a Q&A goes on from the page before
    starting = sorted(box for box in boxes if first_page[box[2]] == number)
    if not starting or starting[0][0] > top_px + AT_TOP_PX:
        return None
    # at one height a section's box starts first, then its text, then a Q&A
    return starting[0][2]


def _tail(sections: list[dict], first: str) -> list[dict]:
    """The sections from the box `first` on: a section whole, or one going on from its text or one
    of its Q&As, without what it had before."""
    kind, number = first[:4], int(first[4:])
    tail = []
    for section in sections:
        if tail or (kind == "cs-s" and section["index"] == number):
            tail.append(section)
        elif kind == "cs-i" and section["index"] == number:
            tail.append({**section, "heading": False})
        elif kind == "cs-q" and any(q.index == number for q in section["questions"]):
            questions = [q for q in section["questions"] if q.index >= number]
            tail.append({**section, "heading": False, "intro": "", "questions": questions})
    return tail


def _number_width(deck: Deck) -> float:
    """Room for the widest question number ("12.") in em: the prompt's lines hang after it."""
    digits = max((len(str(q.number)) for q in deck.questions if q.number is not None), default=0)
    return round(0.62 * digits + 0.55, 2) if digits else 0


def default_columns(paper: str) -> int:
    width = PAPER[paper][0] - 2 * MARGIN_SIDE_MM
    return max(1, int(width // MIN_COLUMN_MM))
