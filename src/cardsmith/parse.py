"""Markdown question banks to the `Deck` model, reading markdown-it-py tokens (never HTML).

The shape read here is the seed's: YAML front matter, `# Deck title`, `## Section` (deeper headings
nest), `### 1. Question?` and the answer up to the next question or section. The question level is
the heading level that most often has body text under it, so `## Question` files work too.
"""

from __future__ import annotations

import codecs
import difflib
import functools
import hashlib
import re
import textwrap
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from cardsmith.conventions import (
    CONVENTIONS,
    Candidate,
    Document,
    Found,
    Heading,
    detect,
    html_title,
    is_navigation,
    outside,
)
from cardsmith.errors import ContentError, Report
from cardsmith.model import (
    ID_PATTERN,
    Deck,
    Image,
    Kind,
    Question,
    Section,
    Source,
    Unanswered,
    question_text,
)

_NUMBER = re.compile(r"^\s*(?:Q(?:uestion)?\s*)?(\d{1,6})[.):]\s+", re.IGNORECASE)
_EXPLICIT_ID = re.compile(rf"\s*\{{#({ID_PATTERN})\}}\s*$")
_ID_COMMENT = re.compile(rf"^\s*<!--\s*id:\s*({ID_PATTERN})\s*-->\s*$", re.M)
_CLOZE = re.compile(r"\{\{c\d+::")
_FRONT_MATTER_KEYS = {"title", "date", "deck", "tags", "html", "author", "description", "questions"}
_TEXT = (str, int, float)  # `title: 2024` is text enough
_FRONT_MATTER_TYPES = {
    "html": bool,
    "title": _TEXT,
    "deck": _TEXT,
    "author": _TEXT,
    "description": _TEXT,
}


@functools.cache
def _markdown():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    # html=True only to *see* HTML blocks (e.g. `<!-- id: x -->`); rendering decides on escaping.
    md = MarkdownIt("commonmark", {"html": True}).use(front_matter_plugin).enable("table")
    md.core.ruler.at("inline", _structural_inline)
    return md


def _structural_inline(state) -> None:
    """markdown-it's inline pass, run only where the structure needs inline tokens: headings, bold
    paragraphs (possible questions), and text with an image or `<details>`. Exporters render every
    answer from its Markdown anyway, so parsing all inline text here would be done twice."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type == "inline" and index and _needs_inline(tokens[index - 1], token.content):
            token.children = []
            state.md.inline.parse(token.content, state.md, state.env, token.children)


def _needs_inline(parent, content: str) -> bool:
    return (
        parent.type == "heading_open"
        or (
            parent.type == "paragraph_open"
            and parent.level == 0
            and content.startswith(("**", "__"))
        )
        or "![" in content
        or ("<" in content and "details" in content.lower())
    )


def read_text(path: Path, report: Report) -> str:
    """Decode a Markdown file: UTF-8 (BOM accepted), newlines normalised, mojibake repaired."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContentError.at(Source(path, 0), f"cannot read file: {exc.strerror}") from None
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
    if text.isascii():
        return text  # ASCII cannot be mis-encoded text; and ftfy takes a while to import
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


def parse_file(
    path: Path,
    content_root: Path,
    report: Report,
    convention: str | None = None,
    defaults: dict[str, Any] | None = None,
) -> Deck:
    """Read one Markdown file into a `Deck`. Errors raise `ContentError`; warnings go to `report`.
    `convention` forces a question convention (see `cardsmith.conventions`); else front matter's
    `questions:`, else detection."""
    return parse_text(read_text(path, report), path, content_root, report, convention, defaults)


