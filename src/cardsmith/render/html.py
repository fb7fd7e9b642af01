"""Markdown to HTML: the renderer's markdown-it setup (one per target) and the calls exporters make.

Raw HTML in the Markdown renders, sanitised to a safe presentational subset (`render.sanitize`) unless
the deck opts in to trusting it; markdown-it's own link validation drops `javascript:`, `vbscript:` and
`file:` URLs in Markdown links. Images point where the `Rendering` says; a block of right-to-left text
is marked so.
"""

from __future__ import annotations

import functools
import html
import re
import types
from collections.abc import Mapping, Sequence

from cardsmith.model import Choice, Deck, Question
from cardsmith.render.highlight import highlight
from cardsmith.render.mathml import latex_to_mathml
from cardsmith.render.sanitize import sanitize
from cardsmith.render.target import Rendering, Renders, Target
from cardsmith.text.images import file_name, image_attributes, is_remote
from cardsmith.text.markdown import configured, may_autolink
from cardsmith.text.scripts import direction

_DEFAULT = Rendering()  # a card's, without images or memo


def to_html(markdown: str, rendering: Rendering = _DEFAULT) -> str:
    """Render author Markdown (see `Rendering` for its images, raw HTML and memo)."""
    return _render(False, markdown, rendering)


def to_inline_html(markdown: str, rendering: Rendering = _DEFAULT) -> str:
    """Like `to_html` for a prompt: inline Markdown, as it was in its heading or bold line (so
    `1)` or `>` at its start is text, not a list or a quote), without a surrounding `<p>`."""
    return _render(True, markdown, rendering)


def choices_html(
    choices: tuple[Choice, ...],
    rendering: Rendering,
    *,
    correct_only: bool = False,
    mark_right: bool = False,
) -> str:
    """A quiz's options as a list: all of them (a question side; with `mark_right` the right ones
    are marked ✓, as on the cheat sheet), or only the right ones, marked (an answer side)."""
    if not choices:
        return ""
    items = []
    for choice in choices:
        if correct_only and not choice.correct:
            continue
        if "\n" in choice.text:  # an option with its own code block or image: blocks
            text = _after_label(to_html(choice.text, rendering), choice.label)
        else:
            text = to_inline_html(choice.text, rendering)
        mark = choice.correct and (correct_only or mark_right)
        tick = '<span class="cs-mark">✓</span> ' if mark else ""
        label = f'<span class="cs-label">{html.escape(choice.label)}</span>'
        items.append(
            f'<li class="cs-choice{" cs-correct" if mark else ""}">{tick}{label} {text}</li>'
        )
    return f'<ol class="cs-choices">{"".join(items)}</ol>'


def question_html(question: Question, rendering: Rendering) -> tuple[str, str]:
    """A question's two sides as HTML, as a card or the study page shows them: the prompt with its
    front (code shown with it) and a quiz's options; the right options marked, then the answer."""
    prompt = to_inline_html(question.prompt, rendering)
    if question.front:
        prompt += f'<div class="cs-front">{to_html(question.front, rendering)}</div>'
    prompt += choices_html(question.choices, rendering)
    answer = choices_html(question.choices, rendering, correct_only=True)
    answer += to_html(question.answer, rendering) if question.answer else ""
    return prompt, answer


# a cloze deletion, in Markdown or rendered: {{c1::text}} or {{c1::text::hint}}
_CLOZE_DELETION = re.compile(r"\{\{c\d+::(.*?)(?:::(.*?))?\}\}", re.S)


def cloze_html(rendered: str, *, blank: bool) -> str:
    """Cloze deletions in rendered HTML as a reader sees them where Anki does not render them (the
    study page, paper): on the question side a blank (`[…]`, or the hint), else the text, marked."""
    if blank:
        return _CLOZE_DELETION.sub(
            lambda m: f'<span class="cloze">[{m.group(2) or "…"}]</span>', rendered
        )
    return _CLOZE_DELETION.sub(r'<span class="cloze">\1</span>', rendered)


def cloze_text(text: str) -> str:
    """A cloze prompt's plain text with its deletions filled in."""
    return _CLOZE_DELETION.sub(r"\1", text)


def _after_label(rendered: str, label: str) -> str:
    """Block HTML to follow an option's label: its first paragraph on the label's line, and dropped
    when it only repeats the label (`- [ ] A` above a code block)."""
    match = re.match(r"<p>(.*?)</p>\s*", rendered, re.S)
    if not match:
        return rendered
    first = match.group(1)
    if re.sub(r"<[^>]+>|[\s.:)]", "", first).upper() == label.upper():
        first = ""
    return f"{first}{rendered[match.end() :]}"


