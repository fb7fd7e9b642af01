"""The parser's rules, on the seed and on small documents written for each rule."""

from __future__ import annotations

import pytest

from cardsmith.errors import ContentError, Report
from cardsmith.model import Kind
from cardsmith.reading.bank import read_bank

from support.inputs import SEED, SEED_SECTIONS, write
from support.library import parse


def test_seed_has_20_questions_in_4_sections():
    deck, _ = parse(SEED)
    assert len(deck.questions) == 20
    assert tuple(s.title for s in deck.sections) == SEED_SECTIONS
    assert deck.title == "AWS Machine Learning Engineer Interview Questions"
    assert deck.metadata == {"title": deck.title, "date": "2024-07-01"}


def test_seed_numbers_are_stripped_from_prompts_and_kept():
    deck, _ = parse(SEED)
    first = deck.questions[0]
    assert first.prompt == "What are the three main components of SageMaker?"
    assert first.number == 1
    assert [q.number for q in deck.questions] == list(range(1, 21))
    assert first.source.line == 10
    assert first.answer.startswith("1.  **Build**")
    assert first.answer.endswith("for real-time or batch inference.")


def test_seed_mojibake_is_repaired_and_reported_at_its_line(mis_encoded_seed_copy):
    deck, report = parse(mis_encoded_seed_copy)
    assert "–" in deck.questions[4].answer
    assert all("â€" not in q.answer and "â€" not in q.prompt for q in deck.questions)
    [warning] = report.warnings
    assert warning.source.line == 33
    assert "'â€“' -> '–'" in warning.message


def test_sections_give_subdeck_path_and_slug_tag():
    deck, _ = parse(SEED)
    section = deck.sections[2]
    assert section.path == ("ML Ops & Engineering",)
    assert section.tag == "ml-ops-engineering"
    assert all(q.tags == ("ml-ops-engineering",) for q in section.questions)
    assert deck.sections[0].questions[0].section == ("Amazon SageMaker",)


def test_front_matter_sets_deck_name_and_tags(content):
    path = write(
        content,
        "d.md",
        "---\ndeck: My Deck\ntags: [aws, Interview Prep]\n---\n# T\n## S\n### Q?\nA.\n",
    )
    deck, _ = parse(path)
    assert deck.name == "My Deck"
    assert deck.title == "T"
    assert deck.tags == ("aws", "interview-prep")
    assert deck.questions[0].tags == ("aws", "interview-prep", "s")


def test_bad_yaml_is_an_error_at_its_line(content):
    path = write(content, "d.md", "---\ntitle: ok\ntags: [a, b\nother: 1\n---\n# T\n### Q?\nA\n")
    with pytest.raises(ContentError) as caught:
        parse(path)
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.source.path == path
    assert diagnostic.source.line in (3, 4)
    assert "front matter" in diagnostic.message


def test_front_matter_that_is_not_a_mapping_is_an_error(content):
    path = write(content, "d.md", "---\n- a\n- b\n---\n### Q?\nA\n")
    with pytest.raises(ContentError, match="mapping"):
        parse(path)


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        # a quoted "false" is a non-empty string, and so true: it must not turn raw HTML on
        ('html: "false"', "front matter `html` must be true or false"),
        ("html: maybe", "front matter `html` must be true or false"),
        ("title: [a, b]", "front matter `title` must be text"),
        ("deck: {name: x}", "front matter `deck` must be text"),
    ],
)
def test_front_matter_values_of_the_wrong_kind_are_errors_at_their_line(content, setting, message):
    path = write(content, "d.md", f"---\nauthor: me\n{setting}\n---\n# T\n### Q?\n<b>A</b>\n")
    with pytest.raises(ContentError) as caught:
        parse(path)
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.source.line, diagnostic.message) == (3, message)


@pytest.mark.parametrize(("setting", "allowed"), [("html: no", False), ("html: true", True)])
def test_front_matter_html_takes_yaml_booleans(content, setting, allowed):
    deck, _ = parse(write(content, "d.md", f"---\n{setting}\n---\n# T\n### Q?\nA\n"))
    assert deck.allow_html is allowed


@pytest.mark.parametrize("blank", ['""', '"  "', "null"])
def test_a_blank_deck_name_or_title_falls_back(content, blank):
    deck, _ = parse(
        write(content, "notes.md", f"---\ndeck: {blank}\ntitle: {blank}\n---\n### Q?\nA\n")
    )
    assert (deck.name, deck.title) == ("notes", "notes")


