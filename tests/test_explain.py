"""`cardsmith explain`: a file's outline as cardsmith read it (`cardsmith.reading.outline`), each
question with its lines, rule and kind, each section, skipped range, unanswered question and message
in line order; the reader records each question's span (`Question.end`) and each unanswered one's
reason (`Unanswered.reason`)."""

from __future__ import annotations

import json

import pytest

from cardsmith.build.pipeline import check
from cardsmith.settings import Settings

from support.command_line import cardsmith
from support.inputs import write
from support.library import parse

MIXED = """\
---
tags: [demo]
---
# Demo deck

## Table of contents
- [Basics](#basics)
- [Quiz](#quiz)

## Basics

### 1. What is a closure?

A function with its environment.

```python
def f(): ...
```

### 2. What is a {{c1::generator}}?

A function that yields.

### 3. What is left for later?

TODO

## Quiz

Some words about the quiz.

<details><summary>Which is immutable?</summary>

- [ ] list
- [x] tuple

</details>

Q: What does `len([])` return?
A: 0
"""

MIXED_OUTLINE = """\
{path}: deck 'Demo deck', 4 questions (heading 2, details 1, qa 1), 2 sections, 1 unanswered
    6-8  skipped                             table of contents
     10  section                             Basics
  12-18  question    heading       basic     What is a closure?
  20-22  question    heading       cloze     What is a {{{{c1::generator}}}}?
  24-26  unanswered  heading                 What is left for later?  (a placeholder answer)
     24  warning                             question has a placeholder answer; left out: 'What is left for later?'
     28  section                             Quiz
  32-37  question    details       choice    Which is immutable?
  39-40  question    qa            basic     What does `len([])` return?
"""


def test_explain_shows_the_outline_in_line_order(content):
    path = write(content, "mixed.md", MIXED)
    done = cardsmith("explain", str(path))
    assert done.exit_code == 0, done.output
    assert done.stdout == MIXED_OUTLINE.format(path=path)


def test_explain_json_gives_every_entry_with_its_lines(content):
    path = write(content, "mixed.md", MIXED)
    done = cardsmith("explain", str(path), "--json")
    assert done.exit_code == 0, done.output
    [found] = json.loads(done.stdout)
    assert (found["deck"], found["questions"], found["sections"], found["unanswered"]) == (
        "Demo deck",
        4,
        2,
        1,
    )
    assert found["rules"] == {"heading": 2, "details": 1, "qa": 1}
    entries = found["entries"]
    assert all(e["file"] == path.as_posix() for e in entries)
    assert [(e["what"], e["line"], e["end"]) for e in entries] == [
        ("skipped", 6, 8),
        ("section", 10, 10),
        ("question", 12, 18),
        ("question", 20, 22),
        ("unanswered", 24, 26),
        ("warning", 24, 24),
        ("section", 28, 28),
        ("question", 32, 37),
        ("question", 39, 40),
    ]
    assert entries[2] == {
        "what": "question",
        "file": path.as_posix(),
        "line": 12,
        "end": 18,
        "prompt": "What is a closure?",
        "rule": "heading",
        "section": ["Basics"],
        "kind": "basic",
    }
    assert entries[4]["reason"] == "a placeholder answer" and entries[4]["rule"] == "heading"
    assert entries[0]["reason"] == "table of contents"
    assert entries[6]["section"] == ["Quiz"]
    assert entries[7]["kind"] == "choice"


def test_explain_of_a_file_that_cannot_be_read_shows_the_error_and_fails(content):
    path = write(content, "bad.md", "# T\n\n## Q?\n\n![x](../../../etc/passwd)\n")
    done = cardsmith("explain", str(path), "--json")
    assert done.exit_code == 1
    [found] = json.loads(done.stdout)
    assert found["deck"] == "" and found["questions"] == 0
    [error] = found["entries"]
    assert error["what"] == "error" and error["line"] == 5
    assert "outside the content folder" in error["message"]
    text = cardsmith("explain", str(path))
    assert text.stdout.startswith(f"{path}: not read\n  5  error ")


