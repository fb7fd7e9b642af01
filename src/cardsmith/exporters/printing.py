"""What the two PDF exporters share: print HTML for questions, and WeasyPrint fenced in.

WeasyPrint may read only the templates and the deck's own content folder; any other URL (the network,
`file:` paths elsewhere) is refused, so a PDF never pulls in a file or a remote resource."""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import re
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from cardsmith import __version__, activity
from cardsmith.errors import Report
from cardsmith.exporters.fonts import uncovered
from cardsmith.model import Deck, Kind, Question, Section, Source
from cardsmith.output import Staging
from cardsmith.render import (
    Rendering,
    Target,
    choices_html,
    cloze_html,
    direction_of,
    highlight_css,
    to_html,
    to_inline_html,
)
from cardsmith.templating import jinja_environment, templates_dir
from cardsmith.text.scripts import EMOJI, OTHER, Script, is_rtl_language, script_of

PAPER = {"a4": (210, 297), "letter": (215.9, 279.4)}  # millimetres


@dataclass(frozen=True, slots=True)
class PrintDeck:
    """What laying out pages needs of a deck without its questions, sent with each part of the work
    to a worker process: its output name, title, language and content folder (the only files a
    page may load besides the templates)."""

    stem: str
    title: str
    lang: str
    content_root: Path

    @classmethod
    def of(cls, deck: Deck) -> PrintDeck:
        return cls(deck.stem, deck.title, deck.lang, deck.content_root)


@dataclass(frozen=True, slots=True)
class PrintQuestion:
    """A question ready for a print template: HTML rendered, context attached."""

    question: Question
    prompt: str
    front: str  # HTML shown under the prompt, or ""
    answer: str
    section: str
    choices: str = ""  # a quiz's options, the right ones marked (HTML, the cheat sheet), or ""
    options: str = ""  # a quiz's options unmarked (HTML, a flashcard's question side), or ""
    correct: str = ""  # only the right options, marked (HTML), or ""
    dir: str = "ltr"  # the prompt's direction
    tall: bool = False  # too tall to keep in one piece on the cheat sheet (see `TALL_LINES`)
    # a cloze: the prompt with blanks (a flashcard's question side; `prompt` has them filled and
    # marked), and the filled sentence a flashcard's back starts with
    asked: str = ""
    filled: str = ""

    @property
    def number(self) -> int | None:
        return self.question.number


# What one question may ask of the page layout: three times the longest answer in real banks, far
# below what makes WeasyPrint take minutes (a 5 MB line, a 4 MB table did). More is cut, with a mark.
PRINT_CHARACTERS = 20_000
PROMPT_CHARACTERS = 2_000
TABLE_ROWS = 200


def print_intro(section: Section, rendering: Rendering, report: Report | None = None) -> str:
    """A section's introduction in print HTML, cut to what a page can lay out (said in `report`)."""
    if not section.intro:
        return ""
    intro = _Cut(section.source, report).text(section.intro, PRINT_CHARACTERS, "section's text")
    return to_html(intro, rendering.with_images({i.src: file_url(i.path) for i in section.images}))


def print_question(
    question: Question, rendering: Rendering, report: Report | None = None
) -> PrintQuestion:
    """`question` in print HTML (`rendering` is the deck's, for paper), its texts cut to what a page
    can lay out (said in `report`)."""
    cut = _Cut(question.source, report)
    question = replace(
        question,
        prompt=cut.text(question.prompt, PROMPT_CHARACTERS, "question"),
        front=cut.text(question.front, PRINT_CHARACTERS, "question's code"),
        answer=cut.text(question.answer, PRINT_CHARACTERS, "answer"),
    )
    rendering = rendering.with_images(
        {image.src: file_url(image.path) for image in question.images}
    )
    prompt = to_inline_html(question.prompt, rendering)
    cloze = {}
    if question.kind is Kind.CLOZE:  # paper shows the deletions filled in, a card's front blanks
        cloze = {
            "asked": cloze_html(prompt, blank=True),
            "filled": f'<p class="cloze-filled">{cloze_html(prompt, blank=False)}</p>',
        }
        prompt = cloze_html(prompt, blank=False)
    return PrintQuestion(
        question=question,
        prompt=prompt,
        **cloze,
        front=to_html(question.front, rendering) if question.front else "",
        answer=to_html(question.answer, rendering) if question.answer else "",
        section=question.section_label,
        choices=choices_html(question.choices, rendering, mark_right=True),
        options=choices_html(question.choices, rendering),
        correct=choices_html(question.choices, rendering, correct_only=True),
        dir=direction_of(question.prompt),
        tall=print_lines(
            question.prompt, question.front, question.answer, *(c.text for c in question.choices)
        )
        > TALL_LINES,
    )


