"""Markdown question banks to the `Deck` model, reading markdown-it-py tokens (never HTML).

The shape read here is the seed's: YAML front matter, `# Deck title`, `## Section` (deeper headings
nest), `### 1. Question?` and the answer up to the next question or section. The question level is
the heading level that most often has body text under it, so `## Question` files work too.
"""

from __future__ import annotations

import codecs
import difflib
import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from cardsmith.errors import ContentError, Report
from cardsmith.model import Deck, Image, Kind, Question, Section, Source

_NUMBER = re.compile(r"^\s*(?:Q(?:uestion)?\s*)?(\d{1,6})[.):]\s+", re.IGNORECASE)
_EXPLICIT_ID = re.compile(r"\s*\{#([A-Za-z0-9][A-Za-z0-9_.:-]{0,63})\}\s*$")
_ID_COMMENT = re.compile(r"^\s*<!--\s*id:\s*([A-Za-z0-9][A-Za-z0-9_.:-]{0,63})\s*-->\s*$", re.M)
_CLOZE = re.compile(r"\{\{c\d+::")
_FRONT_MATTER_KEYS = {"title", "date", "deck", "tags", "html", "author", "description"}


@functools.cache
def _markdown():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    # html=True only to *see* HTML blocks (e.g. `<!-- id: x -->`); rendering decides on escaping.
    return MarkdownIt("commonmark", {"html": True}).use(front_matter_plugin).enable("table")


def read_text(path: Path, report: Report) -> str:
    """Decode a Markdown file: UTF-8 (BOM accepted), newlines normalised, mojibake repaired."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContentError.at(Source(path, 1), f"cannot read file: {exc.strerror}") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ContentError.at(Source(path, 1), "file is UTF-16; save it as UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise ContentError.at(Source(path, line), "file contains NUL bytes; is it a binary file?")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContentError.at(
            Source(path, line),
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at column {column}); "
            "save the file as UTF-8",
        ) from None
    return _repair_mojibake(_normalise_newlines(text), path, report)


def _normalise_newlines(text: str) -> str:
    # markdown-it counts a lone CR as a line break too; line numbers must agree with its maps
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _repair_mojibake(text: str, path: Path, report: Report) -> str:
    import ftfy

    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if line.isascii():
            continue
        fixed = ftfy.fix_encoding(line)
        if fixed != line:
            lines[number - 1] = fixed
            report.warn(Source(path, number), f"repaired mis-encoded text: {_changes(line, fixed)}")
    return "\n".join(lines)


def _changes(before: str, after: str) -> str:
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    pairs = [
        f"'{before[i1:i2]}' -> '{after[j1:j2]}'"
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    ]
    return ", ".join(dict.fromkeys(pairs))


def slug(text: str) -> str:
    """`Amazon SageMaker` -> `amazon-sagemaker`; usable as an Anki tag (no spaces)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[^\w]+", "-", text).strip("-_")


@dataclass(frozen=True, slots=True)
class _Heading:
    level: int
    text: str  # the heading's Markdown (a prompt keeps its marks)
    plain: str  # its plain text (deck and section names carry no Markdown or HTML)
    line: int  # 0-based first line
    end: int  # 0-based line after the heading
    token: int  # index of heading_open
    has_body: bool


def parse_file(path: Path, content_root: Path, report: Report) -> Deck:
    """Read one Markdown file into a `Deck`. Errors raise `ContentError`; warnings go to `report`."""
    return parse_text(read_text(path, report), path, content_root, report)


