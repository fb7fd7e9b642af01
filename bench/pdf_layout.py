"""What cheat-sheet CSS costs WeasyPrint: the same decks laid out with one rule changed at a time.

    .venv/bin/python bench/pdf_layout.py                 # 300 questions over 3 decks, every variant
    .venv/bin/python bench/pdf_layout.py --questions 1000 --decks 1 current float-number

Each variant appends CSS to the sheet's own; the best of `--repeat` runs is printed, with the pages.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus

from cardsmith.errors import Report
from cardsmith.exporters.cheat_sheet import cheat_sheet_html
from cardsmith.exporters.printing import document
from cardsmith.reading.bank import read_bank
from cardsmith.settings import Settings

VARIANTS = {
    "current": "",
    # the hanging prompt as it was before 2026-11-29: a floated number
    "float-number": ".q { text-indent: 0; } .q .num { display: block; float: left; "
    "margin-left: calc(-1 * var(--number-width)); }",
    "no-hyphens": "body { hyphens: manual; }",
    # the columns as CSS columns (before 2026-12-07): WeasyPrint lays out each page of columns
    # twice (a trial, then the real one); cardsmith now lays out a page per column and sets them
    # side by side (exporters/imposing.py)
    "css-columns": "@page { size: A4; margin: 13mm 9mm 12mm; } .sheet { columns: 2; "
    "column-gap: 5mm; column-fill: balance; }",
    "breaks-inside-questions": ".qa { break-inside: auto; }",
    "no-inline-code-boxes": "code { background: none; padding: 0; border-radius: 0; }",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("variants", nargs="*", help=f"some of: {', '.join(VARIANTS)}")
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--decks", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    unknown = set(args.variants) - set(VARIANTS)
    if unknown:
        parser.error(f"unknown variants {sorted(unknown)}; choose from {', '.join(VARIANTS)}")
    args.variants = args.variants or list(VARIANTS)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        paths = write_corpus(args.questions, args.decks, root)
        decks = [read_bank(path, root, Report()) for path in paths]
        html_of = {d.stem: cheat_sheet_html(d, Settings()) for d in decks}
        print(f"{'variant':<26} {'seconds':>8} {'pages':>6}   ({args.questions} questions)")
        for name in args.variants:
            best, pages = float("inf"), 0
            for _ in range(args.repeat):
                start = time.perf_counter()
                pages = 0
                for deck in decks:
                    html = html_of[deck.stem].replace("</style>", VARIANTS[name] + "</style>", 1)
                    rendered = document(html, deck, "bench")
                    rendered.write_pdf()
                    pages += len(rendered.pages)
                best = min(best, time.perf_counter() - start)
            print(f"{name:<26} {best:8.2f} {pages:6d}", flush=True)


if __name__ == "__main__":
    main()
