"""Reading a Markdown file's bytes into text: UTF-8 (a BOM is fine), newlines normalised, mis-encoded
text repaired and reported. Anything that is not text is a `ContentError` naming the line."""

from __future__ import annotations

import codecs
import difflib
import hashlib
from dataclasses import dataclass
from pathlib import Path

from cardsmith.errors import ContentError, Report
from cardsmith.files import FileTooLarge, read_regular
from cardsmith.model import Source

MAX_BYTES = 64 * 1024 * 1024  # a question bank is text: a larger file is a mistake, not a deck


@dataclass(frozen=True, slots=True)
class Text:
    """A file's text, and the sha256 of exactly the bytes it was decoded from (the build cache keys
    a deck on them: an edit made while the deck builds must not be taken as built)."""

    text: str
    digest: str


def read_source(path: Path, report: Report) -> Text:
    data = read_bytes(path)
    return Text(decode(data, path, report), hashlib.sha256(data).hexdigest())


def read_bytes(path: Path) -> bytes:
    """A Markdown file's bytes, at most `MAX_BYTES` of them (more is an error, found before reading),
    from a regular file only (`files.read_regular`)."""
    try:
        return read_regular(path, MAX_BYTES)
    except FileTooLarge:
        raise ContentError.at(
            Source(path, 0), f"file is larger than {MAX_BYTES // 2**20} MiB; split it into decks"
        ) from None
    except OSError as exc:
        raise ContentError.at(Source(path, 0), f"cannot read file: {exc.strerror}") from None


def decode(data: bytes, path: Path, report: Report) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ContentError.at(Source(path, 1), "file is UTF-16; save it as UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise ContentError.at(Source(path, line), "file contains NUL bytes; is it a binary file?")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContentError.at(
            Source(path, line),
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at column {column}); "
            "save the file as UTF-8",
        ) from None
    return repair_mojibake(normalise_newlines(text), path, report)


def normalise_newlines(text: str) -> str:
    # markdown-it counts a lone CR as a line break too; line numbers must agree with its maps
    return text.replace("\r\n", "\n").replace("\r", "\n")


def repair_mojibake(text: str, path: Path, report: Report) -> str:
    if text.isascii():
        return text  # ASCII cannot be mis-encoded text; and ftfy takes a while to import
    import ftfy

    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if line.isascii():
            continue
        fixed = ftfy.fix_encoding(line)
        if fixed != line:
            lines[number - 1] = fixed
            report.warn(Source(path, number), f"repaired mis-encoded text: {_changes(line, fixed)}")
    return "\n".join(lines)


def _changes(before: str, after: str) -> str:
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    pairs = [
        f"'{before[i1:i2]}' -> '{after[j1:j2]}'"
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    ]
    return ", ".join(dict.fromkeys(pairs))