def parse_text(text: str, path: Path, content_root: Path, report: Report) -> Deck:
    """Parse already-decoded Markdown; `path` names it in messages and anchors relative images."""
    text = _normalise_newlines(text)
    tokens = _markdown().parse(text)
    lines = text.split("\n")
    metadata = _front_matter(tokens, path, report)
    _check_fences(tokens, lines, path, report)
    headings = _headings(tokens)
    level = _question_level(headings)
    if level is None:
        raise ContentError.at(
            Source(path, 1), "no questions found: expected headings like `### 1. Question?`"
        )

    title_heading = next((h for h in headings if h.level == 1 and h.level < level), None)
    title = title_heading.plain if title_heading else str(metadata.get("title") or path.stem)
    deck_tags = _tags(metadata.get("tags"), path)
    allow_html = bool(metadata.get("html", False))

    sections: dict[tuple[str, ...], tuple[Source, list[Question]]] = {}
    section_path: list[tuple[int, str, int]] = []  # (level, title, line) of the open headings
    seen: dict[str, Source] = {}
    unanswered: list[Source] = []
    for index, heading in enumerate(headings):
        source = Source(path, heading.line + 1)
        if heading is title_heading:
            continue
        if heading.level < level:
            section_path = [entry for entry in section_path if entry[0] < heading.level]
            section_path.append((heading.level, heading.plain, source.line))
            continue
        if heading.level > level:
            continue  # a sub-heading inside an answer
        end = next((h.line for h in headings[index + 1 :] if h.level <= level), len(lines))
        question = _question(heading, tokens, lines, end, path, content_root, report)
        if question is None:
            unanswered.append(source)
            continue
        key = _normalise(question.prompt)
        if key in seen:
            report.warn(source, f"same question as at line {seen[key].line}: {question.prompt!r}")
        else:
            seen[key] = source
        titles = tuple(title for _, title, _ in section_path)
        section_line = section_path[-1][2] if section_path else source.line
        sections.setdefault(titles, (Source(path, section_line), []))[1].append(question)

    report.raise_errors()
    if not sections:
        raise ContentError.at(Source(path, 1), "no questions with answers found")
    deck_sections = tuple(
        _section(titles, src, questions, deck_tags) for titles, (src, questions) in sections.items()
    )
    return Deck(
        title=title,
        name=str(metadata.get("deck") or title),
        source=Source(path, 1),
        metadata=metadata,
        tags=deck_tags,
        sections=deck_sections,
        allow_html=allow_html,
        unanswered=tuple(unanswered),
        content_root=content_root,
    )


def _section(
    titles: tuple[str, ...], source: Source, questions: list[Question], deck_tags: tuple[str, ...]
) -> Section:
    tag = "::".join(slug(t) for t in titles)
    tags = tuple(dict.fromkeys((*deck_tags, tag) if tag else deck_tags))
    return Section(
        title=titles[-1] if titles else "",
        path=titles,
        tag=tag,
        source=source,
        questions=tuple(
            replace(q, tags=tuple(dict.fromkeys((*tags, *q.tags))), section=titles)
            for q in questions
        ),
    )


def _check_fences(tokens, lines: list[str], path: Path, report: Report) -> None:
    """An unclosed ``` runs to the end of the file; if it swallows headings, questions vanish."""
    for token in tokens:
        if token.type != "fence" or not token.map:
            continue
        start, end = token.map
        closing = lines[end - 1].strip() if end - 1 > start else ""
        marker = token.markup
        if closing.startswith(marker) and not closing.strip(marker[0]):
            continue
        source = Source(path, start + 1)
        swallowed = next(
            (n for n in range(start + 1, end) if re.match(r" {0,3}#{1,6}\s", lines[n])), None
        )
        if swallowed is not None:
            report.error(
                source,
                f"code fence {marker} is never closed: it swallows the rest of the file, "
                f"including the heading at line {swallowed + 1}",
            )
        else:
            report.warn(
                source, f"code fence {marker} is never closed; it runs to the end of the file"
            )


