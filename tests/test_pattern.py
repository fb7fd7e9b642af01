"""The author's own pattern (`pattern`, `answer-pattern`: `reading/bank/rules/pattern.py`): for shapes
no rule knows, in front matter, `cardsmith.toml` or on the command line. Generated banks of each
shape with variations; a bad regular expression is an error at its line, one that matches nothing a
warning, one that backtracks without end an error at the line it was searching."""

from __future__ import annotations

import json

import pytest

from cardsmith.build.pipeline import check
from cardsmith.errors import ContentError, Report
from cardsmith.model import Kind
from cardsmith.reading.bank import read_bank
from cardsmith.reading.bank.rules import pattern as pattern_rule
from cardsmith.settings import DeckSettings, Settings

from support.command_line import cardsmith
from support.inputs import write
from support.library import parse


def _card(section: tuple[str, ...], prompt: str, front: str, answer: str) -> dict:
    return dict(prompt=prompt, front=front, answer=answer, section=section)


def _german(count: int) -> tuple[str, list[dict]]:
    """`Frage N:` / `Antwort:` exam notes, five variations; what each question must come out as."""
    lines = [
        "---",
        r"pattern: '^Frage \d+:'",
        "answer-pattern: '^Antwort:'",
        "---",
        "# Prüfungsfragen",
        "",
    ]
    expected = []
    for n in range(1, count + 1):
        if n % 10 == 1:
            lines += [f"## Teil {n // 10 + 1}", ""]
        section = (f"Teil {(n - 1) // 10 + 1}",)
        shape = n % 5
        if shape == 0:
            lines += [f"Frage {n}: Was ist Begriff {n}?", f"Antwort: Begriff {n} ist kurz.", ""]
            expected.append(_card(section, f"Was ist Begriff {n}?", "", f"Begriff {n} ist kurz."))
        elif shape == 1:
            lines += [
                f"Frage {n}: Nenne drei Teile von {n}.",
                "Antwort:",
                f"- Teil A{n}",
                f"- Teil B{n}",
                "",
                f"Und ein Satz dazu {n}.",
                "",
            ]
            expected.append(
                _card(
                    section,
                    f"Nenne drei Teile von {n}.",
                    "",
                    f"- Teil A{n}\n- Teil B{n}\n\nUnd ein Satz dazu {n}.",
                )
            )
        elif shape == 2:
            lines += [
                f"Frage {n}: Was gibt dieser Code aus?",
                "",
                "```python",
                f'print("Frage 99{n}: keine Frage")',
                "```",
                "",
                f"Antwort: Die Zeile {n}.",
                "",
            ]
            expected.append(
                _card(
                    section,
                    "Was gibt dieser Code aus?",
                    f'```python\nprint("Frage 99{n}: keine Frage")\n```',
                    f"Die Zeile {n}.",
                )
            )
        elif shape == 3:
            lines += [f"Frage {n}: Was fehlt noch {n}?", ""]
            expected.append(dict(prompt=f"Was fehlt noch {n}?", unanswered=True, section=section))
        else:
            lines += [
                f"Frage {n}: Warum ist {n} wichtig,",
                "wenn man es genau nimmt?",
                f"Antwort: Weil {n}.",
                "",
                "Ein zweiter Absatz.",
                "",
            ]
            expected.append(
                _card(
                    section,
                    f"Warum ist {n} wichtig,",
                    "wenn man es genau nimmt?",
                    f"Weil {n}.\n\nEin zweiter Absatz.",
                )
            )
    return "\n".join(lines) + "\n", expected


def test_a_prompt_and_an_answer_pattern_read_exam_notes(content):
    text, expected = _german(30)
    deck, report = parse(write(content, "pruefung.md", text))
    answered = [e for e in expected if not e.get("unanswered")]
    assert [(q.prompt, q.front, q.answer, q.section) for q in deck.questions] == [
        (e["prompt"], e["front"], e["answer"], e["section"]) for e in answered
    ]
    assert {q.rule for q in deck.questions} == {"pattern"}
    assert {q.kind for q in deck.questions} == {Kind.BASIC}
    assert [(u.prompt, u.section, u.reason) for u in deck.unanswered] == [
        (e["prompt"], e["section"], "no answer") for e in expected if e.get("unanswered")
    ]
    # an unanswered question's lines are said, never lost: its prompt warned, nothing else left
    assert [w.message.split(";")[0] for w in report.warnings] == ["question has no answer"] * 6


def _marked_headings(count: int) -> tuple[str, list[tuple[str, str, tuple[str, ...]]]]:
    """Headings marked 🃏 are cards, with deeper headings inside their answers."""
    lines = ["---", "pattern: '^### 🃏'", "---", "# Networking cards", ""]
    expected = []
    for n in range(1, count + 1):
        if n % 5 == 1:
            lines += [f"## Chapter {n // 5 + 1}", ""]
        section = (f"Chapter {(n - 1) // 5 + 1}",)
        if n % 4 == 0:
            prompt = f"How many hosts fit in a /{n}?"
            lines += [
                f"### 🃏 {prompt}",
                "",
                f"{n} hosts.",
                "",
                "#### Why",
                "",
                "Two are kept.",
                "",
            ]
            answer = f"{n} hosts.\n\n#### Why\n\nTwo are kept."
        else:
            prompt = f"What does port {n} carry?"
            lines += [f"### 🃏 {prompt} ###", "", f"Service {n}.", ""]
            answer = f"Service {n}."
        expected.append((prompt, answer, section))
    return "\n".join(lines) + "\n", expected


def test_a_heading_marker_pattern_reads_only_the_marked_headings(content):
    text, expected = _marked_headings(20)
    deck, report = parse(write(content, "net.md", text))
    assert [(q.prompt, q.answer, q.section) for q in deck.questions] == expected
    assert report.warnings == []
    assert deck.title == "Networking cards"