def _render(inline: bool, markdown: str, rendering: Rendering) -> str:
    memo = rendering.memo
    key = Renders.key(inline, markdown, rendering)
    if memo is not None and (rendered := memo.get(key)) is not None:
        return rendered
    md = _markdown(rendering.target, may_autolink(markdown))
    if inline and _plain(md, markdown):  # no raw HTML in it to sanitise (`_finished`)
        from markdown_it.common.utils import escapeHtml

        rendered = escapeHtml(markdown).strip()
    else:
        env = _env(markdown, rendering)
        rendered = (md.renderInline(markdown, env) if inline else md.render(markdown, env)).strip()
        rendered = _finished(rendered, env, rendering)
    if memo is not None:
        memo[key] = rendered
    return rendered


def _plain(md, markdown: str) -> bool:
    """Whether inline Markdown is plain text, which markdown-it renders as its escaped self: no
    character an inline rule reacts to (`text.markdown._plain_text_first`), no bare URL, nothing
    its normalising changes. Most prompts are such; each was parsed and rendered like any other."""
    return (
        md.inline.terminator_re.search(markdown) is None
        and not may_autolink(markdown)
        and "\r" not in markdown
        and "\0" not in markdown
    )


def _env(markdown: str, rendering: Rendering) -> dict:
    return {"images": rendering.images, "raw_html": False, "rtl": bool(_RTL.search(markdown))}


def _finished(rendered: str, env: dict, rendering: Rendering) -> str:
    """Rendered HTML as shown: raw HTML in it sanitised unless the deck trusts it."""
    if env["raw_html"] and not rendering.allow_html:
        local = frozenset(rendering.images.values())
        rendered = sanitize(rendered, mathml=rendering.target.mathml, local=local)
        rendered = _EMPTY_LINK.sub(_shown_link, rendered)
    return rendered


def render_ahead(
    deck: Deck, parsed: Mapping[str, list], targets: Sequence[Target], memo: Renders
) -> None:
    """Put in `memo` what `to_html` gives for each answer (and front) of `deck` for each of `targets`,
    each parsed once: from `parsed`, its block tokens (a slice of its file's, `reading.bank`), else
    parsed here, once for every target. Questions with images are left to `to_html` (each format
    points them elsewhere), as is Markdown that defines its own link references or footnotes."""
    renderings = [Rendering.of(deck, target, memo) for target in targets]
    if not renderings:
        return
    for question in deck.questions:
        if question.images:
            continue
        for markdown in (question.answer, question.front):
            if not markdown or Renders.key(False, markdown, renderings[0]) in memo:
                continue
            blocks = parsed.get(markdown)
            if blocks is None:
                env: dict = {}
                blocks = _blocks().parse(markdown, env)
                if env:  # references or footnotes of its own: left to `to_html`
                    continue
            for index, rendering in enumerate(renderings):
                last = index == len(renderings) - 1
                memo[Renders.key(False, markdown, rendering)] = _render_blocks(
                    markdown, blocks if last else [_copy(t) for t in blocks], rendering
                )


def _render_blocks(markdown: str, blocks: list, rendering: Rendering) -> str:
    """`to_html(markdown, rendering)` from its block tokens (used up: they are changed in place)."""
    from markdown_it.rules_core import StateCore

    md = _markdown(rendering.target, may_autolink(markdown))
    env = _env(markdown, rendering)
    for token in blocks:
        if token.type == "inline":
            token.children = None  # the inline pass, as `md` has it, is done here
    state = StateCore(markdown, md, env, blocks)
    for rule in _after_block(md):
        rule(state)
    return _finished(md.renderer.render(state.tokens, md.options, env).strip(), env, rendering)


@functools.cache
def _after_block(md) -> list:
    """The core rules `md` runs on a parse's block tokens: all but normalising the text and the
    block pass, which made them."""
    names = md.core.ruler.get_active_rules()
    rules = md.core.ruler.getRules("")
    return [rule for name, rule in zip(names, rules, strict=True) if name not in _BLOCK_PASS]


_BLOCK_PASS = {"normalize", "block"}


@functools.cache
def _blocks():
    """A parser of the renderer's blocks (`_markdown`'s block rules), without the inline pass."""
    md = configured(False)
    md.disable("front_matter")
    md.core.ruler.enableOnly(list(_BLOCK_PASS))
    return md