def parse_text(
    text: str,
    path: Path,
    content_root: Path,
    report: Report,
    convention: str | None = None,
    defaults: dict[str, Any] | None = None,
) -> Deck:
    """Parse already-decoded Markdown; `path` names it in messages and anchors relative images.
    `defaults` (project config: tags, questions, html) apply where the front matter is silent."""
    text = _normalise_newlines(text)
    tokens = _markdown().parse(text)
    lines = text.split("\n")
    metadata = _front_matter(tokens, path, report)
    settings = {**(defaults or {}), **metadata}
    _check_fences(tokens, lines, path, report)
    document = Document(tokens, lines)
    found, results = detect(document, _forced_convention(convention, settings, path))
    _report_detection(found, results, path, report)
    if not found.candidates:
        raise ContentError.at(
            Source(path, 1),
            "no questions found: expected headings like `### 1. Question?`, "
            "`1. ### Question?` list items, **bold question** paragraphs or `Q:`/`A:` lines",
        )

    question_lines = {c.line for c in found.candidates}
    first_question = min(question_lines)
    title_heading = next(
        (
            h
            for h in document.headings
            if h.level == 1 and h.line < first_question and h.line not in question_lines
        ),
        None,
    )
    title = (
        title_heading.plain
        if title_heading
        else _text(metadata.get("title")) or html_title(document, first_question) or path.stem
    )
    deck_tags = _tags(settings.get("tags"), path)
    section_headings = [
        h
        for h in document.headings
        if h is not title_heading
        and h.line not in question_lines
        and found.section_levels(h)
        and not is_navigation(h.plain)
    ]

    sections: dict[tuple[str, ...], tuple[Source, list[Question]]] = {}
    open_sections: list[Heading] = []
    pending = iter(section_headings)
    upcoming = next(pending, None)
    seen: dict[str, Source] = {}
    unanswered: list[Unanswered] = []
    for candidate in sorted(found.candidates, key=lambda c: c.line):
        while upcoming is not None and upcoming.line < candidate.line:
            open_sections = [h for h in open_sections if h.level < upcoming.level] + [upcoming]
            upcoming = next(pending, None)
        source = Source(path, candidate.line + 1)
        titles = tuple(h.plain for h in open_sections)
        question = _question(candidate, document, path, content_root, report)
        if question is None:
            unanswered.append(Unanswered(source, titles))
            continue
        key = _normalise(question_text(question))
        if key in seen:
            report.warn(source, f"same question as at line {seen[key].line}: {question.prompt!r}")
        else:
            seen[key] = source
        section_line = open_sections[-1].line + 1 if open_sections else source.line
        sections.setdefault(titles, (Source(path, section_line), []))[1].append(question)

    report.raise_errors()
    if not sections:
        raise ContentError.at(Source(path, 1), "no questions with answers found")
    return Deck(
        title=title,
        name=_text(metadata.get("deck")) or title,  # a blank name would be Anki's "blank"
        source=Source(path, 1),
        metadata=metadata,
        tags=deck_tags,
        sections=tuple(
            _section(titles, src, questions, deck_tags)
            for titles, (src, questions) in sections.items()
        ),
        allow_html=bool(settings.get("html", False)),
        unanswered=tuple(unanswered),
        content_root=content_root,
        convention=found.convention,
        detection=tuple((name, len(r.candidates)) for name, r in results.items()),
    )


def _forced_convention(convention: str | None, metadata: dict, path: Path) -> str | None:
    chosen = convention or metadata.get("questions") or "auto"
    if chosen == "auto":
        return None
    if chosen not in CONVENTIONS:
        choices = ", ".join(("auto", *CONVENTIONS))
        raise ContentError.at(Source(path, 2), f"questions: {chosen!r} is not one of {choices}")
    return chosen


