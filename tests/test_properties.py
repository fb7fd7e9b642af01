"""The promise, fuzzed: any input parses into a deck or raises ContentError, and every exporter either
writes its file or reports a content error; nothing else (no crash, no traceback).

`make fuzz` runs the long profile (marked slow, excluded from `make test`)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cardsmith.build.pipeline import build
from cardsmith.errors import ContentError, Report
from cardsmith.exporters import FORMAT_NAMES
from cardsmith.reading.bank import read_bank, read_text
from cardsmith.settings import DeckSettings, Settings

LINES = st.one_of(
    st.sampled_from(
        [
            "---",
            "title: x",
            "tags: [a",
            "html: true",
            "# T",
            "## S",
            "### 1. Q?",
            "#### Q",
            "```",
            "```python",
            "~~~",
            "$$",
            "$x^2$",
            "> quote",
            "- item",
            "1. item",
            "    indented code",
            "| a | b |",
            "|---|---|",
            "<details>",
            "</details>",
            "<script>alert(1)</script>",
            "![i](x.png)",
            "![r](../../etc/passwd)",
            "![remote](https://example.com/a.png)",
            "[j](javascript:alert(1))",
            "<!-- id: x -->",
            "{#id}",
            "{{c1::x}}",
            "â€“",
            "=1+1",
            "",
            "   ",
        ]
    ),
    st.text(max_size=40),
)
PROMPT = st.text(min_size=1, max_size=30).map(lambda t: t.replace("\n", " ").replace("\r", " "))
QUESTION = st.builds(
    lambda level, number, prompt, body: f"{'#' * level} {number}{prompt}\n" + "\n".join(body),
    st.sampled_from([2, 3, 3, 4]),
    st.sampled_from(["", "1. ", "12) "]),
    PROMPT,
    st.lists(LINES, min_size=1, max_size=8),
)
# Mostly deck-shaped documents (so the exporters get real decks), with hostile lines inside answers
STRUCTURED = st.builds(
    lambda front, questions: front + "# Deck\n\n" + "\n\n".join(questions),
    st.sampled_from(["", "---\ntitle: x\n---\n", "---\ntags: [a, b]\nhtml: true\n---\n"]),
    st.lists(QUESTION, min_size=1, max_size=6),
)
RAW = st.builds("\n".join, st.lists(LINES, max_size=30))
DOCUMENTS = st.tuples(
    st.one_of(STRUCTURED, STRUCTURED, STRUCTURED, RAW),
    st.booleans(),
    st.just(b"") | st.binary(max_size=8),
)
QUIET = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


def _write(folder: Path, document) -> Path:
    text, crlf, raw = document
    path = folder / "fuzz.md"
    path.write_bytes(
        (text.replace("\n", "\r\n") if crlf else text).encode("utf-8", "surrogatepass") + raw
    )
    return path


def check_parser(document) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = _write(Path(scratch), document)
        try:
            deck = read_bank(path, Path(scratch), Report())
        except ContentError as exc:
            assert exc.diagnostics
            assert all(d.source.path == path and d.source.line >= 1 for d in exc.diagnostics)
        else:
            assert deck.questions
            assert all(q.prompt and (q.answer.strip() or q.choices) for q in deck.questions)


def check_exporters(document, formats: list[str]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = _write(Path(scratch), document)
        result = build([path], Path(scratch) / "out", formats, Settings())  # raises on any bug
        [deck] = result.decks
        if deck.failed:
            assert deck.diagnostics and not deck.outputs
        else:
            assert all(p.exists() and p.stat().st_size > 0 for p in deck.outputs)


def check_text_parser(text: str) -> None:
    """`read_text` is public: library callers hand it any str, lone CRs and NULs included."""
    try:
        deck = read_text(text, Path("fuzz.md"), Path("."), Report())
    except ContentError as exc:
        assert all(d.source.line >= 1 for d in exc.diagnostics)
    else:
        assert deck.questions


FAST_FORMATS = [f for f in FORMAT_NAMES if "pdf" not in f]

# Blocks in the shapes real banks use; `{w}` is a fresh word each time it appears.
BLOCKS = {
    "heading question": "### {n}. What is {w}?\n\n{w} and {w} answer it.",
    "sub-heading": "#### Notes on {w}\n\n{w} in detail.",
    "section": "## Part {w}",
    "part": "# Part {w}\n\n### {n}. What is {w}?\n\n{w} {w}",
    "details question": "<details>\n<summary>What is {w}?</summary><br><b>\n\n{w} {w}\n\n</b></details>",
    "list-heading question": "1. ### What is {w}?\n\n   {w} {w}\n\n2. ### What is {w}?\n\n   {w}",
    "bold question": "**What is {w}?**\n\n{w} {w}",
    "bold question answered on the next line": "**{n}. Is {w} a {w}?**\n{w} {w}",
    "qa question": "Q: What is {w}?\nA: {w} {w}",
    "exam question": "1. Which {w} is it?\n    - A. {w}\n    - B. {w}\n\n"
    "    <details><summary>Answer</summary>\n      Correct answer: B\n      {w}\n    </details>",
    "exam question indented too little": "226. Select {w}\n    - A. {w}\n    - B. {w}\n\n"
    "    <details><summary>Answer</summary>\n      Correct answer: A\n    </details>",
    "emphasised qa": "*Q: What is {w}?*\n\n**A:** {w} {w}",
    "unclosed qa": "*Q:What is {w}?\n_A: {w}_\n*Q: What is {w}?*",
    "quiz": "#### Q{n}. What is {w}?\n\n```\n{w}\n```\n\n- [x] {w}\n- [ ] {w}",
    "lettered quiz": "###### {n}. What prints {w}?\n\n- A: {w}\n- B: {w}\n\n"
    "<details><summary>Answer</summary>\n\n#### Answer: B\n\n{w}\n\n</details>",
    # an author's own pattern (`PATTERN`): a question with its answer line, one with a line of front
    # between them, one with no answer line before the next
    "pattern question": "Card {n}: What is {w}?\nAnswer: {w} {w}",
    "pattern question with front": "Card {n}: What is {w}?\n\n{w} {w}\n\nAnswer: {w}",
    "pattern question without answer": "Card {n}: What is {w}?\n\n{w}",
    "prose": "{w} {w}, a remark.",
    "list": "- {w}\n- {w}\n  - {w}",
    "code": "```python\n{w} = 1\n```",
    "table": "| a | b |\n|---|---|\n| {w} | {w} |",
    "quote": "> {w} {w}",
    "rule": "---",
    "back to top": "**[⬆ Back to Top](#table-of-contents)**",
    "html back to top": '<div align="right">\n  <b><a href="#top">↥ back to top</a></b>\n</div>',
    "comment": "<!-- {w} -->",
    "badge": "[![ci](https://img.shields.io/badge/ci-ok-green.svg)](https://example.org)",
    "license": "## License\n\nMIT {w}",
    "unanswered": "### {n}. What is {w}?\n\n*ToDo*",
    "placeholder": "### {n}. What is {w}?\n\n_Answer coming soon..._",
    "mkdocs quiz": '#### {n}. Which is {w}?\n\n<div class="upper-alpha" markdown>\n1. {w}\n2. {w}\n'
    '</div>\n\n??? question "Show Answer"\n    The correct answer is **B**. {w} {w}\n\n'
    "    **Concept Tested:** {w}",
    "admonition question": '??? question "What is {w}?"\n    {w} {w}\n\n    ??? success "Answer"\n'
    "        {w}",
    "admonition": '!!! note "{w}"\n    {w} {w}\n\n    - {w}',
    "content tabs": '=== "{w}"\n    {w}\n\n=== "{w}"\n    ```\n    {w}\n    ```',
    "markdown div": "<div markdown>\n- {w}\n- {w}\n</div>",
    "checkpoint": '1. Why is {w}?\n\n    ??? success "Answer"\n        {w} {w}\n\n2. What is {w}?\n\n'
    '    ??? tip "Hint"\n        {w}\n\n    ??? success\n        {w}',
    "exercise": '!!! exercise "{w}"\n\n    {w} {w}?\n\n    !!! solution\n\n        {w}',
    # open classes E, K, H (issue #27): a fence never closed (the rest is code), options holding
    # blocks, a quiz with no option marked, an empty option, a template's stub
    "unclosed fence": "```\n{w} {w}",
    "quiz with blocks": "#### Q{n}. Which {w}?\n\n- [ ] A\n\n  ```go\n  {w}\n  ```\n\n- [x] B\n\n"
    "  {w} {w}\n\n  > {w}",
    "unmarked quiz": "#### Q{n}. Which {w}?\n\n- [ ] {w}\n- [ ] {w}",
    "quiz with an empty option": "#### Q{n}. Which {w}?\n\n- [x] {w}\n- [ ] {w}\n- [ ]",
    "stub quiz": "### question\n\n- [ ] option 1\n- [ ] option 2",
    # open class J2: a section's own text when it has no question of its own
    "section text": "## Key review {w}\n\n- {w}\n  - {w}\n\n| a | b |\n|---|---|\n| {w} | {w} |",
    "closing summary": "## Summary {w}\n\n{w} {w}.\n\n```\n{w}\n```\n\n> {w}",
    "part over a chapter": "## Part {w}\n\n{w} {w}\n\n### Chapter {w}\n\n{w}\n\n"
    "#### {n}. What is {w}?\n\n{w}",
    # open class I: lesson generators' blocks
    "carpentries challenge": "::::: challenge\n\n## {w} {w}?\n\n{w} {w}\n\n::: solution\n\n"
    "## Solution\n\n{w}\n\n:::\n\n:::::",
    "myst exercise": "```{exercise-start}\n```\n\n{w} {w}\n\n```{exercise-end}\n```\n\n"
    "```{solution-start} ex1\n:class: dropdown\n```\n\n{w}\n\n```{solution-end}\n```",
    "carpentries quote": "> ## {w} {w}?\n>\n> {w}\n>\n> ~~~\n> {w}\n> ~~~\n> {: .language-bash}\n>\n"
    "> > ## Solution\n> >\n> > {w}\n> {: .solution}\n{: .challenge}",
    "myst directives": ":::{note} {w}?\n:label: {w}\n{w}\n:::\n\n```{code-cell} python3\n:tags: [{w}]\n"
    "{w} = 1\n```\n\n```{index} single: {w}\n```\n\n({w})=",
    # open class B: a quiz chapter's item, its key and explanation inside the `<details>`
    "quiz chapter item": "## 第 {n} 题 🟢\n\n**类型：** {w}\n\n### 题目\n\n{w} {w}？\n\n**选项：**\n"
    "- A. {w}\n- B. {w}\n\n<details>\n<summary>查看答案</summary>\n\n### ✅ 正确答案：B\n\n"
    "### 📖 解析\n\n**{w}**\n\n{w} {w}\n\n</details>",
    "quiz chapter item without details": "## 第 {n} 题\n\n### 题目\n\n{w}？\n\n- A. {w}\n- B. {w}\n\n"
    "### 答案\n\n正确答案：A\n\n### 解析\n\n{w} {w}",
    # open class C: glossaries as lists (three shapes, a term defined in the next item) and tables
    "glossary list": "- {w}: {w} {w}\n- **{w}** – {w}\n- {w}\n    - {w} {w}\n- {w}\n - {w}\n- {w}: TBD",
    "glossary table": "| Term | Definition |\n|---|---|\n| {w} | {w} {w} |\n| {w} | {w} |",
    # list items that ask with their answer under them (list-item), dividers at the question
    # level, a heading of links (rules/heading.py)
    "item questions": "1. What is {w}?\n\n   {w} {w}\n\n2. Is {w} a {w}?\n   - {w}\n\n3. Why {w}?",
    "divided questions": "## # 1. {w}\n\n<br/>\n\n## Q. What is {w}?\n\n{w}\n\n## # 2. {w}\n\n"
    "## Q. How is {w}?\n\n{w} {w}",
    "link heading": "## Related {w}\n\n* *[{w}](https://example.org/a)*\n* [{w}](https://example.org/b)",
}


def _document(kinds: list[tuple[str, str]]) -> tuple[str, list[str]]:
    words: list[str] = []

    def fresh(_match) -> str:
        words.append(f"zq{len(words)}x")
        return words[-1]

    import re

    text = re.sub(r"\{w\}", fresh, "# Deck {w}\n\nAn intro about {w}.")
    for n, (kind, separator) in enumerate(kinds):
        text += separator + re.sub(r"\{w\}", fresh, BLOCKS[kind].replace("{n}", str(n + 1)))
    return text + "\n", words


KINDS = st.lists(
    st.tuples(st.sampled_from(sorted(BLOCKS)), st.sampled_from(["\n\n", "\n\n", "\n"])),
    min_size=1,
    max_size=14,
)


@settings(max_examples=300, deadline=None, suppress_health_check=QUIET)
@given(kinds=KINDS)
def test_no_word_is_lost_in_silence(kinds):
    check_no_loss(kinds)


@pytest.mark.slow
@settings(max_examples=5000, deadline=None, suppress_health_check=QUIET)
@given(kinds=KINDS)
def test_long_no_word_is_lost_in_silence(kinds):
    check_no_loss(kinds)


# the pattern of the `pattern question` blocks, as an author would set it
PATTERN = DeckSettings({"pattern": r"^Card \d+:", "answer_pattern": "^Answer:"})


@settings(max_examples=200, deadline=None, suppress_health_check=QUIET)
@given(kinds=KINDS)
def test_no_word_is_lost_in_silence_with_an_authors_pattern(kinds):
    check_no_loss(kinds, PATTERN)


# sections' own text, unanswered questions and placeholders: each word in the model itself (J2)
KEPT_KINDS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "heading question",
                "section text",
                "closing summary",
                "part over a chapter",
                "unanswered",
                "placeholder",
            ]
        ),
        st.sampled_from(["\n\n", "\n"]),
    ),
    min_size=1,
    max_size=10,
)


@settings(max_examples=150, deadline=None, suppress_health_check=QUIET)
@given(kinds=KEPT_KINDS)
def test_sections_own_text_and_unanswered_questions_are_in_the_model(kinds):
    import json

    from cardsmith.exporters.json import deck_to_dict

    text, words = _document(kinds)
    try:
        deck = read_text(text, Path("bank.md"), Path("."), Report())
    except ContentError:
        assume(False)  # none answered: nothing is written, and the user is told why
        return
    model = json.dumps(deck_to_dict(deck), ensure_ascii=False)
    assert [w for w in words if w not in model] == [], text


def check_no_loss(kinds, deck_settings: DeckSettings | None = None) -> None:
    """Every word of a file reaches the JSON model, or stands on a line skipped for a stated reason,
    or on a line a warning names, or in the warning itself (issue #15: no silent loss)."""
    import json
    import re

    from cardsmith.exporters.json import deck_to_dict

    text, words = _document(kinds)
    report = Report()
    try:
        deck = read_text(text, Path("bank.md"), Path("."), report, deck_settings)
    except ContentError:
        return  # nothing is written, and the user is told why
    model = json.dumps(deck_to_dict(deck), ensure_ascii=False)
    covered: set[int] = set()
    for skipped in deck.skipped:
        covered.update(range(skipped.source.line, skipped.end + 1))
    for warning in report.diagnostics:
        span = re.search(r"\(lines (\d+)-(\d+)\)", warning.message)
        start, end = (int(span[1]), int(span[2])) if span else (warning.source.line,) * 2
        covered.update(range(start, end + 1))
    said = " ".join(d.message for d in report.diagnostics)
    lines = text.split("\n")
    for word in words:
        line = next(n for n, text_line in enumerate(lines, 1) if word in text_line)
        assert word in model or line in covered or word in said, (word, line, kinds)


@settings(max_examples=300, deadline=None, suppress_health_check=QUIET)
@given(text=st.one_of(STRUCTURED, RAW, st.text()))
def test_any_str_given_to_read_text_parses_or_raises_content_error(text):
    check_text_parser(text)


@settings(max_examples=300, deadline=None, suppress_health_check=QUIET)
@given(document=DOCUMENTS)
def test_any_text_parses_or_raises_content_error(document):
    check_parser(document)


@settings(max_examples=60, deadline=None, suppress_health_check=QUIET)
@given(document=DOCUMENTS)
def test_every_fast_exporter_succeeds_or_reports_content_errors(document):
    check_exporters(document, FAST_FORMATS)


@settings(max_examples=8, deadline=None, suppress_health_check=QUIET)
@given(document=DOCUMENTS)
def test_pdf_exporters_succeed_or_report_content_errors(document):
    check_exporters(document, ["pdf", "cards-pdf"])


@pytest.mark.slow
@settings(max_examples=5000, deadline=None, suppress_health_check=QUIET)
@given(document=DOCUMENTS)
def test_long_fuzz_parser(document):
    check_parser(document)


@pytest.mark.slow
@settings(max_examples=600, deadline=None, suppress_health_check=QUIET)
@given(document=DOCUMENTS)
def test_long_fuzz_all_exporters(document):
    check_exporters(document, list(FORMAT_NAMES))


# --- Obsidian vaults -------------------------------------------------------------------------------

# Shapes of a note's lines, as the spaced-repetition plugin and Obsidian write them
NOTE_BLOCKS = {
    "card": "{w}::{w}",
    "reversed card": "{w}:::{w}",
    "list card": "- {w}::{w}",
    "multi-line card": "{w}\n{w}\n?\n{w}\n{w}",
    "reversed multi-line card": "{w}\n??\n{w}",
    "cloze": "The =={w}== is {w}, see =={w}==^[{w}].",
    "deck tag": "#flashcards/{w}",
    "bare tag": "#flashcards",
    "card with its own deck": "#flashcards/{w} {w}::{w}",
    "callout": "> [!tip] {w}\n> {w}",
    "comment": "%% {w}\n{w} %%",
    "review data": "{w}::{w}\n<!--SR:!2026-01-01,3,250-->",
    "embed": "![[{w}.png]] {w}",
    "link": "[[Target|{w}]] and [[Other]] {w}",
    "tagged text": "{w} #{w}",
    "code": "```\n{w}::{w}\n?\n```",
    "heading": "## {w}",
    "rule": "___",
    "prose": "{w} {w}, a remark.",
    "highlight in a card": "{w}::=={w}== {w}",
}
NOTE_KINDS = st.lists(
    st.tuples(st.sampled_from(sorted(NOTE_BLOCKS)), st.sampled_from(["\n\n", "\n"])),
    min_size=1,
    max_size=12,
)


def _note(kinds: list[tuple[str, str]]) -> tuple[str, list[str]]:
    import re

    words: list[str] = []

    def fresh(_match) -> str:
        words.append(f"zq{len(words)}x")
        return words[-1]

    text = "#flashcards\n"
    for kind, separator in kinds:
        text += separator + re.sub(r"\{w\}", fresh, NOTE_BLOCKS[kind])
    return text + "\n", words


@settings(max_examples=400, deadline=None, suppress_health_check=QUIET)
@given(kinds=NOTE_KINDS)
def test_no_word_of_a_vault_note_is_lost_in_silence(kinds):
    """Every word of a card-bearing note reaches the model (a card, a tag), or stands on a line
    skipped for a stated reason, or a message names it: no silent loss in vaults either."""
    import json

    from cardsmith.build.pipeline import check
    from cardsmith.exporters.json import deck_to_dict

    text, words = _note(kinds)
    with tempfile.TemporaryDirectory() as scratch:
        vault = Path(scratch) / "V"
        (vault / ".obsidian").mkdir(parents=True)
        (vault / "n.md").write_text(text, encoding="utf-8")
        result = check([vault], Settings())
        [deck_result] = result.decks
        deck = deck_result.deck
        if deck is None:
            assert all(str(d).startswith(str(vault)) for d in result.all_diagnostics)
            return
        model = json.dumps(deck_to_dict(deck), ensure_ascii=False)
        covered: set[int] = set()
        for skipped in deck.skipped:
            covered.update(range(skipped.source.line, skipped.end + 1))
        said = " ".join(d.message for d in result.all_diagnostics)
        lines = text.split("\n")
        for word in words:
            line = next(n for n, text_line in enumerate(lines, 1) if word in text_line)
            assert word in model or line in covered or word in said, (word, line, kinds)


@settings(max_examples=30, deadline=None, suppress_health_check=QUIET)
@given(kinds=NOTE_KINDS)
def test_every_fast_exporter_writes_any_vault_or_reports_it(kinds):
    text, _ = _note(kinds)
    with tempfile.TemporaryDirectory() as scratch:
        vault = Path(scratch) / "V"
        (vault / ".obsidian").mkdir(parents=True)
        (vault / "n.md").write_text(text, encoding="utf-8")
        result = build([vault], Path(scratch) / "out", FAST_FORMATS, Settings(jobs=1))
        for diagnostic in result.all_diagnostics:
            assert str(diagnostic).startswith(str(vault)), diagnostic
        [deck_result] = result.decks
        if deck_result.deck is None or deck_result.failed:
            return
        # every card the model holds is a note in Anki, through the package and through the CSV
        from anki.collection import Collection, ImportCsvRequest

        from support.anki_engine import import_package

        cards = len(deck_result.deck.questions)
        for made in ("V.apkg", "V.anki.csv"):
            col = Collection(str(Path(scratch) / f"{made}.anki2"))
            try:
                output = Path(scratch) / "out" / made
                if made.endswith(".apkg"):
                    import_package(col, output)
                else:
                    metadata = col.get_csv_metadata(str(output), delimiter=None)
                    col.import_csv(ImportCsvRequest(path=str(output), metadata=metadata))
                assert col.note_count() == cards, (made, kinds)
            finally:
                col.close()
