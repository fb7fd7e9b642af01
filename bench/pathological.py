"""Inputs that once took minutes or gigabytes (issue #17), timed in their own processes.

    .venv/bin/python bench/pathological.py            # every case, every format, one job
    .venv/bin/python bench/pathological.py --cases "5 MB table," 20,000   # issue #31.5's

Each case must stay under 30 s and 1 GiB for every format (the wide tables and many keys of issue
#31.5: 60 s and 1.5 GiB); the table says how far under it stays.
Cases: 4,000 sections (genanki wrote the deck table once per sub-deck), a 5 MB table, a 5 MB line
and a 100,000-character heading (WeasyPrint laid them out for minutes before print was capped).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CASES = {
    "4,000 sections": lambda: (
        "# T\n" + "".join(f"## Section {n}\n### What is {n}?\nAnswer {n}.\n" for n in range(4000))
    ),
    "5 MB table": lambda: (
        "# T\n### What is in the table?\n| a | b |\n|---|---|\n"
        + "\n".join(f"| cell cell cell cell cell cell {n} | {'x' * 30} |" for n in range(64_000))
    ),
    "5 MB line": lambda: "# T\n### What is one long line?\n" + "word " * 1_000_000,
    "100,000-character heading": lambda: "# T\n### " + "long " * 20_000 + "?\nA.\n",
    # issue #31.5: wide tables (2.6-3.5 GiB and up to 68 s in every format before tables were
    # capped at 20,000 cells) and front matter of many keys (44 s in `check`: each key's line was
    # looked up in every line)
    "5 MB table, 5,000 columns x 500 rows": lambda: _wide(5000, 500),
    "5 MB table, 2,500 columns x 1,000 rows": lambda: _wide(2500, 1000),
    "20,000 front matter keys": lambda: (
        "---\n" + "".join(f"key{n}: value {n}\n" for n in range(20_000)) + "---\n# T\n### Q?\nA.\n"
    ),
}
FORMATS = ["apkg", "json", "csv", "anki-csv", "pdf", "cards-pdf"]


def _wide(columns: int, rows: int) -> str:
    table = ["|" + "h|" * columns, "|" + "-|" * columns, *["|" + "x|" * columns] * rows]
    return "# T\n### What is in the wide table?\n" + "\n".join(table) + "\n"


# a parent of its own for each build, so that its children's peak RSS is that build's
_PEAK = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def measure(text: str, fmt: str) -> tuple[float, float]:
    """(seconds, peak MiB) of `cardsmith build -f fmt` on `text`."""
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "case.md"
        source.write_text(text + "\n", encoding="utf-8")
        command = [sys.executable, "-m", "cardsmith", "build", str(source), "-o", f"{scratch}/out"]
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _PEAK, *command, "-f", fmt, "-j", "1", "-q"],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        seconds = time.perf_counter() - started
    return seconds, int(done.stdout.strip()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--formats", nargs="*", default=FORMATS)
    parser.add_argument("--cases", nargs="*", default=list(CASES), help="names (or their start)")
    args = parser.parse_args()
    print(f"| case | {' | '.join(args.formats)} |")
    print(f"|---|{'---|' * len(args.formats)}")
    for name, make in CASES.items():
        if not any(name.startswith(wanted) for wanted in args.cases):
            continue
        text = make()
        cells = []
        for fmt in args.formats:
            seconds, peak = measure(text, fmt)
            cells.append(f"{seconds:.1f} s, {peak:.0f} MiB")
        print(f"| {name} | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
