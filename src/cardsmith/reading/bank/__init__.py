"""The question bank reader: one Markdown file of questions -> one `Deck` (a `cardsmith.reading.Reader`),
reading markdown-it-py tokens (never HTML).

The stages, each a module: `document` indexes the tokens; the `rules` find candidate questions, one
module per way of writing them, in one table; `layout` decides in one pass what each heading is and
where each answer ends; `assemble` makes the deck, accounting for every line (`boilerplate` says why a
line is left out; `answers` and `quiz` make a body into a front, an answer and options; `prompt` takes
a prompt's marker, id and difficulty apart). `fences` checks code fences first; `slices` gives the
block tokens of answers that are whole blocks of the file, so they are rendered without a second parse.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path, PurePosixPath

from cardsmith.errors import ContentError, NoQuestions, Report
from cardsmith.fingerprint import file_digest
from cardsmith.model import Deck, Source
from cardsmith.reading import CacheFolder
from cardsmith.reading.bank.assemble import assemble
from cardsmith.reading.bank.document import Document
from cardsmith.reading.bank.fences import check_fences, check_headings_in_code
from cardsmith.reading.bank.layout import layout
from cardsmith.reading.bank.rules import Rule
from cardsmith.reading.bank.rules.pattern import SECONDS, Pattern, TooSlow
from cardsmith.reading.bank.slices import answer_blocks
from cardsmith.reading.frontmatter import read_front_matter
from cardsmith.reading.source import MAX_BYTES, normalise_newlines, read_source
from cardsmith.settings import SETTING, DeckSettings, Settings, problem
from cardsmith.text.lessons import rewrite
from cardsmith.text.markdown import TABLE_CELLS, configured, unused_rules, without_rules

CONFIG_FILES: tuple[PurePosixPath, ...] = ()  # a file says everything about itself


def claims(path: Path) -> bool:
    """Any file named (a folder's files are its `*.md`: `cardsmith.build.pipeline.discover`)."""
    return path.is_file()


def digest(path: Path) -> str:
    return file_digest(path, MAX_BYTES)  # (a larger file is an error of `read`, not read twice)


def read(
    path: Path,
    root: Path,
    report: Report,
    settings: Settings,
    cache: CacheFolder | None = None,
    parsed: dict[str, list] | None = None,
) -> Deck:
    """The file's deck; its front matter stands between the command line and the config file."""
    return read_bank(path, root, report, settings.deck, parsed)


def read_bank(
    path: Path,
    content_root: Path,
    report: Report,
    settings: DeckSettings | None = None,
    parsed: dict[str, list] | None = None,
) -> Deck:
    """Read one Markdown file into a `Deck`. Errors raise `ContentError`; warnings go to `report`.
    `settings` are the deck settings of the command line and the config file; the file's front
    matter stands between them (`DeckSettings.resolve`). `parsed`, when given, gets the block
    tokens of the answers the file's parse already made (`slices`)."""
    source = read_source(path, report)
    deck = read_text(source.text, path, content_root, report, settings, parsed)
    return replace(deck, digest=source.digest)


def read_text(
    text: str,
    path: Path,
    content_root: Path,
    report: Report,
    settings: DeckSettings | None = None,
    parsed: dict[str, list] | None = None,
) -> Deck:
    """Read already-decoded Markdown; `path` names it in messages and anchors relative images."""
    text, syntax = rewrite(normalise_newlines(text))
    if not text.strip():
        raise NoQuestions(Source(path, 1), "file is empty", empty=True)
    env: dict = {}
    tokens = _structure(unused_rules(text)).parse(text, env)
    for line, columns, rows in env.get("too_large_tables", ()):
        report.warn(
            Source(path, line + 1),
            f"a table of {columns:,} columns and {rows:,} rows is too large to be a table (over "
            f"{TABLE_CELLS:,} cells): kept as its text",
        )
    lines = text.split("\n")
    matter = next((t for t in tokens if t.type == "front_matter"), None)
    metadata = read_front_matter(matter.content, path, report) if matter else {}
    values = (settings or DeckSettings()).resolve(metadata)
    check_fences(tokens, lines, path, report, _questions_in)
    check_headings_in_code(tokens, lines, path, report)
    document = Document(tokens, lines, syntax)
    pattern = _pattern(values, path, report)
    forced = None if values["questions"] == "auto" else Rule(values["questions"])
    try:
        found = layout(
            document, Rule.PATTERN if pattern else forced, values["question_level"] or None, pattern
        )
    except TooSlow as exc:
        raise ContentError.at(
            Source(path, exc.line + 1),
            f"the pattern took more than {SECONDS:g} s of work by this line: a group repeated "
            "inside a repetition, such as (a+)+ or (a|a)*, can take forever; make it simpler",
        ) from None
    if pattern and not any(q.candidate.rule is Rule.PATTERN for q in found.questions):
        report.warn(
            Source(path, 1), f"pattern {pattern.prompt!r} matches no line outside code blocks"
        )
    deck = assemble(document, found, path, content_root, report, metadata, values, matter)
    if parsed is not None:
        parsed.update(answer_blocks(document, deck, env))
    return deck


def _questions_in(text: str) -> int:
    """How many questions the rules find in text read alone (what an unclosed fence swallows)."""
    return len(
        layout(Document(_structure().parse(text, {}), text.split("\n")), None, None, None).questions
    )


def _pattern(values: dict, path: Path, report: Report) -> Pattern | None:
    """The author's pattern (`pattern`, `answer-pattern`), or None: then the rules find questions."""
    prompt, answer = values["pattern"], values["answer_pattern"]
    if not prompt:
        if values["questions"] == "pattern":
            raise ContentError.at(
                Source(path, 1),
                "questions: pattern needs a `pattern`: the regular expression of the line a "
                "question starts on",
            )
        if answer:
            report.warn(Source(path, 1), "answer-pattern is used only with a `pattern`")
        return None
    for name in ("pattern", "answer_pattern"):  # checked where given; a Python caller's here
        wrong = problem(SETTING[name], values[name])
        if wrong:
            raise ContentError.at(Source(path, 1), wrong)
    return Pattern(prompt, answer)


@functools.lru_cache(maxsize=32)
def _structure(unused: frozenset[str] = frozenset()):
    """The shared Markdown configuration, with markdown-it's inline pass only where structure needs
    it, without the block rules `unused` (`text.markdown.unused_rules`: none can match the text)."""
    md = configured(autolinks=False)
    md.core.ruler.at("inline", _structural_inline)
    return without_rules(md, unused)


def _structural_inline(state) -> None:
    """markdown-it's inline pass, run only where the structure needs inline tokens: headings, and
    text with an image or HTML. Answers get their inline pass when they are rendered (from these
    block tokens, `slices`), so parsing all inline text here would be done twice."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type == "inline" and index and _needs_inline(tokens[index - 1], token.content):
            token.children = []
            state.md.inline.parse(token.content, state.md, state.env, token.children)


def _needs_inline(parent, content: str) -> bool:
    return parent.type == "heading_open" or "![" in content or "<" in content