def test_a_config_pattern_with_a_named_group_reads_every_file_of_the_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "cardsmith.toml", "pattern = '^\\d+\\)\\s+(?P<prompt>.+)'\n")
    for name in ("a", "b"):
        body = "\n".join(
            f"{n}) Define term {name}{n}.\nIt means {name}{n}.\n" for n in range(1, 13)
        )
        write(tmp_path / "content", f"{name}.md", f"# Glossary {name}\n\n{body}")
    done = cardsmith("explain", str(tmp_path / "content"), "--json")
    assert done.exit_code == 0, done.output
    found = json.loads(done.stdout)
    assert [f["questions"] for f in found] == [12, 12]
    first = found[0]["entries"][0]
    assert (first["prompt"], first["rule"], first["line"], first["end"]) == (
        "Define term a1.",
        "pattern",
        3,
        4,
    )


def test_an_answer_on_the_prompts_own_line(content):
    lines = "\n".join(f"Q: {n} + {n} => {2 * n}" for n in range(1, 21))
    path = write(content, "sums.md", f"---\npattern: '^Q:'\nanswer-pattern: ' => '\n---\n{lines}\n")
    deck, _ = parse(path)
    assert [(q.prompt, q.answer) for q in deck.questions] == [
        (f"{n} + {n}", str(2 * n)) for n in range(1, 21)
    ]


def test_the_command_line_pattern_wins_and_explain_shows_its_rule(content):
    path = write(
        content, "x.md", "# X\n\n>> What is A?\nA is first.\n\n>> What is B?\nB is second.\n"
    )
    done = cardsmith("explain", str(path), "--pattern", "^>> ")
    assert done.exit_code == 0, done.output
    assert "  3-4  question    pattern       basic     What is A?" in done.stdout


@pytest.mark.parametrize(
    ("where", "line"),
    [("front matter", 2), ("config file", 1)],
)
def test_a_bad_regular_expression_is_an_error_at_its_line(tmp_path, monkeypatch, where, line):
    monkeypatch.chdir(tmp_path)
    if where == "config file":
        write(tmp_path, "cardsmith.toml", "pattern = '^(Q'\n")
        write(tmp_path / "content", "x.md", "# X\n\nQ what?\nThat.\n")
        shown = "cardsmith.toml:1: error: pattern: "
    else:
        write(tmp_path / "content", "x.md", "---\npattern: '^(Q'\n---\n# X\n\nQ what?\nThat.\n")
        shown = "x.md:2: error: front matter `pattern`: "
    done = cardsmith("check", "content/x.md")
    assert done.exit_code == 1
    assert f"{shown}not a regular expression: missing ) at position 3" in done.stderr


def test_a_bad_regular_expression_on_the_command_line_is_a_usage_error(content):
    path = write(content, "x.md", "# X\n\n## What?\nThat.\n")
    done = cardsmith("check", str(path), "--pattern", "[unclosed")
    assert done.exit_code == 2
    assert "not a regular expression" in done.stderr


def test_a_pattern_that_matches_nothing_is_a_warning(content):
    path = write(content, "x.md", "---\npattern: '^Frage:'\n---\n# X\n\n## What?\nThat.\n")
    done = cardsmith("check", str(path))
    assert done.exit_code == 1  # a file named alone with no questions
    assert (
        f"{path}:1: warning: pattern '^Frage:' matches no line outside code blocks" in done.stderr
    )
    folder = check([content], Settings())
    assert not folder.failed  # in a folder it is left out, with both said
    messages = [d.message for d in folder.all_diagnostics]
    assert any("matches no line" in m for m in messages)


def test_a_pattern_that_backtracks_without_end_is_an_error_at_its_line(content, monkeypatch):
    monkeypatch.setattr(pattern_rule, "SECONDS", 0.05)
    path = write(content, "x.md", "---\npattern: '^(a|a)*$'\n---\n# X\n\nok\n\n" + "a" * 40 + "b\n")
    with pytest.raises(ContentError) as caught:
        read_bank(path, content, Report())
    [error] = caught.value.diagnostics
    assert error.source.line == 8 and "took more than" in error.message


def test_questions_pattern_needs_a_pattern(content):
    path = write(content, "x.md", "---\nquestions: pattern\n---\n# X\n\n## What?\nThat.\n")
    with pytest.raises(ContentError, match="questions: pattern needs a `pattern`"):
        parse(path)


def test_a_bad_regular_expression_from_a_python_caller_is_a_content_error(content):
    path = write(content, "x.md", "# X\n\nQ what?\nThat.\n")
    with pytest.raises(ContentError, match="answer_pattern: not a regular expression"):
        read_bank(path, content, Report(), DeckSettings({"pattern": "^Q", "answer_pattern": "(["}))


def test_an_underlined_prompt_or_answer_line_is_still_read(content):
    """`---` under a line makes it a heading (setext): the prompt's and the answer's lines are still
    read, the rule skipped as one (found by the no-silent-loss property)."""
    path = write(
        content,
        "u.md",
        "---\npattern: '^Card \\d+:'\nanswer-pattern: '^Answer:'\n---\n# U\n\n"
        "Card 1: What is one?\nAnswer: One.\n---\n\n"
        "Card 2: What is two?\n\nSome code.\n\nAnswer: Two.\n---\n",
    )
    deck, report = parse(path)
    assert [(q.prompt, q.front, q.answer) for q in deck.questions] == [
        ("What is one?", "", "One."),
        ("What is two?", "Some code.", "Two."),
    ]
    assert report.warnings == [] and deck.unanswered == ()
