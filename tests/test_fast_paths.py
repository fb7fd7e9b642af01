"""The shortcuts the build takes for speed (issue #28) give what the long way gives, on generated input
that has every mark each shortcut looks for, and pieces of them.

- a file's parse leaves out the block rules its text has no mark of (`text.markdown.unused_rules`);
- an answer with no tag or entity is its own visible text (`reading.bank.answers`);
- a deck's language counts each distinct character once (`text.scripts.language`);
- the cache key reads a deck's lock entries grouped by file (`build.pipeline._lock_entries`);
- the table rule looks at the delimiter row's first character before anything else;
- a file without `<details` counts no `<details>` depth; a list's items are read once;
- the rules' `<details>` passes skip a file without the tag (a stray `</details>` still counts);
- an answer's sub-headings are found by a bisect of the heading lines (`answers.split`);
- markdown-it's block and inline rules are tried only where the character there lets them match
  (`text.markdown._by_first_character`), and inline text with no character a rule reacts to is its
  text token at once: the tokens, the parse's env and the HTML the same;
- a question with no list on its lines and no `A.` line in its front is looked at for no quiz
  (`quiz.find_choices`, `Document.has_list_between`), a list whose first paragraphs are no boxes
  for no task options (`quiz._may_be_tasks`);
- a question's images are found among the few tokens that show one (`Document.images_between`),
  and a file without `<details` looks for no revealing one in each question (`answers.split`);
- an answer with none of the characters an mkdocs container needs is portable as it is
  (`text.mkdocs._may_hold`); an ASCII prompt has no difficulty mark (`prompt.prompt_parts`);
- a placeholder's grammar is matched on the answer's text, not on its words taken apart
  (`placeholders.says_nothing_yet`)."""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from pathlib import Path
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cardsmith.build.pipeline import _lock_entries
from cardsmith.errors import ContentError, Report
from cardsmith.identity import Lock
from cardsmith.identity.lockfile import Entry, Tombstone
from cardsmith.reading.bank import _structure, read_text
from cardsmith.reading.bank.answers import _visible, is_empty, is_placeholder
from cardsmith.reading.bank.document import Document, _details_groups, _headings
from cardsmith.reading.bank.layout import _revealed_answers
from cardsmith.reading.bank.placeholders import _PLACEHOLDER, says_nothing_yet
from cardsmith.reading.bank.prompt import _DIFFICULTY, _STARS
from cardsmith.reading.bank.quiz import _bare_box, _may_be_tasks
from cardsmith.reading.bank.rules.glossary import _details_lines
from cardsmith.render.html import _markdown, to_inline_html
from cardsmith.render.target import Target
from cardsmith.text.markdown import _bounded_table, configured, unused_rules
from cardsmith.text.mkdocs import _MAY_HOLD, _may_hold
from cardsmith.text.scripts import EMOJI, LATIN, OTHER, language, script_of

QUIET = [HealthCheck.too_slow]

# lines in the syntax of every block rule, and lines that hold only part of a rule's mark
BLOCK_LINES = [
    "---",
    "title: x",
    "# T",
    "### 1. Q?",
    "A paragraph with | a bar.",
    "| a | b |",
    "|---|---|",
    "| 1 | 2 |",
    "$$",
    "x^2",
    "$$ y $$",
    "$ not math",
    "!!! note",
    '??? question "Show answer"',
    "???+ tip",
    "!! two marks",
    "    indented under a box",
    "\\[",
    "\\]",
    "\\[ a \\]",
    '=== "Python"',
    "== two",
    "```",
    "```python",
    "~~~",
    "``",
    "> quote",
    "text > more",
    "- item",
    "1. item",
    "[^1]: a footnote",
    "[^1]",
    "[ref]: https://example.com",
    "[ref]:https://example.com",
    "[ref] : no",
    "]:",
    '<div markdown="1">',
    "</div>",
    "<details>",
    "<summary>Q?</summary>",
    "</details>",
    "<!-- c -->",
    "a < b",
    "***",
    "Setext",
    "===",
    "",
    "",
]
DOCUMENT = st.lists(st.sampled_from(BLOCK_LINES) | st.text(max_size=12), max_size=40).map("\n".join)