class _Cut:
    """Markdown cut to what the page can lay out (`first_part`), a visible mark where text is missing,
    and one warning."""

    def __init__(self, source: Source, report: Report | None):
        self.source = source
        self.report = report

    def text(self, markdown: str, limit: int, what: str) -> str:
        part, long_table = first_part(markdown, limit)
        if part is markdown:
            return breakable(markdown)
        if self.report is not None:
            self.report.warn(
                self.source,
                f"{what} is too long to print ({len(markdown):,} characters"
                + (f", tables over {TABLE_ROWS} rows" if long_table else "")
                + "): the PDFs show a part of it, the other formats all of it",
            )
        return (
            breakable(part) + "\n\n*[… cut for print: the Anki deck, CSV and JSON have all of it]*"
        )


# WeasyPrint breaks a word too long for its line one glyph at a time, trying the rest of the word for
# each line: a 5,000-character run took a minute (a table too large to be one, kept as its text).
# Such a run may break after every `_RUN`th character (an invisible zero-width space).
_LONG_RUN = re.compile(r"[^\s\u200b]{300,}")
_RUN = 40


def breakable(markdown: str) -> str:
    """`markdown` with a break allowed every `_RUN` characters of each unbroken run of 300 or more;
    `markdown` itself when it has none."""
    if not _LONG_RUN.search(markdown):
        return markdown
    return _LONG_RUN.sub(
        lambda m: "\u200b".join(m[0][i : i + _RUN] for i in range(0, len(m[0]), _RUN)), markdown
    )


def first_part(markdown: str, characters: int, lines: int | None = None) -> tuple[str, bool]:
    """The start of `markdown`: at most `characters` characters and `lines` lines, cut at line (or,
    in a line too long, word) boundaries, an open code fence closed, tables cut to `TABLE_ROWS`
    rows; and whether a table was cut. `markdown` itself when nothing had to go. Laid out, the part is
    never taller than the whole: it is the whole's first lines."""
    kept, size, fence, rows, cut, long_table = [], 0, None, 0, False, False
    for line in markdown.split("\n"):
        stripped = line.strip()
        if fence is None and stripped.startswith("|"):
            rows += 1
            if rows > TABLE_ROWS:
                cut = long_table = True
                continue
        elif fence is None:
            rows = 0
        if lines is not None and len(kept) >= lines:
            cut = True
            break
        if size + len(line) > characters:
            room = max(0, characters - size)
            kept.append(line[:room].rsplit(" ", 1)[0] if " " in line[:room] else line[:room])
            cut = True
            break
        kept.append(line)
        size += len(line) + 1
        marker = stripped[:3]
        if marker in ("```", "~~~"):
            fence = None if fence == marker else fence or marker
    if not cut:
        return markdown, False
    if fence is not None:
        kept.append(fence)
    return "\n".join(kept), long_table


def file_url(path: Path) -> str:
    """The URL a PDF page loads a file of the content folder from (see `document`'s fetcher)."""
    return path.resolve().as_uri()


# A cheat-sheet column holds about 70 lines. A Q&A kept in one piece that is taller than half of that
# leaves as much blank at a column's foot, and one taller than a page left page 1 empty: those break.
TALL_LINES = 35
_LINE = 60  # characters of a cheat-sheet line, about


