"""Markdown to HTML as every exporter sees it."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cardsmith.render import Rendering, Renders, Target, to_html, to_inline_html


@pytest.mark.parametrize(
    ("prompt", "html"),
    [
        # a prompt was inline text in its heading or bold line: no list, quote or paragraph
        ("> not a quote?", "&gt; not a quote?"),
        ("1) Not a list?", "1) Not a list?"),
        ("Use `a|b` **now**?", "Use <code>a|b</code> <strong>now</strong>?"),
        ("What is $x^2$?", "What is \\(x^2\\)?"),
        ("<b>raw</b>?", "<b>raw</b>?"),  # presentational HTML renders, sanitised
        ("<b onclick=x>raw</b><script>x</script>?", "<b>raw</b>?"),
    ],
)
def test_prompt_renders_as_inline_markdown(prompt, html):
    assert to_inline_html(prompt, Rendering(Target.CARD)) == html


def test_prompt_html_is_kept_only_when_allowed():
    assert to_inline_html("<b>raw</b>?", Rendering(allow_html=True)) == "<b>raw</b>?"


def _counting_renders(monkeypatch) -> list[str]:
    from markdown_it import MarkdownIt

    rendered: list[str] = []
    for name in ("render", "renderInline"):
        original = getattr(MarkdownIt, name)

        def counted(self, src, env=None, _original=original):
            rendered.append(src)
            return _original(self, src, env)

        monkeypatch.setattr(MarkdownIt, name, counted)
    return rendered


def test_a_memo_renders_the_same_markdown_once_per_setting(monkeypatch):
    rendered = _counting_renders(monkeypatch)
    memo = Renders()
    card = Rendering(memo=memo)
    first = to_html("**a**", card.with_images({"x.png": "m.png"}))
    assert to_html("**a**", card.with_images({"x.png": "m.png"})) == first
    assert first == "<p><strong>a</strong></p>"
    assert to_inline_html("**a**", card) == "<strong>a</strong>"  # inline is another render
    assert to_html("**a**", Rendering(Target.PRINT, memo=memo)) == first  # so is another target...
    to_html("**a**", card.with_images({"x.png": "other.png"}))  # ...or other image URLs
    to_html("**a**", Rendering(allow_html=True, memo=memo))  # ...or the HTML setting
    assert rendered == ["**a**"] * 5
    to_html("**a**", Rendering(images={"x.png": "m.png"}))  # without the memo nothing is kept
    assert len(rendered) == 6


def test_a_deck_exported_as_apkg_and_anki_csv_renders_each_answer_once(monkeypatch, tmp_path):
    from cardsmith.build.pipeline import check, export_deck
    from cardsmith.settings import Settings

    from support.inputs import SEED

    [result] = check([SEED], Settings()).decks  # ids and GUIDs assigned, nothing written
    deck = result.deck
    rendered = _counting_renders(monkeypatch)
    outputs, diagnostics = export_deck((deck, ["apkg", "anki-csv"]), tmp_path, Settings())
    assert diagnostics == []
    assert [p.name for p in outputs] == [f"{deck.stem}.apkg", f"{deck.stem}.anki.csv"]
    answers = [q.answer for q in deck.questions]
    assert sorted(r for r in rendered if r in answers) == sorted(answers)


@pytest.mark.parametrize("target", list(Target))
@pytest.mark.parametrize(
    "latex", [r"\text{<img src=x onerror=alert(1)>}", r"\text{<style>*{display:none}</style>}"]
)
def test_markup_inside_math_text_stays_text(target, latex):
    # latex2mathml's own serialiser un-escapes \text{...}: it must never become an element
    for markdown in (f"${latex}$", f"$$\n{latex}\n$$"):
        html = to_html(markdown, Rendering(target))
        assert "<img" not in html and "<style" not in html
        assert "&lt;img" in html or "&lt;style" in html


def test_print_math_stacks_sub_and_superscript_after_the_base():
    html = to_html("$x_i^2$", Rendering(Target.PRINT))
    assert (
        '<msubsup><mi>x</mi><mrow class="cs-scripts"><mn>2</mn><mi>i</mi></mrow></msubsup>' in html
    )


def test_print_math_marks_function_names_upright_and_breaks_after_operators():
    html = to_html(r"$\log x + y = z$", Rendering(Target.PRINT))
    assert '<mi mathvariant="normal" class="cs-fn">log</mi>' in html
    assert "<mo>+</mo>\u200b" in html and "<mo>=</mo>\u200b" in html


CODE = st.text(
    alphabet=st.sampled_from(list("abcdefxyz019 \t\n()[]{}:;,.=+-*/<>&'\"#\\_")), max_size=200
)


@settings(max_examples=200, deadline=None)
@given(code=CODE, lang=st.sampled_from(["python", "javascript", "bash", "c", "html", "sql"]))
def test_highlighted_code_keeps_every_character(code, lang):
    """Spans only where a token looks different; the text is the code, to the last blank."""
    for target in Target:
        rendered = to_html(f"```{lang}\n{code}\n```", Rendering(target))
        [inner] = re.findall(r"<code[^>]*>(.*)</code></pre>", rendered, flags=re.S)
        text = html.unescape(re.sub(r"</?span[^>]*>", "", inner))
        assert text.strip("\n") == code.strip("\n")  # Pygments drops blank lines at the ends


@pytest.mark.parametrize(
    ("target", "spans"),
    [
        # on cards, in colour day and night: names (Xcode's explicit black), operators, numbers
        (
            Target.CARD,
            [
                ("k", "export default const"),
                ("n", "total"),
                ("o", "="),
                ("n", "items"),
                ("n", "map"),
                ("n", "x"),
                ("n", "x"),
                ("o", "*"),
                ("l", "2"),
                ("c", "// twice"),
            ],
        ),
        # on paper, in grayscale: keywords, strings and comments only
        (Target.PRINT, [("k", "export default const"), ("c", "// twice")]),
    ],
)
def test_highlighting_spans_only_what_looks_different(target, spans):
    """Punctuation and blanks (and, on paper, plain names) are drawn like plain text in every style
    of a target: no span. Kinds drawn alike (`export`, `default`, `const`), and the blanks between
    them, are one span."""
    code = "export default const total = items.map((x) => x * 2); // twice\n'x'"
    rendered = to_html(f"```javascript\n{code}\n```", Rendering(target))
    found = re.findall(r'<span class="(\w+)">([^<]*)</span>', rendered)
    assert found == [*spans, ("s", "'x'")]


def test_a_link_around_a_remote_image_keeps_something_to_click():
    """`<a href><img remote></a>`: the image becomes a link of its own and HTML closes the outer one
    empty; an empty link is unreachable text for a screen reader (axe: link-name), so it shows its URL."""
    for target in Target:
        rendered = to_html(
            '<a href="https://x.io/q"><img src="https://x.io/i.png"></a>', Rendering(target)
        )
        assert '<a href="https://x.io/q">https://x.io/q</a>' in rendered
        assert 'href="https://x.io/i.png">[image: https://x.io/i.png]</a>' in rendered


def test_a_table_on_paper_gives_each_column_a_share_by_its_longest_cell():
    table = "| a | b | c |\n|---|:-:|---|\n| x | " + "y" * 40 + " | zzzzzz |\n"
    printed = to_html(table, Rendering(Target.PRINT))
    assert re.findall(r"<th\b[^>]*>", printed) == [
        '<th style="width:7.7%">',  # 3 characters at the least
        '<th style="text-align:center;width:76.9%">',  # 30 at the most
        '<th style="width:15.4%">',
    ]
    assert "width" not in to_html(table, Rendering(Target.CARD))  # cards lay tables out in Anki