def _copy(token):
    """A token to change without changing `token`: its attributes, metadata and children its own."""
    return token.copy(attrs=dict(token.attrs), meta=dict(token.meta), children=None)


def to_text(markdown: str) -> str:
    """Plain text for search and CSV readers that want no markup: inline marks dropped."""
    tokens = _markdown(Target.CARD, False).parse(markdown)
    parts: list[str] = []
    for token in tokens:
        if token.type == "inline":
            parts.append("".join(c.content for c in token.children or () if c.content))
        elif token.type in ("fence", "code_block", "math_block"):
            parts.append(token.content.rstrip("\n"))
    return "\n".join(parts)


@functools.cache
def _markdown(target: Target, autolinks: bool = False):
    """The shared Markdown configuration (`cardsmith.text.markdown`) with the renderer's rules for
    `target`, made once (and once more with bare-URL links, for text that may have them). Raw HTML is
    always read as HTML; `_render` sanitises what it renders unless the deck is trusted."""
    md = configured(autolinks)
    md.options["highlight"] = functools.partial(highlight, target)
    md.disable("front_matter")  # an answer that starts with `---` is a rule, not metadata
    if target.mathml:
        md.add_render_rule("math_inline", _mathml_inline)
        md.add_render_rule("math_inline_double", _mathml_block)
        md.add_render_rule("math_block", _mathml_block)
    else:
        md.add_render_rule("math_inline", _mathjax_inline)
        md.add_render_rule("math_inline_double", _mathjax_block)
        md.add_render_rule("math_block", _mathjax_block)
    md.add_render_rule("image", _image)
    md.core.ruler.push("cs_direction", _mark_right_to_left)
    if target is Target.PRINT:
        md.core.ruler.push("cs_column_widths", _column_widths)
    md.add_render_rule("html_block", _raw_html)
    md.add_render_rule("html_inline", _raw_html)
    md.renderer.renderToken = types.MethodType(_render_token, md.renderer)
    return md


def _render_token(self, tokens, idx, options, env) -> str:
    """markdown-it's `RendererHTML.renderToken` (a tag of a token with no rule of its own: `<p>`,
    `</li>`), its attributes rendered only when it has some. Most tokens have none, and listing
    them (`Token.attrItems`) and joining nothing was a fifth of rendering the bench's answers
    beside their code."""
    token = tokens[idx]
    if token.hidden:  # a tight list's paragraph
        return ""
    nesting = token.nesting
    # a newline between a hidden paragraph and an opening block tag that follows it
    result = "\n<" if token.block and nesting != -1 and idx and tokens[idx - 1].hidden else "<"
    result += token.tag if nesting != -1 else "/" + token.tag
    if token.attrs:
        result += self.renderAttrs(token)
    if nesting == 0 and options["xhtmlOut"]:
        result += " /"
    if not token.block:
        return result + ">"
    if nesting == 1 and idx + 1 < len(tokens):
        following = tokens[idx + 1]
        if following.type == "inline" or following.hidden:  # a block tag around inline text
            return result + ">"
        if following.nesting == -1 and following.tag == token.tag:  # an empty one: `<li></li>`
            return result + ">"
    return result + ">\n"


# Hebrew, Arabic (and Syriac, Thaana, N'Ko), their presentation forms
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_BLOCKS = {
    "paragraph_open",
    "heading_open",
    "th_open",
    "td_open",
    "bullet_list_open",
    "ordered_list_open",
    "blockquote_open",
}


def _mark_right_to_left(state) -> None:
    """`dir="rtl"` on each block whose text begins right to left (what `dir="auto"` does in a
    browser and WeasyPrint does not): its lines then run and align from the right."""
    if not state.env.get("rtl"):
        return  # most text: nothing to look at
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type not in _BLOCKS:
            continue
        inline = next((t for t in tokens[index + 1 :] if t.type == "inline"), None)
        if inline is not None and direction_of_inline(inline) == "rtl":
            token.attrSet("dir", "rtl")


# a column's share of a printed table: its longest cell's characters, within these bounds (one long
# cell should not squeeze the others to a letter a line)
_COLUMN_CHARACTERS = (3, 30)