def _report_detection(found: Found, results: dict[str, Found], path: Path, report: Report) -> None:
    """Say so when another convention would have read the file differently."""
    winner = len(found.candidates)
    for name, other in results.items():
        count = len(other.candidates)
        if name == found.convention or count == 0:
            continue
        if count == winner:
            report.warn(
                Source(path, 1),
                f"question convention is ambiguous: {found.convention!r} and {name!r} both find "
                f"{count} questions; using {found.convention!r} (set `questions:` in front matter)",
            )
        elif (extra := outside(other, found)) >= 2:
            report.warn(
                Source(path, 1),
                f"file mixes question conventions: reading it as {found.convention!r} ({winner} "
                f"questions); {extra} more are written as {name!r} and are left out. "
                "Set `questions:` in front matter to choose",
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
    for key, value in data.items():
        source = Source(path, 2 + _key_line(token.content, key))
        if str(key) not in _FRONT_MATTER_KEYS:
            report.warn(source, f"unknown front matter key {key!r}")
        elif value is not None and not isinstance(value, _FRONT_MATTER_TYPES.get(key, object)):
            # `html: "false"` is a string, and a string is true: never let that turn HTML on
            what = "true or false" if key == "html" else "text"
            raise ContentError.at(source, f"front matter `{key}` must be {what}")
    return {str(k): _plain(v) for k, v in data.items()}


def _text(value: Any) -> str:
    """A front matter value as text, spaces around it dropped ("" when it is missing or blank)."""
    return "" if value is None else str(value).strip()


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


_HR = re.compile(r"^ {0,3}([-*_])(\s*\1){2,}\s*$")
_PLACEHOLDERS = {
    "answer",
    "answer here",
    "your answer here",
    "add answer",
    "answer goes here",
    "todo",
    "to do",
    "tbd",
    "tba",
    "tbc",
    "wip",
    "coming soon",
    "n/a",
    "...",
    "…",
    "?",
    "-",
    "fill in",
}
_DIFFICULTY = {
    "🟢": "easy",
    "🟩": "easy",
    "💚": "easy",
    "🟡": "medium",
    "🟨": "medium",
    "🟠": "medium",
    "🟧": "medium",
    "🔴": "hard",
    "🟥": "hard",
}
_STARS = re.compile("[⭐★]")


def _question(
    candidate: Candidate, document: Document, path: Path, content_root: Path, report: Report
) -> Question | None:
    source = Source(path, candidate.line + 1)
    prompt, explicit, number, tags = _prompt_parts(candidate.prompt)
    body = _dedent(document.lines[candidate.start : candidate.end], candidate.indent)
    comment = _ID_COMMENT.search(body)
    if comment:
        explicit = explicit or comment.group(1)
        body = (body[: comment.start()] + body[comment.end() :]).strip("\n")
    front, answer = _split_body(body, candidate, document)
    if not prompt:
        report.warn(source, "question has no text; left out")
        return None
    if not answer.strip() or _is_placeholder(answer):
        what = "a placeholder answer" if answer.strip() else "no answer"
        report.warn(source, f"question has {what}; left out: {prompt!r}")
        return None
    images = _images(document, candidate.line, candidate.end, path, content_root, report)
    return Question(
        id=explicit or "",
        number=number,
        prompt=prompt,
        answer=answer,
        section=(),
        tags=tags,
        kind=Kind.CLOZE if _CLOZE.search(prompt) else Kind.BASIC,
        source=source,
        images=images,
        front=front,
    )


def _prompt_parts(prompt: str) -> tuple[str, str | None, int | None, tuple[str, ...]]:
    """The author's prompt without its explicit id, number and difficulty marker, and those."""
    explicit = _EXPLICIT_ID.search(prompt)
    if explicit:
        prompt = prompt[: explicit.start()].rstrip()
    number_match = _NUMBER.match(prompt)
    number = int(number_match.group(1)) if number_match else None
    if number_match:
        prompt = prompt[number_match.end() :]
    tags = []
    stars = len(_STARS.findall(prompt))
    if stars:
        tags.append(("easy", "medium", "hard")[min(stars, 3) - 1])
        prompt = _STARS.sub("", prompt)
    for marker, level in _DIFFICULTY.items():
        if marker in prompt:
            tags.append(level)
            prompt = prompt.replace(marker, "")
    prompt = re.sub(r"\s+", " ", prompt.replace("\ufe0f", "")).strip()
    return prompt, explicit.group(1) if explicit else None, number, tuple(dict.fromkeys(tags))


_BACK_LINK = re.compile(r"^\s*(?:\*\*|__)?\[[^\]]*\]\(#[^)]*\)(?:\*\*|__)?\s*$")


def _dedent(lines: list[str], indent: int) -> str:
    """Body lines without the list item's indentation (never more than their own leading spaces),
    without `[⬆ Back to Top](#toc)` navigation lines and trailing rules."""
    if indent:
        lines = [line[min(indent, len(line) - len(line.lstrip(" "))) :] for line in lines]
    lines = [line for line in lines if not _BACK_LINK.match(line)]
    while lines and (not lines[-1].strip() or _HR.match(lines[-1])):
        lines = lines[:-1]  # trailing rules separate questions; they are not part of the answer
    return "\n".join(lines).strip("\n")


def _split_body(body: str, candidate: Candidate, document: Document) -> tuple[str, str]:
    """(front, answer): a `<details>` block or an `A:` line starts the answer; what stands before it
    belongs with the question (say, the code a "what does this print?" question is about)."""
    details = _DETAILS.search(body)
    if details and _details_is_html(candidate, document):
        inner = body[details.end() :]
        closing = inner.rfind("</details>")
        inner = inner[:closing] if closing >= 0 else inner
        inner = _P_WRAPPER.sub("", textwrap.dedent(inner)).strip("\n")
        return body[: details.start()].strip("\n"), inner
    if candidate.answer_prefix is not None:
        lines = body.split("\n")
        for index, line in enumerate(lines):
            marker = candidate.answer_prefix.match(line)
            if marker:
                answer = "\n".join([line[marker.end() :], *lines[index + 1 :]])
                return "\n".join(lines[:index]).strip("\n"), answer.strip("\n")
    return "", body


_DETAILS = re.compile(
    r"^[ \t]*<details\b[^>]*>\s*(?:<summary\b[^>]*>.*?</summary>)?[ \t]*\n?", re.M | re.S | re.I
)


# `<p>` and `</p>` on lines of their own wrap many `<details>` answers; they are not content
_P_WRAPPER = re.compile(r"^\s*</?p>\s*$\n?", re.M | re.I)


def _details_is_html(candidate: Candidate, document: Document) -> bool:
    """True when markdown-it saw `<details>` as HTML in this question (not inside a code block)."""
    return any(
        t.type in ("html_block", "html_inline") and "<details" in t.content.lower()
        for t in document.tokens_between(candidate.start, candidate.end)
    )


def _is_placeholder(answer: str) -> bool:
    text = re.sub(r"[*_`>#\[\]()]+", "", answer).strip().strip(".!:").casefold()
    return text in _PLACEHOLDERS


def _images(
    document: Document, start: int, end: int, path: Path, content_root: Path, report: Report
) -> tuple[Image, ...]:
    """The images a question's lines [start, end) refer to, checked and resolved."""
    found: dict[str, Image] = {}
    line = start
    for token in document.tokens_between(start, end):
        if token.map:
            line = token.map[0]
        if token.type != "image":
            continue
        src = str(token.attrGet("src") or "")
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
    try:
        digest = hashlib.sha256(target.read_bytes()).hexdigest()
    except OSError as exc:
        report.error(source, f"image {src!r} cannot be read: {exc.strerror}")
        return None
    return Image(src=src, path=target, digest=digest)


def _normalise(prompt: str) -> str:
    return re.sub(r"\s+", " ", prompt).strip().casefold()
