"""Obsidian's Markdown -> the Markdown and safe HTML cardsmith's renderers know.

- `%%comments%%` go; their lines stay, blank, so line numbers stay the note's. The plugin's
  `<!--SR:...-->` review comments go.
- `![[image.png|300]]` embeds: `<img src="/attachments/image.png" alt="image.png" width="300">`, the
  file found by name in the vault (`vault.VaultFiles`); `![[Other note]]` (not an image): its name.
- `[[Note]]`, `[[Note|alias]]`, `[[Note#Heading]]` links: their text (`Note`, `alias`,
  `Note › Heading`).
- `> [!tip] Title` callouts: the boxes GitHub's alerts render as (`markdown-alert-tip`), title kept.
- `==highlight==`: `<mark>` (in a cloze paragraph, a deletion instead: `cards`).
- `#tags` are not text: taken out of a card's lines, they become its Anki tags (`a/b` -> `a::b`).
- A single line break is a line break, as Obsidian shows it: a backslash ends each line of text that
  another line of text follows.

Code is left as written: fenced blocks and inline code spans.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from cardsmith.reading.obsidian.vault import IMAGE_SUFFIXES

SR_COMMENT = re.compile(r"[ \t]*<!--SR:.*?-->")
COMMENT = re.compile(r"%%.*?%%", re.S)
# an Obsidian tag: # then letters, digits, _ - /, not all digits; not inside a word or a link
TAG = re.compile(r"(?<![\w/#&\]`])#([\w/-]*[^\W\d][\w/-]*)")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
FENCE = re.compile(r"^\s*(```+|~~~+)")
_EMBED = re.compile(r"!\[\[([^\]|#^]+)(?:[#^][^\]|]*)?(?:\|([^\]]*))?\]\]")
_LINK = re.compile(r"\[\[([^\]|#^]*)(?:[#^]([^\]|]*))?(?:\|([^\]]*))?\]\]")
_MARK = re.compile(r"==(?=\S)(.+?)(?<=\S)==")  # a highlight (its `^[note]`, if any, stays)
_CALLOUT = re.compile(r"^>\s*\[!([\w-]+)\]([+-]?)\s*(.*)$")
_CALLOUT_TITLES = {"tldr": "TL;DR", "faq": "FAQ"}


def to_markdown(
    lines: list[str],
    image: Callable[[str], Path | None],
    content_root: Path,
    keep: Callable[[str], bool],
) -> tuple[str, list[str]]:
    """A card side's lines as cardsmith Markdown, and the tags taken out of them (`a::b` for
    `#a/b`). `image(target)` is the image file an embed names, or None; the tags `keep` says are
    left as written (a flashcards tag inside a card's text)."""

    def links(text: str) -> str:
        embedded = _EMBED.sub(lambda m: _embed(m, image, content_root), text)
        return _LINK.sub(_link_text, embedded)

    fences = in_fence(lines)
    out, tags = [], []
    for line, fenced in zip(lines, fences, strict=True):
        if fenced or FENCE.match(line):
            out.append(line)
            continue
        tags += [tag.replace("/", "::") for tag in line_tags(line) if not keep(tag)]
        out.append(in_text(without_tags(line, keep), links))
    text = "\n".join(out).strip("\n")
    return hard_breaks(_callouts(text)), tags


def blank_comments(text: str) -> str:
    """`%%comments%%` gone, their lines kept (line numbers stay the note's)."""
    return COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def in_fence(lines: list[str]) -> list[bool]:
    """For each line, whether it is inside a fenced code block (the fences themselves included)."""
    inside, marker, flags = False, "", []
    for line in lines:
        match = FENCE.match(line)
        if match and not inside:
            inside, marker = True, match.group(1)[:3]
            flags.append(True)
        elif (
            match
            and inside
            and match.group(1).startswith(marker)
            and not line.strip()[3:].strip(marker[0])
        ):
            inside = False
            flags.append(True)
        else:
            flags.append(inside)
    return flags


def in_text(markdown: str, change: Callable[[str], str]) -> str:
    """`markdown` with `change` applied to its text outside inline code spans."""
    parts = CODE_SPAN.split(markdown)  # text, fence, code, text, fence, code, ..., text
    out = []
    for index in range(0, len(parts), 3):
        out.append(change(parts[index]))
        if index + 2 < len(parts):
            out.append(parts[index + 1] + parts[index + 2] + parts[index + 1])
    return "".join(out)


def line_tags(line: str) -> list[str]:
    """The line's tags outside inline code, without `#`."""
    return [m.group(1) for m in TAG.finditer(CODE_SPAN.sub("", line))]


def without_tags(line: str, keep: Callable[[str], bool] = lambda tag: False) -> str:
    """The line without its tags (outside inline code, but those `keep` says), and the blanks they
    leave at its end."""

    def drop(text: str) -> str:
        return TAG.sub(lambda m: m.group(0) if keep(m.group(1)) else "", text)

    return in_text(line, drop).rstrip()


def only_tags(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not TAG.sub("", stripped).strip()


def marked(markdown: str) -> str:
    """`==text==` as `<mark>text</mark>`, outside code."""
    return in_text(markdown, lambda text: _MARK.sub(r"<mark>\1</mark>", text))


def structural(line: str) -> bool:
    """A line that is a block of its own (a list item, table row, quote, HTML, heading, fence or
    display math), never joined to the next by a line break."""
    stripped = line.lstrip()
    return bool(
        re.match(r"([-*+]|\d+[.)])\s|\||>|<|#{1,6}\s|\$\$", stripped)
    ) or stripped.startswith(("```", "~~~"))


def hard_breaks(text: str) -> str:
    """A single line break is a line break, as Obsidian shows it: a backslash at the end of each
    line of text that another line of text follows (not in code, tables, lists or HTML)."""
    lines = text.split("\n")
    fences = in_fence(lines)
    out = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if (
            not fences[index]
            and line.strip()
            and following.strip()
            and not (index + 1 < len(lines) and fences[index + 1])
            and not structural(line)
            and not structural(following)
        ):
            line = line.rstrip() + "\\"
        out.append(line)
    return "\n".join(out)


def _embed(match: re.Match, image: Callable[[str], Path | None], content_root: Path) -> str:
    target, size = match.group(1), (match.group(2) or "").strip()
    found = image(target)
    if found is None and Path(target.strip()).suffix.lower() in IMAGE_SUFFIXES:
        # an image that is not there (`image` warned): its name, marked as a missing image is
        name = html.escape(target.strip().rsplit("/", 1)[-1])
        return f'<span class="missing-image" title="image not found">[missing image: {name}]</span>'
    if found is None:
        return target.strip()  # a note or a file no card can show: its name
    src = "/" + quote(found.relative_to(content_root).as_posix())
    width = size.split("x")[0] if re.fullmatch(r"\d+(x\d+)?", size) else ""
    alt = size if size and not width else found.name
    sized = f' width="{width}"' if width else ""
    return f'<img src="{src}" alt="{_attribute(alt)}"{sized}>'


def _link_text(match: re.Match) -> str:
    note, heading, alias = match.group(1), match.group(2), match.group(3)
    if alias:
        return alias.strip()
    name = note.strip().rsplit("/", 1)[-1]
    if name.lower().endswith(".md"):
        name = name[:-3]
    return f"{name} › {heading.strip()}" if name and heading else (name or (heading or "").strip())


def _callouts(text: str) -> str:
    """`> [!type] Title` quotes as the boxes GitHub's alerts are (`markdown-alert-*`), title kept."""
    lines = text.split("\n")
    out, index = [], 0
    while index < len(lines):
        match = _CALLOUT.match(lines[index])
        if not match:
            out.append(lines[index])
            index += 1
            continue
        kind = match.group(1).casefold()
        title = match.group(3).strip() or _CALLOUT_TITLES.get(kind, kind.replace("-", " ").title())
        body = []
        index += 1
        while index < len(lines) and lines[index].startswith(">"):
            body.append(re.sub(r"^>\s?", "", lines[index]))
            index += 1
        kind_class = re.sub(r"[^a-z0-9-]", "", kind) or "note"
        out += [
            f'<div class="markdown-alert markdown-alert-{kind_class}">',
            f'<p class="markdown-alert-title">{_attribute(title)}</p>',
            "",
            *body,
            "",
            "</div>",
        ]
    return "\n".join(out)


def _attribute(text: str) -> str:
    return html.escape(text, quote=True)
