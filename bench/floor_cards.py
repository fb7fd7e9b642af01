"""The floor for flashcards: the same questions on the same number of sheets through bare WeasyPrint.

python bench/floor_cards.py CORPUS OUT.pdf     (CORPUS: a Markdown file or a folder of them)

Eight absolutely placed boxes a page, questions on one page and their answers on the next, each box
its text as markdown-it renders it; no fitting, no head, no styles but the boxes' places. One document,
as WeasyPrint lays out and writes it: what any flashcard layout of these sheets costs at least.
"""

import re
import sys
from pathlib import Path

import weasyprint
from markdown_it import MarkdownIt

md = MarkdownIt("commonmark").enable("table")
source = Path(sys.argv[1])
cards = []
for path in sorted(source.glob("*.md")) if source.is_dir() else [source]:
    for block in re.split(r"^### ", path.read_text(encoding="utf-8"), flags=re.M)[1:]:
        prompt, _, answer = block.partition("\n")
        cards.append((md.renderInline(prompt), md.render(answer)))
parts = [
    "<html><head><style>@page { size: A4; margin: 10mm }"
    " .sheet { position: relative; height: 100%; break-after: page }"
    " .card { position: absolute; width: 95mm; height: 69mm; overflow: hidden }"
    "</style></head><body>"
]
for start in range(0, len(cards), 8):
    for side in (0, 1):
        parts.append('<div class="sheet">')
        for offset, card in enumerate(cards[start : start + 8]):
            row, column = divmod(offset, 2)
            parts.append(
                f'<div class="card" style="left: {column * 95}mm; top: {row * 69}mm">{card[side]}</div>'
            )
        parts.append("</div>")
parts.append("</body></html>")
weasyprint.HTML(string="".join(parts)).write_pdf(sys.argv[2])
