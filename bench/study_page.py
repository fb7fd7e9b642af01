"""The study page of a big deck in Chromium: how soon it shows, how long a search keystroke takes.

    .venv/bin/python bench/study_page.py                 # 5,000 questions, medians of 5 loads
    .venv/bin/python bench/study_page.py --questions 1000 --repeat 3

One deck of the bench corpus's questions (answers with lists, code and tables), built with
`cardsmith build -f html`, opened from disk in Debian's Chromium at 390x844 (Playwright). Reported:
the file's size; first contentful paint and the load event after navigation starts; and a search
keystroke: from the input event to the end of the next frame (the filter runs once a frame), for a
first letter (most questions match, the first 200 get their matches marked), a word, and clearing.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
from corpus import write_corpus  # noqa: E402

KEYSTROKE = """async (text) => {
  const search = document.getElementById('search');
  const started = performance.now();
  search.value = text;
  search.dispatchEvent(new Event('input'));
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  return performance.now() - started;
}"""
PAINT = """() => {
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const [navigation] = performance.getEntriesByType('navigation');
  return [paint ? paint.startTime : null, navigation.loadEventEnd];
}"""


def build_page(questions: int, work: Path) -> Path:
    corpus = work / "corpus"
    parts = write_corpus(questions, 10, corpus)
    deck = work / "deck" / "study.md"
    deck.parent.mkdir()
    texts = [p.read_text(encoding="utf-8").split("\n", 4)[-1] for p in parts]  # no front matter
    deck.write_text("# Study bench\n\n" + "\n".join(texts), encoding="utf-8")
    out = work / "out"
    subprocess.run(
        [sys.executable, "-m", "cardsmith", "build", str(deck), "-f", "html", "-o", str(out), "-q"],
        check=True,
    )
    return out / "study.html"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from support.browser import chromium, open_page

    with tempfile.TemporaryDirectory() as scratch:
        page_path = build_page(args.questions, Path(scratch))
        size = page_path.stat().st_size / 2**20
        rows: dict[str, list[float]] = {}
        with chromium() as browser:
            for _ in range(args.repeat):
                page, watched = open_page(browser, page_path.as_uri())
                paint, load = page.evaluate(PAINT)
                rows.setdefault("first contentful paint", []).append(paint)
                rows.setdefault("load event", []).append(load)
                for what, text in (
                    ("search: a first letter", "s"),
                    ("search: a word", "section"),
                    ("search: two words", "section 3"),
                    ("search: cleared", ""),
                ):
                    rows.setdefault(what, []).append(page.evaluate(KEYSTROKE, text))
                assert not watched.requests and not watched.errors, watched
                page.context.close()
    print(f"{args.questions} questions, {size:.1f} MiB page, medians of {args.repeat}:\n")
    print("| what | ms |")
    print("|---|---|")
    for what, values in rows.items():
        print(f"| {what} | {statistics.median(values):.0f} |")


if __name__ == "__main__":
    main()
