"""One Markdown file's markdown-it tokens, indexed once for the rules: its headings, its `<details>`
groups, its top-level lists and paragraphs, and its tokens by line."""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property
from typing import Any

# admonition types whose body is a question (their answer a solution box in them, or none)
EXERCISE_KINDS = frozenset({"exercise", "problem"})
# an emoji shortcode (`:rocket:`): no text of a heading's name
SHORTCODE = re.compile(r":[a-z0-9_+\-]+:")


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str  # the heading's Markdown (a prompt keeps its marks)
    plain: str  # plain text: no Markdown, HTML tags or emoji shortcodes (deck and section names)
    line: int  # 0-based first line
    end: int  # 0-based line after the heading
    indent: int  # spaces before the `#`


@dataclass(frozen=True, slots=True)
class Admonition:
    """An mkdocs admonition (`!!! note "Title"`, collapsible `??? question "Show Answer"`): its
    lines [line, end), its type and title, and where its body's columns begin."""

    index: int  # its opening token
    line: int
    end: int
    kind: str  # `note`, `question`, `success`, ...
    title: str
    collapsible: bool
    default_title: bool  # no title of its own: the type's name (`??? success` -> "Success")
    column: int  # the body's indentation: the marker's column plus four


@dataclass(frozen=True, slots=True)
class TopList:
    """A list at the top level of the file: the indexes of its opening and closing tokens and of its
    items' opening tokens."""

    open: int
    close: int
    items: tuple[int, ...]


