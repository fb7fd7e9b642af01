"""Markdown to HTML for every exporter: one configured MarkdownIt, one highlighter, one escaper.

Two targets differ only in how math is written: `CARD` hands `\\(..\\)`/`\\[..\\]` to Anki's MathJax;
`PRINT` turns LaTeX into MathML, which the PDF templates style (WeasyPrint has no MathJax).
Raw HTML in the Markdown renders, sanitised to a safe presentational subset (`cardsmith.render.sanitize`)
unless the deck opts in to trusting it; markdown-it's own link validation drops `javascript:`,
`vbscript:` and `file:` URLs in Markdown links.
"""

from __future__ import annotations

import enum
import functools
import html
import re
from collections.abc import Mapping

from cardsmith.model import Choice, Question
from cardsmith.render.mathml import latex_to_mathml
from cardsmith.render.sanitize import sanitize
from cardsmith.text.images import image_attributes
from cardsmith.text.markdown import configured, may_autolink
from cardsmith.text.scripts import direction


class Target(enum.StrEnum):
    """Where rendered HTML is shown: an Anki card (MathJax, day and night code colours), paper
    (MathML, grayscale code) or the study page (MathML, day and night code colours)."""

    CARD = "card"
    PRINT = "print"
    PAGE = "page"


CARD_STYLE = "xcode"  # Pygments styles for code on cards, day and night: both WCAG AA (4.5:1)
CARD_NIGHT_STYLE = "github-dark"


class Renders(dict):
    """Renders kept for the exporters of one deck, which ask for the same HTML (the .apkg and the
    Anki CSV; the cheat sheet and the flashcards): given as `memo`, each is made once. The build
    makes one per export task and hands it to every exporter of the task."""


def to_html(
    markdown: str,
    *,
    allow_html: bool = False,
    target: Target = Target.CARD,
    images: Mapping[str, str] | None = None,
    memo: Renders | None = None,
) -> str:
    """Render author Markdown. `images` maps each `src` as written to the URL the output uses;
    an image missing from it (a remote URL) becomes a plain link and is never fetched."""
    return _render(False, markdown, allow_html, target, images, memo)


def to_inline_html(
    markdown: str,
    *,
    allow_html: bool = False,
    target: Target = Target.CARD,
    images: Mapping[str, str] | None = None,
    memo: Renders | None = None,
) -> str:
    """Like `to_html` for a prompt: inline Markdown, as it was in its heading or bold line (so
    `1)` or `>` at its start is text, not a list or a quote), without a surrounding `<p>`."""
    return _render(True, markdown, allow_html, target, images, memo)


def choices_html(
    choices: tuple[Choice, ...],
    *,
    correct_only: bool = False,
    mark_right: bool = False,
    allow_html: bool = False,
    target: Target = Target.CARD,
    images: Mapping[str, str] | None = None,
    memo: Renders | None = None,
) -> str:
    """A quiz's options as a list: all of them (a question side; with `mark_right` the right ones
    are marked ✓, as on the cheat sheet), or only the right ones, marked (an answer side)."""
    if not choices:
        return ""
    items = []
    for choice in choices:
        if correct_only and not choice.correct:
            continue
        settings = {"allow_html": allow_html, "target": target, "images": images, "memo": memo}
        if "\n" in choice.text:  # an option with its own code block or image: blocks
            text = _after_label(to_html(choice.text, **settings), choice.label)
        else:
            text = to_inline_html(choice.text, **settings)
        mark = choice.correct and (correct_only or mark_right)
        tick = '<span class="cs-mark">✓</span> ' if mark else ""
        label = f'<span class="cs-label">{html.escape(choice.label)}</span>'
        items.append(
            f'<li class="cs-choice{" cs-correct" if mark else ""}">{tick}{label} {text}</li>'
        )
    return f'<ol class="cs-choices">{"".join(items)}</ol>'


def question_html(
    question: Question,
    *,
    allow_html: bool = False,
    target: Target = Target.CARD,
    images: Mapping[str, str] | None = None,
    memo: Renders | None = None,
) -> tuple[str, str]:
    """A question's two sides as HTML, as a card or the study page shows them: the prompt with its
    front (code shown with it) and a quiz's options; the right options marked, then the answer."""
    options = {"allow_html": allow_html, "target": target, "images": images, "memo": memo}
    prompt = to_inline_html(question.prompt, **options)
    if question.front:
        prompt += f'<div class="cs-front">{to_html(question.front, **options)}</div>'
    prompt += choices_html(question.choices, **options)
    answer = choices_html(question.choices, correct_only=True, **options)
    answer += to_html(question.answer, **options) if question.answer else ""
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


