"""A layout made into a `Deck`, line by line: each placed question's prompt, front, answer, options
and images, the sections and their introductions, the deck's title and introduction. Every line is accounted for: a line
that ends in no output is either skipped for a stated reason (`Deck.skipped`, listed by `check -v`)
or reported as a warning at its line. Nothing is lost in silence."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import replace
from pathlib import Path
from typing import Any

from cardsmith.errors import ContentError, NoQuestions, Report
from cardsmith.identity.fingerprints import comparable
from cardsmith.model import (
    CLOZE_MARK,
    Deck,
    Image,
    Kind,
    Question,
    Section,
    Skipped,
    Source,
    Unanswered,
    choices_markdown,
    question_text,
)
from cardsmith.reading.bank.answers import (
    Part,
    clean,
    common_indent,
    dedent,
    is_empty,
    is_placeholder,
    trim,
)
from cardsmith.reading.bank.boilerplate import (
    QUESTIONS_WITHOUT_ANSWERS,
    Skip,
    block_skips,
    outside_reason,
    plain,
)
from cardsmith.reading.bank.document import SHORTCODE, Document, last_text_line
from cardsmith.reading.bank.layout import Layout
from cardsmith.reading.bank.placeholders import is_stub_quiz
from cardsmith.reading.bank.prompt import ID_COMMENT, prompt_parts
from cardsmith.reading.bank.quiz import find_choices
from cardsmith.reading.bank.rules import RULES, Placed
from cardsmith.text.images import html_image_sources, resolve_image
from cardsmith.text.mkdocs import portable
from cardsmith.text.scripts import language, without_direction_controls


def assemble(
    document: Document,
    found: Layout,
    path: Path,
    content_root: Path,
    report: Report,
    metadata: dict[str, Any],
    values: dict[str, Any],
    matter,
) -> Deck:
    """The deck a file's layout makes. `metadata` is its front matter (`matter` its token, or None),
    `values` the deck settings resolved for it."""
    return _Assembly(document, found, path, content_root, report, metadata, values, matter).deck()


class _Assembly:
    """Turns a layout into a `Deck`, line by line."""

    def __init__(
        self, document, found: Layout, path, content_root, report, metadata, values, matter
    ):
        self.document = document
        self.layout = found
        self.path = path
        self.content_root = content_root
        self.report = report
        self.metadata = metadata  # the front matter
        self.values = values  # the deck settings, resolved
        self.matter = matter
        self.lines = document.lines
        boilerplate = block_skips(document)
        self.skips: list[Skip] = [*boilerplate, *found.skips]
        self.skipped_lines = {n for s in boilerplate for n in range(s.start, s.end)}
        self.owned = [False] * len(self.lines)
        self.missing_images: set[Path] = set()
        # the images each introduction shows (None: the deck's own), by their `src`
        self.intro_images: dict[tuple[str, ...] | None, dict[str, Image]] = {}
        self.lesson = document.lesson

    def source(self, line: int) -> Source:
        return Source(self.path, line + 1)

    def own(self, start: int, end: int) -> None:
        stop = min(end, len(self.lines))
        if 0 <= start < stop:
            self.owned[start:stop] = [True] * (stop - start)  # (one slice, not a loop)
            return
        for number in range(start, stop):
            self.owned[number] = True

    def deck(self) -> Deck:
        found = self.layout
        if self.matter is not None and self.matter.map:
            self.own(*self.matter.map)
        for skip in self.skips:
            self.own(skip.start, skip.end)

        title = self._title()
        section_of = _section_paths(
            found.sections, [p.candidate for p in found.questions], found.dividers
        )
        for heading in found.sections:
            self.own(heading.line, heading.end)
        for line in found.structure:
            self.own(line, line + 1)

        # each question is made with its section's tags (`_section_tags`); front matter's `tags`,
        # when they are wrong, are reported where they were before any question was made
        try:
            deck_tags, wrong_tags = _tags(self.values["tags"], self.path), None
        except ContentError as exc:
            deck_tags, wrong_tags = (), exc
        metadata = self.metadata
        name = _text(metadata.get("deck")) or title  # a blank name would be Anki's "blank"
        prefix = slug(name) if self.values["prefix_tags"] else ""
        tags_of: dict[tuple[str, ...], tuple[str, ...]] = {}

        sections: dict[tuple[str, ...], tuple[Source, list[Question]]] = {}
        unanswered: list[Unanswered] = []
        seen: dict[str, Source] = {}
        counts: dict[str, int] = {}
        for placed in found.questions:
            candidate = placed.candidate
            self.own(candidate.line, placed.end)
            titles, section_line = section_of(candidate.line)
            if titles not in tags_of:
                tags_of[titles] = _section_tags(titles, deck_tags, prefix)[1]
            question = self._question(placed, titles, tags_of[titles])
            if isinstance(question, Unanswered):
                unanswered.append(replace(question, section=titles))
                continue
            counts[candidate.rule.value] = counts.get(candidate.rule.value, 0) + 1
            key = _normalise(question_text(question))
            if key in seen:
                self.report.warn(
                    question.source,
                    f"same question as at line {seen[key].line}: {question.prompt!r}",
                )
            else:
                seen[key] = question.source
            where = self.source(section_line) if section_line is not None else question.source
            sections.setdefault(titles, (where, []))[1].append(question)

        intro, section_intros = self._outside(found, section_of, unanswered)
        self._empty_sections(
            found, section_of, [*sections, *section_intros, *(u.section for u in unanswered)]
        )
        self.report.raise_errors()
        if not found.questions and not unanswered:
            raise NoQuestions(
                Source(self.path, 1),
                "no questions found: expected headings like `### 1. Question?`, "
                "`1. ### Question?` list items, `<details><summary>Question?</summary>`, "
                "**bold question** paragraphs or `Q:`/`A:` lines (a glossary or a table of "
                "terms: `questions: glossary` in front matter; any other shape: `pattern:`, "
                "see `cardsmith explain`)",
            )
        if not sections:
            raise ContentError.at(
                Source(self.path, 1),
                f"{len(unanswered)} question{'s' * (len(unanswered) != 1)} found, none answered",
            )
        if wrong_tags is not None:
            raise wrong_tags
        lang = self.values["lang"]
        if lang == "auto":
            lang = language(
                " ".join(
                    f"{q.prompt} {q.answer}"
                    for _, questions in sections.values()
                    for q in questions
                )
            )
        return Deck(
            title=title,
            name=name,
            source=Source(self.path, 1),
            metadata=metadata,
            tags=deck_tags,
            sections=tuple(
                _section(
                    titles,
                    src,
                    questions,
                    deck_tags,
                    prefix,
                    section_intros.get(titles, ""),
                    tuple(self.intro_images.get(titles, {}).values()),
                )
                for titles, (src, questions) in self._in_order(
                    sections, section_intros, unanswered, found, section_of
                )
            ),
            allow_html=bool(self.values["html"]),
            unanswered=tuple(unanswered),
            content_root=self.content_root,
            rule=max(counts, key=counts.__getitem__),
            rule_counts=tuple(sorted(counts.items(), key=lambda item: -item[1])),
            intro=intro,
            intro_images=tuple(self.intro_images.get(None, {}).values()),
            lang=lang,
            skipped=self._skipped(),
            missing_images=tuple(sorted(self.missing_images)),
        )

    def _title(self) -> str:
        """The `# Title` above the questions, a README's centred `<h1>`, front matter's `title`, or
        the file's name."""
        found = self.layout
        first = min((q.candidate.line for q in found.questions), default=len(self.lines))
        if found.title is not None:
            self.own(found.title.line, found.title.end)
            return found.title.plain or found.title.text
        from_html = self.document.html_title(first)
        if from_html is not None:
            text, start, end = from_html
            self.own(start, end)
            return text
        return _text(self.metadata.get("title")) or self.path.stem

    # --- a question --------------------------------------------------------------------------------

    def _question(
        self, placed: Placed, section: tuple[str, ...], section_tags: tuple[str, ...]
    ) -> Question | Unanswered:
        """The question, or, when it has no answer yet (reported), what it is and why; a question
        stands in `section`, tagged with `section_tags` before its own."""
        candidate = placed.candidate
        source = self.source(candidate.line)
        end = last_text_line(self.lines, candidate.line, placed.end)
        rule = candidate.rule.value
        prompt, explicit, number, tags = prompt_parts(candidate.prompt)
        if candidate.number is not None and number is None:
            number = candidate.number
        body = self._body(placed)
        comment = ID_COMMENT.search(body.text)
        if comment:
            explicit = explicit or comment.group(1)
            body = Part([(n, t) for n, t in body.lines if not ID_COMMENT.fullmatch(t.strip())])
        front, answer = RULES[candidate.rule].split(self.document, placed, body)
        dropped: list[int] = []
        choices, front, answer = find_choices(self.document, front, answer, dropped)
        for line in dropped:
            self.report.warn(self.source(line), "quiz option has no text; left out")
        if _LABEL_ONLY.fullmatch(prompt):
            label = prompt
            prompt, front = _prompt_from_front(prompt, front)
            digits = re.search(r"\d+", label)
            if number is None and digits and prompt != label:
                number = int(digits.group())
        front_text, answer_text = portable(clean(front.text)), portable(clean(answer.text))
        prompt, removed = without_direction_controls(prompt)
        if removed:
            self.report.warn(source, removed)
        if not prompt:
            self.report.warn(source, "question has no text; left out")
            body_text = _held(front_text, choices, answer_text)
            return Unanswered(source, (), candidate.prompt, end, rule, "no text", body_text)
        if choices and not any(choice.correct for choice in choices):
            what = (
                "a template's placeholder"
                if is_stub_quiz(prompt, [c.text for c in choices])
                else "no option marked right"
            )
            self.report.warn(
                source,
                f"question has {what}; left out (lines {source.line}-{end}): {prompt!r}",
            )
            body_text = _held(front_text, choices, answer_text)
            return Unanswered(source, (), prompt, end, rule, what, body_text)
        empty = is_empty(answer_text)
        if not choices and (empty or is_placeholder(answer_text)):
            what = "a placeholder answer" if answer_text.strip() else "no answer"
            self.report.warn(source, f"question has {what}; left out: {prompt!r}")
            body_text = _held(front_text, choices, answer_text)
            return Unanswered(source, (), prompt, end, rule, what, body_text)
        images = self._images(candidate.line, placed.end)
        kind = Kind.CLOZE if CLOZE_MARK.search(prompt) else Kind.CHOICE if choices else Kind.BASIC
        return Question(
            id=explicit or "",
            number=number,
            prompt=prompt,
            answer=answer_text if not empty else "",
            section=section,
            tags=tuple(dict.fromkeys((*section_tags, *tags))),
            kind=kind,
            source=source,
            images=images,
            front=front_text,
            choices=choices,
            rule=rule,
            end=end,
        )

    def _body(self, placed: Placed) -> Part:
        """The lines a question's body takes, boilerplate out, list indentation removed, the rule's
        own wrapping taken off (a `<details>`'s summary and closing tag)."""
        candidate = placed.candidate
        numbers = [
            n for n in range(candidate.body_start, placed.end) if n not in self.skipped_lines
        ]
        texts = [self.lines[n] for n in numbers]
        if numbers and numbers[0] == candidate.body_start and candidate.body_column:
            texts[0] = texts[0][candidate.body_column :]
        if candidate.indent:
            item_end = candidate.item_end or placed.end
            inside = [t for n, t in zip(numbers, texts, strict=True) if n < item_end]
            outside = [t for n, t in zip(numbers, texts, strict=True) if n >= item_end]
            # inside the item, authors often indent more than the list marker needs (4 spaces
            # under `- `); after the item ends the answer often goes on indented less
            common = common_indent(inside)
            indent = candidate.indent
            inner = common if indent <= common <= indent + 3 else indent
            texts = dedent(inside, inner) + dedent(outside, min(common_indent(outside), indent))
        part = Part(list(zip(numbers, texts, strict=True)))
        unwrap = RULES[candidate.rule].unwrap
        if unwrap is not None:
            part = unwrap(part)
        return trim(part, self.skips)

    def _images(self, start: int, end: int) -> tuple[Image, ...]:
        """The images a question's lines [start, end) refer to, in Markdown or in raw HTML
        (`<img src>`), checked and resolved alike."""
        found: dict[str, Image] = {}
        for line, token in self.document.images_between(start, end):
            if token.type == "image":
                sources = [(line, str(token.attrGet("src") or ""))]
            else:  # HTML holding `<img`
                sources = [
                    (line + offset, src) for offset, src in html_image_sources(token.content)
                ]
            for at, src in sources:
                if src in found:
                    continue
                image = resolve_image(
                    src,
                    self.source(at),
                    self.path,
                    self.content_root,
                    self.report,
                    self.missing_images,
                )
                if image is not None:
                    found[src] = image
        return tuple(found.values())

    # --- what is in no question --------------------------------------------------------------------

    def _outside(
        self, found: Layout, section_of, unanswered: list
    ) -> tuple[str, dict[tuple[str, ...], str]]:
        """Account for every line outside questions: the deck's introduction (before the first
        question or section), a section's introduction (under its heading, before its first
        question; all of its text when it has no question of its own, as a closing summary or a
        part whose questions are all in its chapters), boilerplate skipped for a reason, or a
        warning. Returns the deck's intro and each section's."""
        question_lines = sorted(q.candidate.line for q in found.questions)
        starts = question_lines + [h.line for h in found.sections]
        first = min(starts, default=len(self.lines))
        intro: list[str] = []
        section_intros: dict[tuple[str, ...], list[str]] = {}
        for token_index, token in self._top_blocks():
            start, end = token.map
            if all(self.owned[n] or not self.lines[n].strip() for n in range(start, end)):
                continue
            reason = outside_reason(self.document, token_index, start >= first)
            if reason == QUESTIONS_WITHOUT_ANSWERS:
                self._unanswered_list(token_index, unanswered, section_of)
            if reason is not None:
                self.skips.append(Skip(start, end, reason))
                self.own(start, end)
                continue
            if end <= first:
                intro.extend(self.lines[n] for n in range(start, end) if not self.owned[n])
                intro.append("")
                self._intro_images(None, start, end)
                self.own(start, end)
                continue
            titles, heading_line = section_of(start)
            if titles and not _question_between(question_lines, heading_line, start):
                block = [self.lines[n] for n in range(start, end) if not self.owned[n]]
                while block and not block[-1].strip():  # a list's map ends past its blank line
                    block.pop()
                section_intros.setdefault(titles, []).extend((*block, ""))
                self._intro_images(titles, start, end)
                self.own(start, end)
                continue
            if self.lesson:  # a lesson's prose between its exercises: it teaches, it asks nothing
                solution = token.type == "admonition_open" and token.meta.get("tag") == "solution"
                self.skips.append(Skip(start, end, LESSON_SOLUTION if solution else LESSON_TEXT))
                self.own(start, end)
                continue
            where = f"under section {' › '.join(titles)!r}" if titles else "outside any section"
            last = last_text_line(self.lines, start, end)
            span = f" (lines {start + 1}-{last})" if last > start + 1 else ""
            self.report.warn(self.source(start), f"text {where} is in no question{span}")
            self.own(start, end)
        return portable("\n".join(intro).strip("\n")), {
            titles: portable("\n".join(lines).strip("\n"))
            for titles, lines in section_intros.items()
        }

    def _intro_images(self, titles: tuple[str, ...] | None, start: int, end: int) -> None:
        """The images an introduction's block [start, end) shows (None: the deck's own), checked and
        resolved as a question's are."""
        found = self.intro_images.setdefault(titles, {})
        for image in self._images(start, end):
            found.setdefault(image.src, image)

    def _in_order(self, sections: dict, intros: dict, unanswered: list, found: Layout, section_of):
        """The deck's sections in the file's order: those with questions, and those with only an
        introduction or only unanswered questions (no cards: the Anki writers make no sub-deck for
        them), each at its heading's place."""
        ordered = [
            (src.line, titles, (src, questions)) for titles, (src, questions) in sections.items()
        ]
        lines: dict[tuple[str, ...], int] = {}
        for heading in found.sections:
            lines.setdefault(section_of(heading.line)[0], heading.line)
        extra = dict.fromkeys([*intros, *(u.section for u in unanswered)])
        for titles in extra:
            if titles in sections or not titles or titles not in lines:
                continue
            line = lines[titles] + 1
            at = next((n for n, item in enumerate(ordered) if item[0] > line), len(ordered))
            ordered.insert(at, (line, titles, (self.source(line - 1), [])))
        return [(titles, value) for _, titles, value in ordered]

    def _empty_sections(self, found: Layout, section_of, used: list[tuple[str, ...]]) -> None:
        """A section heading with no question under it is said, not silently dropped."""
        prefixes = {path[:depth] for path in used for depth in range(1, len(path) + 1)}
        for heading in found.sections:
            path, _ = section_of(heading.line)
            if path and path not in prefixes and self.lesson:
                self.skips.append(Skip(heading.line, heading.end, LESSON_SECTION))
            elif path and path not in prefixes:
                self.report.warn(
                    self.source(heading.line),
                    f"section {' › '.join(path)!r} has no questions; its heading is left out",
                )

    def _top_blocks(self):
        for index, token in enumerate(self.document.tokens):
            if (
                token.level == 0
                and token.nesting >= 0
                and token.map
                and token.type != "front_matter"
            ):
                yield index, token

    def _unanswered_list(self, index: int, unanswered: list, section_of) -> None:
        """A list of questions with no answers: each is listed as unanswered, the list warned about."""
        start, end = self.document.tokens[index].map
        titles, _ = section_of(start)
        items = [text for _, text in self.document.list_items(index)]
        for offset, item in enumerate(items):
            unanswered.append(
                Unanswered(
                    self.source(start + offset),
                    titles,
                    plain(item),
                    reason="in a list of questions with no answers",
                )
            )
        self.report.warn(
            self.source(start),
            f"a list of {len(items)} questions with no answers; left out (lines {start + 1}-{end})",
        )

    def _skipped(self) -> tuple[Skipped, ...]:
        merged: list[Skip] = []
        for skip in sorted(self.skips, key=lambda s: (s.start, s.end)):
            if skip.end <= skip.start:
                continue
            if merged and merged[-1].reason == skip.reason and skip.start <= merged[-1].end:
                merged[-1] = Skip(merged[-1].start, max(merged[-1].end, skip.end), skip.reason)
            else:
                merged.append(skip)
        return tuple(
            Skipped(self.source(s.start), last_text_line(self.lines, s.start, s.end), s.reason)
            for s in merged
        )


