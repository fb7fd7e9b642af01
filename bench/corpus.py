"""Deterministic question banks for benchmarks, the same bytes for the same arguments.

Two shapes:
- `write_corpus`: N questions over M files, short answers shaped like real ones (lists, bold, inline
  and fenced code, tables) - the shape of exam notes and the seed.
- `write_readme_corpus`: one README-style bank, as found on GitHub: numbered questions under topic
  sections, answers of 30-150 lines mixing paragraphs, fenced code, tables, bullet and numbered
  lists and a "back to top" link after each answer.

    .venv/bin/python bench/corpus.py 10000 --files 10 --out /tmp/corpus
    .venv/bin/python bench/corpus.py 191 --readme --out /tmp/readme
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


def write_short_cards(questions: int, out: Path) -> Path:
    """One deck of `questions` short cards (a one-line question, a one-line answer) under sections
    of 25: the flashcards' own bench, what their layout costs per sheet."""
    out.mkdir(parents=True, exist_ok=True)
    lines = ["# Short cards", ""]
    for number in range(1, questions + 1):
        if number % 25 == 1:
            lines += [f"## Section {number // 25 + 1}", ""]
        lines += [f"### {number}. What is item {number}?", f"Item {number} is an answer.", ""]
    path = out / "cards.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


CODE = [
    "const {a} = require('{b}');",
    "function {a}({b}, callback) {{",
    "  if (!{b}) return callback(new Error('no {b}'));",
    "  const {c} = await {a}.{b}({{ {c}: {n} }});",
    "  for (let i = 0; i < {n}; i++) {{ {a}.push(i * {n}); }}",
    "  console.log(`{a}: ${{{b}.length}}`); // {c} {a}",
    "  return {b}.map(({c}) => {c}.{a}).filter(Boolean);",
    "}}",
    "module.exports = {{ {a}, {b} }};",
]


def _code_block(rng: random.Random) -> list[str]:
    lines = []
    for _ in range(rng.randint(6, 24)):
        a, b, c = (rng.choice(WORDS) for _ in range(3))
        lines.append(rng.choice(CODE).format(a=a, b=b, c=c, n=rng.randint(2, 999)))
    return ["```javascript", *lines, "```"]


def _table(rng: random.Random) -> list[str]:
    rows = [
        f"| `{rng.choice(WORDS)}()` | {sentence(rng, 3, 9)} | {rng.randint(1, 99)} ms |"
        for _ in range(rng.randint(4, 12))
    ]
    return ["| Method | Description | Latency |", "|---|---|---|", *rows]


def _bullets(rng: random.Random) -> list[str]:
    ordered = rng.random() < 0.4
    return [
        (f"{n + 1}. " if ordered else "* ") + f"**{rng.choice(WORDS).title()}**: {sentence(rng)}"
        for n in range(rng.randint(3, 8))
    ]


def readme_answer(rng: random.Random, target: int) -> list[str]:
    """An answer of about `target` lines: a paragraph first, then paragraphs, code, tables and lists."""
    lines = [sentence(rng) + " " + sentence(rng), ""]
    blocks = [_code_block, _table, _bullets]
    while len(lines) < target:
        if rng.random() < 0.35:
            lines += [" ".join(sentence(rng) for _ in range(rng.randint(2, 5))), ""]
        else:
            if rng.random() < 0.3:
                lines += [f"**{sentence(rng, 2, 4)[:-1]}**", ""]
            lines += [*rng.choice(blocks)(rng), ""]
    return lines


def write_readme_corpus(questions: int, out: Path, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    lines = ["# Interview Questions", "", sentence(rng) + " " + sentence(rng), ""]
    for number in range(1, questions + 1):
        if number % 20 == 1:
            lines += [f"## {rng.choice(WORDS).title()} and {rng.choice(WORDS)}", ""]
        lines += [f"### {number}. {sentence(rng, 5, 12)[:-1]}?", ""]
        # log-uniform between 30 and 150 lines: most answers short, a few long, as in real READMEs
        lines += readme_answer(rng, int(30 * 5 ** rng.random()))
        lines += ["**[⬆ Back to Top](#interview-questions)**", ""]
    path = out / "README.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return [path]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", type=int)
    parser.add_argument("--files", type=int, default=1)
    parser.add_argument("--readme", action="store_true", help="one README-style bank, long answers")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if args.readme:
        paths = write_readme_corpus(args.questions, args.out)
    else:
        paths = write_corpus(args.questions, args.files, args.out)
    for path in paths:
        print(path)
