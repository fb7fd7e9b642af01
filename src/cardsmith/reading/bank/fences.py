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


# a heading's shape: its level and its words up to its number, digits folded (`### Question 1.2:`
# -> `### question 0.0:`); headings with no number have none
_SHAPE = re.compile(r"^ {0,3}(#{1,6})\s+(\D{0,40}?)(\d+(?:[.\-]\d+)*)([.):]?)")


def heading_shape(line: str) -> str | None:
    if "#" not in line[:4]:
        return None  # (what `_SHAPE` needs first: a `#` after at most three spaces)
    found = _SHAPE.match(line)
    if not found:
        return None
    level, words, number, mark = found.groups()
    return f"{level} {words.strip().casefold()} {_DIGITS.sub('0', number)}{mark}"


_DIGITS = re.compile(r"[0-9]+")


def check_headings_in_code(tokens, lines: list[str], path: Path, report: Report) -> None:
    """A closed code block holding lines shaped as the file's own numbered headings (`### Question
    5.1:` where the file's questions are `### Question N.M:`) is warned about with its lines and the
    questions they hold (the deepest of those headings). GitHub shows them as code, and so does cardsmith: the usual cause is an
    indented fence inside a code block (```` ```python ```` three spaces in) whose indented closing
    fence ends the outer block, so every later fence is read the other way round. cardsmith does not
    pair the fences as the author meant: its reader and its renderer share GitHub's reading (an
    answer shows as GitHub shows it), and a code block may rightly hold Markdown (a tutorial's
    sample); the warning names the fence to fix."""
    fences = [t for t in tokens if t.type == "fence" and t.map]
    inside = {n for t in fences for n in range(t.map[0], t.map[1])}
    shapes: dict[str, int] = {}
    for number, line in enumerate(lines):
        shape = heading_shape(line) if number not in inside else None
        if shape:
            shapes[shape] = shapes.get(shape, 0) + 1
    known = {shape for shape, count in shapes.items() if count >= 2}
    if not known:
        return
    # the questions are the deepest of those headings (`### Question 5.1:` under `## 5. Topic`)
    deepest = max(len(shape.split(" ")[0]) for shape in known)
    culprit = _indented_closer(fences, lines)
    for token in fences:
        start, end = token.map
        closing = lines[end - 1].strip() if end - 1 > start else ""
        if not (closing.startswith(token.markup) and not closing.strip(token.markup[0])):
            continue  # never closed: `check_fences` says so
        shaped = {n: heading_shape(lines[n]) for n in range(start + 1, end - 1)}
        held = [n for n, shape in shaped.items() if shape in known]
        if not held:
            continue
        count = sum(len(str(shaped[n]).split(" ")[0]) == deepest for n in held)
        heads = ", ".join(str(n + 1) for n in held[:3]) + (", ..." if len(held) > 3 else "")
        cause = ""
        if culprit is not None and culprit[1] < start:
            cause = (
                f"; the fence at line {culprit[1] + 1}, indented, closed the block of line "
                f"{culprit[0] + 1}, so the fences after it pair the other way round (open the "
                f"outer block with more backticks, or indent the inner one 4 spaces)"
            )
        report.warn(
            Source(path, start + 1),
            f"code block (lines {start + 1}-{end}) holds {len(held)} line"
            f"{'s' if len(held) != 1 else ''} shaped as this file's headings (line {heads}): "
            f"{count} question{'s' if count != 1 else ''} shown as code, as GitHub shows them"
            f"{cause}",
        )


def _indented_closer(fences, lines: list[str]) -> tuple[int, int] | None:
    """(opening line, closing line) of the first code block closed by an indented fence while it
    holds an indented fence opener (```` ```python ```` three spaces in): the author nested a
    fence that does not nest."""
    for token in fences:
        start, end = token.map
        closing = lines[end - 1] if end - 1 > start else ""
        indent = len(closing) - len(closing.lstrip(" "))
        if not 0 < indent <= 3 or closing.strip().strip(token.markup[0]):
            continue
        if any(re.match(r"^ {1,3}(`{3,}|~{3,})\S", lines[n]) for n in range(start + 1, end - 1)):
            return start, end - 1
    return None
