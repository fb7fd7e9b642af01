"""An Anki field's HTML as a small tree, and what it shows as a canonical key.

Anki's editors re-serialise a field when they save it: the desktop's and AnkiMobile's WebView write
`<br />` as `<br>`, `&quot;` as `"`, bold as `<b>`, a line typed in a bare field as a `<div>`; AnkiDroid
turns every newline into `<br>`, even in fields nobody touched. None of that changes what the card
shows, so neither the lock's fingerprints nor pull's comparisons look at bytes: they compare `key`s,
where whitespace runs are one space, blank text and stray `<br>`s between blocks are gone, `<b>` is
`<strong>` and `<i>` `<em>`, a `<br>` inside `<pre>` is a newline, Pygments' colouring spans inside
`<pre>` are not there (code is compared as its text), and a run of inline content at the top of the
field, or a plain `<div>` line, is a paragraph.
"""

from __future__ import annotations

import hashlib
import html as htmllib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset({"br", "img", "hr", "input", "col", "wbr"})
# the editors' spelling of an element, and cardsmith's
SAME_AS = {"b": "strong", "i": "em", "del": "s", "strike": "s"}
INLINE = frozenset(
    {
        "strong", "em", "s", "code", "a", "img", "br", "kbd", "sub", "sup", "u", "mark", "small",
        "ins", "span", "font", "b", "i", "del", "strike", "anki-mathjax", "input",
    }
)  # fmt: skip
BLOCK = frozenset(
    {
        "p", "div", "ul", "ol", "li", "pre", "blockquote", "table", "thead", "tbody", "tfoot",
        "tr", "th", "td", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "details", "summary", "dl",
        "dt", "dd", "figure", "figcaption", "section", "caption",
    }
)  # fmt: skip


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    """A field's HTML as a tree (unclosed elements close at their parent's end)."""
    tree = _Tree()
    tree.feed(html)
    tree.close()
    return tree.root


def serialize(nodes: list[Element | str]) -> str:
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(htmllib.escape(node, quote=False))
            continue
        attrs = "".join(f' {name}="{htmllib.escape(value)}"' for name, value in node.attrs.items())
        if node.tag in VOID:
            out.append(f"<{node.tag}{attrs}>")
        else:
            out.append(f"<{node.tag}{attrs}>{serialize(node.children)}</{node.tag}>")
    return "".join(out)


def blocks(children: list[Element | str]) -> list[Element | list]:
    """An element's children as blocks: a block element as it is, a run of text and inline elements
    as a list; blank text, and `<br>`s standing alone between blocks (AnkiDroid's newlines, the
    `<br>` the editor leaves after inline content), are not blocks."""
    out: list[Element | list] = []
    run: list[Element | str] = []

    def flush() -> None:
        while run and isinstance(run[-1], Element) and run[-1].tag == "br":
            run.pop()
        if any(not _blank(node) for node in run):
            out.append(list(run))
        run.clear()

    for node in children:
        if isinstance(node, str) or node.tag in INLINE:
            run.append(node)
        else:
            flush()
            out.append(node)
    flush()
    return out


def _blank(node: Element | str) -> bool:
    if isinstance(node, str):
        return not node.strip(" \t\n\r\f\u00a0")
    return node.tag == "br"


def as_paragraph(block: Element | list) -> Element:
    """A block as the element it shows as: an inline run or a plain `<div>` line is a paragraph."""
    if isinstance(block, list):
        return Element("p", {}, block)
    if (
        block.tag == "div"
        and not block.attrs
        and all(isinstance(child, str) or child.tag in INLINE for child in block.children)
    ):
        return Element("p", {}, block.children)
    return block


def key(html: str, ignore_image_sources: bool = False) -> tuple:
    """What `html` shows, as a hashable key (see the module's docstring). With
    `ignore_image_sources`, images are compared without their `src` and `alt` (a pasted
    `paste-x.png` comes back from a build under another media name)."""
    return _key(_tokens(html), ignore_image_sources)


def field_key(html: str, ignore_image_sources: bool = False) -> tuple:
    """A whole field's key: its top-level blocks as paragraphs where they show as paragraphs."""
    top = [as_paragraph(block) for block in blocks(parse(html).children)]
    return key(serialize(top), ignore_image_sources)


def fingerprint(html: str) -> str:
    """What the lock keeps of a field: sha256 of its `field_key`, shortened."""
    return hashlib.sha256(repr(field_key(html)).encode()).hexdigest()[:16]


