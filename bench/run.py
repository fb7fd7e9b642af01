"""`make bench`: cardsmith against the bare libraries, side by side in one run.

Each command runs in its own process; seconds are wall time, memory is that process's peak RSS.
Ratios within one run are the figure; absolute seconds on a shared machine are noise. Against a
floor, cardsmith and the floor run in turns and the ratio is the median of each pair's (`paired`).

    .venv/bin/python bench/run.py                 # 1k, 10k, 50k questions (PDFs at 1k)
    .venv/bin/python bench/run.py --sizes 1000    # a quick look
    .venv/bin/python bench/run.py --sizes 10000 --formats apkg --repeat 5   # medians of 5 runs
    .venv/bin/python bench/run.py --sizes --pdf-sizes --readme 191   # only the README-like bank

The measurements of issue #28, one command each (`--sizes --pdf-sizes --readme` turn the others off):

    .venv/bin/python bench/run.py --sizes --pdf-sizes --readme --flashcards 4000 10000 --repeat 3
    .venv/bin/python bench/run.py --sizes --pdf-sizes --readme --watch 2000 --repeat 3
    .venv/bin/python bench/run.py --sizes --pdf-sizes --readme 191 --repeat 3
    .venv/bin/python bench/run.py --sizes 10000 --pdf-sizes --readme --formats apkg --repeat 5
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import write_corpus, write_readme_corpus, write_short_cards  # noqa: E402

PYTHON = sys.executable
FILES = 10


REPEAT = 1  # --repeat: each figure is the median of this many runs (shared machines are noisy)


def run(command: list[str], cwd: Path, before=None, times: int = 0) -> tuple[float, float]:
    """(median seconds, peak MiB) of `command` run `times` (else REPEAT) times; `before()` runs ahead
    of each."""
    results = []
    for _ in range(times or REPEAT):
        if before is not None:
            before()
        results.append(_run_once(command, cwd))
    return statistics.median(s for s, _ in results), max(m for _, m in results)


def paired(
    ours: list[str], floor: list[str], cwd: Path, before=None
) -> tuple[float, float, float, float, float]:
    """`ours` and `floor` run in turns, REPEAT times each (`before()` ahead of every run): (median
    seconds of ours, of the floor, median of the runs' ratios, peak MiB of ours, of the floor). A
    ratio of two runs side by side is what a busy machine's drift leaves alone."""
    mine, theirs = [], []
    for _ in range(REPEAT):
        # the floor first: what `ours` wrote is still there when the caller looks (pages)
        for command, found in ((floor, theirs), (ours, mine)):
            if before is not None:
                before()
            found.append(_run_once(command, cwd))
    ratio = statistics.median(a / b for (a, _), (b, _) in zip(mine, theirs, strict=True))
    return (
        statistics.median(s for s, _ in mine),
        statistics.median(s for s, _ in theirs),
        ratio,
        max(m for _, m in mine),
        max(m for _, m in theirs),
    )


def _run_once(command: list[str], cwd: Path) -> tuple[float, float]:
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024


def cardsmith(formats: str | list[str], corpus: Path, out: Path, *extra: str) -> list[str]:
    formats = [formats] if isinstance(formats, str) else formats
    flags = [arg for fmt in formats for arg in ("-f", fmt)]
    return [PYTHON, "-m", "cardsmith", "build", str(corpus), "-o", str(out), *flags, "-q", *extra]


def _one_more_question(corpus: Path):
    """A function that adds a new question to the first file of `corpus` each time it is called."""
    numbers = iter(range(999_000, 1_000_000))

    def change() -> None:
        deck = corpus / "deck-001.md"
        number = next(numbers)
        deck.write_text(deck.read_text() + f"\n### {number}. Q{number}?\nYes.\n")

    return change


def pdf_pages(path: Path) -> int:
    import pypdf

    return len(pypdf.PdfReader(path).pages)


def readme_rows(work: Path, size: int) -> list[tuple]:
    """Both PDFs of one README-style bank (answers of 30-150 lines) at -j 1 against the floor: the
    same Markdown through bare markdown-it-py and unstyled WeasyPrint, one column. Memory is shown
    as ours / the floor's. Each cardsmith run starts from an empty output folder (no sheet cache)."""
    corpus = work / f"readme{size}"
    write_readme_corpus(size, corpus)
    floor_pdf = work / "readme-floor.pdf"
    floor_command = [PYTHON, str(HERE / "floor_pdf.py"), str(corpus), str(floor_pdf)]
    rows = []
    for fmt, name in (("pdf", "README.pdf"), ("cards-pdf", "README.cards.pdf")):
        out = work / f"readme-{fmt}"
        ours = cardsmith(fmt, corpus, out, "--force", "-j", "1")
        # each run cold: `--force` rebuilds the decks, but the flashcards' sheet cache in the
        # output folder would lay out nothing after the first run
        cold = lambda out=out: shutil.rmtree(out, ignore_errors=True)  # noqa: E731
        seconds, floor, ratio, memory, floor_memory = paired(ours, floor_command, work, cold)
        pages, floor_pages = pdf_pages(out / name), pdf_pages(floor_pdf)
        what = f"README-like {fmt}, -j 1 ({pages} vs {floor_pages} pages)"
        memory_text = f"{memory:.0f} / {floor_memory:.0f} ({memory / floor_memory:.2f}x)"
        rows.append((what, size, seconds, floor, ratio, memory_text))
        shutil.rmtree(out)
    shutil.rmtree(corpus)
    return rows


def flashcard_rows(work: Path, size: int) -> list[tuple]:
    """Flashcards of `size` short cards at -j 1 against WeasyPrint's floor for the same sheets
    (`floor_cards.py`), and at -j 2 against -j 1. Each build starts cold (no sheet cache)."""
    source = write_short_cards(size, work / f"cards{size}")
    out = work / f"cards-out-{size}"
    floor_command = [
        PYTHON,
        str(HERE / "floor_cards.py"),
        str(source),
        str(work / "cards-floor.pdf"),
    ]
    cold = lambda: shutil.rmtree(out, ignore_errors=True)  # noqa: E731
    one_job = cardsmith("cards-pdf", source, out, "-j", "1")
    serial, floor, ratio, memory, floor_memory = paired(one_job, floor_command, work, before=cold)
    pages = pdf_pages(out / "cards.cards.pdf")
    two_jobs = cardsmith("cards-pdf", source, out, "-j", "2")
    two, serial_again, two_ratio, two_memory, _ = paired(two_jobs, one_job, work, before=cold)
    shutil.rmtree(source.parent)
    return [
        (f"cards-pdf, -j 1 ({pages} pages)", size, serial, floor, ratio,
         f"{memory:.0f} / {floor_memory:.0f}"),
        ("cards-pdf, -j 2 (floor: -j 1)", size, two, serial_again, two_ratio, two_memory),
    ]  # fmt: skip


def _stop(process: subprocess.Popen):
    """Stop `watch` as Ctrl-C does, and its resource usage. A job a non-interactive shell started
    in the background inherits SIGINT ignored (and `subprocess` passes that on): after a grace
    period, SIGTERM, which `watch` also stops on."""
    process.send_signal(signal.SIGINT)
    for _ in range(300):
        pid, _, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            return usage
        time.sleep(0.1)
    process.terminate()
    return os.wait4(process.pid, 0)[2]


def watch_rows(work: Path, size: int) -> list[tuple]:
    """A bank of `size` questions in a real `cardsmith watch` process (its warm state kept between
    rounds, as a user's is): after a one-answer edit, the seconds from the edit's write to watch's
    summary line of the fast formats (.apkg, CSV, JSON ready) and to its line of the flashcards,
    read from its output as it comes. Both include watchfiles noticing the save (a 50 ms step
    after the last change, the notifier's own latency) and the line's way through a pipe. The
    floor of the flashcards row is a cold build of the flashcards alone, a process of its own
    (start-up included), each run from an empty output folder."""
    [source] = write_corpus(size, 1, work / f"watch{size}")
    cold_out = work / f"watch-cold-{size}"
    cold = lambda: shutil.rmtree(cold_out, ignore_errors=True)  # noqa: E731
    cards_cold, cold_memory = run(cardsmith("cards-pdf", source, cold_out), work, before=cold)
    cold()
    out = work / f"watch-out-{size}"
    flags = [arg for fmt in ("apkg", "csv", "json", "cards-pdf") for arg in ("-f", fmt)]
    command = [PYTHON, "-m", "cardsmith", "watch", str(source), "-o", str(out), *flags]
    lines: queue.Queue[tuple[float, str]] = queue.Queue()
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=environment,
    )  # fmt: skip

    def read() -> None:
        for line in process.stdout:
            lines.put((time.perf_counter(), line))
        lines.put((time.perf_counter(), ""))

    threading.Thread(target=read, daemon=True).start()

    def until(ending: str) -> float:
        """When watch said it wrote a file ending in `ending`."""
        while True:
            moment, line = lines.get(timeout=1800)
            if not line:
                raise SystemExit(f"watch ended: {' '.join(command)}")
            if ": error:" in line:
                raise SystemExit(f"watch said: {line}")
            if f"{ending}" in line and "->" in line:
                return moment

    edits = iter(range(1_000_000))
    ready, written = [], []
    try:
        until(".apkg")
        until(".cards.pdf")  # the first, cold round
        for _ in range(REPEAT):
            text = source.read_text(encoding="utf-8")
            at = text.index("\n### 2. ")  # the end of question 1's answer
            edited = f"{text[:at]} Edited {next(edits)}.{text[at:]}"
            source.write_text(edited, encoding="utf-8")
            start = time.perf_counter()
            ready.append(until(".apkg") - start)
            written.append(until(".cards.pdf") - start)
    finally:
        usage = _stop(process)
    shutil.rmtree(out)
    shutil.rmtree(source.parent)
    memory = usage.ru_maxrss / 1024
    cards = statistics.median(written)
    return [
        ("watch: .apkg, CSV, JSON ready after a one-answer edit", size,
         statistics.median(ready), None, None, memory),
        ("watch: flashcards rewritten after it (floor: a cold flashcards build)", size, cards,
         cards_cold, cards / cards_cold, cold_memory),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 50000])
    parser.add_argument("--pdf-sizes", type=int, nargs="*", default=[1000])
    parser.add_argument("--repeat", type=int, default=1, help="median of this many runs [1]")
    parser.add_argument("--formats", nargs="*", default=["apkg", "json", "csv", "anki-csv"])
    parser.add_argument(
        "--flashcards",
        type=int,
        nargs="*",
        default=[],
        help="short cards for the flashcards against WeasyPrint's floor, -j 1 and -j 2",
    )
    parser.add_argument(
        "--watch",
        type=int,
        nargs="*",
        default=[],
        help="questions of a bank rebuilt as watch does after a one-answer edit",
    )
    parser.add_argument(
        "--readme",
        type=int,
        nargs="*",
        default=[191],
        help="questions in the README-like bank (long answers) for both PDFs at -j 1 [191]",
    )
    args = parser.parse_args()
    global REPEAT
    REPEAT = args.repeat
    rows = []
    per_question = {}
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        # a tenth of a second: one run is all noise, so these two are always medians of 21
        if args.sizes:
            seconds, memory = run([PYTHON, "-c", "import click"], work, times=21)
            help_seconds, help_memory = run([PYTHON, "-m", "cardsmith", "--help"], work, times=21)
            rows.append(("--help", "", help_seconds, seconds, help_seconds / seconds, help_memory))
        for size in args.sizes:
            corpus = work / f"c{size}"
            write_corpus(size, FILES, corpus)
            for fmt in args.formats:
                out = work / f"out-{size}-{fmt}"
                ours = cardsmith(fmt, corpus, out, "--force")
                floor, ratio = None, None
                if fmt == "apkg":  # paired with the floor, run by run
                    floor_command = [
                        PYTHON, str(HERE / "floor_apkg.py"), str(corpus), str(work / "f.apkg")
                    ]  # fmt: skip
                    cold, floor, ratio, memory, _ = paired(ours, floor_command, work)
                else:
                    cold, memory = run(ours, work)
                what = f"{fmt}, -j {os.cpu_count()}" if fmt == "apkg" else fmt
                rows.append((what, size, cold, floor, ratio, memory))
                if fmt == "apkg":
                    per_question[size] = cold / size
                    one_job = cardsmith(fmt, corpus, out, "--force", "-j", "1")
                    serial, floor, ratio, memory, _ = paired(one_job, floor_command, work)
                    rows.append(("apkg, -j 1", size, serial, floor, ratio, memory))
                    warm, memory = run(cardsmith(fmt, corpus, out), work)
                    rows.append(("apkg unchanged", size, warm, cold, warm / cold, memory))
                    one, memory = run(
                        cardsmith(fmt, corpus, out), work, before=_one_more_question(corpus)
                    )
                    rows.append(
                        (f"apkg 1 of {FILES} files changed", size, one, cold, one / cold, memory)
                    )
                shutil.rmtree(out)
            if len(args.formats) > 1:
                # one build writing them all: formats that show the same HTML render it once
                out = work / f"out-{size}-all"
                together, memory = run(cardsmith(args.formats, corpus, out, "--force"), work)
                rows.append((" + ".join(args.formats), size, together, None, None, memory))
                shutil.rmtree(out)
            shutil.rmtree(corpus)
        for size in args.pdf_sizes:
            corpus = work / f"p{size}"
            write_corpus(size, FILES, corpus)
            out = work / f"pdf-{size}"
            cold, memory = run(cardsmith("pdf", corpus, out, "--force", "-j", "1"), work)
            floor_pdf = work / "floor.pdf"
            floor, _ = run([PYTHON, str(HERE / "floor_pdf.py"), str(corpus), str(floor_pdf)], work)
            ours = sum(pdf_pages(p) for p in out.glob("*.pdf"))
            rows.append(
                (
                    f"pdf ({ours} vs {pdf_pages(floor_pdf)} pages)",
                    size,
                    cold,
                    floor,
                    cold / floor,
                    memory,
                )
            )
            parallel, memory = run(cardsmith("pdf", corpus, out, "--force"), work)
            rows.append(
                (f"pdf, -j {os.cpu_count()}", size, parallel, cold, parallel / cold, memory)
            )
            cards, memory = run(cardsmith("cards-pdf", corpus, out, "--force"), work)
            rows.append(("cards-pdf", size, cards, None, None, memory))
        for size in args.readme:
            rows += readme_rows(work, size)
        for size in args.flashcards:
            rows += flashcard_rows(work, size)
        for size in args.watch:
            rows += watch_rows(work, size)

    print("| what | questions | cardsmith s | floor s | ratio | peak MiB |")
    print("|---|---|---|---|---|---|")
    for what, size, ours, floor, ratio, memory in rows:
        floor_text = f"{floor:.2f}" if floor else "—"
        ratio_text = f"{ratio:.2f}" if ratio else "—"
        memory_text = memory if isinstance(memory, str) else f"{memory:.0f}"
        print(f"| {what} | {size} | {ours:.2f} | {floor_text} | {ratio_text} | {memory_text} |")
    if len(per_question) > 1:
        small, large = min(per_question), max(per_question)
        print(
            f"\napkg per-question time at {large} / at {small}: "
            f"{per_question[large] / per_question[small]:.2f}"
        )
    print(
        "\n(for 'unchanged' and '1 changed' rows the floor column is the cold cardsmith build; "
        "for -j, the -j 1 build)"
    )


if __name__ == "__main__":
    main()
