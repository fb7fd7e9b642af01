"""Flashcard sheets as PDF pages: laid out in chunks, kept in a cache, joined into one PDF.

WeasyPrint keeps every page's layout until it writes a document, so a deck of thousands of cards is laid
out in chunks of `CHUNK_SHEETS` sheets, each its own small PDF, and the chunks' pages are joined (pypdf)
into the deck's PDF: memory stays that of one chunk however long the deck, and the chunks spread over
the build's worker processes.

The chunks are kept, as the sheet cache, in the output folder (`.cardsmith-sheets/<deck>/`): an index
that maps each sheet's key (its eight cards' text, sizes and numbers, and the style: cardsmith's code,
templates, paper and installed fonts) to the chunk and page it is on, and the size each card side was
found to fit at. A rebuild lays out only the sheets whose key is not in it: an edited answer re-lays out
its sheet. The cache is read as untrusted: a file that is not regular, too large, of another shape or
whose bytes are not the digest its name says is a miss, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cardsmith.exporters.fitting import Bound, Card, Fit
from cardsmith.exporters.printing import PrintDeck, document, render_template
from cardsmith.output import write_atomic

CHUNK_SHEETS = 16  # sheets in one WeasyPrint document: 32 pages
CACHE_FOLDER = ".cardsmith-sheets"
CACHE_VERSION = 1
INDEX_BYTES = (
    32 << 20
)  # an index larger than this is not one cardsmith wrote (10,000 cards: ~3 MiB)
CHUNK_BYTES = 64 << 20
_CHUNK_NAME = re.compile(r"[0-9a-f]{64}\.pdf")


@dataclass(frozen=True, slots=True)
class Slot:
    card: Card
    column: int  # on the sheet's grid, from the left of its content box
    row: int


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet of paper: its cards' question sides, then the same cards' answer sides; `key`
    says all that its two pages show."""

    fronts: tuple[Card, ...]
    backs: tuple[Card, ...]
    key: str


def side_key(card: Card, side: str) -> str:
    """What the size a card's `side` fits at depends on (its text; not its number or heads)."""
    if side == "front":
        parts = [(q.prompt, q.asked, q.front, q.options, q.dir) for q in (card.question,)]
        start = card.front_start
    else:
        parts = [(q.filled, q.correct, q.answer) for q in (card.question,)]
        start = card.back_start
    starts = None if start is card.question else (start.prompt, start.front, start.answer)
    return _digest(json.dumps([side, parts, starts]))


def sheet_key(style: str, fronts: Iterable[Card], backs: Iterable[Card]) -> str:
    shown = [
        [card.label, card.section, card.prompt_text, card.fit, card.overflow, *_html(card)]
        for card in (*fronts, *backs)
    ]
    return _digest(json.dumps([style, shown]))


def _html(card: Card) -> tuple[str, ...]:
    q = card.question
    return (q.prompt, q.asked, q.front, q.options, q.dir, q.filled, q.correct, q.answer)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class SheetCache:
    """One deck's sheet cache (see the module's docstring); empty when none can be read."""

    def __init__(self, folder: Path, style: str, data: dict | None = None):
        self.folder = folder
        self.style = style
        data = data or {}
        self.fits: dict[str, list] = data.get("fits", {})
        self.sheets: dict[str, list] = data.get("sheets", {})
        bound = data.get("bound")
        self.bound = Bound(*bound) if bound else None
        self._verified: dict[str, bool] = {}

    @classmethod
    def load(cls, out_dir: Path, stem: str, style: str) -> SheetCache:
        folder = out_dir / CACHE_FOLDER / stem
        try:
            data = json.loads(_read_regular(folder / "index.json", INDEX_BYTES))
        except (OSError, ValueError, RecursionError):
            return cls(folder, style)
        if not _well_formed(data) or data["version"] != CACHE_VERSION or data["style"] != style:
            return cls(folder, style)
        return cls(folder, style, data)

    def fit(self, key: str) -> Fit | None:
        found = self.fits.get(key)
        return Fit(*found) if found else None

    def pages(self, key: str) -> tuple[Path, int] | None:
        """(chunk file, its first page) where the sheet `key` was laid out, when that file is whole."""
        found = self.sheets.get(key)
        if found is None:
            return None
        name, first = found
        if name not in self._verified:
            self._verified[name] = _intact(self.folder / name)
        return (self.folder / name, first) if self._verified[name] else None

    def save(self, fits: dict[str, Fit], sheets: dict[str, tuple[Path, int]], bound) -> None:
        """Keep what this build found, and only the chunks its sheets are on."""
        data = {
            "version": CACHE_VERSION,
            "style": self.style,
            "bound": None if bound is None else list(_fields(bound)),
            "fits": {k: [f.level, f.overflow, f.start_only] for k, f in fits.items()},
            "sheets": {k: [path.name, first] for k, (path, first) in sheets.items()},
        }
        write_atomic(self.folder / "index.json", json.dumps(data, sort_keys=True))
        kept = {name for name, _ in data["sheets"].values()}
        for path in self.folder.iterdir():
            if _CHUNK_NAME.fullmatch(path.name) and path.name not in kept:
                with contextlib.suppress(OSError):
                    path.unlink()


