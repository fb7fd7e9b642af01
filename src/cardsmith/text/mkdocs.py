"""mkdocs-material's block syntax, read as the containers it is, never as an indented code block
(course sites and quiz pages are written in it; issue #27):

- admonitions, `!!! note "Title"`, and collapsible ones, `??? question "Show Answer"` and `???+ tip`
  (mdit-py-plugins' `admon`; the first line must be as python-markdown reads it: a type, more words,
  a quoted title, so `??? what is this` stays text);
- `<div markdown>` (or `markdown="1"`, `markdown="block"`, pymdownx's md_in_html): the lines between
  the tag and its `</div>` are Markdown (its list is a list, not one run-on line of HTML);
- content tabs, `=== "Python"` (pymdownx's tabbed), their indented body Markdown;
- attribute lists after a link or an image (attr_list: `[Run](url){ .md-button }`, `![a](b.png){
  width="300" }`), taken as the element's attributes (mdit-py-plugins' `attrs`), never shown as text;
- arithmatex's math delimiters besides `$`: `\\( x \\)` inline and `\\[ x \\]` as a block, the same
  math tokens as `$x$` and `$$x$$` (mdit-py-plugins' `texmath` reads them too, but searches the rest
  of the file again at each unclosed `\\[`: 8,000 of them took 25 s).

Each container's body is indented four columns under its marker and is read as Markdown. They render
as the boxes GitHub's alerts are drawn as (`markdown-alert-<type>`, its title kept; a tab is a box
titled with its label, a collapsible one is shown open: a card's back is already the reveal); a
markdown div as its content, an `upper-alpha` div's numbered list lettered (`<ol type="A">`).
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock

# python-markdown's admonition line (pymdownx.details' for `???`): a type, more words, a "title"
ADMONITION_LINE = re.compile(r'^(?:!!!|\?\?\?\+?) ?[\w-]+(?: +[\w-]+)*(?: +"[^"\n]*")? *$')
_TAB_LINE = re.compile(r'^={3}(?:!|\+|!\+|\+!)? +"(?P<title>[^"\n]*)" *$')
_DIV_OPEN = re.compile(r"^<div\b(?P<attributes>[^>]*)>\s*$", re.I)
_MARKDOWN_ATTRIBUTE = re.compile(
    r"""(?:^|\s)markdown(?:\s*=\s*(?:"(?:1|block|span)"|'(?:1|block|span)'|1|block|span))?(?=\s|/|$)""",
    re.I,
)
_CLASS = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_LIST_TYPES = {"upper-alpha": "A", "lower-alpha": "a", "upper-roman": "I", "lower-roman": "i"}


def mkdocs_plugin(md: MarkdownIt) -> None:
    """Admonitions, markdown divs and content tabs, read and rendered (see the module's docstring)."""
    from mdit_py_plugins.admon import admon_plugin
    from mdit_py_plugins.attrs import attrs_plugin

    md.use(admon_plugin, render=_render_admonition)
    md.use(attrs_plugin, after=("image", "link_close"))
    md.inline.ruler.before("escape", "math_inline_brackets", _math_inline)
    md.block.ruler.before("fence", "math_block_brackets", _math_block, {"alt": ["paragraph"]})
    md.block.ruler.at(
        "admonition", _admonition, {"alt": ["paragraph", "reference", "blockquote", "list"]}
    )
    md.block.ruler.before(
        "html_block",
        "markdown_div",
        _markdown_div,
        {"alt": ["paragraph", "reference", "blockquote"]},
    )
    md.block.ruler.before(
        "fence",
        "content_tab",
        _content_tab,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    for name in ("markdown_div_open", "markdown_div_close"):
        md.add_render_rule(name, lambda *_: "")
    for name in (
        "content_tab_open",
        "content_tab_close",
        "content_tab_title_open",
        "content_tab_title_close",
    ):
        md.add_render_rule(name, _render_tab)


def _math_inline(state, silent: bool) -> bool:
    """`\\( x \\)`: inline math, closed in the same inline text. An unclosed `\\(` is remembered,
    so later ones in the same text are not searched again (each search is one pass)."""
    src, pos = state.src, state.pos
    if not src.startswith("\\(", pos):
        return False
    unclosed = state.env.setdefault("cs_unclosed_math", {})
    if unclosed.get((id(src), len(src)), len(src) + 1) <= pos:
        return False
    close = src.find("\\)", pos + 2)
    if close < 0 or not src[pos + 2 : close].strip():
        if close < 0:
            unclosed[(id(src), len(src))] = pos
        return False
    if not silent:
        token = state.push("math_inline", "math", 0)
        token.content, token.markup = src[pos + 2 : close], "\\("
    state.pos = close + 2
    return True


# how many lines a `\\[` block may take before its `\\]` (past that it is text)
_MATH_LINES = 200


def _math_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """`\\[` opening a line, up to the line that ends with `\\]`: a math block."""
    if state.is_code_block(start) or not _line(state, start).startswith("\\["):
        return False
    closings = state.env.get("cs_math_closings")
    if closings is None or closings[0] is not state.src:  # lines ending with `\\]`, found once
        ends = [
            n
            for n in range(len(state.eMarks))
            if state.src[state.bMarks[n] : state.eMarks[n]].rstrip().endswith("\\]")
        ]
        closings = state.env["cs_math_closings"] = (state.src, ends)
    found = bisect_left(closings[1], start)
    if found == len(closings[1]):
        return False
    line = closings[1][found]
    if line >= min(end, start + _MATH_LINES):
        return False
    content = "\n".join(_line(state, n) for n in range(start, line + 1)).strip()[2:-2]
    if not content.strip():
        return False
    if not silent:
        token = state.push("math_block", "math", 0)
        token.block, token.map, token.markup = True, [start, line + 1], "\\["
        token.content = content.strip("\n")
    state.line = line + 1
    return True


def admonition_title(token) -> str:
    """An `admonition_open` token's title ("" for `!!! note ""`)."""
    return str(token.content or "")


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _admonition(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """mdit-py-plugins' admonition, for a first line python-markdown would read as one."""
    from mdit_py_plugins.admon.index import admonition

    if state.is_code_block(start) or not ADMONITION_LINE.match(_line(state, start)):
        return False
    return admonition(state, start, end, silent)


def _markdown_div(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """`<div markdown>` alone on its line, up to its own `</div>` alone on a line: Markdown between."""
    if state.is_code_block(start):
        return False
    opened = _DIV_OPEN.match(_line(state, start))
    if not opened or not _MARKDOWN_ATTRIBUTE.search(opened.group("attributes")):
        return False
    depth, close = 1, None
    for line in range(start + 1, end):
        text = _line(state, line)
        depth += len(re.findall(r"<div\b", text, re.I)) - len(re.findall(r"</div\s*>", text, re.I))
        if depth <= 0:
            close = line if re.fullmatch(r"</div\s*>\s*", text, re.I) else None
            break
    if close is None:
        return False  # unclosed, or closed inside a line: HTML, as markdown-it reads it
    if silent:
        return True
    old_parent, old_max = state.parentType, state.lineMax
    state.parentType, state.lineMax = "markdown_div", close
    token = state.push("markdown_div_open", "div", 1)
    token.block, token.map, token.markup = True, [start, close + 1], _line(state, start)
    classes = _CLASS.search(opened.group("attributes"))
    token.info = next((c for c in classes.groups() if c), "") if classes else ""
    first = len(state.tokens)
    state.md.block.tokenize(state, start + 1, close)
    list_type = next((t for c, t in _LIST_TYPES.items() if c in token.info.split()), None)
    for inner in state.tokens[first:]:
        if list_type and inner.type == "ordered_list_open" and inner.level == token.level + 1:
            inner.attrSet("type", list_type)
    token = state.push("markdown_div_close", "div", -1)
    token.block = True
    state.parentType, state.lineMax = old_parent, old_max
    state.line = close + 1
    return True


def _content_tab(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """`=== "Label"` and the lines indented under it."""
    if state.is_code_block(start):
        return False
    marker = _TAB_LINE.match(_line(state, start))
    if not marker:
        return False
    if silent:
        return True
    old_parent, old_max, old_indent = state.parentType, state.lineMax, state.blkIndent
    state.parentType = "content_tab"
    state.blkIndent = state.sCount[start] + 4
    line, blank = start + 1, False
    while line < end:  # the body: lines indented under the marker, blank lines between them
        empty = state.isEmpty(line)
        if empty and blank:
            break
        if not empty and state.sCount[line] < state.blkIndent:
            break
        blank = empty
        line += 1
    state.lineMax = line
    token = state.push("content_tab_open", "div", 1)
    token.block, token.map, token.markup = True, [start, line], "==="
    token = state.push("content_tab_title_open", "p", 1)
    token.map = [start, start + 1]
    token = state.push("inline", "", 0)
    token.content, token.map, token.children = marker.group("title"), [start, start + 1], []
    state.push("content_tab_title_close", "p", -1)
    state.md.block.tokenize(state, start + 1, line)
    token = state.push("content_tab_close", "div", -1)
    token.block = True
    state.parentType, state.lineMax, state.blkIndent = old_parent, old_max, old_indent
    state.line = line
    return True


def _render_admonition(self, tokens, index, options, env) -> str:
    token = tokens[index]
    if token.type == "admonition_open":
        kind = re.sub(r"[^a-z0-9-]", "", str(token.meta.get("tag", "")).lower()) or "note"
        return f'<div class="markdown-alert markdown-alert-{kind}">\n'
    if token.type == "admonition_title_open":
        return '<p class="markdown-alert-title">'
    if token.type == "admonition_title_close":
        return "</p>\n"
    return "</div>\n"


def _render_tab(self, tokens, index, options, env) -> str:
    kind = tokens[index].type
    if kind == "content_tab_open":
        return '<div class="markdown-alert markdown-alert-tab">\n'
    if kind == "content_tab_title_open":
        return '<p class="markdown-alert-title">'
    if kind == "content_tab_title_close":
        return "</p>\n"
    return "</div>\n"


_CONTAINERS = {"admonition_open", "content_tab_open", "markdown_div_open"}
_MAY_HOLD = re.compile(r"^\s*(?:!!!|\?\?\?|===)|<div\b[^>]*\smarkdown", re.M | re.I)


def _may_hold(markdown: str) -> bool:
    """Whether `_MAY_HOLD` may match: each of its ways needs one of these (most answers hold none,
    and a test of each is quicker than the expression's search)."""
    return "!!!" in markdown or "???" in markdown or "===" in markdown or "<" in markdown


def portable(markdown: str) -> str:
    """Markdown with its mkdocs containers written as any Markdown reader shows them: an admonition
    or a tab as the HTML box GitHub's alerts are (`<div class="markdown-alert markdown-alert-note">`,
    its title a `<p class="markdown-alert-title">`, its body Markdown between blank lines), as
    Obsidian's callouts are read; a markdown div as its content. What the model holds is then
    CommonMark and GitHub's HTML, on every card and in the JSON and CSV."""
    if not _may_hold(markdown) or not _MAY_HOLD.search(markdown):
        return markdown
    md = _portable_parser()
    tokens = md.parse(markdown)
    lines = markdown.split("\n")
    out: list[str] = []
    line = 0
    depth = 0  # containers open: only the outermost are rewritten here (their bodies recursively)
    for token in tokens:
        if token.type in _CONTAINERS:
            depth += 1
            if depth > 1 or not token.map:
                continue
            start, end = token.map
            out += lines[line:start]
            marker = lines[start]
            indent = marker[: len(marker) - len(marker.lstrip(" "))]
            if token.type == "markdown_div_open":
                inner = lines[start + 1 : end - 1]
                out += _reindented(portable(_dedented(inner, len(indent))), indent)
            else:
                title = str(token.content or "") if token.type == "admonition_open" else ""
                kind = "tab"
                if token.type == "admonition_open":
                    kind = (
                        re.sub(r"[^a-z0-9-]", "", str(token.meta.get("tag", "")).lower()) or "note"
                    )
                else:
                    title = _TAB_LINE.match(marker.strip()).group("title")  # type: ignore[union-attr]
                body = lines[start + 1 : end]
                trailing = len(body) - len(_stripped_end(body))
                inner = portable(_dedented(_stripped_end(body), len(indent) + 4)).strip("\n")
                out.append(f'{indent}<div class="markdown-alert markdown-alert-{kind}">')
                if title.strip():
                    heading = md.renderInline(title).strip()
                    out.append(f'{indent}<p class="markdown-alert-title">{heading}</p>')
                out += ["", *_reindented(inner, indent), "", f"{indent}</div>"]
                out += [""] * trailing
            line = end
        elif token.type in {t.replace("_open", "_close") for t in _CONTAINERS}:
            depth -= 1
    out += lines[line:]
    return "\n".join(out)


@functools.cache
def _portable_parser():
    from cardsmith.text.markdown import configured

    md = configured(autolinks=False)
    md.disable("front_matter")
    return md


def _stripped_end(lines: list[str]) -> list[str]:
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    return lines[:end]


def _dedented(lines: list[str], columns: int) -> str:
    return "\n".join(line[min(columns, len(line) - len(line.lstrip(" "))) :] for line in lines)


def _reindented(text: str, indent: str) -> list[str]:
    return [f"{indent}{line}" if line.strip() else "" for line in text.split("\n")]
