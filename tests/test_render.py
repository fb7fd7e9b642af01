"""Markdown to HTML as every exporter sees it."""

from __future__ import annotations

import pytest

from cardsmith.render import Target, to_inline_html


@pytest.mark.parametrize(
    ("prompt", "html"),
    [
        # a prompt was inline text in its heading or bold line: no list, quote or paragraph
        ("> not a quote?", "&gt; not a quote?"),
        ("1) Not a list?", "1) Not a list?"),
        ("Use `a|b` **now**?", "Use <code>a|b</code> <strong>now</strong>?"),
        ("What is $x^2$?", "What is \\(x^2\\)?"),
        ("<b>raw</b>?", "&lt;b&gt;raw&lt;/b&gt;?"),
    ],
)
def test_prompt_renders_as_inline_markdown(prompt, html):
    assert to_inline_html(prompt, target=Target.CARD) == html


def test_prompt_html_is_kept_only_when_allowed():
    assert to_inline_html("<b>raw</b>?", allow_html=True) == "<b>raw</b>?"