def _fields(bound: Bound) -> tuple[float, ...]:
    return tuple(getattr(bound, name) for name in Bound.__slots__)


def _well_formed(data: object) -> bool:
    """An index as `SheetCache.save` writes it."""
    if not isinstance(data, dict) or not isinstance(data.get("style"), str):
        return False
    fits, sheets, bound = data.get("fits"), data.get("sheets"), data.get("bound")
    return (
        type(data.get("version")) is int
        and (
            bound is None
            or (
                isinstance(bound, list)
                and len(bound) == len(Bound.__slots__)
                and all(type(v) in (int, float) for v in bound)
            )
        )
        and isinstance(fits, dict)
        and all(
            isinstance(f, list)
            and len(f) == 3
            and type(f[0]) is int
            and 0 <= f[0] < 16
            and type(f[1]) is bool
            and type(f[2]) is bool
            for f in fits.values()
        )
        and isinstance(sheets, dict)
        and all(
            isinstance(s, list)
            and len(s) == 2
            and isinstance(s[0], str)
            and _CHUNK_NAME.fullmatch(s[0])
            and type(s[1]) is int
            and s[1] >= 0
            for s in sheets.values()
        )
    )


def _read_regular(path: Path, limit: int) -> bytes:
    """The bytes of `path` if it is a regular file (not a link, FIFO or device) of at most `limit`
    bytes; else OSError."""
    info = path.lstat()
    if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
        raise OSError(f"{path} is not a cache file")
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise OSError(f"{path} is not a cache file")
    return data


def _intact(path: Path) -> bool:
    """Whether a chunk file holds the bytes its name is the digest of."""
    try:
        data = _read_regular(path, CHUNK_BYTES)
    except OSError:
        return False
    return hashlib.sha256(data).hexdigest() + ".pdf" == path.name


def pages_of(sheets: list[Sheet], geometry: dict) -> list[dict]:
    """Pages in print order: a page of questions, then the page of their answers, mirrored."""
    columns = geometry["columns"]
    pages = []
    for sheet in sheets:
        front_slots, back_slots = [], []
        for offset, (front, back) in enumerate(zip(sheet.fronts, sheet.backs, strict=True)):
            row, column = divmod(offset, columns)
            front_slots.append(Slot(front, column, row))
            mirrored = columns - 1 - column  # long-edge flip swaps left and right
            back_slots.append(Slot(back, mirrored, row))
        pages.append({"side": "front", "slots": front_slots})
        pages.append({"side": "back", "slots": back_slots})
    return pages


def lay_out(
    chunk: tuple[int, list[Sheet]], layout: PrintDeck, geometry: dict, folder: str, pages: int
) -> str:
    """Lay out a chunk of sheets (the number of its first sheet in the deck, and the sheets) and
    keep its PDF in the cache `folder`; return the file's name. `pages`: the deck's in all, for the
    progress line. Runs in a worker process."""
    first, sheets = chunk
    html = render_template(
        "flashcards.html",
        mode="sheets",
        deck=layout,
        title=layout.title,
        pages=pages_of(sheets, geometry),
        **geometry,
    )
    what = f"{layout.stem}.cards.pdf: sheets"
    data = document(html, layout, what, pages, first_page=2 * first + 1).write_pdf()
    name = hashlib.sha256(data).hexdigest() + ".pdf"
    target = Path(folder) / name
    if not target.is_file():
        write_atomic(target, data)
    return name


@dataclass(frozen=True, slots=True)
class Joined:
    """What the joined PDF holds besides its pages: its title, language and maker, and a bookmark
    for each section at the page it starts on."""

    title: str
    lang: str
    creator: str
    outline: tuple[tuple[str, int], ...]


def join(task: tuple[list[tuple[str, int]], str, Joined]) -> int:
    """Write the PDF of the (chunk file, first page) sheets in order to `target`; its page count.
    Runs in a worker process."""
    import pypdf
    from pypdf.generic import NameObject, TextStringObject

    parts, target, joined = task
    writer = pypdf.PdfWriter()
    readers: dict[str, pypdf.PdfReader] = {}
    for path, first in parts:
        if path not in readers:
            readers[path] = pypdf.PdfReader(path)
        pages = readers[path].pages
        writer.add_page(pages[first])
        writer.add_page(pages[first + 1])
    producer = next(iter(readers.values())).metadata.get("/Producer", "") if readers else ""
    writer.add_metadata({"/Title": joined.title, "/Creator": joined.creator, "/Producer": producer})
    writer._root_object[NameObject("/Lang")] = TextStringObject(joined.lang)
    for title, page in joined.outline:
        writer.add_outline_item(title, page)
    with open(target, "wb") as handle:
        writer.write(handle)
    return len(writer.pages)
