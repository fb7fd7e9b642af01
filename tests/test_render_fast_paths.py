"""The rendering's and the .apkg writer's shortcuts (issue #28) give what the long way gives, on
generated input.

- a regex lexer tries at each place only the rules whose pattern may start with the character there
  (`render.lexing`): the tokens of every Pygments lexer the same as its own loop's."""

from __future__ import annotations

import functools
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cardsmith.render.lexing import _first, dispatched

QUIET = [HealthCheck.too_slow]

# code-like text: the characters most grammars react to, blanks, line ends, letters past ASCII
CODE = st.lists(
    st.sampled_from(
        [
            *"abcdefxyzABEFXZ_0189 \t\n\r(){}[]<>\"'`#$%&*+-./:;=?@\\^|~!,",
            *[
                "é",
                "中",
                "ب",
                "\u00a0",
                "\x00",
                "def ",
                "class ",
                "0x1F",
                "1.5e3",
                "//",
                "/*",
                "*/",
            ],
            *["<!--", "-->", '"""', "'''", "${", "#{", "::", "=>", "\n    ", "SELECT ", "int "],
        ]
    ),
    max_size=80,
).map("".join)

SAMPLES = [
    "def f(x, *args):\n    '''doc'''\n    return f\"{x!r:>10}\" + r'\\d' if x else None  # c\n",
    'int main(void) { printf("%d\\n", 42); return 0; } // c\n/* x */ #include <a.h>\n',
    '<html><body class="a">&amp; <?php echo $x; ?><!-- c --></body></html>\n',
    "SELECT a, b FROM t WHERE x = 'y' AND z >= 3; -- c\n",
    'fn main() { let x: Vec<u8> = vec![1, 2]; println!("{x:?}"); }\n',
    '#!/bin/bash\nfor i in $(seq 3); do echo "$i" | grep -v x; done\n',
    '{"a": [1, 2.5e3, true, null], "b": "\\u00e9"}\n',
    'a:\n  - b: c\n  - "d"\n',
    'É ü 中文 مرحبا \x00 \r\n\t unterminated "string\n(( [ {',
    "",
]

# a few of the languages question banks show most, and grammars of every shape
LANGUAGES = [
    "python",
    "c",
    "javascript",
    "bash",
    "sql",
    "json",
    "yaml",
    "html",
    "rust",
    "go",
    "java",
    "ruby",
    "php",
    "css",
    "typescript",
    "kotlin",
    "haskell",
    "latex",
    "toml",
    "diff",
    "csharp",
]


@functools.cache
def _lexers(name: str) -> tuple:
    from pygments.lexers import get_lexer_by_name

    return get_lexer_by_name(name), dispatched(get_lexer_by_name(name))


def _tokens(lexer, text: str):
    try:
        return list(lexer.get_tokens(text))
    except Exception as error:  # a lexer's own failure must be the same failure
        return repr(error)


def test_every_regex_lexer_gives_the_same_tokens():
    from pygments.lexers import get_all_lexers, get_lexer_by_name

    compared = 0
    for _name, aliases, _files, _types in get_all_lexers():
        if not aliases:
            continue
        try:
            own, lexer = get_lexer_by_name(aliases[0]), get_lexer_by_name(aliases[0])
        except Exception:  # a lexer that needs a package Pygments does not bring
            continue
        fast = dispatched(lexer)
        if "get_tokens_unprocessed" not in vars(fast):  # a loop of its own: left as it is
            continue
        compared += 1
        for text in SAMPLES:
            assert _tokens(fast, text) == _tokens(own, text), (aliases[0], text)
    assert compared > 300


@settings(max_examples=150, deadline=None, suppress_health_check=QUIET)
@given(st.sampled_from(LANGUAGES), CODE)
def test_generated_code_gives_the_same_tokens(language, text):
    own, fast = _lexers(language)
    assert _tokens(fast, text) == _tokens(own, text)


# patterns of every construct the first-character test reads, and characters to try them on
PATTERNS = [
    r"abc",
    r"[a-c_]\w*",
    r"[^\s\d]+",
    r"\d+\.?",
    r"(?:if|else|while)\b",
    r"(?<=x)y",
    r"(?!def)\w+",
    r"^\s*#",
    r"(a|b?)c",
    r"x*y",
    r"(?i)abc",
    r"(?i:a)b",
    r"(a)\1",
    r".+",
    r"\n",
    r"",
    r"(?>ab|c)",
    r"a{0}b",
    r"[\W]",
    r"(?a)\w",
    r"é|\u4e2d",
    r"(?i)k|s",
    r"(?i)[a-c]x",
    r"(?i:é)",
    r"[^\"\\\n]+",
    r"(?s).",
    r"(?i)(?-i:a)",
]
CHARACTERS = 'abcxyzABCXY_019 \t\n#.é中\u00a0-kKsS\u212a\u017f"É'


