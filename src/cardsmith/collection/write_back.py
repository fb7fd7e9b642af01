"""An Anki field's HTML back into the author's Markdown, as the smallest edit of its file.

The field as cardsmith last wrote it (`base`) and as Anki holds it now (`edited`) both become
Markdown through html-to-markdown, in the author's own style (list markers, emphasis signs, fences,
read from the question's lines). The two are compared word by word (a word, a run of punctuation, a
line break and a blank line are each a token); each changed run is placed in the file through an
alignment of the base's tokens with the question's own lines, and only the characters of the
changed tokens are rewritten. A change whose ends cannot be placed (its words are not the author's
as written: markup the converter spells otherwise) is refused whole: `Unmappable`.

html-to-markdown and not markdownify: both were run on the 100 card fields of the seed, golden and
conventions banks, each field to Markdown and rendered again. html-to-markdown gave back what the
card shows for 94 (in 90 ms), markdownify for 93 once told where a fence's language is (in 170 ms,
and it needs BeautifulSoup); markdownify escapes `_` in LaTeX (`\\sum\\_i`), which changes the
author's words. The misses of both are fields no edit maps anyway (a quiz's options, a front's
`<div>`, an image's media name). html-to-markdown was pinned already. Whatever it gives is never
trusted: the pull renders the edited file again and keeps an edit only when the card it makes shows
what Anki shows (`collection.pull`).
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass

# a blank line (paragraph break), a line break, a Chinese, Japanese or Korean character (those
# scripts put no space between words), a word, a punctuation or markup sign
_TOKEN = re.compile(
    r"\n(?:[ \t]*\n)+|\n|[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]"
    r"|\w+|[^\w\s]"
)
_MATH_INLINE = re.compile(r"\\\((.+?)\\\)", re.S)
_MATH_BLOCK = re.compile(r"\\\[(.+?)\\\]", re.S)


class Unmappable(Exception):
    """An edit that cannot be placed in the Markdown as it is written: nothing of it is applied."""


@dataclass(frozen=True, slots=True)
class Style:
    """How the author writes what Anki's editor may add: a list's marker, emphasis and strong signs."""

    bullet: str = "-"
    emphasis: str = "*"
    fence: str = "backticks"

    @classmethod
    def of(cls, text: str) -> Style:
        """The style of `text` (a question's lines): its first list marker and emphasis signs."""
        bullet = re.search(r"^[ \t]*([-*+])[ \t]+\S", text, re.M)
        emphasis = re.search(r"(?<![\w*_])(\*\*|__|\*|_)(?=\w)", text)
        fence = "tildes" if re.search(r"^[ \t]*~~~", text, re.M) else "backticks"
        return cls(
            bullet=bullet.group(1) if bullet else "-",
            emphasis=emphasis.group(1)[0] if emphasis else "*",
            fence=fence,
        )


def to_markdown(html: str, style: Style) -> str:
    """A field's HTML as Markdown in `style` (MathJax's `\\(..\\)` as the `$..$` cardsmith reads)."""
    import html_to_markdown

    html = _MATH_BLOCK.sub(lambda m: f"$${m.group(1)}$$", html)
    html = _MATH_INLINE.sub(lambda m: f"${m.group(1)}$", html)
    options = html_to_markdown.ConversionOptions(
        bullets=style.bullet,
        strong_em_symbol=style.emphasis,
        code_block_style=style.fence,
        extract_metadata=False,
        newline_style="backslash",
        autolinks=True,
    )
    try:
        markdown = html_to_markdown.convert(html, options).content.strip("\n")
    except Exception as exc:  # the converter's own errors (input too large, too deep): said
        raise Unmappable(f"the field cannot be read as Markdown: {exc}") from None
    return _unpadded_tables(markdown)


_DELIMITER_ROW = re.compile(r"^\|(?:[ \t]*:?-+:?[ \t]*\|)+[ \t]*$")


def _unpadded_tables(markdown: str) -> str:
    """The converter's tables without their layout: it pads every cell to its column's width and
    draws the delimiter row as wide, so a cell made longer in Anki changed every row's padding and
    the dashes (`|------|---------------- |` in the author's file). A delimiter row's dashes are
    `---` and a cell's padding one space, in the base and the edited field alike: the edit is the
    cell's words, and the author's own delimiter row and spacing stay."""
    lines = markdown.split("\n")
    for at, line in enumerate(lines):
        if not _DELIMITER_ROW.match(line) or at == 0 or not lines[at - 1].startswith("|"):
            continue
        lines[at] = re.sub(r"-+", "---", line)
        row = at - 1
        while row >= 0 and lines[row].startswith("|"):
            lines[row] = re.sub(r"(?<=\S)[ \t]{2,}\|", " |", lines[row])
            row -= 1
        row = at + 1
        while row < len(lines) and lines[row].startswith("|"):
            lines[row] = re.sub(r"(?<=\S)[ \t]{2,}\|", " |", lines[row])
            row += 1
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace `text[start:end]` by `new` (offsets in the file's text, newlines as `\\n`)."""

    start: int
    end: int
    new: str


def _tokens(text: str) -> list[tuple[str, int, int]]:
    out = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token.startswith("\n"):
            token = "\n\n" if token.count("\n") > 1 else "\n"
        out.append((token, match.start(), match.end()))
    return out


def edits(base: str, edited: str, text: str, start: int, end: int) -> list[Edit]:
    """The edits of `text[start:end]` (a question's lines) that turn what shows as `base` into
    what shows as `edited` (both Markdown); `Unmappable` when a change cannot be placed."""
    base_tokens = _tokens(base)
    new_tokens = _tokens(edited)
    region = [(t, s + start, e + start) for t, s, e in _tokens(text[start:end])]
    placed = _align([t for t, _, _ in base_tokens], [t for t, _, _ in region])
    out = []
    changes = difflib.SequenceMatcher(
        None, [t for t, _, _ in base_tokens], [t for t, _, _ in new_tokens], autojunk=False
    ).get_opcodes()
    for op, i1, i2, j1, j2 in changes:
        if op == "equal":
            continue
        gap = _gap(i1, i2, j1, j2, base, base_tokens, new_tokens, region, placed, text, edited)
        if gap is not None:
            out.append(gap)
            continue
        if op == "insert":
            out.append(
                _insertion(i1, j1, j2, base_tokens, new_tokens, region, placed, text, edited)
            )
            continue
        first, last = placed.get(i1), placed.get(i2 - 1)
        if first is None or last is None or last < first:
            raise Unmappable(f"the words {_words(base_tokens[i1:i2])!r} are not written so")
        s, e = region[first][1], region[last][2]
        if op == "delete":
            s, e = _with_space(text, s, e)
            out.append(Edit(s, e, ""))
        else:
            new = edited[new_tokens[j1][1] : new_tokens[j2 - 1][2]]
            out.append(Edit(s, e, _indented(new, text, s, base, base_tokens[i1][1])))
    return out


def _gap(
    i1, i2, j1, j2, base, base_tokens, new_tokens, region, placed, text, edited
) -> Edit | None:
    """The change as the whole stretch between the unchanged tokens around it, when the file has
    nothing else there (no word the base does not show): what Anki shows between them, spaces
    included, replaces what the file has. None when that cannot be said so."""
    if i1 == 0 or i2 >= len(base_tokens) or j1 == 0 or j2 >= len(new_tokens):
        return None
    before, after = placed.get(i1 - 1), placed.get(i2)
    if before is None or after is None or after - before - 1 != i2 - i1:
        return None
    if any(placed.get(k) != before + 1 + k - i1 for k in range(i1, i2)):
        return None
    start, end = region[before][2], region[after][1]
    new = edited[new_tokens[j1 - 1][2] : new_tokens[j2][1]]
    # the spacing at the stretch's ends is the author's where Anki kept the base's: `|t|` in a
    # table written without padding stays so when its cell's word changes
    was = base[base_tokens[i1 - 1][2] : base_tokens[i2][1]]
    new = _spaced(new, was, text[start:end])
    return Edit(start, end, _indented(new, text, start, "", 0))


def _spaced(new: str, was: str, written: str) -> str:
    """`new` (a stretch in Anki's field as Markdown) with the file's own spaces at its ends where
    the field's are those of `was` (the base's stretch); `written` is the file's stretch."""
    if not new.strip(" \t"):
        return new
    lead = len(new) - len(new.lstrip(" \t"))
    # a base of spaces alone is the space before the next word: the new words bring their own
    if lead and was.strip(" \t") and new[:lead] == was[: len(was) - len(was.lstrip(" \t"))]:
        new = written[: len(written) - len(written.lstrip(" \t"))] + new[lead:]
    trail = len(new) - len(new.rstrip(" \t"))
    if trail and new[len(new) - trail :] == was[len(was.rstrip(" \t")) :]:
        new = new[: len(new) - trail] + written[len(written.rstrip(" \t")) :]
    return new


def _insertion(i1, j1, j2, base_tokens, new_tokens, region, placed, text, edited) -> Edit:
    """New tokens placed beside the base token they are glued to (no space between: `[` before a
    word), else after the token before them, with the space that stands before them."""
    after = placed.get(i1 - 1) if i1 > 0 and j1 > 0 else None
    before = placed.get(i1) if i1 < len(base_tokens) and j2 < len(new_tokens) else None
    glued = before is not None and new_tokens[j2 - 1][2] == new_tokens[j2][1]
    if before is not None and (glued or after is None):
        at = region[before][1]
        new = edited[new_tokens[j1][1] : new_tokens[j2][1]]
        return Edit(at, at, _indented(new, text, at, "", 0))
    if after is not None:
        at = region[after][2]
        new = edited[new_tokens[j1 - 1][2] : new_tokens[j2 - 1][2]]
        return Edit(at, at, _indented(new, text, at, "", 0))
    raise Unmappable(f"no place for the new words {_words(new_tokens[j1:j2])!r}")


def _align(base: list[str], region: list[str]) -> dict[int, int]:
    """Which token of the question's lines each token of `base` is (those written the same)."""
    matcher = difflib.SequenceMatcher(None, base, region, autojunk=False)
    placed = {}
    for a, b, size in matcher.get_matching_blocks():
        for offset in range(size):
            placed[a + offset] = b + offset
    return placed


def _with_space(text: str, start: int, end: int) -> tuple[int, int]:
    """A deleted run with one space beside it (before it, else after it), so no double space stays."""
    if start > 0 and text[start - 1] in " \t" and (end == len(text) or not text[end].isalnum()):
        return start - 1, end
    if end < len(text) and text[end] in " \t":
        return start, end + 1
    return start, end


# what stands before a line's text: its indentation, inside block quotes (`> > `) or not
_LEAD = re.compile(r"(?:[ \t]*>)*[ \t]*")


def _indented(new: str, text: str, at: int, base: str, base_at: int) -> str:
    """`new` with the indentation the file's line at `at` has beyond the base's (an answer inside
    a list item is indented in the file, not in the field) after each of its line breaks. In a
    block quote (a Carpentries lesson's `> > ` solution) a blank line takes the quote's `>` too,
    or it would end the quote, and so does a line break at its end (the file's text follows)."""
    if "\n" not in new:
        return new
    line = text[text.rfind("\n", 0, at) + 1 : at]
    indent = _LEAD.match(line).group()
    base_line = base[base.rfind("\n", 0, base_at) + 1 : base_at] if base else ""
    base_indent = _LEAD.match(base_line).group()
    extra = indent[: len(indent) - len(base_indent)] if indent.endswith(base_indent) else ""
    if not extra:
        return new
    if ">" in extra:  # a line break at the end is followed by the file's text: quoted too
        quoted = extra.rstrip(" \t")
        return re.sub(r"\n(?=(\n)?)", lambda m: "\n" + (quoted if m.group(1) else extra), new)
    return re.sub(r"\n(?=[^\n])", "\n" + extra, new)


def _words(tokens) -> str:
    return " ".join(t for t, _, _ in tokens if not t.startswith("\n"))[:60]


def apply(text: str, changes: list[Edit]) -> str:
    """`text` with `changes` made (they do not overlap)."""
    out, last = [], 0
    for edit in sorted(changes, key=lambda e: (e.start, e.end)):
        if edit.start < last:
            raise Unmappable("two edits overlap")
        out.append(text[last : edit.start])
        out.append(edit.new)
        last = edit.end
    out.append(text[last:])
    return "".join(out)


@dataclass(frozen=True, slots=True)
class FileText:
    """A Markdown file as it is on disk (its bytes, BOM and line ends) and as the reader sees it
    (`text`: newlines as `\\n`), so edits made to `text` are written back with every other byte as
    it was."""

    data: bytes
    raw: str  # decoded, BOM taken off, line ends as written
    text: str
    bom: bool
    crlf: list[int]  # offsets in `text` of the line breaks written `\r\n`
    newline: str  # how a new line break is written: the file's usual one

    @classmethod
    def of(cls, data: bytes) -> FileText:
        bom = data.startswith(b"\xef\xbb\xbf")
        raw = data[3 if bom else 0 :].decode("utf-8")
        crlf, text_parts, offset, last = [], [], 0, 0
        for match in re.finditer(r"\r\n?", raw):
            text_parts.append(raw[last : match.start()])
            offset += match.start() - last
            if match.group() == "\r\n":
                crlf.append(offset)
            text_parts.append("\n")
            offset += 1
            last = match.end()
        text_parts.append(raw[last:])
        text = "".join(text_parts)
        lf = text.count("\n") - len(crlf)
        return cls(data, raw, text, bom, crlf, "\r\n" if len(crlf) > lf else "\n")

    def raw_offset(self, offset: int) -> int:
        return offset + bisect.bisect_left(self.crlf, offset)

    def written(self, changes: list[Edit]) -> bytes:
        """The file's bytes with `changes` (offsets in `text`) made, every other byte as it was."""
        out, last = [], 0
        for edit in sorted(changes, key=lambda e: (e.start, e.end)):
            start, end = self.raw_offset(edit.start), self.raw_offset(edit.end)
            out.append(self.raw[last:start])
            out.append(edit.new.replace("\n", self.newline))
            last = end
        out.append(self.raw[last:])
        return (b"\xef\xbb\xbf" if self.bom else b"") + "".join(out).encode("utf-8")
