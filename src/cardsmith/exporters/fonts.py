"""Which characters no installed font can draw, asked of fontconfig, the library WeasyPrint itself
finds fonts with (so its configuration, `FONTCONFIG_FILE` included, is honoured).

`fc-list` prints every font's character set as ranges of code points; merged once per process,
they answer "is there a font for this character" with one bisection. Without `fc-list` the question
goes unanswered (nothing is reported) rather than guessed.
"""

from __future__ import annotations

import functools
import hashlib
import shutil
import subprocess
from bisect import bisect_right


def _fc_list(spec: str) -> str | None:
    """What fontconfig's `fc-list --format SPEC` prints; None when it cannot be asked."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        return subprocess.run(
            [fc_list, "--format", spec], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None


@functools.cache
def _coverage() -> tuple[list[int], list[int]] | None:
    """(starts, ends) of the merged code-point ranges some installed font covers; None when
    fontconfig cannot be asked."""
    listed = _fc_list("%{charset}\\n")
    if listed is None:
        return None
    ranges = []
    for item in listed.split():
        first, _, last = item.partition("-")
        try:
            ranges.append((int(first, 16), int(last or first, 16)))
        except ValueError:
            continue
    ranges.sort()
    starts: list[int] = []
    ends: list[int] = []
    for first, last in ranges:
        if starts and first <= ends[-1] + 1:
            ends[-1] = max(ends[-1], last)
        else:
            starts.append(first)
            ends.append(last)
    return starts, ends


@functools.cache
def fonts_fingerprint() -> str:
    """A digest of the fonts installed (their files and versions, as fontconfig lists them): what a
    page laid out earlier looked like may change with them."""
    listed = _fc_list("%{file} %{index} %{fontversion}\\n") or ""
    return hashlib.sha256("\n".join(sorted(listed.splitlines())).encode()).hexdigest()


def uncovered(characters: set[str]) -> set[str]:
    """The characters among `characters` that no installed font has (spaces and controls aside)."""
    coverage = _coverage()
    if coverage is None:
        return set()
    starts, ends = coverage
    missing = set()
    for character in characters:
        point = ord(character)
        if character.isspace() or point < 0x20 or 0xFE00 <= point <= 0xFE0F or point == 0x200D:
            continue  # nothing to draw: spaces, controls, variation selectors, joiners
        position = bisect_right(starts, point) - 1
        if position < 0 or point > ends[position]:
            missing.add(character)
    return missing