def print_lines(*texts: str) -> float:
    """About how many cheat-sheet lines these Markdown texts take (an estimate, good to a few lines)."""
    lines = 0.0
    for text in texts:
        for line in text.split("\n"):
            lines += -(-len(line) // _LINE) if line.strip() else 0.3
    return lines


def render_template(name: str, **context) -> str:
    folder = templates_dir() / "pdf"
    environment = jinja_environment(folder)
    deck = context.get("deck")
    lang = deck.lang if deck is not None else "en"
    return environment.get_template(name).render(
        version=__version__,
        highlight_css=highlight_css(Target.PRINT),
        lang=lang,
        dir="rtl" if is_rtl_language(lang) else "ltr",
        **context,
    )


def check_fonts(deck: Deck, report: Report, intros: bool = False) -> None:
    """Text that no installed font can draw prints as empty boxes: say so once per script, at the
    first question that has it, with the Debian package that has the fonts. `intros`: the sections'
    own text is printed too (the cheat sheet)."""
    texts = [(deck.source, deck.title)]
    texts += [(s.source, f"{s.label} {s.intro if intros else ''}") for s in deck.sections]
    for q in deck.questions:
        texts.append(
            (q.source, " ".join([q.prompt, q.front, q.answer, *(c.text for c in q.choices)]))
        )
    missing = uncovered(
        {character for _, text in texts for character in text if not character.isascii()}
    )
    if not missing:
        return
    said: set[str] = set()
    for source, text in texts:
        for script, characters in _by_script(
            character for character in text if character in missing
        ):
            if script.name in said:
                continue
            said.add(script.name)
            shown = "".join(sorted(characters)[:5])
            name = "emoji" if script is EMOJI else f"{script.name} characters"
            report.warn(
                source,
                f"no installed font has these {name} ({shown}): they would print as empty boxes; "
                f"install {script.package} (Debian/Ubuntu: sudo apt-get install {script.package})",
            )


def _by_script(characters) -> list[tuple[Script, set[str]]]:
    groups: dict[str, tuple[Script, set[str]]] = {}
    for character in characters:
        script = script_of(character) or OTHER
        groups.setdefault(script.name, (script, set()))[1].add(character)
    return list(groups.values())


def document(
    html: str, deck: Deck | PrintDeck, what: str, pages: int | None = None, first_page: int = 1
):
    """Lay out `html` with WeasyPrint; only local files under the templates and content folder load.
    `what` names the work in the progress line ("deck.pdf", "deck.cards.pdf: fitting answers"),
    `pages` how many pages it makes, when that is known before, counted from `first_page` (a part
    of a longer document)."""
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    roots = (templates_dir().resolve(), deck.content_root.resolve())
    fetcher = _local_fetcher_class()(roots)
    base = (templates_dir() / "pdf").resolve().as_uri() + "/"
    with _python_gc(), activity.weasyprint_pages(what, pages, first_page):
        return weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher).render()


@contextlib.contextmanager
def _python_gc():
    """Python's own collector thresholds while WeasyPrint works: its layout makes cyclic garbage fast,
    and the build's rarer collections (see `cardsmith.cli.commands`) would let a flashcard build's memory
    double for no speed."""
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        yield
    finally:
        gc.set_threshold(*saved)


@functools.cache
def _local_fetcher_class():
    from weasyprint.urls import URLFetcher

    class LocalFetcher(URLFetcher):
        """file: URLs under the given folders, nothing else (no network, no other files)."""

        def __init__(self, roots: tuple[Path, ...]):
            super().__init__(allowed_protocols=("file",))
            self._roots = roots

        def fetch(self, url, headers=None):
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in self._roots):
                raise ValueError(f"cardsmith does not load {url!r} into a PDF")
            return super().fetch(url, headers)

    return LocalFetcher


def laid_out(rendered, name: str):
    """`rendered` written to a PDF in memory, with what placing its pages on sheets needs
    (`imposing.Laid`); `name` is the output's, for the progress line."""
    from cardsmith.exporters.imposing import Laid

    _writing(rendered, name)
    with _python_gc():
        return Laid.of(rendered)


def _writing(rendered, name: str) -> None:
    pages = len(rendered.pages)
    activity.say(f"{name}: writing {pages} page{'s' * (pages != 1)}")


def write_pdf(rendered, out: Staging, name: str) -> Path:
    _writing(rendered, name)
    with out.file(name) as temp, _python_gc():
        rendered.write_pdf(temp)
    return out.folder / name
