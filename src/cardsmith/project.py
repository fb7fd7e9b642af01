"""`cardsmith init`: a new project with an example deck, a config file and a .gitignore."""

from __future__ import annotations

from pathlib import Path

EXAMPLE = """---
title: Example deck
date: 2026-01-01
tags: [example]
---

# Example deck

## Basics

### 1. What does cardsmith build from this file?
- an **Anki deck** (`output/example.apkg`) for your phone
- a **cheat sheet** and **flashcards** to print (`output/example.pdf`, `output/example.cards.pdf`)
- **CSV** for spreadsheets and for Anki's importer, and **JSON** for other tools

### 2. How do I keep my review history when I edit a question?
Just edit and rebuild: `cardsmith.lock` remembers which card each question is. Commit it.

## Writing

### 3. Can answers hold code and math?
Yes:

```python
print(sum(range(4)))  # 6
```

Inline math $e^{i\\pi} + 1 = 0$ works too.

### The {{c1::cloze}} syntax makes a fill-in-the-blank card
Put `{{c1::...}}` in the question.
"""

CONFIG = """# cardsmith settings; front matter in a deck overrides the deck settings, flags override all.
sources = ["content"]
out = "output"
formats = []          # empty: every format; e.g. ["apkg", "pdf"]
paper = "a4"          # or "letter"
questions = "auto"    # or heading, list-heading, bold, qa
tags = []             # added to every card
"""

GITIGNORE = "/output/\n/.venv/\n__pycache__/\n"


def init_project(folder: Path) -> list[Path]:
    """Write the starter files into `folder` (created if needed); never overwrites a file."""
    files = {
        folder / "content" / "example.md": EXAMPLE,
        folder / "cardsmith.toml": CONFIG,
        folder / ".gitignore": GITIGNORE,
    }
    existing = [path for path in files if path.exists()]
    if existing:
        raise FileExistsError(", ".join(str(p) for p in existing))
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (folder / "output").mkdir(exist_ok=True)
    return list(files)