def test_crlf_and_bom_parse_like_lf(content):
    text = SEED.read_text(encoding="utf-8")
    path = write(content, "crlf.md", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    deck, _ = parse(path)
    plain, _ = parse(SEED)
    assert [(q.prompt, q.answer, q.source.line) for q in deck.questions] == [
        (q.prompt, q.answer, q.source.line) for q in plain.questions
    ]


def test_latin1_bytes_are_an_error_naming_the_line(content):
    path = write(content, "latin.md", "# T\n### Q?\nCaf\xe9 au lait\n".encode("latin-1"))
    with pytest.raises(ContentError) as caught:
        parse(path)
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.source.path, diagnostic.source.line) == (path, 3)
    assert "UTF-8" in diagnostic.message


def test_nul_bytes_are_an_error(content):
    path = write(content, "bin.md", b"# T\n### Q?\nA\x00\x01\x02\n")
    with pytest.raises(ContentError, match="NUL") as caught:
        parse(path)
    assert caught.value.diagnostics[0].source.line == 3


def test_empty_answer_is_left_out_with_a_warning(content):
    path = write(content, "d.md", "# T\n## S\n### 1. Empty?\n\n### 2. Full?\nYes.\n")
    deck, report = parse(path)
    assert [q.prompt for q in deck.questions] == ["Full?"]
    assert [str(u.source) for u in deck.unanswered] == [f"{path}:3"]
    assert any(w.source.line == 3 and "no answer" in w.message for w in report.warnings)


def test_same_question_twice_names_both_lines(content):
    path = write(content, "d.md", "# T\n### What is X?\nA\n### what is  x?\nB\n")
    deck, report = parse(path)
    assert len(deck.questions) == 2
    [warning] = report.warnings
    assert warning.source.line == 4
    assert "line 2" in warning.message


def test_prompts_that_differ_only_invisibly_are_the_same_question(content):
    text = (
        "# T\n### What is a closure?\nA\n### What is a clo\u200bsure?\nB\n"  # zero-width space
        "### Qu'est-ce qu'un café ?\nC\n### Qu'est-ce qu'un cafe\u0301 ?\nD\n"  # NFC, NFD
        "### What is a\u00ad \u2060closure\u200d?\nE\n"  # a soft hyphen, a word joiner, a ZWJ
    )
    deck, report = parse(write(content, "d.md", text))
    assert len(deck.questions) == 5
    assert [(w.source.line, w.message[:26]) for w in report.warnings] == [
        (4, "same question as at line 2"),
        (8, "same question as at line 6"),
        (10, "same question as at line 2"),
    ]
    # what is shown keeps every character as written
    assert deck.questions[1].prompt == "What is a clo\u200bsure?"
    assert deck.questions[3].prompt == "Qu'est-ce qu'un cafe\u0301 ?"


@pytest.mark.parametrize("control", ["\u202e", "\u202d", "\u202a", "\u2067", "\u2066\u2069"])
def test_direction_controls_are_taken_out_of_prompts_with_a_warning(content, control):
    text = f"# T\n### 1. {control}What is exe.txt?\nAn \u202efile\u202c.\n### 2. Why\u200f?\nBecause.\n"
    deck, report = parse(write(content, "d.md", text))
    assert [q.prompt for q in deck.questions] == ["What is exe.txt?", "Why\u200f?"]
    assert deck.questions[0].answer == "An \u202efile\u202c."  # answers are shown as written
    [warning] = report.warnings
    assert warning.source.line == 2
    assert warning.message.startswith(f"removed from the prompt: U+{ord(control[0]):04X} (")


@pytest.mark.parametrize("text", ["", "# Only a title\n", "# T\n## S\n### Q\n", "just text\n"])
def test_file_without_questions_is_an_error(content, text):
    path = write(content, "d.md", text)
    with pytest.raises(ContentError) as caught:
        parse(path)
    assert caught.value.diagnostics[0].source.path == path


def test_unreadable_file_is_an_error(content):
    with pytest.raises(ContentError, match="cannot read"):
        read_bank(content / "missing.md", content, Report())


def test_questions_at_level_two_without_sections(content):
    path = write(content, "d.md", "# Title\n\n## What?\nThis.\n\n## Why?\nBecause.\n")
    deck, _ = parse(path)
    assert [q.prompt for q in deck.questions] == ["What?", "Why?"]
    assert deck.sections[0].path == ()
    assert deck.questions[0].tags == ()


