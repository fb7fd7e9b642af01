"""The floor for the cheat sheet: the same content as unstyled HTML through WeasyPrint, nothing else.

python bench/floor_pdf.py CORPUS_DIR OUT.pdf
"""

import re
import sys
from pathlib import Path

import weasyprint
from markdown_it import MarkdownIt

md = MarkdownIt("commonmark").enable("table")
parts = ["<html><body>"]
for path in sorted(Path(sys.argv[1]).glob("*.md")):
    for block in re.split(r"^### ", path.read_text(encoding="utf-8"), flags=re.M)[1:]:
        prompt, _, answer = block.partition("\n")
        parts.append(f"<h3>{md.renderInline(prompt)}</h3>{md.render(answer)}")
parts.append("</body></html>")
weasyprint.HTML(string="".join(parts)).write_pdf(sys.argv[2])
