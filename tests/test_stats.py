"""`cardsmith stats`: what a bank holds, per deck and section, as a table or JSON."""

from __future__ import annotations

import json

from support.command_line import cardsmith
from support.inputs import write


def test_stats_table_and_json(content):
    write(content, "img.png", b"\x89PNG")
    path = write(
        content,
        "d.md",
        "# T\n## A\n### Q1?\nshort\n### Q2?\n![x](img.png) and a longer "
        "answer here\n### Empty?\n\n## B\n### The {{c1::x}} cloze\nBack.\n",
    )
    text = cardsmith("stats", str(path))
    assert text.exit_code == 0, text.output
    assert "questions written as 'heading'" in text.output
    assert f"{path}:5: " in text.output  # the longest answer, with its place
    data = json.loads(cardsmith("stats", str(path), "--json").stdout)
    [deck] = data
    assert (deck["questions"], deck["unanswered"], deck["cloze"], deck["images"]) == (3, 1, 1, 1)
    assert [(s["section"], s["questions"], s["unanswered"]) for s in deck["sections"]] == [
        ("A", 2, 1),
        ("B", 1, 0),
    ]
    assert deck["longest_answers"][0]["source"] == f"{path}:5"


def test_stats_counts_unanswered_questions_in_their_own_sections(content):
    # B has no answered question, so it is not one of the deck's sections; its unanswered question
    # must still be counted under B, not under the section before it
    path = write(
        content,
        "d.md",
        "# T\n### Loose?\n\n## A\n### Q1?\nYes.\n## B\n### Q2?\nTODO\n### Q3?\n\n"
        "## C\n### Q4?\nYes.\n",
    )
    [deck] = json.loads(cardsmith("stats", str(path), "--json").stdout)
    assert [(s["section"], s["questions"], s["unanswered"]) for s in deck["sections"]] == [
        ("(no section)", 0, 1),
        ("A", 1, 0),
        ("B", 0, 2),
        ("C", 1, 0),
    ]
    assert deck["unanswered"] == sum(s["unanswered"] for s in deck["sections"]) == 3
    assert "  B  " in cardsmith("stats", str(path)).output


def test_stats_shows_warnings_with_v_and_only_problems_with_q(content):
    path = write(content, "d.md", "# T\n## A\n### Q1?\nYes.\n### Q2?\n\n")
    plain = cardsmith("stats", str(path))
    assert plain.exit_code == 0 and plain.stderr == ""
    assert plain.stdout.startswith(f"T ({path}, questions written as 'heading')\n")
    verbose = cardsmith("stats", str(path), "-v")
    assert verbose.stderr == (
        "config: none found here or above (the defaults hold)\n"
        f"{path}:5: warning: question has no answer; left out: 'Q2?'\n"
    )
    assert verbose.stdout == plain.stdout
    quiet = cardsmith("stats", str(path), "-q")
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")
    assert json.loads(cardsmith("stats", str(path), "-q", "--json").stdout)[0]["unanswered"] == 1
