"""The library called the short way tests call it: one bank file parsed, `Settings` and `Run` from
one set of keywords."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from cardsmith.errors import Report
from cardsmith.model import Deck
from cardsmith.reading.bank import read_bank
from cardsmith.run import Run
from cardsmith.settings import Settings


def parse(path: Path) -> tuple[Deck, Report]:
    report = Report()
    return read_bank(path, path.parent, report), report


def settings_and_run(**given) -> tuple[Settings, Run]:
    """`Settings` and `Run` from one set of keywords (`paper="letter", force=True`)."""
    run_fields = {f.name for f in dataclasses.fields(Run)}
    settings = Settings(**{k: v for k, v in given.items() if k not in run_fields})
    return settings, Run(**{k: v for k, v in given.items() if k in run_fields})
