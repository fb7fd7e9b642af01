"""Markdown to HTML for every exporter, per target (an Anki card, paper, the study page).

- `target`: the targets and what differs between them; `Rendering`, the one value a render call takes;
- `html`: the renderer's markdown-it configuration and `to_html` and friends;
- `highlight`: code in colour (Pygments), the CSS of each target's code colours;
- `mathml`: LaTeX as MathML for paper and the study page;
- `sanitize`: raw HTML cut to a safe presentational subset.
"""

from cardsmith.render.highlight import highlight_css
from cardsmith.render.html import (
    choices_html,
    cloze_html,
    cloze_text,
    direction_of,
    question_html,
    render_ahead,
    to_html,
    to_inline_html,
    to_text,
)
from cardsmith.render.target import Rendering, Renders, Target

__all__ = [
    "Rendering",
    "Renders",
    "Target",
    "choices_html",
    "cloze_html",
    "cloze_text",
    "direction_of",
    "highlight_css",
    "question_html",
    "render_ahead",
    "to_html",
    "to_inline_html",
    "to_text",
]