class Document:
    """A file's tokens (inline children only where structure needs them) and lines, with the
    indexes the rules read. Each index is built on first use, once."""

    def __init__(
        self, tokens: list, lines: list[str], left_out: list[tuple[int, str]] | None = None
    ) -> None:
        self.tokens = tokens
        self.lines = lines
        self._items: dict[tuple[int, bool], list[tuple[bool | None, str]]] = {}
        # lines whose syntax `text.lessons` left out (a code directive's options), with why
        self.left_out = left_out or []
        # whether a `<details` tag is anywhere: in most files none is, and no token changes the
        # depth `tag_change` counts (each token's HTML need not be looked at)
        self.has_details = _DETAILS.search("\n".join(lines)) is not None
        self.headings = _headings(tokens, lines, self.has_details)
        self.heading_lines = [h.line for h in self.headings]
        # what a rule works out once and the layout asks again (`rules.heading.per_level`)
        self.derived: dict = {}
        # the line each token starts on (a token without a map: its predecessor's); never decreasing
        self._token_lines: list[int] = []
        line = 0
        for token in tokens:
            if token.map:
                line = token.map[0]
            self._token_lines.append(line)

    @cached_property
    def _flat(self) -> tuple[list, list[int]]:
        """Every token and inline child, with the line it starts on (`_token_lines`: a child's is
        its token's)."""
        flat: list = []
        lines: list[int] = []
        for token, line in zip(self.tokens, self._token_lines, strict=True):
            flat.append(token)
            lines.append(line)
            if token.children:
                flat.extend(token.children)
                lines.extend([line] * len(token.children))
        return flat, lines

    @cached_property
    def _images(self) -> tuple[list[int], list[tuple[int, int, Any]]]:
        """The tokens and children that show images (`image`, or HTML holding `<img`), in order:
        their lines (as `_flat` gives them), and for each the line of the last token or child
        with a map at or before it (-1: none), that map's first line and the token."""
        lines: list[int] = []
        found: list[tuple[int, int, Any]] = []
        tokens, token_lines = self.tokens, self._token_lines
        # only tokens with children and HTML can show one: those alone are looked at, when no
        # child has a map of its own (the last map before each is then its token's: `_token_lines`)
        some = [
            index for index, token in enumerate(tokens) if token.children or token.type in _SHOWING
        ]
        if not any(child.map for index in some for child in tokens[index].children or ()):
            first = next((index for index, token in enumerate(tokens) if token.map), len(tokens))
            for index in some:
                token, line = tokens[index], token_lines[index]
                mapped = line if index >= first else -1
                for item in (token, *(token.children or ())):
                    if item.type in _SHOWING and _shows_image(item):
                        lines.append(line)
                        found.append((mapped, mapped, item))
            return lines, found
        mapped, mapped_at = -1, -1  # the last map's first line, and the line it stands on
        for token, line in zip(tokens, token_lines, strict=True):
            if token.map:
                mapped, mapped_at = token.map[0], line
            if token.type in _SHOWING and _shows_image(token):
                lines.append(line)
                found.append((mapped_at, mapped, token))
            for child in token.children or ():
                if child.map:
                    mapped, mapped_at = child.map[0], line
                if child.type in _SHOWING and _shows_image(child):
                    lines.append(line)
                    found.append((mapped_at, mapped, child))
        return lines, found

    def images_between(self, start: int, end: int) -> list[tuple[int, Any]]:
        """(line, token) of each token or child that shows an image (`image`, or HTML holding
        `<img`) among `tokens_between(start, end)`, its line the first line of the last map
        before it there (`start` when there is none): one bisect of the few such tokens, not a
        pass over all."""
        lines, found = self._images
        return [
            (mapped if mapped_at >= start else start, item)
            for mapped_at, mapped, item in found[
                bisect_left(lines, start) : bisect_left(lines, end)
            ]
        ]

    @cached_property
    def has_details_tags(self) -> bool:
        """Whether any token may change the `<details>` depth (`tag_change`): an opening tag, or a
        stray closing one, somewhere in the file. Without either, a pass counting it finds nothing."""
        return self.has_details or "</details>" in "\n".join(self.lines).lower()

    @cached_property
    def details(self) -> list[tuple[int, int, int]]:
        """Top-level `<details>` groups: (first line, line after, opening token index)."""
        return _details_groups(self.tokens, self.lines) if self.has_details else []

    @cached_property
    def admonitions(self) -> list[Admonition]:
        """Every admonition, nested ones too, in line order."""
        return [
            admonition(self.tokens, index, self.lines)
            for index, token in enumerate(self.tokens)
            if token.type == "admonition_open" and token.map
        ]

    @cached_property
    def lesson(self) -> bool:
        """A lesson: exercise boxes at the file's top level (`!!! exercise`, a Carpentries `:::
        challenge`, a MyST `{exercise}`, as `text.lessons` writes them). Its questions are those
        boxes only; the prose and notes around them teach."""
        return any(
            a.kind.lower() in EXERCISE_KINDS and not self.tokens[a.index].level
            for a in self.admonitions
        )

    def admonition_at(self, index: int) -> Admonition | None:
        return next((a for a in self.admonitions if a.index == index), None)

    @cached_property
    def lists(self) -> list[TopList]:
        """The lists at the top level of the file, with their items."""
        tokens = self.tokens
        found = []
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if token.level != 0 or token.type not in ("bullet_list_open", "ordered_list_open"):
                index += 1
                continue
            close = closing(tokens, index)
            items = tuple(
                i
                for i in range(index + 1, close)
                if tokens[i].type == "list_item_open" and tokens[i].level == 1
            )
            found.append(TopList(index, close, items))
            index = close + 1
        return found

    @cached_property
    def paragraphs(self) -> list[int]:
        """Indexes of the paragraphs at the top level of the file (their opening tokens)."""
        return [
            index
            for index, token in enumerate(self.tokens)
            if token.type == "paragraph_open" and token.level == 0 and token.map
        ]

    def token_range(self, start: int, end: int) -> range:
        """Indexes into `tokens` of the tokens that start on lines [start, end)."""
        lines = self._token_lines
        return range(bisect_left(lines, start), bisect_left(lines, end))

    @cached_property
    def _list_opens(self) -> list[int]:
        """Indexes of the tokens that open a list (with their lines), in order."""
        return [
            index
            for index, token in enumerate(self.tokens)
            if token.type in ("bullet_list_open", "ordered_list_open") and token.map
        ]

    def has_list_between(self, start: int, end: int) -> bool:
        """Whether a list (nested or not) opens on lines [start, end): a bisect, not a scan."""
        within = self.token_range(start, end)
        opens = self._list_opens
        position = bisect_left(opens, within.start)
        return position < len(opens) and opens[position] < within.stop

    def list_items(self, list_index: int, whole: bool = False) -> list[tuple[bool | None, str]]:
        """(ticked or not, or None when it is no task item; its first paragraph's text) of each item
        of the list that opens at `tokens[list_index]`. `whole`: the text goes on with the item's
        later blocks (a code fence, a second paragraph, a nested list), as Markdown of their own."""
        key = (list_index, whole)
        if key not in self._items:  # a quiz's options are looked for twice (a task list, labels)
            self._items[key] = self._list_items(list_index, whole)
        return list(self._items[key])

    def _list_items(self, list_index: int, whole: bool) -> list[tuple[bool | None, str]]:
        tokens = self.tokens
        level = tokens[list_index].level
        items = []
        for index in range(list_index + 1, len(tokens)):
            token = tokens[index]
            if token.level == level and token.nesting == -1:
                break
            if token.type == "list_item_open" and token.level == level + 1:
                inline = tokens[index + 2] if index + 2 < len(tokens) else None
                text = (
                    inline.content.strip() if inline is not None and inline.type == "inline" else ""
                )
                if whole and token.map:
                    text = _joined(text, self._item_rest(index, text))
                items.append((token.meta.get("checked"), text))
        return items

    def item_lines(self, list_index: int) -> list[int]:
        """The line each item of the list that opens at `tokens[list_index]` starts on."""
        tokens = self.tokens
        level = tokens[list_index].level
        found = []
        for index in range(list_index + 1, len(tokens)):
            token = tokens[index]
            if token.level == level and token.nesting == -1:
                break
            if token.type == "list_item_open" and token.level == level + 1 and token.map:
                found.append(token.map[0])
        return found

    @cached_property
    def has_ticked_task(self) -> bool:
        """Whether any task-list item of the file is ticked (`- [x]`): a file of quizzes."""
        return any(t.type == "list_item_open" and t.meta.get("checked") for t in self.tokens)

    def _item_rest(self, item_index: int, text: str) -> str:
        """The Markdown of a list item after its first paragraph (all of it when it opens with
        another block), taken out of the item's indentation."""
        tokens, lines = self.tokens, self.lines
        item = tokens[item_index]
        start, end = item.map
        first = tokens[item_index + 1] if item_index + 1 < len(tokens) else None
        if text and first is not None and first.type == "paragraph_open" and first.map:
            start = first.map[1]
        else:
            start += 1  # the item's marker line holds no block of its own
        match = re.match(r"( *)([-*+]|\d{1,9}[.)])( *)", lines[item.map[0]])
        spaces = len(match.group(3)) if match else 1
        indent = (
            len(match.group(1)) + len(match.group(2)) + (spaces if 1 <= spaces <= 4 else 1)
            if match
            else 2
        )
        rest = []
        for line in lines[start:end]:
            blank = len(line) - len(line.lstrip(" "))
            rest.append(line[min(blank, indent) :])
        return "\n".join(rest).strip("\n")

    def tokens_between(self, start: int, end: int) -> list:
        """Tokens (inline children included) that start on lines [start, end); one bisect, not a scan,
        so finding each question's images stays linear in the document."""
        flat, lines = self._flat
        return flat[bisect_left(lines, start) : bisect_left(lines, end)]

    def html_title(self, before: int) -> tuple[str, int, int] | None:
        """The text of an `<h1>` in an HTML block above line `before` (README files centre their
        title), with the block's lines."""
        for token in self.tokens:
            if token.type == "html_block" and token.map and token.map[0] < before:
                match = re.search(r"<h1\b[^>]*>(.*?)</h1>", token.content, re.S | re.I)
                if match:
                    text = html.unescape(re.sub(r"<[^>]+>", "", match.group(1)))
                    text = re.sub(r"\s+", " ", text).strip()
                    if text:
                        return text, token.map[0], token.map[1]
        return None