def _tokens(md, text: str) -> tuple[list, str]:
    env: dict = {}
    tokens = md.parse(text, env)
    return [token.as_dict() for token in tokens], repr(env)


@settings(max_examples=500, deadline=None, suppress_health_check=QUIET)
@given(text=DOCUMENT)
def test_a_parse_without_the_rules_a_text_cannot_use_gives_the_same_tokens(text):
    assert _tokens(_structure(unused_rules(text)), text) == _tokens(_structure(), text)


# inline text with every mark an inline rule looks for, and pieces of them
INLINE_ATOMS = [
    "a", " ", "\n", "*", "_", "**", "__", "~", "~~", "`", "``", "$", "$$", "\\(", "\\)", "\\", "\\*",
    "[", "]", "(", ")", "![", "[^1]", "[a](b)", "<", ">", "<b>", "</b>", "<https://x.y>", "&amp;",
    "&", "{.c}", "{", "}", "-", ":", "#", "!", "www.x.org", "https://a.b", "a@b.c", "é", "1.", "  ",
]  # fmt: skip
PREFIXES = ["", "", "> ", "- ", "1. ", "9) ", "+ ", "* ", "  ", "    ", "> - ", "- > ", "\t"]
MIXED_LINE = st.tuples(
    st.sampled_from(PREFIXES),
    st.sampled_from(BLOCK_LINES) | st.lists(st.sampled_from(INLINE_ATOMS), max_size=8).map("".join),
).map("".join)
MIXED = st.lists(MIXED_LINE, max_size=30).map("\n".join)


def _every_rule_everywhere(md):
    """`md` as markdown-it has it: each rule of a chain tried at every place, in turn."""
    del md.block.ruler.getRules
    del md.inline.ruler.getRules
    del md.inline.parse
    return md


def _without_ids(parsed: tuple[list, str]) -> tuple[list, str]:
    """A parse without the `id()` of its text (`text.mkdocs` keys what it remembers of a text so)."""
    tokens, env = parsed
    return tokens, re.sub(r"\(\d+, (\d+)\)", r"(\1)", env)


@functools.cache
def _parsers(autolinks: bool) -> tuple:
    return configured(autolinks), _every_rule_everywhere(configured(autolinks))


@functools.cache
def _renderers() -> tuple:
    return _markdown(Target.CARD), _every_rule_everywhere(_markdown.__wrapped__(Target.CARD))


@settings(max_examples=500, deadline=None, suppress_health_check=QUIET)
@given(text=MIXED)
def test_rules_tried_by_the_character_they_need_give_what_every_rule_tried_gives(text):
    for autolinks in (False, True):
        ours, theirs = _parsers(autolinks)
        assert _without_ids(_tokens(ours, text)) == _without_ids(_tokens(theirs, text))
    ours, theirs = _renderers()
    assert ours.render(text, {}) == theirs.render(text, {})
    for line in text.split("\n"):  # a prompt, rendered inline as it is
        assert ours.renderInline(line, {}) == theirs.renderInline(line, {})
        with patch("cardsmith.render.html._plain", return_value=False):
            parsed = to_inline_html(line)
        assert to_inline_html(line) == parsed  # a plain prompt is not parsed (`render.html._plain`)


def test_plain_prompts_render_as_parsed_ones_do():
    for prompt in [
        "What is a tuple?", ' A "quoted" word ', "www.example.org", "write me@x.org", "ftp://x.y",
        "é and 答", "tab\there", "one\r\ntwo", "cr\ronly", "nul\0", "", "  ", "1) not a list", "> not a quote",
    ]:  # fmt: skip
        with patch("cardsmith.render.html._plain", return_value=False):
            parsed = to_inline_html(prompt)
        assert to_inline_html(prompt) == parsed


def test_the_rules_left_out_are_those_whose_marks_are_missing():
    assert unused_rules("### Q?\nplain answer\n") >= {"table", "fence", "admonition", "html_block"}
    assert unused_rules("\n".join(BLOCK_LINES)) == frozenset()
    assert "fence" not in unused_rules("~~~\ncode\n~~~")
    assert "reference" in unused_rules("[ref] : no")


