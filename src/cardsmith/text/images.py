"""Images a question shows: where each file is, checked before a byte of it is read.

A `src` is relative to the Markdown file, or (`/images/x.png`, as GitHub shows it in a README) to the
content folder. Either way the resolved file, symlinks followed, must lie inside the content folder,
and it is hashed in blocks, never read whole, up to `MAX_BYTES`. A file that is not there is a
warning, not an error (a bank's broken image link, as GitHub shows a broken icon): the card shows
the image's alt text or file name, marked (`cardsmith.render.html`).
"""

from __future__ import annotations

import errno
import hashlib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from cardsmith.errors import Report
from cardsmith.files import FileTooLarge, NotRegularFile, open_regular
from cardsmith.model import Image, Source

MAX_BYTES = 32 * 1024 * 1024  # larger than any picture a card or a page needs


def resolve_image(
    src: str,
    source: Source,
    path: Path,
    content_root: Path,
    report: Report,
    missing: set[Path] | None = None,
) -> Image | None:
    """The image `src` names in the Markdown file `path`, or None (and a message in `report`). A
    file inside the content folder that is not there is added to `missing` (the build cache
    rebuilds the deck when it appears)."""
    parts = urlsplit(src)
    if is_remote(src):
        report.warn(source, f"remote image {src!r} is kept as a link and not downloaded")
        return None
    relative = unquote(parts.path)
    if "\x00" in relative:
        report.error(source, f"image path {src!r} holds a NUL character")
        return None
    if not relative or relative.startswith("\\") or ":" in relative[:3]:
        report.error(source, f"image path {src!r} must be relative to the Markdown file")
        return None
    root = content_root.resolve()
    if relative.startswith("/"):
        relative = relative.lstrip("/")
        base = root  # from the repository's (the content folder's) top, as GitHub reads it
    else:
        base = path.parent
    try:
        target = (base / relative).resolve()
        inside = target.is_relative_to(root)
    except (OSError, RuntimeError, ValueError) as exc:  # a name too long, a symlink loop
        report.error(source, f"image {src!r} cannot be used: {_reason(exc)}")
        return None
    if not inside:
        report.error(source, f"image {src!r} is outside the content folder {content_root}")
        return None
    try:
        digest = _digest(target)
    except (FileNotFoundError, NotADirectoryError):
        where = f" (a path starting with / is read from the content folder {content_root})"
        report.warn(
            source,
            f"image {src!r} not found"
            + (where if src.startswith("/") else "")
            + "; cards show its alt text or file name instead",
        )
        if missing is not None:
            missing.add(target)
        return None
    except FileTooLarge:
        limit = MAX_BYTES // 2**20
        report.error(source, f"image {src!r} is larger than {limit} MiB; make it smaller")
        return None
    except OSError as exc:  # not a regular file (a folder, a FIFO, a device), unreadable, a path
        # that is not one (a name too long, a symlink loop)
        verb = "read" if isinstance(exc, NotRegularFile | PermissionError) else "used"
        report.error(source, f"image {src!r} cannot be {verb}: {_reason(exc)}")
        return None
    return Image(src=src, path=target, digest=digest)


def _digest(path: Path) -> str:
    """sha256 of the file, a regular file of at most `MAX_BYTES` (`files.open_regular`), read in
    blocks (and no further, should it grow meanwhile)."""
    digest = hashlib.sha256()
    size = 0
    with open_regular(path, MAX_BYTES) as handle:
        while block := handle.read(1 << 20):
            size += len(block)
            if size > MAX_BYTES:
                raise FileTooLarge(errno.EFBIG, "too large", str(path))
            digest.update(block)
    return digest.hexdigest()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__


def is_remote(src: str) -> bool:
    """Whether `src` is on the web (`https://...`, `//host/...`), not a file of the content folder."""
    return bool(urlsplit(src).scheme) or src.startswith("//")


def file_name(src: str) -> str:
    """The file name a local `src` ends in (`img/a%20b.png` -> `a b.png`)."""
    return unquote(urlsplit(src).path).replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or src


def image_attributes(tag: str) -> dict[str, str]:
    """The attributes of one `<img ...>` tag, entities decoded (an HTML parser, not a regex)."""
    found: dict[str, str] = {}

    class Reader(HTMLParser):
        def handle_starttag(self, name, attrs):
            if name == "img" and not found:
                found.update((key, value or "") for key, value in attrs)

        handle_startendtag = handle_starttag

    reader = Reader(convert_charrefs=True)
    reader.feed(tag)
    reader.close()
    return found


def html_image_sources(fragment: str) -> list[tuple[int, str]]:
    """(line offset, src) of every `<img>` in an HTML fragment, such as a README's
    `<p align="center"><img src="assets/x.png" width="500"></p>`."""
    found: list[tuple[int, str]] = []

    class Reader(HTMLParser):
        def handle_starttag(self, name, attrs):
            if name == "img":
                src = dict(attrs).get("src")
                if src:
                    found.append((self.getpos()[0] - 1, src))

        handle_startendtag = handle_starttag

    reader = Reader(convert_charrefs=True)
    reader.feed(fragment)
    reader.close()
    return found