_SHOWING = frozenset({"image", "html_block", "html_inline"})


def _shows_image(token) -> bool:
    return token.type == "image" or "<img" in token.content.lower()


def _joined(text: str, rest: str) -> str:
    return f"{text}\n\n{rest}" if text and rest else text or rest


def admonition(tokens, index: int, lines: list[str]) -> Admonition:
    """The `Admonition` whose opening token is `tokens[index]`."""
    token = tokens[index]
    start, end = token.map
    line = lines[start]
    marker = len(line) - len(line.lstrip(" "))
    kind = str(token.meta.get("tag", ""))
    title = str(token.content or "")
    return Admonition(
        index=index,
        line=start,
        end=end,
        kind=kind,
        title=title,
        collapsible=token.markup.startswith("?"),
        default_title=title == kind.title(),
        column=marker + 4,
    )


def closing(tokens, index: int) -> int:
    """Index of the token that closes the one at `index` (same level, nesting -1)."""
    level = tokens[index].level
    for position in range(index + 1, len(tokens)):
        token = tokens[position]
        if token.level == level and token.nesting == -1:
            return position
    return len(tokens) - 1


def content_indent(line: str) -> int:
    """Columns before a list item's content: `1. ### Q` -> 3, `  - ### Q` -> 4."""
    match = re.match(r"^(\s*(?:\d{1,9}[.)]|[-+*])\s+)", line)
    return len(match.group(1)) if match else 0