def raw_print(html: str) -> str:
    """A field's bytes as the lock keeps them (`Entry.raw`): sha256, shortened. The same bytes show
    the same, so have the same `fingerprint`; a few microseconds, where a `fingerprint` takes a
    millisecond (the HTML read twice)."""
    return hashlib.sha256(html.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def note_prints(fields, entry=None) -> tuple[tuple[str, str], tuple[str, str]]:
    """The `fingerprint`s of a note's two fields, and their `raw_print`s. A field whose bytes are
    those the lock's `entry` saw last (`Entry.raw`) has the fingerprint the lock keeps for it
    (`Entry.fields`), without its HTML read again; any other field is read."""
    prints = entry.field_prints if entry is not None else None
    raws = entry.raw_prints if entry is not None else None
    found, raw = [], []
    for number in (0, 1):
        raw.append(raw_print(fields[number]))
        if prints is not None and raws is not None and raws[number] == raw[number]:
            found.append(prints[number])
        else:
            found.append(fingerprint(fields[number]))
    return (found[0], found[1]), (raw[0], raw[1])


def _key(tokens: list[tuple], ignore_image_sources: bool) -> tuple:
    out: list[tuple] = []
    pre = 0
    for token in tokens:
        if token[0] == "text":
            if out and out[-1][0] == "text":
                out[-1] = ("text", out[-1][1] + token[1])
            else:
                out.append(token)
            continue
        tag = SAME_AS.get(token[1], token[1])
        if tag == "pre":
            pre += 1 if token[0] == "start" else -1
        elif pre and tag == "span":
            continue
        if token[0] == "end":
            out.append(("end", tag))
            continue
        attrs = token[2]
        if ignore_image_sources and tag == "img":
            attrs = tuple((name, value) for name, value in attrs if name not in ("src", "alt"))
        out.append(("start", tag, attrs))
    return tuple(out)


class _Tokens(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[tuple] = []
        self.pre = 0

    def handle_starttag(self, tag, attrs):
        if tag == "br" and self.pre:
            self.out.append(("text", "\n", True))
            return
        self.out.append(("start", tag, tuple(sorted((k, v or "") for k, v in attrs))))
        if tag == "pre":
            self.pre += 1
        if tag in VOID:
            self.out.append(("end", tag))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if tag == "pre":
            self.pre = max(0, self.pre - 1)
        self.out.append(("end", tag))

    def handle_data(self, data):
        if self.pre:
            self.out.append(("text", data, True))
        else:
            self.out.append(("text", re.sub(r"[ \t\n\r\f\u00a0]+", " ", data), False))


def _tokens(html: str) -> list[tuple]:
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    merged: list[tuple] = []
    for token in parser.out:
        if token[0] == "text" and merged and merged[-1][0] == "text":
            merged[-1] = ("text", merged[-1][1] + token[1], merged[-1][2] or token[2])
        else:
            merged.append(token)
    # blank text beside a block, or at either end, shows nothing
    kept: list[tuple] = []
    for index, token in enumerate(merged):
        if token[0] == "text" and not token[2] and not token[1].strip(" "):
            after = merged[index + 1] if index + 1 < len(merged) else None
            if not kept or after is None or _blockish(kept[-1]) or _blockish(after):
                continue
        kept.append(token)
    # a <br> right after or before a block's edge (AnkiDroid's newlines) shows nothing either
    cleaned: list[tuple] = []
    index = 0
    while index < len(kept):
        token = kept[index]
        if token[:2] == ("start", "br"):
            after = kept[index + 2] if index + 2 < len(kept) else None
            before = cleaned[-1] if cleaned else None
            if before is None or after is None or _blockish(before) or _blockish(after):
                index += 2
                continue
        cleaned.append(token)
        index += 1
    # spaces at a block's edges, or beside a line break, show nothing
    out: list[tuple] = []
    for index, token in enumerate(cleaned):
        if token[0] != "text":
            out.append(token)
            continue
        text = token[1]
        if not token[2]:
            before = cleaned[index - 1] if index else None
            after = cleaned[index + 1] if index + 1 < len(cleaned) else None
            if before is None or _blockish(before) or before[:2] == ("end", "br"):
                text = text.lstrip(" ")
            if after is None or _blockish(after) or after[:2] == ("start", "br"):
                text = text.rstrip(" ")
        if text:
            out.append(("text", text))
    return out


def _blockish(token: tuple) -> bool:
    return token[0] in ("start", "end") and token[1] in BLOCK
