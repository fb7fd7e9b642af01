"""Cheat-sheet column filling: `column-fill: balance` (what cardsmith uses) against `auto`.

.venv/bin/python bench/columns.py 1000
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus

from cardsmith.errors import Report
from cardsmith.exporters.pdf import cheat_sheet_html
from cardsmith.exporters.printing import document
from cardsmith.options import Options
from cardsmith.parse import parse_file


def main(questions: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        [path] = write_corpus(questions, 1, Path(scratch))
        deck = parse_file(path, Path(scratch), Report())
        html = cheat_sheet_html(deck, Options())
        print(f"{'column-fill':<12} {'seconds':>8} {'pages':>6}   ({questions} questions)")
        for fill in ("auto", "balance"):
            variant = html.replace("</style>", f".sheet {{ column-fill: {fill}; }}</style>", 1)
            start = time.perf_counter()
            pages = len(document(variant, deck).pages)
            print(f"{fill:<12} {time.perf_counter() - start:8.2f} {pages:6d}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
