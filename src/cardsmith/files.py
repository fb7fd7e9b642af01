"""Opening a file cardsmith reads but did not just write: the state it keeps (the lock, the build
cache, a vault's notes cache, the sheet cache), a vault's settings and notes, Markdown, images.

Any of them may be something else by mistake or by malice: a FIFO (an open blocks forever), a device
(`/dev/zero` never ends), a folder, or a 2 GB sparse file. So a file is opened without blocking,
checked to be a regular file on the descriptor it was opened as (nothing can be swapped in between),
and its size capped before a byte is read; reading stops one byte past the cap, should it grow.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once instead of waiting for a writer
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


class NotRegularFile(OSError):
    """A folder, a FIFO, a device or a socket where a file was expected."""


class FileTooLarge(OSError):
    """A file over the cap its kind has."""


def size_text(limit: int) -> str:
    """`64 MiB`, `512 KiB`: a cap as people read it."""
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if limit >= 1 << shift:
            return f"{limit / (1 << shift):g} {unit}"
    return f"{limit} bytes"


def open_regular(path: Path, limit: int | None) -> BinaryIO:
    """`path` opened for reading if it is a regular file (symlinks followed) of at most `limit` bytes
    (None: any size); else `NotRegularFile`, `FileTooLarge` or the OSError of opening it."""
    descriptor = os.open(path, _FLAGS)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(errno.EINVAL, "not a regular file", str(path))
        if limit is not None and info.st_size > limit:
            raise FileTooLarge(errno.EFBIG, f"larger than {size_text(limit)}", str(path))
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of `path`, a regular file of at most `limit` bytes (see `open_regular`)."""
    with open_regular(path, limit) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:  # it grew since it was opened
        raise FileTooLarge(errno.EFBIG, f"larger than {size_text(limit)}", str(path))
    return data


def read_regular_text(path: Path, limit: int) -> str:
    """`read_regular` decoded as UTF-8 (UnicodeDecodeError, a ValueError, when it is not)."""
    return read_regular(path, limit).decode("utf-8")
