"""An Obsidian vault of 5,000 notes (2,000 cards) built into one deck: cold, unchanged, one note
changed, and a review session's changes (the plugin's SR comments) only.

    .venv/bin/python bench/vault.py                       # 5,000 notes, -f apkg, medians of 3
    .venv/bin/python bench/vault.py --notes 1000 --formats apkg json html

The vault is generated (no third-party notes): 3,000 plain notes without a flashcards tag (journal
entries, links, lists), 2,000 tagged notes in topic folders, each with one card of the plugin's kinds
in turn (`::`, `:::`, `?`, `??`, a `==cloze==`) and some review comments, beside ordinary note text.
Each build is `cardsmith build VAULT -f ... -j 1` in a process of its own, in seconds.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import sentence  # noqa: E402

TOPICS = ["Biology/Cells", "Biology/Genetics", "Spanish/Verbs", "Spanish/Nouns", "History", "Math"]


def card(rng: random.Random, number: int) -> str:
    kind = number % 5
    words = sentence(rng, 3, 8)[:-1]
    answer = sentence(rng, 4, 14)
    if kind == 0:
        return f"{words} {number}::{answer}\n<!--SR:!2026-01-0{1 + number % 9},3,250-->\n"
    if kind == 1:
        return f"{words} {number}:::{answer}\n"
    if kind == 2:
        return f"What is {words.lower()} {number}?\n?\n{answer}\nAnd a second line.\n"
    if kind == 3:
        return f"Explain {words.lower()} {number}\n??\n{answer}\n"
    return f"The ==answer {number}== to {words.lower()} is ==cloze {number}==.\n"


def write_vault(notes: int, cards: int, root: Path, seed: int = 11) -> list[Path]:
    rng = random.Random(seed)
    (root / ".obsidian").mkdir(parents=True)
    (root / ".obsidian" / "app.json").write_text('{"attachmentFolderPath": "attachments"}')
    written = []
    for number in range(notes):
        tagged = number < cards
        folder = root / (TOPICS[number % len(TOPICS)] if tagged else f"Journal/{number % 12:02d}")
        folder.mkdir(parents=True, exist_ok=True)
        text = f"# Note {number}\n\n{sentence(rng, 8, 20)} See [[Note {number + 1}]].\n\n"
        if tagged:
            deck = TOPICS[number % len(TOPICS)].lower()
            text = (
                f"---\nsr-due: 2026-01-01\n---\n#flashcards/{deck}\n\n" + text + card(rng, number)
            )
        text += "\n- " + "\n- ".join(sentence(rng, 3, 9) for _ in range(3)) + "\n"
        path = folder / f"Note {number}.md"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def measure(vault: Path, out: Path, formats: list[str]) -> float:
    """Seconds of one `cardsmith build` in a process of its own."""
    command = [sys.executable, "-m", "cardsmith", "build", str(vault), "-o", str(out), "-j", "1"]
    for fmt in formats:
        command += ["-f", fmt]
    started = time.perf_counter()
    subprocess.run([*command, "-q"], check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notes", type=int, default=5000)
    parser.add_argument("--cards", type=int, default=2000)
    parser.add_argument("--formats", nargs="*", default=["apkg"])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as scratch:
            vault, out = Path(scratch) / "Vault", Path(scratch) / "out"
            notes = write_vault(args.notes, args.cards, vault)
            rows.setdefault("cold", []).append(measure(vault, out, args.formats))
            rows.setdefault("unchanged", []).append(measure(vault, out, args.formats))
            edited = notes[7]  # a tagged note: its card's answer changes
            edited.write_text(edited.read_text(encoding="utf-8") + "\nmore::text\n", "utf-8")
            rows.setdefault("one note changed", []).append(measure(vault, out, args.formats))
            reviewed = notes[10]  # a review session rewrote its SR comment
            text = reviewed.read_text(encoding="utf-8")
            reviewed.write_text(text.replace(",3,250-->", ",8,270-->"), encoding="utf-8")
            rows.setdefault("review data changed", []).append(measure(vault, out, args.formats))
            shutil.rmtree(out)
    print(f"{args.notes} notes, {args.cards} with cards, -f {' '.join(args.formats)}, -j 1, ")
    print(f"medians of {args.repeat}:\n")
    print("| build | seconds |")
    print("|---|---|")
    for what, values in rows.items():
        print(f"| {what} | {statistics.median(values):.2f} |")


if __name__ == "__main__":
    main()