def test_explain_names_the_note_of_each_entry_in_a_vault(tmp_path):
    vault = tmp_path / "Vault"
    write(vault, ".obsidian/app.json", "{}")
    write(
        vault,
        "Verbs.md",
        "#flashcards\n\nhablar::to speak\n\nWhich verb means to write?\n?\nescribir\n\nNot a card.\n",
    )
    write(vault, "Nouns.md", "#flashcards\nel perro::the dog\n")
    done = cardsmith("explain", str(vault))
    assert done.exit_code == 0, done.output
    rows = done.stdout.splitlines()[1:]
    assert any(r.split()[:2] == ["Nouns.md:2", "question"] for r in rows)
    assert any(r.split()[:2] == ["Verbs.md:3", "question"] for r in rows)
    assert any(r.split()[:2] == ["Verbs.md:5-7", "question"] for r in rows)
    assert any(r.split()[:2] == ["Verbs.md:9", "skipped"] for r in rows)


# each rule's shape, and the lines its question spans (prompt to the last line of its answer)
SHAPES = [
    ("heading", "### {n}. What is item {n}?\n\nIt is {n}.\nStill {n}.\n", 4),
    ("list-heading", "{n}. ### What is item {n}?\n   It is {n}.\n", 2),
    ("details", "<details><summary>What is item {n}?</summary>\n\nIt is {n}.\n\n</details>\n", 5),
    ("qa", "Q: What is item {n}?\nA: It is {n}.\n", 2),
    ("bold", "**What is item {n}?**\n\nIt is {n}.\n", 3),
]


@pytest.mark.parametrize(("rule", "shape", "lines"), SHAPES, ids=[s[0] for s in SHAPES])
def test_each_question_records_its_span_and_rule(content, rule, shape, lines):
    parts = ["# Spans\n"]
    starts = []
    line = 3
    for n in range(1, 13):
        text = shape.format(n=n)
        starts.append(line)
        parts.append(text)
        line += text.count("\n") + 1
    path = write(content, "spans.md", "\n".join(parts))
    deck, _ = parse(path)
    assert [(q.source.line, q.end, q.rule) for q in deck.questions] == [
        (start, start + lines - 1, rule) for start in starts
    ]


def test_an_unanswered_question_records_its_span_rule_and_reason(content):
    path = write(
        content,
        "u.md",
        "# U\n\n### What is done?\n\nDone.\n\n### What is open?\n\n### What is later?\n\nTBD\n",
    )
    deck = check([path], Settings()).decks[0].deck
    assert [(u.source.line, u.end, u.rule, u.reason) for u in deck.unanswered] == [
        (7, 7, "heading", "no answer"),
        (9, 11, "heading", "a placeholder answer"),
    ]


def test_explain_of_one_file_says_nothing_of_the_files_its_folders_lock_lost(content, tmp_path):
    """The lock of `content/` knows the questions of files deleted since the last build: `explain`
    of the folder says they are removed; `explain` of one file outlines that file and says only
    what concerns it (its own question removed, in its outline), with or without `--strict`."""
    for name in ("a", "b", "c", "d"):
        write(
            content,
            f"{name}.md",
            f"# {name}\n\n### What is {name}?\n{name}.\n\n### Why {name}?\nSo.\n",
        )
    built = cardsmith("build", str(content), "-f", "json", "-o", str(tmp_path / "out"))
    assert built.exit_code == 0, built.output
    (content / "b.md").unlink()
    (content / "d.md").unlink()
    path = write(content, "a.md", "# a\n\n### What is a?\na.\n")
    one = cardsmith("explain", str(path))
    assert one.exit_code == 0, one.output
    assert one.stdout.startswith(f"{path}: deck 'a', 1 question")
    assert "  1  warning  " in one.stdout and "'Why a?'" in one.stdout, one.output
    assert "b.md" not in one.output and "d.md" not in one.output, one.output
    strict = cardsmith("explain", str(path), "--strict")
    assert strict.exit_code == 1 and "  1  error  " in strict.stdout, strict.output
    assert "b.md" not in strict.output and "d.md" not in strict.output, strict.output
    other = cardsmith("explain", str(content / "c.md"), "--strict")
    assert other.exit_code == 0 and other.stderr == "", other.output
    folder = cardsmith("explain", str(content))
    assert folder.exit_code == 0, folder.output
    for gone in ("b", "d"):
        assert (
            f"{content / gone}.md:1: warning: question removed since the last build"
            in folder.stderr
        )
