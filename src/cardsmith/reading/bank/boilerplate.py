"""What a question bank holds that is not a question, and the reason each is left out.

Every line left out of a deck is left out for a reason that `cardsmith check -v` shows, and every
reason is decided here: tables of contents (a heading's section, or a list or table of links to
anchors), back-to-top links (Markdown or HTML), HTML comments, empty HTML (`<br>`, `<p>` wrappers),
badges and banners, horizontal rules, link lists and tables, sections such as License or
Contributing, and lists of questions without answers. Where each applies: `block_skips` anywhere,
answers included; `section_region` at a heading outside questions; `outside_reason` for a block
outside questions; trailing rules of an answer are trimmed by `answers.trim`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cardsmith.reading.bank.asking import asks
from cardsmith.reading.bank.labels import REVEAL
from cardsmith.reading.bank.prompt import ID_COMMENT
from cardsmith.text.images import is_remote
from cardsmith.text.lessons import COMMENT as MYST_COMMENT

if TYPE_CHECKING:
    from cardsmith.reading.bank.document import Document

NAVIGATION = "navigation"
BOILERPLATE_SECTION = "boilerplate"
INTRODUCTION = "introduction"

_NAVIGATION = re.compile(
    r"^\W*(table of contents?|contents|toc|index|topics|questions list|list of questions)\W*$", re.I
)
_BOILERPLATE = re.compile(
    r"^\W*(licen[cs]e|contributing|how to contribute|contribution|contributors?|credits|"
    r"acknowledge?ments?|thanks|sponsors?|support( (this|the) project)?|donat(e|ions?)|"
    r"author|authors|changelog|disclaimer|star history|stargazers|translations?|"
    r"code of conduct|feedback|contact|connect with me|follow me|social)\W*$",
    re.I,
)
_INTRODUCTION = re.compile(
    r"^\W*(introduction|intro|preface|about|overview|references|resources|further reading|"
    r"see also|links|useful links|related|reading list|bibliography)\W*$",
    re.I,
)
# labels in bold that organise an answer rather than ask (`**Example**`, `**Note**`)
NOT_A_QUESTION = re.compile(
    r"^\W*(example|examples|note|notes|output|answer|answers|solution|explanation|summary|"
    r"tip|tips|warning|important|result|code|syntax|usage)s?\W*$",
    re.I,
)


def heading_kind(title: str) -> str | None:
    """NAVIGATION (a table of contents), BOILERPLATE_SECTION (License, ...), INTRODUCTION (a heading
    that organises a README but asks nothing), or None for any other heading."""
    if _NAVIGATION.match(title):
        return NAVIGATION
    if _BOILERPLATE.match(title):
        return BOILERPLATE_SECTION
    if _INTRODUCTION.match(title):
        return INTRODUCTION
    return None


def is_reveal(summary: str) -> bool:
    """A `<details>` summary that reveals an answer ("Answer", "Show solution", "Click to expand",
    "Solution 2 (recursive)")."""
    match = REVEAL.match(summary.strip())
    return bool(match) and (bool(match.group("word")) or not match.group("more").strip())


def reveal_label(summary: str) -> str:
    """What a revealing summary says beyond "Answer" ("Solution 2 (recursive)"), or ""."""
    match = REVEAL.match(summary.strip())
    if not match or not match.group("more").strip(" :-–—"):
        return ""
    return summary.strip()


@dataclass(frozen=True, slots=True)
class Skip:
    """Lines [start, end) (0-based) left out of the deck, and why."""

    start: int
    end: int
    reason: str


_BACK_TO_TOP_TEXT = re.compile(
    r"^\W*((go\s*)?(back\s*)?(to\s*)?(the\s*)?top( of (the )?page)?|back|up|toc|"
    r"(back to )?(table of )?contents?|back to (the )?(index|questions|list))\W*$",
    re.I,
)
_MARKDOWN_LINK_LINE = re.compile(r"^\s*(?:\*\*|__|\*|_)?\s*\[([^\]]*)\]\(\s*<?(#[^)>\s]*)>?\s*\)")


def block_skips(document: Document) -> list[Skip]:
    """Boilerplate anywhere in the document, answers included: back-to-top links, HTML comments,
    HTML that shows nothing. (What is boilerplate only outside questions: `outside_reason`.)"""
    lines = document.lines
    skips: list[Skip] = [Skip(line, line + 1, reason) for line, reason in document.left_out]
    for token in document.tokens:
        if not token.map:
            continue
        start, end = token.map
        if token.type == "html_block":
            reason = html_block_reason(token.content)
            if reason:
                skips.append(Skip(start, end, reason))
        elif token.type == "paragraph_open":
            for number in range(start, end):
                if is_back_to_top(lines[number]):
                    skips.append(Skip(number, number + 1, "back-to-top link"))
    return skips


def is_back_to_top(line: str) -> bool:
    """`[⬆ Back to Top](#table-of-contents)`, `**[↥ back to top](#)**` and the like."""
    match = _MARKDOWN_LINK_LINE.match(line)
    if not match:
        return False
    rest = line[match.end() :].strip(" *_")
    return not rest and bool(_BACK_TO_TOP_TEXT.match(match.group(1)))


def html_block_reason(content: str) -> str | None:
    stripped = content.strip()
    if ID_COMMENT.match(stripped):
        return None  # `<!-- id: x -->` names its question (read with its prompt)
    if stripped.startswith("<!--") and stripped.endswith("-->"):
        directive = MYST_COMMENT.match(stripped)
        if directive:  # written by text.lessons for MyST syntax that puts no text on a card
            what = directive.group("what")
            if what.startswith("{"):
                return f"MyST {what} directive: no text for a card"
            return "MyST target (a label)" if what.startswith("(") else "MyST directive option"
        return "HTML comment"
    lowered = stripped.lower()
    if "<details" in lowered or "</details" in lowered or "<summary" in lowered:
        return None  # structure: read by the details rule
    text = text_of_html(stripped)
    if not text and not re.search(r"<(img|hr|table|iframe|video|svg)\b", lowered):
        return "empty HTML"
    links = re.findall(r"<a\b[^>]*href\s*=\s*[\"']?(#[^\"'\s>]*)", stripped, re.I)
    if links and _BACK_TO_TOP_TEXT.match(text):
        return "back-to-top link"
    return None


def text_of_html(fragment: str) -> str:
    """The visible text of an HTML fragment: tags dropped, entities decoded, spaces folded."""
    text = html.unescape(re.sub(r"<[^>]*>", " ", re.sub(r"<!--.*?-->", " ", fragment, flags=re.S)))
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def section_region(title: str, level: int) -> tuple[str, int] | None:
    """For a heading outside questions that opens lines to leave out: (the reason, the level of the
    deeper headings the region takes in; 0 for none). A table of contents is its list, a licence or
    contributing section everything under it."""
    what = heading_kind(title)
    if what == NAVIGATION:
        return "table of contents", 0
    if what == BOILERPLATE_SECTION:
        return f"{title} section", level
    return None


QUESTIONS_WITHOUT_ANSWERS = "questions without answers"


def outside_reason(document: Document, index: int, in_section: bool = False) -> str | None:
    """Why the top-level block `document.tokens[index]`, outside any question, is left out, or None
    when it is text (an introduction, or reported). `QUESTIONS_WITHOUT_ANSWERS` is a list whose
    items mostly ask: they are listed as unanswered questions. `in_section`: the block is under a
    section's heading, where images of the content folder, unlinked, are a figure of its text (a
    diagram), not a banner."""
    token, lines = document.tokens[index], document.lines
    start, end = token.map
    if token.type == "hr":
        return "horizontal rule"
    text = "\n".join(lines[start:end])
    if token.type in ("bullet_list_open", "ordered_list_open"):
        items = [text for _, text in document.list_items(index)]
        if items and all(_is_anchor_link(t) for t in items):
            return "table of contents"
        if items and all(_is_link_line(t) for t in items):
            return "link list"
        asking = [t for t in items if asks(plain(t))]
        if len(items) >= 2 and len(asking) >= 0.8 * len(items):
            return QUESTIONS_WITHOUT_ANSWERS
    if token.type == "table_open":
        rows = [r for r in lines[start:end] if r.strip() and not re.match(r"^[\s|:\-]+$", r)]
        if rows[1:] and all("](#" in r for r in rows[1:]):
            return "table of contents"
        if rows[1:] and all(re.search(r"\]\(|<a\s", r) for r in rows[1:]):
            return "link table"
    figure = in_section and _is_figure(text)  # a diagram in a section's text, not a banner
    if token.type in ("paragraph_open", "html_block") and _is_badges(text) and not figure:
        return "badges and banners"
    if token.type == "paragraph_open" and all(
        is_back_to_top(line) or not line.strip() for line in lines[start:end]
    ):
        return "back-to-top link"
    return None


def plain(markdown: str) -> str:
    """A list item's text as a prompt: no HTML, no `*`, `_` or backticks."""
    return re.sub(r"[*_`]+", "", text_of_html(markdown)).strip()