ANSWER_ATOMS = [
    "___", "---", "***", " ", "\n", "\u00a0", "`", "```", "~~~", "_", "a", "1", "é", "答", "TODO",
    "answer", "coming", "soon", "later", "TBD", "<br>", "&nbsp;", "&amp;", "<!-- x -->", "<b>",
    "-", "*", ":", "\t", "x_y", "__", "\n___\n", "。", "$", "![i](x.png)",
]  # fmt: skip
ANSWERS = st.lists(st.sampled_from(ANSWER_ATOMS), max_size=10).map("".join)


@settings(max_examples=1000, deadline=None, suppress_health_check=QUIET)
@given(answer=ANSWERS)
def test_an_answers_emptiness_and_placeholders_are_read_as_from_its_visible_text(answer):
    empty = not re.search(r"<(img|table|svg|video)\b|!\[|\$", answer, re.I) and not re.search(
        r"\w", _visible(answer)
    )
    assert is_empty(answer) == empty
    placeholder = "`" not in answer and "~~~" not in answer and says_nothing_yet(_visible(answer))
    assert is_placeholder(answer) == placeholder


def test_a_rule_of_underscores_is_no_answer():
    assert is_empty("___")
    assert is_empty("\n___\n")
    assert not is_empty("x_y")
    assert is_placeholder("TODO\n___\nlater") == says_nothing_yet("TODO later")


def _language_one_by_one(text: str) -> str:
    """`language` as it was written first: every character looked up in turn."""
    counts: Counter[str] = Counter()
    letters = 0
    for character in text:
        script = script_of(character)
        if script is None or script is EMOJI:
            continue
        letters += 1
        if script is not LATIN and script is not OTHER:
            counts[script.language] += 1
    if not counts:
        return "en"
    if counts["ja"] and counts["zh"]:
        counts["ja"] += counts.pop("zh")
    tag, count = counts.most_common(1)[0]
    return tag if 20 * count >= letters else "en"


SCRIPT_TEXT = st.lists(
    st.sampled_from(list("abcXYZ 12.,é中文字かなカナ한국어АБВгдשלוםعربيΑβγ🙂ก")), max_size=60
).map("".join)


@settings(max_examples=500, deadline=None, suppress_health_check=QUIET)
@given(text=SCRIPT_TEXT | st.text(max_size=40))
def test_a_decks_language_counts_as_one_character_at_a_time_would(text):
    assert language(text) == _language_one_by_one(text)


def test_languages_of_plain_texts():
    assert language("plain ASCII text") == "en"
    assert language("日本語のテキスト and some English") == "ja"
    assert language("Это русский текст") == "ru"


def _entry(file: str, number: int) -> Entry:
    return Entry(
        id=f"q{number}",
        guid=f"g{number}",
        file=file,
        section="",
        prompt=f"Q{number}?",
        answer="0" * 16,
        simhash="0" * 16,
        content="0" * 16,
        modified=number,
    )


def _lock_entries_one_deck_at_a_time(lock: Lock, name: str) -> str:
    """The key as it was written first: every entry of the lock looked at for each deck."""

    def mine(file: str) -> bool:
        return file == name or name == "." or file.startswith(name + "/")

    return json.dumps(
        [e.as_dict() for e in lock.entries if mine(e.file)]
        + [t.as_dict() for t in lock.removed if mine(t.entry.file)]
    )


def test_a_decks_lock_entries_grouped_by_file_are_those_it_owns(tmp_path: Path):
    files = ["a.md", "b.md", "vault/x.md", "vault/y.md", "vaulted.md"]
    entries = [_entry(file, n) for n, file in enumerate(sorted(files * 3))]
    removed = [Tombstone(_entry(file, 100 + n), 5) for n, file in enumerate(sorted(files))]
    lock = Lock(tmp_path / "cardsmith.lock", entries, {}, removed)
    (tmp_path / "vault").mkdir()
    grouped: dict = {}
    for name in ["a.md", "b.md", "vault", "vaulted.md", "none.md"]:
        key = _lock_entries(lock, tmp_path / name, grouped)
        assert key == _lock_entries_one_deck_at_a_time(lock, name), name
        assert key == _lock_entries(lock, tmp_path / name)  # without a shared grouping
    assert _lock_entries(lock, tmp_path, grouped) == _lock_entries_one_deck_at_a_time(lock, ".")
    assert len(json.loads(_lock_entries(lock, tmp_path / "vault", grouped))) == 8


