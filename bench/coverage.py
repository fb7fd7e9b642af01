"""How much of a real question bank reaches the deck: run it over Markdown files you have.

    .venv/bin/python bench/coverage.py path/to/README.md [more.md ...]

For each file: questions per convention, unanswered ones, warnings, skipped lines by reason, and the
share of the file's visible words (Markdown and HTML markup, URLs and code-fence info strings left
out) that are in the JSON model (title, intro, sections, prompts, fronts, options, answers): counted
with repeats (a table of contents that repeats every prompt counts against it), and as distinct words.
The words of skipped lines count as accounted for, not as reaching the model. Questions whose prompt or answer
still shows `<details>`/`<summary>` markup are listed as junk.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

from cardsmith.build.pipeline import build
from cardsmith.reading.bank.prompt import MARKER
from cardsmith.settings import Settings

_HEADING = re.compile(r"^(\s*(?:\d+[.)]\s+)?#{1,6}\s+)(.*)$", re.M)


def visible_words(markdown: str) -> Counter:
    # an author's marker (`## Q12.`, `4. ### `) is structure, kept as the question's number
    text = _HEADING.sub(lambda m: m.group(1) + MARKER.sub("", m.group(2), count=1), markdown)
    text = re.sub(r"^\s*\d+[.)]\s+", " ", text, flags=re.M)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"\]\([^)]*\)", "] ", text)  # link targets
    text = re.sub(r"</?[A-Za-z][^<>\n]*>", " ", text)  # tags, not their text
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"^(```|~~~)\S*", " ", text, flags=re.M)
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    return Counter(w.casefold() for w in re.findall(r"\w+", text))


def model_words(data: dict) -> Counter:
    parts = [data["title"], data.get("intro", "")]
    parts += [u.get("prompt", "") for u in data.get("unanswered", []) if isinstance(u, dict)]
    for section in data["sections"]:
        parts += section["path"]
        for q in section["questions"]:
            parts += [q["prompt"], q["front"], q["answer"], str(q["number"] or "")]
            parts += [c["text"] for c in q.get("choices", [])]
    return visible_words("\n".join(parts))


def measure(path: Path, in_place: bool = False) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        copy = path
        if not in_place:
            content = Path(scratch) / "content"
            content.mkdir()
            copy = content / path.name
            copy.write_bytes(path.read_bytes())
        result = build([copy], Path(scratch) / "out", ["json"], Settings())
        diagnostics = result.all_diagnostics
        out = Path(scratch) / "out" / f"{path.stem}.json"
        if not out.exists():
            return {
                "file": path.name,
                "error": [str(d) for d in diagnostics if d.severity == "error"],
            }
        data = json.loads(out.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8", errors="replace")
    lines = text.split("\n")
    file_words = visible_words(text)
    in_model = model_words(data)
    skipped_words = visible_words(
        "\n".join("\n".join(lines[s["line"] - 1 : s["end"]]) for s in data.get("skipped", []))
    )
    total = sum(file_words.values())
    reached = sum(min(n, in_model[w]) for w, n in file_words.items())
    accounted = sum(min(n, in_model[w] + skipped_words[w]) for w, n in file_words.items())
    questions = [q for s in data["sections"] for q in s["questions"]]
    junk = [
        q["source"]
        for q in questions
        if re.search(r"</?(details|summary)\b", q["prompt"] + q["answer"] + q["front"], re.I)
        or not q["prompt"].strip()
    ]
    reasons = Counter()
    for s in data.get("skipped", []):
        reasons[s["reason"]] += s["end"] - s["line"] + 1
    return {
        "file": path.name,
        "questions": len(questions),
        "conventions": dict(Counter(q.get("convention", "?") for q in questions)),
        "choice": sum(q["kind"] == "choice" for q in questions),
        "unanswered": len(data.get("unanswered", [])),
        "warnings": sum(d.severity == "warning" for d in diagnostics),
        "stray": sum("is in no question" in d.message for d in diagnostics),
        "words": total,
        "in_model": round(100 * reached / total, 1) if total else 100.0,
        "distinct_in_model": round(
            100 * sum(w in in_model for w in file_words) / len(file_words), 1
        )
        if file_words
        else 100.0,
        "accounted": round(100 * accounted / total, 1) if total else 100.0,
        "skipped_lines": dict(reasons.most_common()),
        "junk": junk,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="build each file where it is, with its images (writes cardsmith.lock beside it)",
    )
    args = parser.parse_args()
    rows = [measure(path, args.in_place) for path in args.files]
    if args.json:
        json.dump(rows, sys.stdout, indent=1)
        return
    for row in rows:
        if "error" in row:
            print(f"{row['file']}: {row['error']}")
            continue
        print(
            f"{row['file']}: {row['questions']} questions {row['conventions']}, "
            f"{row['choice']} quizzes, {row['unanswered']} unanswered, {row['warnings']} warnings "
            f"({row['stray']} text in no question); words in model {row['in_model']}% "
            f"(distinct {row['distinct_in_model']}%), accounted {row['accounted']}% of "
            f"{row['words']}; junk {len(row['junk'])}"
        )
        print(f"    skipped lines: {row['skipped_lines']}")


if __name__ == "__main__":
    main()
