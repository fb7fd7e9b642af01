"""The study page: `<stem>.html`, one self-contained file to browse, search and study a deck in any
browser, phones first, with no network at all.

Everything is inside the file: the questions rendered as the cards render them (the same Pygments
colours, day and night; math as MathML from the conversion the PDFs use), images as `data:` URLs,
the page's CSS and script (`templates/html/`). A Content-Security-Policy allows no request at all: the
one script runs by its hash, images only from the file itself. The questions are in the page as HTML
(browsable without the script, printable), each with its stable id, so the study progress a browser
keeps (localStorage, keyed by the deck and the ids) survives a rebuild for unchanged questions.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import mimetypes
import re
from pathlib import Path

from cardsmith import __version__
from cardsmith.errors import Report
from cardsmith.model import Deck, Kind, Question, Unanswered
from cardsmith.output import Staging
from cardsmith.render import (
    Rendering,
    Renders,
    Target,
    cloze_html,
    direction_of,
    highlight_css,
    question_html,
    to_html,
    to_inline_html,
)
from cardsmith.settings import Settings
from cardsmith.templating import jinja_environment, read_template, templates_dir
from cardsmith.text.scripts import is_rtl_language


def export(
    deck: Deck, out: Staging, settings: Settings, report: Report, renders: Renders
) -> list[Path]:
    return [out.write(f"{deck.stem}.html", page(deck, renders))]


def page(deck: Deck, renders: Renders | None = None) -> str:
    script = read_template("html", "study.js")
    style = read_template("html", "study.css") + "\n" + highlight_css(Target.PAGE)
    rendering = Rendering.of(deck, Target.PAGE, renders)
    unanswered: dict[tuple[str, ...], list[dict]] = {}
    for item in deck.unanswered:  # listed under their section, never cards
        unanswered.setdefault(item.section, []).append(_unanswered(item, rendering))
    sections, number = [], 0
    for section in deck.sections:
        questions = []
        for question in section.questions:
            number += 1  # the author's number, else its place in the deck
            questions.append(_question(question, question.number or number, rendering))
        intro = _intro(section.intro, section.images, rendering)
        sections.append(
            {
                "label": section.label,
                "intro": intro,
                "questions": questions,
                "unanswered": unanswered.pop(section.path, []),
            }
        )
    tags = sorted({tag for q in deck.questions for tag in q.tags})
    environment = jinja_environment(templates_dir() / "html")
    return environment.get_template("study.html").render(
        deck=deck,
        intro=_intro(deck.intro, deck.intro_images, rendering),
        sections=sections,
        # outside any section that is in the deck (the file's top): listed after its intro
        unanswered=[item for items in unanswered.values() for item in items],
        tags=tags,
        count=len(deck.questions),
        style=style,
        script=script,
        script_hash=base64.b64encode(hashlib.sha256(script.encode()).digest()).decode(),
        storage_key=json.dumps(f"cardsmith:{deck.name}"),
        version=__version__,
        lang=deck.lang,
        dir="rtl" if is_rtl_language(deck.lang) else "ltr",
    )


def _question(question: Question, number: int, rendering: Rendering) -> dict:
    images = {image.src: _data_url(image.path) for image in question.images}
    prompt, answer = question_html(question, rendering.with_images(images))
    if question.kind is Kind.CLOZE:  # blanks on the question side, filled in above the answer
        filled = cloze_html(prompt, blank=False)
        prompt = cloze_html(prompt, blank=True)
        answer = f'<p class="cs-filled">{filled}</p>{answer}'
    return {
        "id": question.id,
        "number": number,
        # the prompt is inside the <summary> that opens its answer: a link in it would be a control
        # inside a control (screen readers and keyboards cannot reach it); its text stays
        "prompt": _ANCHOR.sub(_inert, prompt),
        "answer": answer,
        "tags": question.tags,
        "source": f"{question.source.path.name}:{question.source.line}",
        "dir": direction_of(question.prompt),
        "kind": str(question.kind),
        "label": html.escape(question.section_label),
    }


def _intro(markdown: str, images, rendering: Rendering) -> str:
    """An introduction (the deck's or a section's) with its images inside the page."""
    if not markdown:
        return ""
    return to_html(markdown, rendering.with_images({i.src: _data_url(i.path) for i in images}))


def _unanswered(item: Unanswered, rendering: Rendering) -> dict:
    return {
        "prompt": _ANCHOR.sub(_inert, to_inline_html(item.prompt, rendering)),
        "reason": item.reason,
        "source": f"{item.source.path.name}:{item.source.line}",
        "dir": direction_of(item.prompt),
    }


_ANCHOR = re.compile(r"<a\b[^>]*>|</a>")


def _inert(match: re.Match) -> str:
    return "</span>" if match.group(0) == "</a>" else '<span class="link">'


def _data_url(path: Path) -> str:
    """An image of the content folder inside the page (the parser confined and size-capped it)."""
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"
