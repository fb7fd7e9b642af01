"""Code fences that are never closed, or closed by a line the parser cannot take as their end: a
warning that says where the code really ends (an error under `--strict`). The deck is kept as GitHub
shows the file: the swallowed lines are code in the answer the fence opens in; when they hold headings,
the warning says how many questions they hold, which GitHub's reading of the file loses too."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from cardsmith.errors import Report
from cardsmith.model import Source
from cardsmith.reading.bank.document import last_text_line


def check_fences(
    tokens,
    lines: list[str],
    path: Path,
    report: Report,
    questions_in: Callable[[str], int] | None = None,
) -> None:
    """An unclosed ``` runs on until its block ends; if it swallows headings, their questions are
    code (`questions_in` counts the questions of the swallowed text read alone)."""
    for token in tokens:
        if token.type != "fence" or not token.map:
            continue
        start, end = token.map
        closing = lines[end - 1].strip() if end - 1 > start else ""
        marker = token.markup
        if closing.startswith(marker) and not closing.strip(marker[0]):
            continue
        source = Source(path, start + 1)
        swallowed = next(
            (n for n in range(start + 1, end) if re.match(r" {0,3}#{1,6}\s", lines[n])), None
        )
        looks_closed = next(
            (
                n
                for n in range(start + 1, end)
                if lines[n].strip().startswith(marker) and not lines[n].strip().strip(marker[0])
            ),
            None,
        )
        if swallowed is not None and token.level == 0:
            last = last_text_line(lines, start, end)
            lost = questions_in("\n".join(lines[start + 1 : end])) if questions_in else 0
            holds = (
                f": {lost} question{'s' if lost != 1 else ''} GitHub's reading loses too"
                if lost
                else ""
            )
            report.warn(
                source,
                f"code fence {marker} is never closed: it swallows the rest of the file, lines "
                f"{start + 2}-{last}, as code (as GitHub shows it), including the heading at line "
                f"{swallowed + 1}{holds}; close the fence where its code ends",
            )
        elif looks_closed is not None:
            last = last_text_line(lines, start, end)
            runs_on = "" if last <= looks_closed + 1 else f" and the code runs on to line {last}"
            where = ", where its list item ends" if token.level and runs_on else ""
            report.warn(
                source,
                f"code fence {marker} is not closed by the {marker} on line {looks_closed + 1}: "
                f"that line is indented differently from the opening one, so it shows as "
                f"code{runs_on}{where}",
            )
        elif end < len(lines) and token.level:
            report.warn(
                source,
                f"code fence {marker} is never closed; the code runs on to line "
                f"{last_text_line(lines, start, end)}, where its list item ends",
            )
        else:
            report.warn(
                source, f"code fence {marker} is never closed; it runs to the end of the file"
            )
