"""Questions with no answer yet and templates' placeholders are in the model (issue #27, the words of
the mkdocs exercise page and the Azure practice test): `Deck.unanswered`, each with its prompt, its
body's Markdown (the text or code it shows, a quiz's options, the placeholder written), its file and
line, its section and why it has no card. JSON has them, `explain` lists them, the study page lists
them under their section as "not answered yet"; they are never cards. A section that holds only
unanswered questions is a section of the deck with no questions (no sub-deck in Anki). Read back
exactly on a generated bank of tens of variations."""

from __future__ import annotations

import json

from cardsmith.errors import Report
from cardsmith.exporters.json import deck_to_dict
from cardsmith.exporters.study_page import page
from cardsmith.reading.bank import read_bank

from support.anki_engine import build_one, deck_names, import_package, notes
from support.command_line import cardsmith
from support.inputs import write

# each way of leaving a question without an answer: its Markdown (`{n}` the number), the prompt and
# body the model keeps, and the reason given
UNANSWERED = [
    ("### {n}. What is topic {n}?\n", "What is topic {n}?", "", "no answer"),
    (
        "### {n}. What is topic {n}?\n\nTBD\n",
        "What is topic {n}?",
        "TBD",
        "a placeholder answer",
    ),
    (
        "### {n}. Why is topic {n}?\n\n_Answer coming soon..._\n",
        "Why is topic {n}?",
        "_Answer coming soon..._",
        "a placeholder answer",
    ),
    (
        "### {n}. How does topic {n} work?\n\nTODO: add answer\n",
        "How does topic {n} work?",
        "TODO: add answer",
        "a placeholder answer",
    ),
    (
        "### question\n\n- [ ] option 1\n- [ ] option 2\n- [ ] option 3\n",
        "question",
        "- A. option 1\n- B. option 2\n- C. option 3",
        "a template's placeholder",
    ),
    (
        "### {n}. Which one is topic {n}?\n\n- [ ] alpha {n}\n- [ ] beta {n}\n",
        "Which one is topic {n}?",
        "- A. alpha {n}\n- B. beta {n}",
        "no option marked right",
    ),
]
ANSWERED = "### {n}. What is item {n}?\n\nItem {n}, answered.\n"


def unanswered_bank(count: int):
    """`count` sections; in each, 0-2 answered questions and 1-3 unanswered ones of the kinds above
    (a quiz file: one answered quiz ticks an option, so an unticked one is unanswered). Returns the
    Markdown and what is expected: sections ((path, answered prompts) in order) and unanswered
    ((line, section, prompt, body, reason) in order)."""
    lines = ["# Notes to finish", "", "### 0. Which is ticked?", "", "- [x] this", "- [ ] that", ""]
    sections: list[tuple[tuple[str, ...], list[str]]] = [((), ["Which is ticked?"])]
    expected: list[tuple[int, tuple[str, ...], str, str, str]] = []
    number = 0
    for s in range(1, count + 1):
        path = (f"Part {s}",)
        lines += [f"## Part {s}", ""]
        answered: list[str] = []
        kinds = [(s + k) % len(UNANSWERED) for k in range(1 + s % 3)]
        places = ["answered"] * (s % 3) + ["unanswered"] * len(kinds)
        places = places[s % 2 :] + places[: s % 2]  # unanswered first in some sections
        for place in places:
            number += 1
            if place == "answered":
                answered.append(f"What is item {number}?")
                lines += ANSWERED.replace("{n}", str(number)).split("\n")
                continue
            markdown, prompt, body, reason = UNANSWERED[kinds.pop(0)]
            expected.append(
                (
                    len(lines) + 1,
                    path,
                    prompt.replace("{n}", str(number)),
                    body.replace("{n}", str(number)),
                    reason,
                )
            )
            lines += markdown.replace("{n}", str(number)).split("\n")
        sections.append((path, answered))
    return "\n".join(lines), sections, expected