def _front_matter(tokens, path: Path, report: Report) -> dict[str, Any]:
    import yaml

    token = next((t for t in tokens if t.type == "front_matter"), None)
    if token is None:
        return {}
    try:
        data = yaml.safe_load(token.content)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = 2 + (mark.line if mark else 0)
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ContentError.at(Source(path, line), f"front matter: {problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ContentError.at(Source(path, 2), "front matter must be a mapping of `key: value`")
    for key in data:
        if str(key) not in _FRONT_MATTER_KEYS:
            report.warn(
                Source(path, 2 + _key_line(token.content, key)), f"unknown front matter key {key!r}"
            )
    return {str(k): _plain(v) for k, v in data.items()}


def _key_line(content: str, key: object) -> int:
    for number, line in enumerate(content.split("\n")):
        if line.startswith(f"{key}:"):
            return number
    return 0


def _plain(value: Any) -> Any:
    """YAML dates and other scalars as JSON-friendly values."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _tags(value: Any, path: Path) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split()
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise ContentError.at(Source(path, 2), "front matter `tags` must be a list of words")
    return tuple(dict.fromkeys(slug(str(v)) for v in value if slug(str(v))))


def _headings(tokens) -> list[_Heading]:
    headings = []
    top = [i for i, t in enumerate(tokens) if t.level == 0 and t.nesting >= 0]
    for position, i in enumerate(top):
        token = tokens[i]
        if token.type != "heading_open":
            continue
        following = tokens[top[position + 1]] if position + 1 < len(top) else None
        has_body = following is not None and following.type not in ("heading_open", "hr")
        headings.append(
            _Heading(
                level=int(token.tag[1]),
                text=tokens[i + 1].content.strip(),
                plain=_plain_text(tokens[i + 1]),
                line=token.map[0],
                end=token.map[1],
                token=i,
                has_body=has_body,
            )
        )
    return headings


def _plain_text(inline) -> str:
    parts = [
        c.content for c in inline.children or () if c.type in ("text", "code_inline", "html_inline")
    ]
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _question_level(headings: list[_Heading]) -> int | None:
    counts = Counter(h.level for h in headings if h.has_body)
    if not counts:
        return None
    # the most frequent level wins; on a tie the shallower one, since deeper ones sit inside answers
    return min(counts, key=lambda level: (-counts[level], level))


def _question(
    heading: _Heading,
    tokens,
    lines: list[str],
    end: int,
    path: Path,
    content_root: Path,
    report: Report,
) -> Question | None:
    source = Source(path, heading.line + 1)
    prompt = heading.text
    explicit = _EXPLICIT_ID.search(prompt)
    if explicit:
        prompt = prompt[: explicit.start()].rstrip()
    number_match = _NUMBER.match(prompt)
    number = int(number_match.group(1)) if number_match else None
    if number_match:
        prompt = prompt[number_match.end() :].strip()
    answer = "\n".join(lines[heading.end : end]).strip("\n")
    comment = _ID_COMMENT.search(answer)
    if comment:
        explicit = explicit or comment
        answer = (answer[: comment.start()] + answer[comment.end() :]).strip("\n")
    if not prompt:
        report.warn(source, "question heading has no text; left out")
        return None
    if not answer.strip():
        report.warn(source, f"question has no answer; left out: {prompt!r}")
        return None
    images = _images(tokens, heading, end, path, content_root, report)
    return Question(
        id=explicit.group(1) if explicit else "",
        number=number,
        prompt=prompt,
        answer=answer,
        section=(),
        tags=(),
        kind=Kind.CLOZE if _CLOZE.search(prompt) else Kind.BASIC,
        source=source,
        images=images,
    )


def _images(
    tokens, heading: _Heading, end: int, path: Path, content_root: Path, report: Report
) -> tuple[Image, ...]:
    found: dict[str, Image] = {}
    line = heading.line
    for token in tokens[heading.token :]:
        if token.map:
            if token.map[0] >= end:
                break
            line = token.map[0]
        for child in token.children or ():
            if child.type != "image":
                continue
            src = str(child.attrGet("src") or "")
            image = _resolve_image(src, Source(path, line + 1), path, content_root, report)
            if image is not None:
                found.setdefault(src, image)
    return tuple(found.values())


def _resolve_image(
    src: str, source: Source, path: Path, content_root: Path, report: Report
) -> Image | None:
    parts = urlsplit(src)
    if parts.scheme or src.startswith("//"):
        report.warn(source, f"remote image {src!r} is kept as a link and not downloaded")
        return None
    relative = unquote(parts.path)
    if not relative or Path(relative).is_absolute() or relative.startswith("\\"):
        report.error(source, f"image path {src!r} must be relative to the Markdown file")
        return None
    root = content_root.resolve()
    target = (path.parent / relative).resolve()
    if not target.is_relative_to(root):
        report.error(source, f"image {src!r} is outside the content folder {content_root}")
        return None
    if not target.is_file():
        report.error(source, f"image {src!r} not found")
        return None
    return Image(src=src, path=target)


def _normalise(prompt: str) -> str:
    return re.sub(r"\s+", " ", prompt).strip().casefold()