_LINK = re.compile(r"^\W*\[[^\]]*\]\(\s*<?([^)>\s]*)>?[^)]*\)\W*$")


def _is_anchor_link(text: str) -> bool:
    match = _LINK.match(text.strip())
    return bool(match and match.group(1).startswith("#"))


def _is_link_line(text: str) -> bool:
    """A list item that is a link, perhaps with a few words about it."""
    links = re.findall(r"\[[^\]]*\]\([^)]*\)|<a\s[^>]*>.*?</a>|https?://\S+", text)
    rest = re.sub(r"\[[^\]]*\]\([^)]*\)|<a\s[^>]*>.*?</a>|https?://\S+", "", text)
    return bool(links) and len(re.findall(r"\w+", rest)) <= 12


def _is_figure(text: str) -> bool:
    """Images of the content folder, none of them a link (a shield or logo links somewhere)."""
    sources = re.findall(r"!\[[^\]]*\]\(\s*<?([^)>\s]*)", text)
    sources += re.findall(r"<img\b[^>]*?\bsrc=[\"']([^\"']*)", text, re.I)
    linked = re.search(r"\[!\[|<a\b", text, re.I)
    return bool(sources) and not linked and not any(is_remote(src) for src in sources)


def _is_badges(text: str) -> bool:
    """Only images (perhaps linked): shields, logos, a banner."""
    without = re.sub(r"\[?!\[[^\]]*\]\([^)]*\)\]?(\([^)]*\))?", "", text)
    without = re.sub(r"<img\b[^>]*>", "", without, flags=re.I)
    has_image = without != text
    return has_image and not text_of_html(re.sub(r"\[[^\]]*\]\([^)]*\)", "", without)).strip(" |·-")