def exercise_page(count: int):
    """An mkdocs page of `count` exercises (`!!! exercise "Title"`), a third with no solution: the
    Markdown, the titles answered, and (line, title, body) of those with none."""
    lines = ["# Exercises", ""]
    answered, unanswered = [], []
    for n in range(1, count + 1):
        at = len(lines) + 1
        lines += [f'!!! exercise "Program {n}"', "", f"    Write program {n}.", ""]
        if n % 4 == 1:
            lines += ["    ```c", f"    int main() {{ return {n}; }}", "    ```", ""]
        if n % 3 == 0:
            body = f"Write program {n}." + (
                f"\n\n```c\nint main() {{ return {n}; }}\n```" if n % 4 == 1 else ""
            )
            unanswered.append((at, f"Program {n}", body))
        else:
            answered.append(f"Program {n}")
            lines += ["    !!! solution", "", f"        Solution {n}.", ""]
    return "\n".join(lines), answered, unanswered


def read(folder, text: str):
    report = Report()
    deck = read_bank(write(folder, "bank.md", text), folder, report)
    return deck, report


def test_unanswered_questions_and_placeholders_are_in_the_model_with_their_body(tmp_path):
    text, sections, expected = unanswered_bank(36)
    deck, report = read(tmp_path, text)
    assert [
        (u.source.line, u.section, u.prompt, u.body, u.reason) for u in deck.unanswered
    ] == expected
    # a section of unanswered questions only is in the deck, with no questions (and no card)
    assert [(s.path, [q.prompt for q in s.questions]) for s in deck.sections] == sections
    assert len(deck.questions) == sum(len(prompts) for _, prompts in sections)
    # each is said once, at its line
    said = sorted(d.source.line for d in report.diagnostics)
    assert said == [line for line, *_ in expected]


def test_unanswered_questions_are_in_the_json_and_listed_on_the_study_page(tmp_path):
    text, _, expected = unanswered_bank(14)
    deck, _ = read(tmp_path, text)
    data = json.loads(json.dumps(deck_to_dict(deck)))
    assert [
        (u["source"], tuple(u["section"]), u["prompt"], u["body"], u["reason"])
        for u in data["unanswered"]
    ] == [
        (f"{tmp_path / 'bank.md'}:{line}", path, prompt, body, reason)
        for line, path, prompt, body, reason in expected
    ]
    html = page(deck)
    for n, section in enumerate(deck.sections):
        if not section.path:
            continue
        start = html.index(f'<h2 id="s-{n}">{section.label}</h2>')
        shown = html[start : html.index("</section>", start)]
        mine = [e for e in expected if e[1] == section.path]
        assert f"<summary>{len(mine)} not answered yet</summary>" in shown
        for line, _, prompt, _, reason in mine:
            assert f"bank.md:{line}</span>" in shown and reason.replace("'", "&#39;") in shown
            assert f'<span class="prompt" dir="ltr">{prompt}</span>' in shown
        assert shown.count('<li class="q"') == len(section.questions)
    assert html.count("not answered yet</summary>") == len({e[1] for e in expected})


def test_unanswered_questions_are_never_cards_and_make_no_sub_deck(tmp_path, collection):
    text, sections, _ = unanswered_bank(12)
    source = write(tmp_path / "content", "bank.md", text)
    deck, _ = read(tmp_path / "content", text)
    import_package(collection, build_one(source, tmp_path / "out", "apkg"))
    assert len(notes(collection)) == len(deck.questions)
    assert deck_names(collection) == {"Notes to finish"} | {
        f"Notes to finish::{path[0]}" for path, prompts in sections if path and prompts
    }
    assert any(path and not prompts for path, prompts in sections)  # some hold none answered
    fronts = " ".join(note.fields[0] for note in notes(collection))
    assert "option 1" not in fronts and "topic" not in fronts


def test_explain_lists_each_unanswered_question_with_its_reason(tmp_path):
    text, _, expected = unanswered_bank(8)
    path = write(tmp_path, "bank.md", text)
    result = cardsmith("explain", "--json", str(path))
    [found] = json.loads(result.stdout)
    listed = [e for e in found["entries"] if e["what"] == "unanswered"]
    assert [(e["line"], e["prompt"], e["reason"]) for e in listed] == [
        (line, prompt, reason) for line, _, prompt, _, reason in expected
    ]
    assert found["unanswered"] == len(expected)


def test_an_exercise_with_no_solution_keeps_its_text_and_code_in_the_model(tmp_path):
    text, answered, unanswered = exercise_page(30)
    deck, _ = read(tmp_path, text)
    assert [q.prompt for q in deck.questions] == answered
    assert [(u.source.line, u.prompt, u.body, u.reason) for u in deck.unanswered] == [
        (line, title, body, "no answer") for line, title, body in unanswered
    ]
