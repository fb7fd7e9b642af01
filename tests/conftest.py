"""Shared fixtures: a scratch content folder, the seed and golden banks in it, an Anki collection.

What tests import (paths, `write`, the Anki engine's helpers) lives in `tests/support/`."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from support.inputs import DATA, SEED, mis_encoded_seed

# `make test` runs the same examples every time (a red run is the code's, and it stays red until it
# is fixed); `make fuzz` (HYPOTHESIS_PROFILE=fuzz) draws new ones, and keeps what fails in .hypothesis/
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("fuzz")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture(scope="session", autouse=True)
def _scratch_is_a_repository_top(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Scratch folders are a project's whole world: a project is found upwards from a file, as git
    finds its repository, so a stray `cardsmith.lock` in /tmp (a file built there by hand) would
    otherwise make every test's content folder part of /tmp's project. The search stops at a `.git`."""
    (tmp_path_factory.getbasetemp() / ".git").mkdir(exist_ok=True)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    return folder


@pytest.fixture
def seed_copy(content: Path) -> Path:
    """The seed in a scratch content folder, so builds may write its lock file."""
    target = content / SEED.name
    shutil.copyfile(SEED, target)
    return target


@pytest.fixture
def mis_encoded_seed_copy(content: Path) -> Path:
    """The seed with line 33's en dash mis-encoded (`â€“`), as the repair's example."""
    return mis_encoded_seed(content)


@pytest.fixture
def golden_copy(content: Path) -> Path:
    """tests/data/golden.md in a scratch content folder (builds write a lock file beside it)."""
    target = content / "golden.md"
    shutil.copyfile(DATA / "golden.md", target)
    return target


@pytest.fixture
def collection(tmp_path: Path):
    """An empty Anki collection, opened with Anki's own engine and closed after the test."""
    # imported here: the Anki engine takes a while to load and most tests never need it
    from anki.collection import Collection

    opened = Collection(str(tmp_path / "collection.anki2"))
    yield opened
    opened.close()


def pytest_sessionfinish(session, exitstatus):
    """Tests must not write into the checkout: a build from tests/data would leave a lock there."""
    stray = sorted(str(p) for p in DATA.rglob("cardsmith.lock"))
    if stray:
        session.exitstatus = 1
        print(f"\nerror: a test wrote into tests/data: {stray}")
