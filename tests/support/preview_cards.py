"""Write each card of an .apkg as it looks in Anki, for a browser at phone width.

The real Anki engine imports the package and renders every card (templates, cloze, CSS); each card
becomes front/back pages in light and night mode. Look at them before calling card changes done:

    .venv/bin/python tests/support/preview_cards.py output/aws-ml-engineer-interview.apkg /tmp/cards
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking \\
      --screenshot=/tmp/card.png --window-size=390,844 file:///tmp/cards/001-back-night.html
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from anki.collection import Collection

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for `support`
from support.anki_engine import import_package

PAGE = """<!doctype html>
<html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{css}</head>
<body class="card{night}">{html}</body></html>
"""


def write_previews(package: Path, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as scratch:
        collection = Collection(str(Path(scratch) / "preview.anki2"))
        try:
            import_package(collection, package)
            media = out_dir / "media"  # the collection goes with the scratch folder: keep a copy
            shutil.copytree(collection.media.dir(), media, dirs_exist_ok=True)
            card_ids = sorted(collection.find_cards(""), key=lambda c: collection.get_card(c).nid)
            for number, card_id in enumerate(card_ids, start=1):
                card = collection.get_card(card_id)
                output = card.render_output()
                for side, html in (("front", output.question_text), ("back", output.answer_text)):
                    for mode, night in (("light", ""), ("night", " nightMode night_mode")):
                        page = PAGE.format(
                            css=f"<style>{output.css}</style>", night=night, html=html
                        )
                        path = out_dir / f"{number:03d}-{side}-{mode}.html"
                        path.write_text(page.replace('src="', f'src="{media.as_uri()}/'), "utf-8")
                        written.append(path)
        finally:
            collection.close()
    return written


if __name__ == "__main__":
    for written in write_previews(Path(sys.argv[1]), Path(sys.argv[2])):
        print(written)
