"""Vault cards written back to back without a blank line between them (issue #27, open class G):
`Q1` / `?` / `A1` / `Q2` / `?` / `A2`. The spaced-repetition plugin ends a multi-line card only at a
blank line (src/parser.ts) and splits it at its first `?` line (question-type.ts): one card, whose
answer holds the second. cardsmith reads it the same way (the same cards as the author studies in
Obsidian) and says so at the card, with the line where a blank line makes two. A generated vault
of tens of runs; the text is ours."""

from __future__ import annotations

import itertools

from cardsmith.build.pipeline import check
from cardsmith.settings import Settings

from support.inputs import write


def run(note: int, cards: int, question_lines: int, answer_lines: int, reversed_: bool):
    """`cards` cards back to back: (lines, [(question, answer, separator line)])."""
    lines: list[str] = []
    written = []
    for card in range(1, cards + 1):
        question = [f"Q{note}.{card} line {n}" for n in range(1, question_lines + 1)]
        answer = [f"A{note}.{card} line {n}" for n in range(1, answer_lines + 1)]
        separator = "??" if reversed_ and card == 1 else "?"
        lines += question
        lines.append(separator)
        written.append((question, answer, len(lines)))
        lines += answer
    return lines, written


def test_cards_back_to_back_are_one_card_as_the_plugin_reads_them_and_said(tmp_path):
    vault = tmp_path / "V"
    write(vault, ".obsidian/app.json", "{}")
    expected = []  # per note: (prompt lines, answer texts in order, kind, warned separator line)
    variations = list(itertools.product((1, 2, 3, 4), (1, 2), (1, 2), (False, True)))
    for note, (cards, question_lines, answer_lines, reversed_) in enumerate(variations):
        header = ["#flashcards", "", f"Intro {note}.", ""]
        lines, written = run(note, cards, question_lines, answer_lines, reversed_)
        after, _ = run(note + 100, 1, 1, 1, False)  # a card after a blank line: its own
        write(vault, f"n{note:02}.md", "\n".join([*header, *lines, "", *after]) + "\n")
        first_question, first_answer, _ = written[0]
        rest = [text for q, a, _ in written[1:] for text in (*q, *a)]
        second = len(header) + written[1][2] if cards > 1 else None
        expected.append((note, first_question, [*first_answer, *rest], reversed_, second, cards))
    assert len(expected) == 32
    result = check([vault], Settings())
    deck = result.decks[0].deck
    by_note: dict[str, list] = {}
    for question in deck.questions:
        by_note.setdefault(question.source.path.name, []).append(question)
    warnings = {
        d.source.path.name: d for d in result.all_diagnostics if "back to back" in d.message
    }
    for note, question, answer, reversed_, second, count in expected:
        cards_written = count - 1
        name = f"n{note:02}.md"
        cards = by_note[name]
        assert len(cards) == 2, (name, [c.prompt for c in cards])  # the run, and the card after
        card = cards[0]
        assert card.kind.value == ("reversed" if reversed_ else "basic")
        assert [line.rstrip("\\") for line in card.prompt.split("\n")] == question, card.prompt
        plain = [line.rstrip("\\") for line in card.answer.split("\n") if line.strip()]
        assert [p for p in plain if p not in ("?", "??")] == answer, (name, card.answer)
        assert cards[1].prompt == f"Q{note + 100}.1 line 1"
        if second is None:
            assert name not in warnings
        else:
            warning = warnings[name]
            assert warning.source.line == len(["#flashcards", "", "", ""]) + 1
            assert str(second) in warning.message.split("(line")[1], (warning.message, second)
            assert f"{cards_written} more separator line" in warning.message, warning.message
            assert f"makes {cards_written + 1} cards" in warning.message
    assert len(warnings) == 24
