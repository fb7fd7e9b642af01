"""A deterministic question bank for benchmarks: N questions over M files, shaped like real answers
(lists, bold, inline and fenced code, tables), the same bytes for the same arguments.

    .venv/bin/python bench/corpus.py 10000 --files 10 --out /tmp/corpus
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

WORDS = [
    "model",
    "endpoint",
    "training",
    "data",
    "pipeline",
    "feature",
    "store",
    "latency",
    "batch",
    "stream",
    "inference",
    "metric",
    "drift",
    "bias",
    "deploy",
    "container",
    "registry",
    "bucket",
    "policy",
    "encryption",
    "scaling",
    "instance",
    "cluster",
    "queue",
    "cache",
    "index",
    "vector",
    "prompt",
    "token",
    "embedding",
    "gradient",
    "loss",
    "optimizer",
    "schedule",
    "monitor",
    "alert",
]


def sentence(rng: random.Random, low: int = 6, high: int = 16) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return " ".join(words).capitalize() + "."


def answer(rng: random.Random) -> str:
    shape = rng.randrange(4)
    if shape == 0:
        return "\n".join(
            f"*   **{rng.choice(WORDS).title()}**: {sentence(rng)}"
            for _ in range(rng.randint(2, 4))
        )
    if shape == 1:
        return f"{sentence(rng)} Use `{rng.choice(WORDS)}_{rng.choice(WORDS)}()` here.\n\n{sentence(rng)}"
    if shape == 2:
        lines = [f"def {rng.choice(WORDS)}(x):", f"    return x * {rng.randint(2, 9)}"]
        return f"{sentence(rng)}\n\n```python\n" + "\n".join(lines) + "\n```"
    rows = "\n".join(f"| {rng.choice(WORDS)} | {rng.randint(1, 99)} ms |" for _ in range(3))
    return f"{sentence(rng)}\n\n| Option | Latency |\n|---|---|\n{rows}"


def write_corpus(questions: int, files: int, out: Path, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    per_file = -(-questions // files)
    number = 0
    for index in range(files):
        lines = [f"---\ntitle: Bench deck {index + 1}\n---\n", f"# Bench deck {index + 1}\n"]
        for q in range(min(per_file, questions - number)):
            if q % 25 == 0:
                lines.append(f"## Section {q // 25 + 1}\n")
            number += 1
            lines.append(f"### {number}. {sentence(rng, 5, 12)[:-1]}?\n{answer(rng)}\n")
        path = out / f"deck-{index + 1:03d}.md"
        path.write_text("\n".join(lines), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", type=int)
    parser.add_argument("--files", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    for path in write_corpus(args.questions, args.files, args.out):
        print(path)
