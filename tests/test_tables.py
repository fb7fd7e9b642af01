"""Tables of cards (`reading/bank/rules/glossary.py`): a table headed as questions and answers in any
of the common languages is a card per row, as a `Term | Definition` table is; any table is one when
the author says so in one line (`questions: glossary`), and a file of tables that says nothing gets
an error that names that line. The text is ours."""

from __future__ import annotations

import pytest

from cardsmith.errors import ContentError, Report
from cardsmith.reading.bank import read_bank

from support.inputs import write

HEADERS = [
    ("Question", "Answer"),
    ("Questions", "Answers"),
    ("Q", "A"),
    ("**Question**", "**Answer**"),
    ("Frage", "Antwort"),
    ("Pregunta", "Respuesta"),
    ("Вопрос", "Ответ"),
    ("问题", "答案"),
    ("質問", "回答"),
    ("Front", "Back"),
]


def read(tmp_path, name: str, text: str):
    report = Report()
    return read_bank(write(tmp_path, name, text), tmp_path, report), report


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


@pytest.mark.parametrize("header", HEADERS, ids=[h[0] for h in HEADERS])
def test_a_table_of_questions_and_answers_is_a_card_per_row(tmp_path, header):
    for count in (2, 3, 9):
        rows = [(f"What is {n} + {n}?", f"{2 * n}, **twice** {n}") for n in range(1, count + 1)]
        text = "\n".join(["# Sums", "", *table(header, rows), ""])
        deck, report = read(tmp_path, f"t{count}.md", text)
        assert [(q.prompt, q.answer) for q in deck.questions] == rows
        assert {q.rule for q in deck.questions} == {"glossary"}
        assert not report.warnings


def test_any_table_is_cards_when_the_author_says_so_and_an_error_names_the_line_otherwise(tmp_path):
    for columns in (2, 3):
        header = ("Spanish", "English", "Note")[:columns]
        rows = [(f"palabra{n}", f"word {n}", f"note {n}")[:columns] for n in range(1, 6)]
        body = ["# Verbs", "", *table(header, rows), ""]
        with pytest.raises(ContentError, match="questions: glossary"):
            read(tmp_path, f"plain{columns}.md", "\n".join(body))
        deck, _ = read(
            tmp_path, f"said{columns}.md", "---\nquestions: glossary\n---\n" + "\n".join(body)
        )
        expected = [(r[0], r[1] + (f"\n\n**Note:** {r[2]}" if columns == 3 else "")) for r in rows]
        assert [(q.prompt, q.answer) for q in deck.questions] == expected