def last_text_line(lines: list[str], start: int, end: int) -> int:
    """The 1-based number of the last line in [start, end) with text on it (else `start + 1`)."""
    for number in range(min(end, len(lines)) - 1, start - 1, -1):
        if lines[number].strip():
            return number + 1
    return start + 1


def plain_text(inline) -> str:
    """An inline token's text without Markdown, HTML tags or emoji shortcodes."""
    parts = [c.content for c in inline.children or () if c.type in ("text", "code_inline")]
    text = SHORTCODE.sub("", "".join(parts))
    return _SPACES.sub(" ", text).strip()


_SPACES = re.compile(r"\s+")


_DETAILS = re.compile("<details", re.I)  # what a `<details>` tag opens with (`tag_change`)


def _headings(tokens, lines: list[str], details: bool = True) -> list[Heading]:
    """Top-level headings, except those inside a `<details>` block (they belong to a hidden answer).
    `details`: whether the file has a `<details` tag at all (else no depth is counted)."""
    headings = []
    depth = 0
    for index, token in enumerate(tokens):
        if details:
            depth = max(0, depth + tag_change(token))
        if token.level != 0 or token.type != "heading_open" or depth or not token.map:
            continue
        line = lines[token.map[0]]
        headings.append(
            Heading(
                level=int(token.tag[1]),
                text=tokens[index + 1].content.strip(),
                plain=plain_text(tokens[index + 1]),
                line=token.map[0],
                end=token.map[1],
                indent=len(line) - len(line.lstrip(" ")),
            )
        )
    return headings


def _details_groups(tokens, lines: list[str]) -> list[tuple[int, int, int]]:
    """Top-level `<details> ... </details>` groups: (first line, line after, opening token index).
    Tags are counted in every token, nested ones too (a `</details>` often hangs on to the last list
    item of the answer). An unclosed group ends before the next top-level heading."""
    groups = []
    depth = 0
    start: tuple[int, int] | None = None
    block_end = 0  # line after the top-level block being read
    for index, token in enumerate(tokens):
        if token.level == 0 and token.map:
            block_end = token.map[1]
            if start is not None and depth and token.type == "heading_open":
                groups.append((start[0], token.map[0], start[1]))  # never closed
                start, depth = None, 0
        change = tag_change(token)
        opening = (
            token.level == 0
            and token.type == "html_block"
            and re.match(r"\s*<details\b", token.content, re.I)
        )
        if not change and not opening:
            continue
        if depth == 0 and opening:
            start = (token.map[0], index)
        depth = max(0, depth + change)
        if depth == 0 and start is not None:
            groups.append((start[0], block_end, start[1]))
            start = None
    if start is not None:
        groups.append((start[0], len(lines), start[1]))
    return groups


def tag_change(token) -> int:
    """How one token changes the `<details>` depth."""
    if token.type == "html_block":
        content = token.content.lower()
    elif token.type == "inline" and token.children:
        content = "".join(c.content for c in token.children if c.type == "html_inline").lower()
    else:
        return 0
    return content.count("<details") - content.count("</details>")
