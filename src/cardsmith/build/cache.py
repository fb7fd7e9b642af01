"""Incremental builds: a deck whose inputs have not changed is neither parsed nor written again.

The cache is `<out>/.cardsmith-cache.json`. A deck's key covers the sha256 of the Markdown bytes that
were parsed (not of the file read again later: an edit made while the deck builds must not be taken as
built), its entries in the lock file, the requested formats and options, the templates and cardsmith's
own code. Each record also lists the images the parser read, with their digests, the way `make` keeps
the files a target was built from. A deck's last few builds are kept (`KEPT`): builds of other
formats each find their own (`watch` writes the PDFs in a build after the other formats'). A deck is skipped only when its key matches, every image it used is
unchanged, and every output it wrote is still there with the same bytes. Its warnings are kept and
shown again, so a cached build says what a fresh one would.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from cardsmith.errors import Diagnostic, Severity
from cardsmith.files import read_regular
from cardsmith.fingerprint import code_fingerprint, file_digest
from cardsmith.model import Source
from cardsmith.output import write_atomic
from cardsmith.settings import Settings

CACHE_NAME = ".cardsmith-cache.json"
CACHE_VERSION = 2
MAX_CACHE_BYTES = 128 << 20  # read whole: a larger one is not one cardsmith wrote
# builds of a deck kept, the latest first: builds of other formats (`watch` writes the PDFs after the
# other formats, in a build of their own) each find their own
KEPT = 4


@dataclass(frozen=True, slots=True)
class Summary:
    """What the command line says about a deck, whether it was built now or earlier."""

    stem: str
    questions: int
    sections: int
    unanswered: int


def _well_formed(record: object) -> bool:
    """A record as `BuildCache.store` writes it."""
    if not isinstance(record, dict) or not isinstance(record.get("key"), str):
        return False
    outputs, diagnostics, summary = (record.get(k) for k in ("outputs", "diagnostics", "summary"))
    images = record.get("images", {})
    return (
        isinstance(images, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in images.items())
        and isinstance(outputs, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in outputs.items())
        and isinstance(diagnostics, list)
        and all(
            isinstance(d, list)
            and len(d) in (4, 5)
            and isinstance(d[0], str)
            and type(d[1]) is int
            and d[2] in ("error", "warning")
            and isinstance(d[3], str)
            and (len(d) == 4 or (isinstance(d[4], list) and all(isinstance(x, str) for x in d[4])))
            for d in diagnostics
        )
        and isinstance(summary, dict)
        and summary.keys() == {"stem", "questions", "sections", "unanswered"}
        and isinstance(summary["stem"], str)
        and all(type(summary[k]) is int for k in ("questions", "sections", "unanswered"))
    )


@dataclass(frozen=True, slots=True)
class Hit:
    outputs: list[Path]
    diagnostics: list[Diagnostic]
    summary: Summary


class BuildCache:
    def __init__(self, out_dir: Path, records: dict | None = None):
        self.path = out_dir / CACHE_NAME
        self.records: dict[str, list[dict]] = records or {}  # a deck's builds, the latest first
        self.changed = False

    @classmethod
    def load(cls, out_dir: Path) -> BuildCache:
        """The cache in `out_dir`; an empty one when there is none, or it is of another version or
        of any shape cardsmith does not write (hand-edited, truncated, not a file): build all."""
        path = out_dir / CACHE_NAME
        try:  # (not a FIFO, which would block the read forever, nor a 2 GB sparse file)
            data = json.loads(read_regular(path, MAX_CACHE_BYTES))
        except (OSError, ValueError, RecursionError):
            return cls(out_dir)
        if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
            return cls(out_dir)
        decks = data.get("decks")
        if not isinstance(decks, dict):
            return cls(out_dir)
        return cls(
            out_dir,
            {
                k: [r for r in v if _well_formed(r)][:KEPT]
                for k, v in decks.items()
                if isinstance(v, list)
            },
        )

    def knows(self, source: Path) -> bool:
        """Whether a build of `source` is recorded (else `lookup` misses whatever the key)."""
        return bool(self.records.get(str(source)))

    def lookup(self, source: Path, key: str) -> Hit | None:
        record = next((r for r in self.records.get(str(source), ()) if r["key"] == key), None)
        if record is None:
            return None
        for image, digest in record.get("images", {}).items():
            try:
                if file_digest(Path(image)) != digest:
                    return None  # an image changed or appeared: its deck shows the new one
            except FileNotFoundError:
                if digest:
                    return None  # gone
            except OSError:
                return None
        outputs = [Path(p) for p in record["outputs"]]
        for path, digest in zip(outputs, record["outputs"].values(), strict=True):
            if not path.is_file() or file_digest(path) != digest:
                return None  # deleted or edited by hand: rebuild
        diagnostics = [
            Diagnostic(Source(Path(p), line), Severity(severity), message, tuple(details))
            for p, line, severity, message, *more in record["diagnostics"]
            for details in [more[0] if more else ()]
        ]
        return Hit(outputs, diagnostics, Summary(**record["summary"]))

    def store(
        self,
        source: Path,
        key: str,
        outputs: list[Path],
        diagnostics,
        summary: Summary,
        images: dict[str, str] | None = None,
    ):
        """Remember a built deck: its key, outputs, messages, summary and the images (path ->
        sha256; "" for one that was not there) the parser read for it."""
        self.changed = True
        earlier = [r for r in self.records.get(str(source), ()) if r["key"] != key]
        record = {
            "key": key,
            "images": dict(sorted((images or {}).items())),
            "outputs": {str(p): file_digest(p) for p in outputs},
            "diagnostics": [
                [str(d.source.path), d.source.line, d.severity, d.message, list(d.details)]
                for d in diagnostics
            ],
            "summary": {
                "stem": summary.stem,
                "questions": summary.questions,
                "sections": summary.sections,
                "unanswered": summary.unanswered,
            },
        }
        self.records[str(source)] = [record, *earlier][:KEPT]

    def forget(self, source: Path) -> None:
        if self.records.pop(str(source), None) is not None:
            self.changed = True

    def save(self) -> None:
        text = json.dumps(
            {"version": CACHE_VERSION, "decks": self.records}, sort_keys=True, indent=1
        )
        write_atomic(self.path, text + "\n")


def deck_key(source: Path, digest: str, lock_entries: str, formats, settings: Settings) -> str:
    """Everything a deck's outputs depend on but its images: `digest` is the sha256 of the Markdown
    bytes (as read now, to look up; as parsed, to store)."""
    key = hashlib.sha256()
    for part in (
        code_fingerprint(),
        str(source),
        digest,
        lock_entries,
        ",".join(formats),
        settings.output_key(),  # every setting declared to change outputs (`cardsmith.settings`)
    ):
        key.update(part.encode())
        key.update(b"\x00")
    return key.hexdigest()