TABLE_LINES = [
    "| a | b |", "|---|---|", "|:-:|--:|", "a | b", "--- | ---", "-|-", ":-", "- item", "-- x",
    "|", "| 1 |", "    |---|", "  | c |", "text", "", "> | q |", "1. | n |",
]  # fmt: skip


@settings(max_examples=500, deadline=None, suppress_health_check=QUIET)
@given(lines=st.lists(st.sampled_from(TABLE_LINES), max_size=12))
def test_the_bounded_table_rule_reads_small_tables_as_markdown_its_own_does(lines):
    from markdown_it import MarkdownIt

    text = "\n".join(lines)
    ours = MarkdownIt("commonmark").enable("table")
    ours.block.ruler.at("table", _bounded_table, {"alt": ["paragraph", "reference"]})
    theirs = MarkdownIt("commonmark").enable("table")
    assert _tokens(ours, text) == _tokens(theirs, text)


DETAILS_LINES = [
    "# T", "## S", "### 1. Q?", "answer", "<details>", "<DETAILS open>", "<summary>Q?</summary>",
    "</details>", "</Details>", "- item <details>", "text", "", "### 2. Q?", "```", "~~~",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=QUIET)
@given(lines=st.lists(st.sampled_from(DETAILS_LINES), max_size=25))
def test_a_file_without_details_tags_has_the_headings_and_groups_it_would_have(lines):
    text = "\n".join(lines)
    tokens = _structure().parse(text, {})
    lines = text.split("\n")
    document = Document(tokens, lines)
    assert document.headings == _headings(tokens, lines)
    assert document.details == _details_groups(tokens, lines)
    assert document.heading_lines == sorted(document.heading_lines)  # `answers.split` bisects them


@settings(max_examples=300, deadline=None, suppress_health_check=QUIET)
@given(lines=st.lists(st.sampled_from(DETAILS_LINES), max_size=25))
def test_the_rules_details_passes_find_what_a_pass_over_every_token_finds(lines):
    text = "\n".join(lines)
    tokens = _structure().parse(text, {})
    lines = text.split("\n")
    document = Document(tokens, lines)
    every_token = Document(tokens, lines)
    every_token.has_details = True  # as if a tag might be anywhere: no pass is skipped
    every_token.__dict__["has_details_tags"] = True
    assert _revealed_answers(document) == _revealed_answers(every_token)
    assert _details_lines(document) == _details_lines(every_token)


def test_a_lists_items_are_read_once_and_handed_out_as_copies():
    document = Document(_structure().parse("- [x] a\n- [ ] b\n", {}), ["- [x] a", "- [ ] b"])
    items = document.list_items(0, whole=True)
    assert items == [(True, "a"), (False, "b")]
    items.append((None, "changed by a caller"))
    assert document.list_items(0, whole=True) == [(True, "a"), (False, "b")]


QUIZ_LINES = [
    "# T", "## S", "### 1. Q?", "### 2. Which one?", "#### Q3", "**4. Bold?**", "Q: Why?", "A: Because",
    "- [x] right", "- [ ] wrong", "- [ ]", "* [X] also", "1. [x] numbered", "- A: one", "- B: two",
    "- 1) first", "- 2) second", "A. alpha", "B. beta", "C) gamma", "- D. delta", "(A) paren",
    "Answer: B", "Answer: A, C", "**Correct answer:** A", "The correct answer is **B**. Because.",
    "### 答案", "正确答案：A", '<div class="upper-alpha" markdown>', "</div>", "<details>",
    "<summary>Answer</summary>", "</details>", "```", "    - [x] indented", "  - B: nested",
    "![i](x.png)", "text", "",
]  # fmt: skip


def _deck_or_error(text: str):
    report = Report()
    try:
        deck = read_text(text, Path("quiz.md"), Path("."), report)
    except ContentError as exc:
        return "error", [str(d) for d in exc.diagnostics], [str(d) for d in report.warnings]
    return deck, [str(d) for d in report.warnings]