def _column_widths(state) -> None:
    """On paper, each column of a table gets a share of the width from its longest cell's text, set
    on its header cell. The cheat sheet lays tables out with those widths (`table-layout: fixed`)
    instead of measuring every cell's narrowest and widest layout first: a quarter of the layouts
    of a README-like bank's cheat sheet. The flashcards ignore them (`flashcards.css`)."""
    tokens = state.tokens
    low, high = _COLUMN_CHARACTERS
    header: list = []
    widths: list[int] = []
    column = 0
    for index, token in enumerate(tokens):
        if token.type == "table_open":
            header, widths = [], []
        elif token.type == "tr_open":
            column = 0
        elif token.type in ("th_open", "td_open"):
            inline = tokens[index + 1]
            size = min(max(len(inline.content), low), high) if inline.type == "inline" else low
            if column == len(widths):
                widths.append(size)
            widths[column] = max(widths[column], size)
            if token.type == "th_open":
                header.append(token)
            column += 1
        elif token.type == "table_close":
            total = sum(widths)
            for cell, width in zip(header, widths, strict=False):
                style = cell.attrGet("style")
                share = f"width:{100 * width / total:.1f}%"
                cell.attrSet("style", f"{style};{share}" if style else share)


def direction_of_inline(inline) -> str:
    """The direction of an inline token's text, code spans aside (`print()` in Arabic is Arabic)."""
    return direction("".join(c.content for c in inline.children or () if c.type == "text"))


def direction_of(markdown: str) -> str:
    """The direction of some inline Markdown (a prompt), code spans aside."""
    if markdown.isascii():  # no ASCII character runs right to left
        return "ltr"
    return direction(re.sub(r"`[^`]*`", "", markdown))


def _raw_html(self, tokens, idx, options, env) -> str:
    """An author's HTML, its `<img>` pointing where the Markdown images point; noted, so that the
    fragment is sanitised."""
    env["raw_html"] = True
    return _with_images(tokens[idx].content, env.get("images", {}))


_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


# a link left with nothing to click: `<a href><img remote></a>` (the image became a link of its own,
# and a link cannot hold a link, so HTML parsing closed the outer one, empty)
_EMPTY_LINK = re.compile(r'<a\b([^>]*\bhref="([^"]*)"[^>]*)>\s*</a>')


def _shown_link(match: re.Match) -> str:
    return f"<a{match.group(1)}>{match.group(2)}</a>"


def _with_images(fragment: str, images: Mapping[str, str]) -> str:
    """Each `<img src>` in raw HTML goes where the same image in Markdown would: its media name or
    file URL, or, when it is remote, a link (never fetched)."""

    def replace(match: re.Match) -> str:
        attributes = image_attributes(match.group(0))
        src = attributes.get("src", "")
        url = images.get(src)
        alt = html.escape(attributes.get("alt", ""))
        if url is None:
            return _unshown(src, alt)
        kept = "".join(
            f' {name}="{html.escape(attributes[name])}"'
            for name in ("alt", "title", "width", "height", "align", "class", "style")
            if name in attributes
        )
        return f'<img src="{html.escape(url)}"{kept}>'

    return _IMG_TAG.sub(replace, fragment)


def _mathjax_inline(self, tokens, idx, options, env) -> str:
    return f"\\({html.escape(tokens[idx].content, quote=False)}\\)"


def _mathjax_block(self, tokens, idx, options, env) -> str:
    return f'<div class="math">\\[{html.escape(tokens[idx].content, quote=False)}\\]</div>\n'


def _mathml_inline(self, tokens, idx, options, env) -> str:
    return latex_to_mathml(tokens[idx].content, "inline")


def _mathml_block(self, tokens, idx, options, env) -> str:
    return f'<div class="math">{latex_to_mathml(tokens[idx].content, "block")}</div>\n'


def _image(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = html.escape(self.renderInlineAsText(token.children or [], options, env))
    url = env.get("images", {}).get(src)
    if url is None:
        return _unshown(src, alt)
    title = token.attrGet("title")
    title_attr = f' title="{html.escape(str(title))}"' if title else ""
    return f'<img src="{html.escape(url)}" alt="{alt}"{title_attr}>'


def _unshown(src: str, alt: str) -> str:
    """An image not shown: a remote one as a link to it (never fetched); a local file that is not
    there (a warning when read) as its alt text, else its file name, marked as missing. `alt` is
    already escaped."""
    if is_remote(src):
        return f'<a class="remote-image" href="{html.escape(src)}">[image: {alt or html.escape(src)}]</a>'
    shown = alt or html.escape(file_name(src))
    return f'<span class="missing-image" title="image not found">[missing image: {shown}]</span>'
