"""The tests' inputs: the checkout's seed bank and tests/data, and files written into a scratch
folder."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "content" / "aws-ml-engineer-interview.md"
DATA = ROOT / "tests" / "data"
SEED_TITLE = "AWS Machine Learning Engineer Interview Questions"
SEED_SECTIONS = (
    "Amazon SageMaker",
    "Generative AI (Bedrock)",
    "ML Ops & Engineering",
    "Advanced & Scenarios",
)
SEED_SUBDECKS = {f"{SEED_TITLE}::{section}" for section in SEED_SECTIONS}


def mis_encoded_seed(folder: Path) -> Path:
    """The seed as a save through the wrong encoding leaves it, in `folder`: the en dash of line 33
    read as Windows-1252 (`â€“`). cardsmith repairs it, with a warning at that line."""
    text = SEED.read_text(encoding="utf-8")
    assert text.count("–") == 1 and text.split("\n")[32].count("–") == 1
    return write(folder, SEED.name, text.replace("–", "–".encode().decode("cp1252")))


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path