def test_nested_sections_and_subheadings_inside_answers(content):
    path = write(
        content,
        "d.md",
        "# T\n## Part\n### Chapter\n#### Q one?\nA1\n##### detail\nmore\n"
        "#### Q two?\nA2\n### Other\n#### Q three?\nA3\n",
    )
    deck, _ = parse(path)
    assert [s.path for s in deck.sections] == [("Part", "Chapter"), ("Part", "Other")]
    assert deck.sections[0].tag == "part::chapter"
    assert "##### detail\nmore" in deck.questions[0].answer


def test_explicit_ids_and_cloze(content):
    path = write(
        content,
        "d.md",
        "# T\n### 1. Q one? {#my-id}\nA\n### Q two\n<!-- id: other -->\nB\n"
        "### The {{c1::mitochondria}} is the powerhouse\nBiology.\n",
    )
    deck, _ = parse(path)
    assert [q.id for q in deck.questions] == ["my-id", "other", ""]
    assert deck.questions[0].prompt == "Q one?"
    assert deck.questions[1].answer == "B"
    assert deck.questions[2].kind is Kind.CLOZE
    assert deck.questions[0].kind is Kind.BASIC


def test_what_is_not_an_explicit_id_is_read_as_text_everywhere(content):
    from cardsmith.reading.bank.asking import asks

    # one syntax for ids: what the prompt keeps is what asking reads, and a comment that names no
    # question is a comment
    assert asks("Что это? {#my-id}") and not asks("Что это? {#not an id}")
    path = write(content, "d.md", "# T\n\n### What is one? {#not an id}\n\n<!-- ID: X -->\n\nA\n")
    deck, _ = parse(path)
    assert (deck.questions[0].prompt, deck.questions[0].id) == ("What is one? {#not an id}", "")
    assert deck.questions[0].answer == "A"
    assert [(s.source.line, s.reason) for s in deck.skipped] == [(5, "HTML comment")]


def test_images_resolve_inside_content_and_are_checked(content):
    write(content, "img/a.png", b"\x89PNG fake")
    path = write(
        content, "d.md", "# T\n### Q?\n![a](img/a.png)\n### R?\n![r](https://x.example/r.png)\n"
    )
    deck, report = parse(path)
    assert deck.questions[0].images[0].path == (content / "img/a.png").resolve()
    assert deck.questions[1].images == ()
    assert any(w.source.line == 5 and "not downloaded" in w.message for w in report.warnings)


def test_an_image_leaving_the_content_folder_is_an_error_at_its_line(content):
    path = write(content, "d.md", "# T\n### Q?\nSee\n\n![x](../../etc/passwd)\n")
    with pytest.raises(ContentError, match="outside the content folder") as caught:
        parse(path)
    assert caught.value.diagnostics[0].source.line == 5


@pytest.mark.parametrize(
    ("src", "message", "missing"),
    [
        (
            "/etc/passwd",
            "not found (a path starting with / is read from the content folder",
            "etc/passwd",
        ),
        ("missing.png", "not found; cards show its alt text or file name instead", "missing.png"),
    ],
)
def test_a_missing_image_is_a_warning_at_its_line(content, src, message, missing):
    path = write(content, "d.md", f"# T\n### Q?\nSee\n\n![x]({src})\n")
    deck, report = parse(path)
    [warning] = report.warnings
    assert warning.source.line == 5 and message in warning.message
    assert deck.questions[0].images == ()
    assert deck.missing_images == ((content / missing).resolve(),)


@pytest.mark.parametrize(
    "answer",
    [
        "- one\n  - two ![x](missing.png)\n",  # in a nested list item
        "| a | b |\n|---|---|\n| 1 | ![x](missing.png) |\n",  # in a table cell
        "> quoted\n> ![x][pic]\n\n[pic]: missing.png\n",  # by reference, in a quote
        "**Bold** first, then ![x](missing.png)\n",
    ],
)
def test_images_are_found_wherever_the_answer_puts_them(content, answer):
    path = write(content, "d.md", f"# T\n### Q?\n{answer}")
    deck, report = parse(path)
    assert ["not found" in w.message for w in report.warnings] == [True]
    assert deck.missing_images == ((content / "missing.png").resolve(),)


def test_symlinked_image_pointing_outside_is_refused(content, tmp_path):
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"secret")
    (content / "link.png").symlink_to(outside)
    path = write(content, "d.md", "# T\n### Q?\n![x](link.png)\n")
    with pytest.raises(ContentError, match="outside the content folder"):
        parse(path)
