"""Pages set side by side on bigger sheets: the cheat sheet's columns, each laid out by WeasyPrint as
a page of its own, placed on the sheets of paper over a frame (header, page numbers, rules).

WeasyPrint lays out a multi-column page twice (a trial to find where each column ends, then the
columns again), and did so for every page: on long answers its columns cost the cheat sheet about
two thirds more time than the same text in one column (bench/RESULTS.md). A column laid out as a
page is laid out once. The sheets are then made here without parsing any page's drawing: each
column's content streams are drawn on its sheet as they are, moved to their place, over the
sheet's frame, a page of another document drawn as a form XObject. The columns keep their text
layer where it is drawn, their links are made again at their new place, and the outline points
into the sheets.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

PT_PER_PX = 0.75  # WeasyPrint's positions are CSS pixels
FRAME = "/CsFrame"  # the frame's name among a sheet's XObjects


@dataclass(frozen=True, slots=True)
class Placed:
    """A laid-out page on a sheet: the page `page` of the document `part`, drawn on the sheet
    `sheet` with its bottom-left corner at (`x`, `y`), in points from the sheet's bottom-left."""

    part: int
    page: int
    sheet: int
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Page:
    """What placing a laid-out page needs of it: its height, and its bookmarks, links and anchors
    as WeasyPrint gives them (CSS pixels from the page's top-left)."""

    height: float
    bookmarks: list
    links: list
    anchors: dict


@dataclass(frozen=True, slots=True)
class Laid:
    """A laid-out document written: its PDF and its pages. Its boxes can then go."""

    pdf: bytes
    pages: list[Page]

    @classmethod
    def of(cls, document) -> Laid:
        pages = [
            Page(page.height, page.bookmarks, [link[:3] for link in page.links], page.anchors)
            for page in document.pages
        ]
        return cls(document.write_pdf(), pages)


def impose(parts: list[Laid], frame: Laid, placed: list[Placed]) -> bytes:
    """The PDF of the sheets: the frame's page `i` is sheet `i`, each placed page drawn over it where
    `placed` puts it. A sheet's pages come from one part. The metadata and language are the first
    part's."""
    import pypdf
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    readers = [pypdf.PdfReader(io.BytesIO(part.pdf)) for part in parts]
    frame_reader = pypdf.PdfReader(io.BytesIO(frame.pdf))
    writer = pypdf.PdfWriter()
    on_sheet: dict[int, list[Placed]] = {}
    for place in placed:
        on_sheet.setdefault(place.sheet, []).append(place)

    for number, frame_page in enumerate(frame_reader.pages):
        box = frame_page.mediabox
        page = writer.add_blank_page(float(box.width), float(box.height))
        here = on_sheet.get(number, [])
        # the placed pages' resources in one (WeasyPrint gives all pages of a document the same)
        resources = DictionaryObject()
        for place in here:
            source = readers[place.part].pages[place.page]["/Resources"].get_object()
            for key, value in source.clone(writer).items():
                value = value.get_object()
                if isinstance(value, DictionaryObject) and key in resources:
                    resources[key] = DictionaryObject({**resources[key], **value})
                else:
                    resources[key] = value
        xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
        xobjects[NameObject(FRAME)] = writer._add_object(_form(frame_page, writer))
        resources[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = resources
        contents = ArrayObject([_stream(f"q {FRAME} Do Q\n".encode(), writer)])
        for place in here:
            contents.append(_stream(f"q 1 0 0 1 {place.x:.3f} {place.y:.3f} cm\n".encode(), writer))
            contents.extend(_content_streams(readers[place.part].pages[place.page], writer))
            contents.append(_stream(b"\nQ\n", writer))
        page[NameObject("/Contents")] = contents

    _outline(writer, parts, placed)
    _links(writer, parts, placed)
    writer.add_metadata(dict(readers[0].metadata or {}))
    lang = readers[0].trailer["/Root"].get("/Lang")
    if lang is not None:
        writer._root_object[NameObject("/Lang")] = TextStringObject(str(lang))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _point(place: Placed, page, x: float, y: float) -> tuple[float, float]:
    """A point of a laid-out page (CSS pixels from its top-left) on its sheet (points)."""
    return place.x + x * PT_PER_PX, place.y + (page.height - y) * PT_PER_PX


def _outline(writer, parts: list, placed: list[Placed]) -> None:
    """The placed pages' bookmarks, nested by level, pointing at their sheets."""
    from pypdf.generic import Fit

    parents: list[tuple[int, object]] = []  # (level, outline item) of the open bookmarks
    for place in placed:
        page = parts[place.part].pages[place.page]
        for level, label, (x, y), _state in page.bookmarks:
            left, top = _point(place, page, x, y)
            while parents and parents[-1][0] >= level:
                parents.pop()
            item = writer.add_outline_item(
                title=label,
                page_number=place.sheet,
                parent=parents[-1][1] if parents else None,
                fit=Fit.xyz(left=left, top=top),
            )
            parents.append((level, item))


def _links(writer, parts: list, placed: list[Placed]) -> None:
    """The placed pages' links at their new place: to a URL, or to an anchor on some sheet (links to
    an anchor that no page has are left out, as WeasyPrint leaves them)."""
    from pypdf.annotations import Link
    from pypdf.generic import Fit

    anchors: dict[str, tuple[int, float, float]] = {}
    for place in placed:
        page = parts[place.part].pages[place.page]
        for name, (x, y, *_) in page.anchors.items():
            anchors.setdefault(name, (place.sheet, *_point(place, page, x, y)))
    for place in placed:
        page = parts[place.part].pages[place.page]
        for kind, target, (x, y, width, height) in page.links:
            left, top = _point(place, page, x, y)
            right, bottom = _point(place, page, x + width, y + height)
            rect = (left, bottom, right, top)
            if kind == "external":
                link = Link(rect=rect, url=target)
            elif kind == "internal" and target in anchors:
                sheet, ax, ay = anchors[target]
                link = Link(rect=rect, target_page_index=sheet, fit=Fit.xyz(left=ax, top=ay))
            else:
                continue
            writer.add_annotation(place.sheet, link)


def _stream(data: bytes, writer):
    from pypdf.generic import DecodedStreamObject

    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


def _content_streams(page, writer) -> list:
    """A page's content streams as they are (still compressed), in `writer`."""
    from pypdf.generic import ArrayObject

    contents = page["/Contents"].get_object()
    streams = contents if isinstance(contents, ArrayObject) else [contents]
    return [_reference(stream.get_object().clone(writer), writer) for stream in streams]


def _reference(clone, writer):
    """The indirect reference of an object cloned into `writer` (one it had in its own file keeps
    its place there)."""
    reference = getattr(clone, "indirect_reference", None)
    return reference if reference is not None else writer._add_object(clone)


def _form(page, writer):
    """`page` as a form XObject in `writer`."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, FloatObject, NameObject

    contents = page["/Contents"].get_object()
    streams = contents if isinstance(contents, ArrayObject) else [contents]
    drawing = DecodedStreamObject()
    drawing.set_data(b"\n".join(stream.get_object().get_data() for stream in streams))
    form = drawing.flate_encode()
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    box = page.mediabox
    form[NameObject("/BBox")] = ArrayObject(
        [
            FloatObject(box.left),
            FloatObject(box.bottom),
            FloatObject(box.right),
            FloatObject(box.top),
        ]
    )
    form[NameObject("/Resources")] = page["/Resources"].get_object().clone(writer)
    return form
