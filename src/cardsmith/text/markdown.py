"""The one configured Markdown parser that both the structure reader and the renderer build on.

GitHub's flavour, since most question banks are READMEs: tables, strikethrough, task lists, alerts
(`> [!NOTE]`), bare-URL autolinks and footnotes (mdit-py-plugins' `gfm`), plus `$`/`$$` math, YAML
front matter, and mkdocs-material's admonitions, markdown divs, content tabs, attribute lists and
`\\( \\)` math (`text.mkdocs`). Raw HTML is always read as HTML tokens; whether it is shown,
sanitised or escaped is the renderer's decision. Because both sides share this configuration, a
`# ` line inside `$$` math is math to both, never a heading to one of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cardsmith.text.mkdocs import mkdocs_plugin

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_inline import StateInline

# A table of more cells is read as the text it is. markdown-it makes three tokens of each cell (a
# 5 MB table of 2.5 million cells took 3.3 GiB and 37 s before anything was written, in every
# format) and WeasyPrint cannot lay one out. Real tables stay far below: 20 columns of 500 rows.
TABLE_CELLS = 20_000


def configured(autolinks: bool = True) -> MarkdownIt:
    """A new MarkdownIt with cardsmith's configuration (callers add their own render rules).

    `autolinks=False` leaves out GitHub's bare-URL links: an inline rule that never changes a file's
    structure but is tried at every word (it doubles the inline pass), so the structure reader goes
    without it, and the renderer uses it only for text with `://`, `www.` or `@` in it."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.gfm import gfm_plugin

    md = MarkdownIt("commonmark", {"html": True})
    md.use(gfm_plugin, front_matter=True)
    md.use(dollarmath_plugin, double_inline=True)
    md.use(mkdocs_plugin)
    md.block.ruler.at("table", _bounded_table, {"alt": ["paragraph", "reference"]})
    if not autolinks:
        md.inline.ruler.disable(["gfm_autolink_www", "gfm_autolink_protocol", "gfm_autolink_email"])
    return _by_first_character(md)


# The character each of these rules needs at the place it is tried (a block rule: the first of the
# line's text, after its indentation; an inline rule: the one at the current position). Each looks at
# it before anything else and, when it is not one of these, says no at once and changes nothing.
# markdown-it tries every rule of a chain in turn: the block rules at each block's first line, those
# that may end a paragraph (a list item, a quote) again at each of its lines, the inline rules at each
# character that ends a run of text. Most of those calls were rules saying no. `_by_first_character`
# tries only those that may say yes. Rules not listed (code, table, lheading, paragraph, front matter;
# text, footnote references, attributes, bare-URL links) are tried everywhere.
_BLOCK_FIRST: dict[str, str] = {
    "math_block": "$",  # `$$`
    "admonition": "!?",  # `!!!`, `???` (`text.mkdocs`)
    "math_block_brackets": "\\",  # `\[`
    "content_tab": "=",  # `===`
    "fence": "`~",
    "blockquote": ">",
    "hr": "*-_",
    "list": "*-+0123456789",
    "footnote_def": "[",  # `[^`
    "reference": "[",
    "markdown_div": "<",  # `<div markdown>`
    "html_block": "<",
    "heading": "#",
}
_INLINE_FIRST: dict[str, str] = {
    "newline": "\n",
    "math_inline": "$",
    "math_inline_brackets": "\\",  # `\(` (`text.mkdocs`)
    "escape": "\\",
    "backticks": "`",
    "strikethrough": "~",
    "emphasis": "*_",
    "link": "[",
    "image": "!",
    "autolink": "<",
    "html_inline": "<",
    "entity": "&",
}


def _by_first_character(md: MarkdownIt) -> MarkdownIt:
    """`md` whose block and inline chains (`ruler.getRules`: the rules tried at a place, and those
    that may end a paragraph, a list, a quote) are one rule each, which tries in order only the
    chain's rules that may match on the character there (`_BLOCK_FIRST`, `_INLINE_FIRST`): the same
    first rule says yes, the tokens are the same. Made again whenever the rules change."""
    _dispatched(md.block.ruler, _BLOCK_FIRST, _block_rule)
    _dispatched(md.inline.ruler, _INLINE_FIRST, _inline_rule)
    md.inline.parse = _plain_text_first(md.inline)
    return md


def _plain_text_first(inline):
    """`inline.parse` that gives text with no character any inline rule reacts to (none of markdown-
    it's `terminator_re`: a plain sentence, a table cell `39 ms`) its one text token at once, as the
    parse would: its text rule takes the whole text, which becomes one token, and the pairs'
    post-processing has no delimiter to pair. Most inline text is such (every cell of the bench's
    tables); each parse made a state and ran eight rules on it."""
    from markdown_it import rules_inline
    from markdown_it.token import Token

    parse = inline.parse
    plain_pairs = {
        rules_inline.link_pairs,
        rules_inline.strikethrough.postProcess,
        rules_inline.emphasis.postProcess,
        rules_inline.fragments_join,
    }
    known: list = [None, None, False]  # the rule lists last seen, and whether they allow it

    def parsed(src: str, md, env, tokens: list) -> list:
        if src and not tokens and inline.terminator_re.search(src) is None:
            rules = type(inline.ruler).getRules(inline.ruler, "")
            pairs = type(inline.ruler2).getRules(inline.ruler2, "")
            if rules is not known[0] or pairs is not known[1]:  # the rules changed: look again
                known[:] = [
                    rules,
                    pairs,
                    rules[:1] == [rules_inline.text] and plain_pairs >= {*pairs},
                ]
            if known[2]:
                token = Token("text", "", 0)
                token.content = src
                tokens.append(token)
                return tokens
        return parse(src, md, env, tokens)

    return parsed