# a question whose front holds lines of the quiz shapes, its answer revealed by a `<details>` or
# under an answer heading: what a front's options are looked for in
QUIZ_OPTIONS = [
    ["A. alpha", "B. beta"], ["A. alpha", "", "B) beta", "C. gamma"], ["- A. alpha", "- B. beta"],
    ["A. alpha", "C. gamma"], ["- A: one", "- B: two"], ["- [x] right", "- [ ] wrong"], [],
]  # fmt: skip
QUIZ_QUESTION = st.builds(
    lambda prompt, before, options, after, reveal, key: "\n".join(
        [prompt, "", *before, *options, *after, "", *reveal[0], "", key, "", *reveal[1]]
    ),
    st.sampled_from(["### 1. Which one?", "## Q2", "**3. Which?**", "1. ### Which?"]),
    st.lists(st.sampled_from(QUIZ_LINES), max_size=3),
    st.sampled_from(QUIZ_OPTIONS),
    st.lists(st.sampled_from(QUIZ_LINES), max_size=3),
    st.sampled_from(
        [
            (["<details>", "<summary>Answer</summary>"], ["</details>"]),
            (["#### 答案"], []),
            (["#### Answer"], []),
            ([], []),
        ]
    ),
    st.sampled_from(["Answer: B", "Answer: A, C", "The correct answer is **B**. Yes.", "B", ""]),
)


@settings(max_examples=400, deadline=None, suppress_health_check=QUIET)
@given(
    parts=st.lists(
        QUIZ_QUESTION | st.lists(st.sampled_from(QUIZ_LINES) | st.text(max_size=8)).map("\n".join),
        max_size=6,
    )
)
def test_a_question_without_lists_or_lettered_lines_has_the_options_the_long_way_finds(parts):
    text = "\n".join(parts)
    fast = _deck_or_error(text)
    with patch.object(Document, "has_list_between", lambda self, start, end: True):
        slow = _deck_or_error(text)
    assert fast == slow


def _document_and_lines(lines: list[str], data) -> tuple[Document, int, int]:
    """The `Document` of `lines`, and a range of its lines drawn from `data` (past its end too)."""
    text = "\n".join(lines)
    document = Document(_structure().parse(text, {}), text.split("\n"))
    start = data.draw(st.integers(0, len(lines) + 1))
    return document, start, data.draw(st.integers(start, len(lines) + 2))


@settings(max_examples=300, deadline=None, suppress_health_check=QUIET)
@given(lines=st.lists(st.sampled_from(QUIZ_LINES), max_size=30), data=st.data())
def test_a_list_opens_between_two_lines_as_a_scan_of_the_tokens_says(lines, data):
    document, start, end = _document_and_lines(lines, data)
    scanned = any(
        document.tokens[index].type in ("bullet_list_open", "ordered_list_open")
        and document.tokens[index].map
        for index in document.token_range(start, end)
    )
    assert document.has_list_between(start, end) == scanned


IMAGE_LINES = [
    "# T", "## S", "### 1. Q?", "### 2. R?", "text", "", "![a](a.png)", "x ![b](b.png) y", "![a](a.png)",
    '<img src="c.png">', '<p><IMG SRC="d.png"></p>', 'inline <img src="e.png"> html', "- item ![f](f.png)",
    "> ![g](g.png)", "| ![h](h.png) | x |", "|---|---|", "```", "![code](no.png)", "<details>",
    "<summary>Answer</summary>", "</details>", "    ![indented](i.png)",
]  # fmt: skip


def _images_walked(document: Document, start: int, end: int) -> list:
    """What `images_between` gives, the long way: every token and child on the lines, in turn."""
    found, line = [], start
    for token in document.tokens_between(start, end):
        if token.map:
            line = token.map[0]
        if token.type == "image" or (
            token.type in ("html_block", "html_inline") and "<img" in token.content.lower()
        ):
            found.append((line, token))
    return found


@settings(max_examples=300, deadline=None, suppress_health_check=QUIET)
@given(lines=st.lists(st.sampled_from(IMAGE_LINES), max_size=30), data=st.data())
def test_the_images_between_two_lines_are_those_a_walk_over_their_tokens_finds(lines, data):
    document, start, end = _document_and_lines(lines, data)
    assert document.images_between(start, end) == _images_walked(document, start, end)