def test_the_first_character_test_lets_every_match_through():
    for pattern in PATTERNS:
        compiled = re.compile(pattern)
        first = _first(compiled)
        for char in CHARACTERS:
            for rest in ("", "bc", "abc", "c", "y", "aa", "b", "x"):
                if compiled.match(char + rest) and first is not None:
                    assert first(char), (pattern, char + rest)


# - a tag with no rule of its own is rendered without listing attributes it does not have
#   (`render.html._render_token`): the same text as markdown-it's `renderToken` for every token
BLOCKS = [
    "# T {#id .c}",
    "- a\n- b\n\n  c",
    "1. x\n2. y",
    "- [x] done\n- [ ] not",
    "> q\n> > nested",
    "| a | b |\n|:-|-:|\n| 1 | 2 |",
    "---",
    "text *em* **strong** ~~s~~ `c` [l](http://x 't') ![i](p.png)",
    "<div>raw</div>",
    "Term\n: def",
    "!!! note\n    body",
    "a  \nb",
    "- a\n\n  > q\n- b",
    "- a\n  > q\n- b\n  # h",
    "$$\nx\n$$",
    "[^1]\n\n[^1]: foot",
    "",
]


@settings(max_examples=150, deadline=None, suppress_health_check=QUIET)
@given(st.lists(st.sampled_from(BLOCKS), max_size=6), st.booleans(), st.booleans())
def test_a_tag_renders_as_markdown_it_renders_it(blocks, autolinks, xhtml):
    from markdown_it.renderer import RendererHTML

    from cardsmith.render.html import _markdown
    from cardsmith.render.target import Target

    md = _markdown(Target.CARD, autolinks)
    options = {**md.options, "xhtmlOut": xhtml}
    tokens = md.parse("\n\n".join(blocks))
    runs = [tokens] + [t.children for t in tokens if t.children]
    for run in runs:
        for index in range(len(run)):
            own = RendererHTML.renderToken(md.renderer, run, index, options, {})
            assert md.renderer.renderToken(run, index, options, {}) == own


# - a prompt of ASCII characters runs left to right (`render.html.direction_of`), unlooked at
@settings(max_examples=200, deadline=None, suppress_health_check=QUIET)
@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_an_ascii_prompt_runs_left_to_right_as_its_letters_say(prompt):
    from cardsmith.render.html import direction_of
    from cardsmith.text.scripts import direction

    assert direction_of(prompt) == direction(re.sub(r"`[^`]*`", "", prompt)) == "ltr"


# - a .apkg note skips genanki's per-note overheads (`exporters.apkg.TimedNote`): the same rows as
#   genanki's own note, for every note type, with empty fields, cloze deletions and tags
FIELD = st.sampled_from(["", "Q?", "<p>a</p>", "{{c1::x}} and {{c2::y::hint}}", "a < b", "é 中"])


@settings(max_examples=100, deadline=None, suppress_health_check=QUIET)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["basic", "cloze", "reversed"]),
            st.lists(FIELD, min_size=4, max_size=4),
            st.lists(st.sampled_from(["a", "b-c", "cardsmith::removed", "ü"]), max_size=3),
            st.integers(0, 2**31),
        ),
        max_size=5,
    )
)
def test_a_note_is_written_as_genanki_writes_it(notes):
    import itertools
    import sqlite3

    import genanki
    from genanki.package import APKG_COL, APKG_SCHEMA

    from cardsmith.exporters.apkg import _notetypes, _timed_note_class
    from cardsmith.model import Kind

    models = _notetypes()
    kinds = {"basic": Kind.BASIC, "cloze": Kind.CLOZE, "reversed": Kind.REVERSED}
    written = []
    for fast in (False, True):
        db = sqlite3.connect(":memory:")
        db.executescript(APKG_SCHEMA)
        db.executescript(APKG_COL)
        ids = itertools.count(1)
        for number, (kind, fields, tags, modified) in enumerate(notes):
            model, guid = models[kinds[kind]], f"g{number}"
            if fast:
                note = _timed_note_class()(model, list(fields), tuple(tags), guid, modified)
                note.write_to_db(db.cursor(), 0, 7, ids)
            else:
                note = genanki.Note(model=model, fields=list(fields), tags=list(tags), guid=guid)
                note.write_to_db(db.cursor(), modified, 7, ids)
        written.append(
            (
                db.execute("select * from notes order by id").fetchall(),
                db.execute("select * from cards order by id").fetchall(),
            )
        )
    assert written[0] == written[1]
