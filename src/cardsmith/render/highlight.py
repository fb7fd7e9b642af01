"""Code blocks in colour: Pygments' lexers, the styles of each target and their CSS.

Cards and the study page show code in a day and a night style (both WCAG AA, 4.5:1); paper in a
grayscale one. Only the distinctions a style draws are marked: every span is an inline box for
WeasyPrint to lay out.
"""

from __future__ import annotations

import functools
import html

from cardsmith.render.lexing import dispatched
from cardsmith.render.target import Target

CARD_STYLE = "xcode"  # Pygments styles for code on cards, day and night: both WCAG AA (4.5:1)
CARD_NIGHT_STYLE = "github-dark"


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


def highlight(target: Target, code: str, lang: str, _attrs: str) -> str:
    """A fenced code block in `target`'s colours (markdown-it's `highlight` option), or "" for a
    language Pygments does not know (markdown-it then writes the block plain)."""
    from pygments import format as format_tokens
    from pygments.formatters import HtmlFormatter

    lexer = _lexer(lang.split()[0]) if lang.strip() else None
    if lexer is None:
        return ""
    try:
        tokens = _visible_tokens(lexer.get_tokens(code), _marks(target))
        spans = format_tokens(tokens, _formatter(HtmlFormatter))
    except Exception:  # a lexer is third-party code run on the author's text: show the code plain
        return ""
    return f'<pre class="highlight"><code class="language-{html.escape(lang)}">{spans}</code></pre>'


def _visible_tokens(tokens, marks: _Marks):
    """Pygments tokens with only the distinctions a reader can see (`_Marks`): a token drawn as plain
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
        kind = marks[kind]
        if blanks:
            joined = "".join(blanks)
            yield (kind if kind == previous and "\n" not in joined else Text), joined
            blanks = []
        previous = kind
        yield kind, value
    if blanks:
        yield Text, "".join(blanks)


@functools.cache
def _marks(target: Target) -> _Marks:
    return _Marks(_styles(target))


class _Marks:
    """How the styles of a target draw each token type. `marks[kind]` is the token type to mark
    `kind` with: `Text` (no mark) when every style draws it as plain text, else one type for all the
    types that every style draws alike (a string's quotes, escapes and interpolations are one run)."""

    def __init__(self, styles):
        from pygments.token import STANDARD_TYPES, Text

        self._styles = styles
        self._by_drawing = {self._drawing(Text): Text}
        # the same choice every run: the most general type (Keyword before Keyword.Declaration)
        for kind in sorted(STANDARD_TYPES, key=lambda kind: (len(kind), kind)):
            self._by_drawing.setdefault(self._drawing(kind), kind)
        self._known: dict = {}

    def _drawing(self, kind) -> tuple:
        return tuple(tuple(sorted(drawn(style, kind).items())) for style in self._styles)

    def __getitem__(self, kind):
        if kind not in self._known:
            self._known[kind] = self._by_drawing.setdefault(self._drawing(kind), kind)
        return self._known[kind]


def drawn(style, kind) -> dict:
    """How `style` draws a token type: as its nearest type the style knows. A lexer may make token
    types of its own (YAML's `Token.Literal.Scalar.Plain`) that no style lists; Pygments' own
    formatter draws them as their parent type, and so does this."""
    while not style.styles_token(kind) and kind.parent is not None:
        kind = kind.parent
    return style.style_for_token(kind)


@functools.lru_cache(maxsize=64)
def _lexer(name: str):
    """Pygments lexer for a fence's language, or None; looking one up costs more than using it. A
    regex lexer tries at each place only the rules that may match there (`render.lexing`)."""
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return dispatched(get_lexer_by_name(name))
    except ClassNotFound:
        return None


@functools.cache
def _formatter(cls):
    return cls(nowrap=True)