# a prompt that only numbers its question (`#### Question 2`, `Q3`, `Exercise 4`): the question is
# the paragraph under it
_LABEL_ONLY = re.compile(
    r"(?:(?:Q|Qn|Ques|Question|Problem|Exercise|Quiz|Task)\s*#?\s*\d{0,6}\s*[.):\-–—]?)?", re.I
)


# what a lesson (`Document.lesson`: its questions are its exercise boxes) holds around them
LESSON_TEXT = "lesson text between its exercises"
LESSON_SECTION = "lesson section with no exercise"
LESSON_SOLUTION = "a solution not right after its exercise (only one right after it answers it)"


def _held(front: str, choices: tuple, answer: str) -> str:
    """What an unanswered question holds after its prompt, kept in the model as written."""
    return "\n\n".join(
        part
        for part in (front, choices_markdown(choices) if choices else "", answer)
        if part.strip()
    )


def _prompt_from_front(prompt: str, front: Part) -> tuple[str, Part]:
    """The front's first paragraph as the prompt, when it is plain text (no list, code, HTML or
    heading); else the prompt as it was."""
    lines = [(n, t) for n, t in front.lines]
    while lines and not lines[0][1].strip():
        lines.pop(0)
    paragraph = []
    while lines and lines[0][1].strip():
        paragraph.append(lines.pop(0)[1].strip())
    text = " ".join(paragraph)
    if not text or re.match(r"(?:[-*+>#|<$]|\d+[.)]\s|```|~~~)", text):
        return prompt, front
    return text, Part(lines)


