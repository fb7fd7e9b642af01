"""Code in colour for every language Pygments knows, in every style cardsmith draws it in: no lexer
and no token type makes a build fail, and `check` says what `build` does. A lexer may make token
types of its own that no style lists (YAML's `Token.Literal.Scalar.Plain`): drawn as their parent."""

from __future__ import annotations

import csv
import html
import json
import re

import pypdf
import pytest
from anki.collection import Collection, ImportCsvRequest

from cardsmith.build.pipeline import build, check
from cardsmith.render.highlight import _marks, _styles, highlight, highlight_css
from cardsmith.render.target import Target

from support.anki_engine import import_package, notes
from support.inputs import write
from support.library import settings_and_run

# a few lines most languages read something in: comments, strings, numbers, keys, tags, prompts
SAMPLE = """\
# comment -- note
// line comment /* block */ <!-- html -->
key: value
  - item: "quoted" 'single' 1.5e3 0x1F true null
def f(x, *args): return x + 1  # trailing
<tag attr="v">text &amp; more</tag>
{"a": [1, 2, {"b": null}]} $var @arr %hash `tick`
SELECT * FROM t WHERE a = 'b';
\\begin{x} \\end{x} >>> prompt
"""


def _all_lexer_aliases() -> list[str]:
    from pygments.lexers import get_all_lexers

    return [aliases[0] for _, aliases, _, _ in get_all_lexers() if aliases]


def _all_token_types():
    """Every token type any lexer makes: each lexer class is loaded (its rules name its types),
    then the tree under `Token` is walked."""
    from pygments.lexers import get_lexer_by_name
    from pygments.token import Token

    for alias in _all_lexer_aliases():
        get_lexer_by_name(alias)
    found, todo = [], [Token]
    while todo:
        kind = todo.pop()
        found.append(kind)
        todo.extend(kind.subtypes)
    return found


def _text(rendered: str) -> str:
    [inner] = re.findall(r"<code[^>]*>(.*)</code></pre>", rendered, flags=re.S)
    return html.unescape(re.sub(r"</?span[^>]*>", "", inner))


# one target for each set of styles (the study page draws code as cards do, day and night)
STYLED = list({_styles(target): target for target in reversed(Target)}.values())


@pytest.mark.parametrize("target", STYLED)
def test_every_lexer_highlights_a_sample_in_every_style(target):
    """Each of Pygments' 600 lexers, in the styles of each target (cards day and night, paper):
    highlighted, every character kept. Before the parent fallback 33 lexers crashed."""
    failed = []
    for alias in _all_lexer_aliases():
        rendered = highlight(target, SAMPLE, alias, "")
        if not rendered.startswith('<pre class="highlight">'):
            failed.append((alias, "not highlighted"))
        elif _text(rendered).strip("\n") != SAMPLE.strip("\n"):
            failed.append((alias, "text changed"))
    assert not failed
    assert highlight_css(target)


def test_every_token_type_is_drawn_as_its_nearest_type_the_style_knows():
    from pygments.token import STANDARD_TYPES

    kinds = _all_token_types()
    own = [k for k in kinds if k not in STANDARD_TYPES]
    assert any(str(k) == "Token.Literal.Scalar.Plain" for k in own)
    for target in Target:
        marks = _marks(target)
        for kind in kinds:
            mark = marks[kind]
            if kind in own and all(not style.styles_token(kind) for style in _styles(target)):
                assert mark == marks[kind.parent], kind


# languages whose lexers make token types of their own, and some everyday ones
LANGUAGES = [
    "yaml",
    "yaml+jinja",
    "mysql",
    "postgresql",
    "sass",
    "solidity",
    "prolog",
    "gdscript",
    "lilypond",
    "xml+lasso",
    "pony",
    "python",
    "javascript",
    "typescript",
    "bash",
    "c",
    "rust",
    "go",
    "json",
    "toml",
    "dockerfile",
    "html",
    "css",
    "sql",
    "diff",
]

FENCES = """\
```{lang}
# {lang} sample
key: value  # trailing
name = "text"; count = 42 -- note
- item: [1, 2, true, null]
<b attr="v">tag</b> $var @arr
```
"""


@pytest.fixture(scope="module")
def fenced_bank(tmp_path_factory):
    content = tmp_path_factory.mktemp("fenced") / "content"
    content.mkdir()
    questions = "\n".join(
        f"### {n}. What does this {lang} say?\n\n{FENCES.format(lang=lang)}\nIt says {lang}.\n"
        for n, lang in enumerate(LANGUAGES, 1)
    )
    return write(content, "fenced.md", f"# Fenced\n\n## Code\n\n{questions}")


def _built(bank, fmt, tmp_path):
    settings, run = settings_and_run()
    assert not check([bank], settings).failed
    result = build([bank], tmp_path / "out", [fmt], settings, run)
    assert not result.failed, [str(d) for d in result.all_diagnostics]
    [deck] = result.decks
    return deck.outputs[0]


def test_a_bank_of_fences_in_many_languages_is_an_anki_package(fenced_bank, tmp_path, collection):
    package = _built(fenced_bank, "apkg", tmp_path)
    assert len(import_package(collection, package).new) == len(LANGUAGES)
    backs = {note["Question"]: note["Answer"] for note in notes(collection)}
    yaml = next(back for front, back in backs.items() if "this yaml say" in front)
    assert '<pre class="highlight"><code class="language-yaml">' in yaml
    assert sum('class="highlight"' in back for back in backs.values()) == len(LANGUAGES)


def test_a_bank_of_fences_in_many_languages_is_an_anki_csv(fenced_bank, tmp_path):
    out = _built(fenced_bank, "anki-csv", tmp_path)
    collection = Collection(str(tmp_path / "c.anki2"))
    try:
        metadata = collection.get_csv_metadata(str(out), delimiter=None)
        log = collection.import_csv(ImportCsvRequest(path=str(out), metadata=metadata)).log
        assert len(log.new) == len(LANGUAGES)
    finally:
        collection.close()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_bank_of_fences_in_many_languages_is_a_table(fenced_bank, tmp_path, fmt):
    out = _built(fenced_bank, fmt, tmp_path)
    if fmt == "json":
        [section] = json.loads(out.read_text(encoding="utf-8"))["sections"]
        assert len(section["questions"]) == len(LANGUAGES)
    else:
        with out.open(encoding="utf-8-sig", newline="") as handle:
            assert len(list(csv.reader(handle))) == len(LANGUAGES) + 1


@pytest.mark.parametrize("fmt", ["pdf", "cards-pdf"])
def test_a_bank_of_fences_in_many_languages_prints(fenced_bank, tmp_path, fmt):
    text = "".join(
        page.extract_text() for page in pypdf.PdfReader(_built(fenced_bank, fmt, tmp_path)).pages
    )
    for lang in LANGUAGES:
        assert f"{lang} sample" in text


def test_a_bank_of_fences_in_many_languages_is_a_study_page(fenced_bank, tmp_path):
    from support.browser import chromium, open_page

    page_file = _built(fenced_bank, "html", tmp_path)
    with chromium() as browser:
        page, watched = open_page(browser, page_file.as_uri())
        assert page.locator("pre.highlight").count() == len(LANGUAGES)
        assert not watched.errors
