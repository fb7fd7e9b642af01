"""Digests of files and of cardsmith itself: what caches are keyed by (the build cache, a vault's
notes cache)."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from cardsmith import __version__
from cardsmith.files import open_regular
from cardsmith.templating import templates_dir


@functools.cache
def code_fingerprint() -> str:
    """cardsmith's own code and the templates: a new version or a template edit rebuilds everything."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for folder, pattern in ((package, "**/*.py"), (templates_dir(), "**/*")):
        for path in sorted(folder.glob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def file_digest(path: Path, limit: int | None = None) -> str:
    """sha256 of a regular file's bytes, of at most `limit` of them when given (OSError for anything
    else: a FIFO would block, a device never end; `files.open_regular`)."""
    digest = hashlib.sha256()
    with open_regular(path, limit) as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
