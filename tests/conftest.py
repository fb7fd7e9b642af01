"""Shared fixtures: the seed deck, and a scratch content folder to write Markdown into."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from cardsmith.errors import Report
from cardsmith.model import Deck
from cardsmith.reading.bank.parse import parse_file
from cardsmith.run import Run
from cardsmith.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "content" / "aws-ml-engineer-interview.md"
DATA = Path(__file__).resolve().parent / "data"
SEED_TITLE = "AWS Machine Learning Engineer Interview Questions"
SEED_SECTIONS = (
    "Amazon SageMaker",
    "Generative AI (Bedrock)",
    "ML Ops & Engineering",
    "Advanced & Scenarios",
)
SEED_SUBDECKS = {f"{SEED_TITLE}::{section}" for section in SEED_SECTIONS}


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
def golden_copy(content: Path) -> Path:
    """tests/data/golden.md in a scratch content folder (builds write a lock file beside it)."""
    target = content / "golden.md"
    shutil.copyfile(DATA / "golden.md", target)
    return target


def pytest_sessionfinish(session, exitstatus):
    """Tests must not write into the checkout: a build from tests/data would leave a lock there."""
    stray = sorted(str(p) for p in DATA.rglob("cardsmith.lock"))
    if stray:
        session.exitstatus = 1
        print(f"\nerror: a test wrote into tests/data: {stray}")


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def parse(path: Path) -> tuple[Deck, Report]:
    report = Report()
    return parse_file(path, path.parent, report), report


def settings_and_run(**given) -> tuple[Settings, Run]:
    """`Settings` and `Run` from one set of keywords (`paper="letter", force=True`)."""
    run_fields = {f.name for f in dataclasses.fields(Run)}
    settings = Settings(**{k: v for k, v in given.items() if k not in run_fields})
    return settings, Run(**{k: v for k, v in given.items() if k in run_fields})
