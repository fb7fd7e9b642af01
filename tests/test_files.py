"""Opening files cardsmith did not write (`cardsmith.files`): regular files only, never blocking, the
size capped before a byte is read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cardsmith.files import FileTooLarge, NotRegularFile, open_regular, read_regular, size_text


def test_a_regular_file_is_read(tmp_path):
    path = tmp_path / "a"
    path.write_bytes(b"abc")
    assert read_regular(path, 3) == b"abc"
    with open_regular(path, None) as handle:
        assert handle.read() == b"abc"


def test_a_file_over_its_cap_is_refused_by_its_size(tmp_path):
    path = tmp_path / "sparse"
    with path.open("wb") as handle:
        handle.truncate(2 << 30)
    with pytest.raises(FileTooLarge) as caught:
        read_regular(path, 64 << 20)
    assert caught.value.strerror == "larger than 64 MiB"


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_what_is_not_a_regular_file_is_refused_without_blocking(tmp_path, kind):
    path = {"fifo": tmp_path / "pipe", "device": Path("/dev/zero"), "folder": tmp_path}[kind]
    if kind == "fifo":
        os.mkfifo(path)  # a plain open() would wait for a writer forever
    with pytest.raises(NotRegularFile) as caught:
        read_regular(path, 1 << 20)
    assert caught.value.strerror == "not a regular file"


def test_a_missing_file_is_the_usual_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_regular(tmp_path / "missing", 10)


@pytest.mark.parametrize(
    ("limit", "text"),
    [(64 << 20, "64 MiB"), (1 << 20, "1 MiB"), (512 << 10, "512 KiB"), (9, "9 bytes")],
)
def test_caps_are_said_as_people_read_them(limit, text):
    assert size_text(limit) == text