def _section_paths(headings, questions=(), dividers=frozenset()):
    """A function: line -> (section titles open at that line, line of the innermost section). A
    heading question closes the sections as deep as it or deeper that stand at the question level
    (a heading that groups the questions under it), but for `dividers`, which span them."""
    events = sorted(
        [(h.line, h.level, True) for h in headings]
        + [(c.line, c.level, False) for c in questions if c.level]
    )
    by_line = {h.line: h for h in headings}
    starts: list[int] = []
    paths: list[tuple[tuple[str, ...], int | None]] = []
    open_headings: list = []
    for line, level, is_section in events:
        if is_section:
            open_headings = [h for h in open_headings if h.level < level] + [by_line[line]]
        else:
            kept = [h for h in open_headings if h.level < level or h.line in dividers]
            if len(kept) == len(open_headings):
                continue
            open_headings = kept
        starts.append(line)
        innermost = open_headings[-1].line if open_headings else None
        paths.append((tuple(_section_name(h.plain) for h in open_headings), innermost))

    def section_of(line: int) -> tuple[tuple[str, ...], int | None]:
        position = bisect_right(starts, line) - 1
        if position < 0:
            return (), None
        return paths[position]

    return section_of


def _section_name(title: str) -> str:
    """A section title as a clean name: no emoji shortcodes, and no run of colons (`::` splits Anki
    decks) nor a colon at either end."""
    name = SHORTCODE.sub("", title)
    name = re.sub(r"^\s*#+\s+", "", name)  # `## # 1. INTRODUCTION`
    name = re.sub(r":{2,}", ":", name).strip(" :")
    return re.sub(r"\s+", " ", name) or title.strip(" :") or "section"