@settings(max_examples=200, deadline=None, suppress_health_check=QUIET)
@given(parts=st.lists(QUIZ_QUESTION, max_size=5))
def test_a_file_without_details_reads_as_it_would_if_one_might_be_anywhere(parts):
    text = "\n".join(parts).replace("<details>", "<DIV>").replace("</details>", "</DIV>")
    made = Document.__init__

    def every_pass(self, *args, **kwargs):
        made(self, *args, **kwargs)
        self.has_details = True  # no pass skipped for want of a `<details` tag

    fast = _deck_or_error(text)
    with patch.object(Document, "__init__", every_pass):
        slow = _deck_or_error(text)
    assert fast == slow


TASK_LINES = [
    "- [x] right", "- [ ] wrong", "- [ ]", "- [X]", "* [x] star", "1. [ ] one", "- text", "-",
    "- ```", "  code", "  ```", "  [ ]", "  more", "", "  - [x] nested", "- [y] no box", "- [ ]x",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=QUIET)
@given(lines=st.lists(st.sampled_from(TASK_LINES), max_size=20))
def test_a_list_whose_first_paragraphs_are_no_boxes_has_items_that_are_no_boxes(lines):
    text = "\n".join(lines)
    document = Document(_structure().parse(text, {}), text.split("\n"))
    for index, token in enumerate(document.tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            whole = [_bare_box(item) for item in document.list_items(index, whole=True)]
            if not _may_be_tasks(document.list_items(index)):
                assert any(checked is None for checked, _ in whole)


CONTAINER_PIECES = [
    "!!!",
    "!!",
    "???",
    "??",
    "===",
    "==",
    "<div",
    "<DIV",
    "<dıv",
    " markdown",
    "\n",
    " ",
    "x",
]


@settings(max_examples=500, deadline=None, suppress_health_check=QUIET)
@given(pieces=st.lists(st.sampled_from(CONTAINER_PIECES) | st.text(max_size=3), max_size=12))
def test_an_answer_the_container_expression_may_match_has_a_mark_it_needs(pieces):
    text = "".join(pieces)
    assert _may_hold(text) or not _MAY_HOLD.search(text)


def test_every_difficulty_mark_a_prompt_may_hold_is_outside_ascii():
    assert not any(mark.isascii() for mark in [*_DIFFICULTY, "⭐", "★", "\ufe0f"])
    assert _STARS.pattern.strip("[]") == "⭐★"


PLACEHOLDER_WORDS = [
    "todo", "to", "do", "tbd", "t", "b", "d", "n", "a", "wip", "answer", "answers", "the", "your",
    "solution", "coming", "soon", "will", "be", "added", "is", "not", "yet", "written", "in",
    "progress", "work", "under", "construction", "fill", "out", "here", "later", "pending", "x",
    "Answer", "TODO", "İ", "ß", "ǅ", "1", "_",
]  # fmt: skip
SEPARATORS = [
    " ",
    "  ",
    ".",
    ": ",
    "-",
    "_",
    "/",
    "**",
    "\n",
    "🚧",
    "",
    "(",
    ")",
    "\u00a0",
    "\u0307",
]


def _says_nothing_yet_by_words(text: str) -> bool:
    """The long way: the words taken apart, one space between them, then the grammar."""
    words = re.sub(r"[\W_]+", " ", text.casefold()).strip()
    return bool(words) and _PLACEHOLDER.fullmatch(words) is not None


@settings(max_examples=1000, deadline=None, suppress_health_check=QUIET)
@given(
    pieces=st.lists(
        st.sampled_from(PLACEHOLDER_WORDS) | st.sampled_from(SEPARATORS) | st.text(max_size=3),
        max_size=12,
    )
)
def test_a_placeholder_is_matched_on_its_text_as_on_its_words(pieces):
    text = "".join(pieces)
    assert says_nothing_yet(text) == _says_nothing_yet_by_words(text)


def test_placeholders_in_their_dress_are_matched_on_their_text():
    for text in ["TODO: add answer", "Answer coming soon", "_To be completed._", "t.b.d.", "to-do",
                 "Work in progress 🚧", "(solution pending)", "Your answer here", "fill in"]:  # fmt: skip
        assert says_nothing_yet(text) and _says_nothing_yet_by_words(text)
    for text in ["Pending", "Update", "Solution", "Later", "todo list of things", ""]:
        assert says_nothing_yet(text) == _says_nothing_yet_by_words(text)
