"""The floor for .apkg: the same corpus with markdown-it-py and genanki and nothing else.

python bench/floor_apkg.py CORPUS_DIR OUT.apkg
"""

import re
import sys
from pathlib import Path

import genanki
from markdown_it import MarkdownIt

md = MarkdownIt("commonmark").enable("table")
model = genanki.Model(
    1607392319,
    "floor",
    fields=[{"name": "Q"}, {"name": "A"}],
    templates=[{"name": "c", "qfmt": "{{Q}}", "afmt": "{{A}}"}],
)
decks = []
for number, path in enumerate(sorted(Path(sys.argv[1]).glob("*.md"))):
    deck = genanki.Deck(2059400110 + number, path.stem)
    for block in re.split(r"^### ", path.read_text(encoding="utf-8"), flags=re.M)[1:]:
        prompt, _, answer = block.partition("\n")
        deck.add_note(
            genanki.Note(model=model, fields=[md.renderInline(prompt), md.render(answer)])
        )
    decks.append(deck)
genanki.Package(decks).write_to_file(sys.argv[2], timestamp=1)