def _section(
    titles: tuple[str, ...],
    source: Source,
    questions: list[Question],
    deck_tags: tuple[str, ...],
    prefix: str = "",
    intro: str = "",
    images: tuple[Image, ...] = (),
) -> Section:
    """A section of `questions` (each made with its tags and path: `_section_tags`), tagged with
    the section's path (`basics`, `basics::tuning`), under `prefix` when there is one
    (`aws-ml::basics`)."""
    tag, _ = _section_tags(titles, deck_tags, prefix)
    return Section(
        title=titles[-1] if titles else "",
        path=titles,
        tag=tag,
        source=source,
        questions=tuple(questions),
        intro=intro,
        images=images,
    )


def _section_tags(
    titles: tuple[str, ...], deck_tags: tuple[str, ...], prefix: str
) -> tuple[str, tuple[str, ...]]:
    """A section's tag (`basics::tuning`, under `prefix` when there is one: `aws-ml::basics`), and
    the tags its questions take before their own: the deck's, then the section's."""
    tag = "::".join(
        (prefix, *(slug(t) for t in titles)) if prefix and titles else map(slug, titles)
    )
    return tag, tuple(dict.fromkeys((*deck_tags, tag) if tag else deck_tags))


def _question_between(question_lines: list[int], after: int | None, before: int) -> bool:
    """Whether a question starts after line `after` (a section's heading) and before `before`."""
    if after is None:
        return True
    position = bisect_right(question_lines, after)
    return position < len(question_lines) and question_lines[position] < before


def _normalise(prompt: str) -> str:
    """A prompt as the same-question check compares it: invisible differences (NFC or NFD,
    zero-width characters) and spacing and case do not count."""
    return _SPACES.sub(" ", comparable(prompt)).strip().casefold()


_SPACES = re.compile(r"\s+")


def _text(value: Any) -> str:
    """A front matter value as text, spaces around it dropped ("" when it is missing or blank)."""
    return "" if value is None else str(value).strip()


def _tags(value: Any, path: Path) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split()
    if not isinstance(value, list | tuple) or not all(isinstance(v, str | int) for v in value):
        raise ContentError.at(Source(path, 2), "front matter `tags` must be a list of words")
    return tuple(dict.fromkeys(slug(str(v)) for v in value if slug(str(v))))


def slug(text: str) -> str:
    """`Amazon SageMaker` -> `amazon-sagemaker`; usable as an Anki tag (no spaces)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[^\w]+", "-", text).strip("-_")