def _render(
    inline: bool,
    markdown: str,
    allow_html: bool,
    target: Target,
    images: Mapping[str, str] | None,
    memo: Renders | None,
) -> str:
    key = (inline, markdown, allow_html, target, tuple(sorted(images.items())) if images else ())
    if memo is not None and (rendered := memo.get(key)) is not None:
        return rendered
    md = _markdown(allow_html, target, may_autolink(markdown))
    env = {"images": images or {}, "raw_html": False, "rtl": bool(_RTL.search(markdown))}
    rendered = (md.renderInline(markdown, env) if inline else md.render(markdown, env)).strip()
    if env["raw_html"] and not allow_html:
        local = frozenset(images.values()) if images else frozenset()
        rendered = sanitize(rendered, mathml=target is not Target.CARD, local=local)
        rendered = _EMPTY_LINK.sub(_shown_link, rendered)
    if memo is not None:
        memo[key] = rendered
    return rendered


def to_text(markdown: str) -> str:
    """Plain text for search and CSV readers that want no markup: inline marks dropped."""
    tokens = _markdown(False, Target.CARD, False).parse(markdown)
    parts: list[str] = []
    for token in tokens:
        if token.type == "inline":
            parts.append("".join(c.content for c in token.children or () if c.content))
        elif token.type in ("fence", "code_block", "math_block"):
            parts.append(token.content.rstrip("\n"))
    return "\n".join(parts)


@functools.cache
def highlight_css(target: Target) -> str:
    """Pygments colours for code blocks; cards get a night-mode palette under Anki's classes."""
    from pygments.formatters import HtmlFormatter

    if target is Target.PRINT:
        return HtmlFormatter(style=_print_style()).get_style_defs(".highlight")
    light, night = _styles(target)
    day_css = HtmlFormatter(style=light).get_style_defs(".highlight")
    if target is Target.PAGE:  # the page follows the system's light or dark
        night_css = HtmlFormatter(style=night).get_style_defs(".highlight")
        return f"{day_css}\n@media screen and (prefers-color-scheme: dark) {{\n{night_css}\n}}"
    night_css = HtmlFormatter(style=night).get_style_defs(
        [".nightMode .highlight", ".night_mode .highlight"]
    )
    return f"{day_css}\n{night_css}"


def _styles(target: Target) -> tuple:
    """The Pygments styles code is shown in: on paper one, on cards the day's and the night's."""
    if target is Target.PRINT:
        return (_print_style(),)
    from pygments.styles import get_style_by_name

    return get_style_by_name(CARD_STYLE), get_style_by_name(CARD_NIGHT_STYLE)


@functools.cache
def _print_style():
    """Code on paper, in grayscale: keywords bold, comments italic, strings grey, the rest as text.
    Each distinction is an inline box for WeasyPrint to lay out: a README's code-heavy cheat sheet
    took a fifth longer with numbers, operators and built-ins set apart too (in shades of grey that
    paper hardly shows)."""
    from typing import ClassVar

    from pygments.style import Style
    from pygments.token import Comment, Generic, Keyword, Operator, String

    class PrintStyle(Style):
        name = "cardsmith-print"
        background_color = "#f4f4f4"
        styles: ClassVar[dict] = {
            Comment: "italic #6b6b6b",
            Keyword: "bold",
            Operator.Word: "bold",
            String: "#555555",
            Generic.Heading: "bold",
            Generic.Subheading: "bold",
            Generic.Deleted: "#6b6b6b",
            Generic.Inserted: "bold",
            Generic.Emph: "italic",
            Generic.Strong: "bold",
            Generic.Prompt: "bold",
            Generic.Output: "#6b6b6b",
        }

    return PrintStyle


def _highlight(target: Target, code: str, lang: str, _attrs: str) -> str:
    from pygments import format as format_tokens
    from pygments.formatters import HtmlFormatter

    lexer = _lexer(lang.split()[0]) if lang.strip() else None
    if lexer is None:
        return ""
    tokens = _visible_tokens(lexer.get_tokens(code), _looks(target))
    spans = format_tokens(tokens, _formatter(HtmlFormatter))
    return f'<pre class="highlight"><code class="language-{html.escape(lang)}">{spans}</code></pre>'


