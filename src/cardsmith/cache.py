"""Incremental builds: a deck whose inputs have not changed is neither parsed nor written again.

The cache is `<out>/.cardsmith-cache.json`. A deck's key covers everything its outputs depend on: the
Markdown's bytes, its entries in the lock file, the images it bundles, the requested formats and
options, the templates and cardsmith's own code. A deck is skipped only when its key matches and every
output it wrote is still there with the same bytes. Its warnings are kept and shown again, so a cached
build says what a fresh one would.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from cardsmith.errors import Diagnostic, Severity
from cardsmith.model import Source
from cardsmith.options import Options
from cardsmith.output import write_atomic

CACHE_NAME = ".cardsmith-cache.json"
CACHE_VERSION = 1


@dataclass(frozen=True, slots=True)
class Summary:
    """What the command line says about a deck, whether it was built now or earlier."""

    stem: str
    questions: int
    sections: int
    unanswered: int


@dataclass(frozen=True, slots=True)
class Hit:
    outputs: list[Path]
    diagnostics: list[Diagnostic]
    summary: Summary


class BuildCache:
    def __init__(self, out_dir: Path, records: dict | None = None):
        self.path = out_dir / CACHE_NAME
        self.records: dict[str, dict] = records or {}
        self.changed = False

    @classmethod
    def load(cls, out_dir: Path) -> BuildCache:
        try:
            data = json.loads((out_dir / CACHE_NAME).read_text(encoding="utf-8"))
            if data.get("version") == CACHE_VERSION:
                return cls(out_dir, data["decks"])
        except (OSError, ValueError, KeyError, TypeError):
            pass  # no cache, or one from another version: build everything
        return cls(out_dir)

    def lookup(self, source: Path, key: str) -> Hit | None:
        record = self.records.get(str(source))
        if not record or record["key"] != key:
            return None
        outputs = [Path(p) for p in record["outputs"]]
        for path, digest in zip(outputs, record["outputs"].values(), strict=True):
            if not path.is_file() or _file_digest(path) != digest:
                return None  # deleted or edited by hand: rebuild
        diagnostics = [
            Diagnostic(Source(Path(p), line), Severity(severity), message)
            for p, line, severity, message in record["diagnostics"]
        ]
        return Hit(outputs, diagnostics, Summary(**record["summary"]))

    def store(self, source: Path, key: str, outputs: list[Path], diagnostics, summary: Summary):
        self.changed = True
        self.records[str(source)] = {
            "key": key,
            "outputs": {str(p): _file_digest(p) for p in outputs},
            "diagnostics": [
                [str(d.source.path), d.source.line, d.severity, d.message] for d in diagnostics
            ],
            "summary": {
                "stem": summary.stem,
                "questions": summary.questions,
                "sections": summary.sections,
                "unanswered": summary.unanswered,
            },
        }

    def forget(self, source: Path) -> None:
        if self.records.pop(str(source), None) is not None:
            self.changed = True

    def save(self) -> None:
        text = json.dumps(
            {"version": CACHE_VERSION, "decks": self.records}, sort_keys=True, indent=1
        )
        write_atomic(self.path, text + "\n")


def deck_key(source: Path, lock_entries: str, formats, options: Options) -> str:
    """Everything a deck's outputs depend on, including the bytes of every image the Markdown names."""
    digest = hashlib.sha256()
    for part in (
        code_fingerprint(),
        str(source),
        lock_entries,
        ",".join(formats),
        repr(
            (
                options.allow_html,
                options.paper,
                options.columns,
                options.csv_delimiter,
                options.strict,
                options.questions,
            )
        ),
    ):
        digest.update(part.encode())
        digest.update(b"\x00")
    data = source.read_bytes()
    digest.update(data)
    for image in _image_files(source, data.decode("utf-8", "replace")):
        digest.update(image.read_bytes())
    return digest.hexdigest()


_IMAGE_TARGET = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)|^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)", re.M)


def _image_files(source: Path, text: str) -> list[Path]:
    """Local files the Markdown's image syntax may name, found without parsing: a changed image must
    invalidate the deck even though the Markdown did not change. Inline images and every reference
    definition (`[pic]: a.png`, which `![x][pic]` may use) count: a superset costs a rebuild at most."""
    files = []
    for match in _IMAGE_TARGET.finditer(text):
        candidate = source.parent / (match.group(1) or match.group(2)).split("#")[0]
        try:
            if candidate.is_file():
                files.append(candidate)
        except (OSError, ValueError):
            continue
    return sorted(set(files))


@functools.cache
def code_fingerprint() -> str:
    """cardsmith's own code and the templates: a new version or a template edit rebuilds everything."""
    from cardsmith import __version__
    from cardsmith.templating import templates_dir

    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for folder, pattern in ((package, "**/*.py"), (templates_dir(), "**/*")):
        for path in sorted(folder.glob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
