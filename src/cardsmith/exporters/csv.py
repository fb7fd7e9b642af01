"""Spreadsheet CSV: one row per question, the author's Markdown as readable text.

UTF-8 with a BOM (so Excel picks the encoding), RFC 4180 quoting and CRLF records, multi-line answers
inside one quoted field. Cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`,
`@`, tab or CR) get a leading `'`, as OWASP recommends against CSV injection; `unguard` undoes it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from cardsmith.errors import Report
from cardsmith.model import Deck, Question, choices_markdown, correct_choices, question_text
from cardsmith.output import Staging
from cardsmith.render import Renders
from cardsmith.settings import Settings

HEADER = ("id", "deck", "section", "number", "question", "answer", "tags", "source")
DELIMITERS = {"comma": ",", "tab": "\t"}  # the `csv_delimiter` setting's choices
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export(
    deck: Deck, out: Staging, settings: Settings, report: Report, renders: Renders
) -> list[Path]:
    buffer = io.StringIO()
    delimiter = DELIMITERS[settings.csv_delimiter]
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    for question in deck.questions:
        row = (
            question.id,
            deck.name,
            "::".join(question.section),
            "" if question.number is None else str(question.number),
            question_text(question),
            answer_text(question),
            " ".join(question.tags),
            str(question.source),
        )
        writer.writerow([guard(cell) for cell in row])
    suffix = "tsv" if delimiter == "\t" else "csv"
    return [out.write(f"{deck.stem}.{suffix}", "\ufeff" + buffer.getvalue())]


def answer_text(question: Question) -> str:
    """The answer as Markdown; a quiz's right option(s) first (`- ✓ B. text`)."""
    right = choices_markdown(correct_choices(question), mark_correct=True)
    return "\n\n".join(part for part in (right, question.answer) if part)


def guard(cell: str) -> str:
    """Keep a spreadsheet from evaluating the cell (OWASP: CSV injection)."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def unguard(cell: str) -> str:
    """The cell as the author wrote it, for programs reading the CSV back."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_START) else cell