def _dispatched(ruler, first: dict[str, str], make) -> None:
    made: dict[str, tuple[list, list]] = {}

    def get_rules(chain: str = "") -> list:
        rules = type(ruler).getRules(ruler, chain)
        known = made.get(chain)
        if known is None or known[0] is not rules:  # (the ruler compiles a new list on a change)
            known = made[chain] = (
                rules,
                [make(*_by_character(ruler, rules, first))] if rules else rules,
            )
        return known[1]

    ruler.getRules = get_rules


def _by_character(ruler, rules: list, first: dict[str, str]) -> tuple[dict, tuple, tuple]:
    """(the rules to try at each character some rule needs, those to try at any other, all)."""
    names = {id(rule.fn): rule.name for rule in ruler.__rules__}
    marks = [first.get(names.get(id(rule), "")) for rule in rules]
    anywhere = tuple(rule for rule, chars in zip(rules, marks, strict=True) if chars is None)
    at = {
        char: tuple(
            rule for rule, chars in zip(rules, marks, strict=True) if chars is None or char in chars
        )
        for char in "".join(chars for chars in marks if chars)
    }
    return at, anywhere, tuple(rules)


def _block_rule(at: dict, anywhere: tuple, every: tuple):
    def dispatched(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        first = state.bMarks[line] + state.tShift[line]
        for rule in at.get(state.src[first], anywhere) if first < state.eMarks[line] else every:
            if rule(state, line, end, silent):
                return True
        return False

    return dispatched


def _inline_rule(at: dict, anywhere: tuple, every: tuple):
    def dispatched(state: StateInline, silent: bool) -> bool:
        src, pos = state.src, state.pos
        for rule in at.get(src[pos], anywhere) if pos < len(src) else every:
            if rule(state, silent):
                return True
        return False

    return dispatched


# What a text must hold somewhere for each of these block rules to match in it. markdown-it tries
# every rule at each block's first line, and most again at each line of a paragraph (may it end
# here?): a rule that cannot match anywhere in a file is left out of its parse (`unused_rules`), the
# tokens the same. Most files have no admonition, tab, math or footnote: a fifth of a parse.
_BLOCK_MARKS: dict[str, tuple[str, ...]] = {
    "front_matter": ("---",),
    "table": ("|",),  # in its header row
    "math_block": ("$$",),
    "admonition": ("!!!", "???"),  # `text.mkdocs`
    "math_block_brackets": ("\\[",),
    "content_tab": ("===",),
    "fence": ("```", "~~~"),
    "blockquote": (">",),
    "footnote_def": ("[^",),
    "reference": ("]:",),  # `[label]:`, the colon right after the bracket
    "markdown_div": ("<",),
    "html_block": ("<",),
}


def unused_rules(text: str) -> frozenset[str]:
    """The block rules of `configured` that cannot match anywhere in `text` (it lacks the marks each
    needs): a parser without them (`without_rules`) reads `text` into the same tokens, faster."""
    return frozenset(
        rule for rule, marks in _BLOCK_MARKS.items() if not any(mark in text for mark in marks)
    )


def without_rules(md: MarkdownIt, rules: frozenset[str]) -> MarkdownIt:
    """`md` with the block `rules` turned off (a parser made for the purpose: it is changed)."""
    if rules:
        md.block.ruler.disable(sorted(rules))
    return md


def may_autolink(text: str) -> bool:
    """Whether `text` may hold a bare URL or e-mail address that GitHub would make a link."""
    return "://" in text or "www." in text or "@" in text


def _bounded_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's table rule for tables of at most `TABLE_CELLS` cells. A larger one is left to
    the paragraph rule, and noted in the parse's `env` (`too_large_tables`: its first line, columns
    and rows) for the reader to warn about."""
    line = start + 1  # a table's second line is its delimiter row: `|`, `-` or `:` opens it
    if line >= end:
        return False
    first = state.bMarks[line] + state.tShift[line]
    if first >= state.eMarks[line] or state.src[first] not in "|-:":
        return False  # (markdown-it's rule says no as well; this is tried at every paragraph line)

    from markdown_it.rules_block.table import table

    if not table(state, start, end, True):  # not a table here: two lines looked at
        return False
    columns = state.src[state.bMarks[start] : state.eMarks[start]].strip().strip("|").count("|") + 1
    rows, line = 0, start + 2
    while line < end and rows * columns <= TABLE_CELLS and not state.isEmpty(line):
        rows += 1
        line += 1
    if (rows + 1) * columns > TABLE_CELLS:
        if not silent:
            while line < end and not state.isEmpty(line):  # the rows past the limit, counted
                rows += 1
                line += 1
            state.env.setdefault("too_large_tables", []).append((start, columns, rows))
        return False
    return table(state, start, end, silent)