def _visible_tokens(tokens, looks: _Looks):
    """Pygments tokens with only the distinctions a reader can see (`_Looks`): a token drawn as plain
    text becomes plain text (no span), tokens drawn alike are one kind, and blanks between two tokens
    of one kind join them (a space has no colour), so the formatter's runs of one kind come out as
    one span. Half of a highlighted block's spans drew nothing (`<span class="w"> </span>`,
    punctuation, plain names), and every span is an inline box WeasyPrint lays out: a README's
    code-heavy cheat sheet took a third longer."""
    from pygments.token import Text

    previous, blanks = Text, []
    for kind, value in tokens:
        if value.isspace():
            blanks.append(value)
            continue
        kind = looks[kind]
        if blanks:
            joined = "".join(blanks)
            yield (kind if kind == previous and "\n" not in joined else Text), joined
            blanks = []
        previous = kind
        yield kind, value
    if blanks:
        yield Text, "".join(blanks)


@functools.cache
def _looks(target: Target) -> _Looks:
    return _Looks(_styles(target))


class _Looks:
    """How the styles of a target draw each token type. `looks[kind]` is the token type to mark
    `kind` with: `Text` (no mark) when every style draws it as plain text, else one type for all the
    types that every style draws alike (a string's quotes, escapes and interpolations are one run)."""

    def __init__(self, styles):
        from pygments.token import STANDARD_TYPES, Text

        self._styles = styles
        self._by_look = {self._look(Text): Text}
        # the same choice every run: the most general type (Keyword before Keyword.Declaration)
        for kind in sorted(STANDARD_TYPES, key=lambda kind: (len(kind), kind)):
            self._by_look.setdefault(self._look(kind), kind)
        self._known: dict = {}

    def _look(self, kind) -> tuple:
        return tuple(tuple(sorted(style.style_for_token(kind).items())) for style in self._styles)

    def __getitem__(self, kind):
        if kind not in self._known:
            self._known[kind] = self._by_look.setdefault(self._look(kind), kind)
        return self._known[kind]


@functools.lru_cache(maxsize=64)
def _lexer(name: str):
    """Pygments lexer for a fence's language, or None; looking one up costs more than using it."""
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(name)
    except ClassNotFound:
        return None


@functools.cache
def _formatter(cls):
    return cls(nowrap=True)


@functools.cache
def _markdown(allow_html: bool, target: Target, autolinks: bool = False):
    """The shared Markdown configuration (`cardsmith.text.markdown`) with the renderer's rules. Raw HTML
    is always read as HTML; `_render` sanitises what it renders unless the deck is trusted."""
    md = configured(autolinks)
    md.options["highlight"] = functools.partial(_highlight, target)
    md.disable("front_matter")  # an answer that starts with `---` is a rule, not metadata
    if target is Target.CARD:
        md.add_render_rule("math_inline", _mathjax_inline)
        md.add_render_rule("math_inline_double", _mathjax_block)
        md.add_render_rule("math_block", _mathjax_block)
    else:
        md.add_render_rule("math_inline", _mathml_inline)
        md.add_render_rule("math_inline_double", _mathml_block)
        md.add_render_rule("math_block", _mathml_block)
    md.add_render_rule("image", _image)
    md.core.ruler.push("cs_direction", _mark_right_to_left)
    md.add_render_rule("html_block", _raw_html)
    md.add_render_rule("html_inline", _raw_html)
    return md


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


def direction_of_inline(inline) -> str:
    """The direction of an inline token's text, code spans aside (`print()` in Arabic is Arabic)."""
    return direction("".join(c.content for c in inline.children or () if c.type == "text"))


def direction_of(markdown: str) -> str:
    """The direction of some inline Markdown (a prompt), code spans aside."""
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
            return f'<a class="remote-image" href="{html.escape(src)}">[image: {alt or html.escape(src)}]</a>'
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
        return f'<a class="remote-image" href="{html.escape(src)}">[image: {alt or src}]</a>'
    title = token.attrGet("title")
    title_attr = f' title="{html.escape(str(title))}"' if title else ""
    return f'<img src="{html.escape(url)}" alt="{alt}"{title_attr}>'
