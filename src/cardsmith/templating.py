"""Where the designer-editable templates live, and the Jinja2 environment over them.

In a checkout they are the repository's `templates/`; an installed wheel carries a copy inside the
package. `CARDSMITH_TEMPLATES` points elsewhere (a project's own designs)."""

from __future__ import annotations

import functools
import os
from pathlib import Path


def templates_dir() -> Path:
    override = os.environ.get("CARDSMITH_TEMPLATES")
    if override:
        return Path(override)
    packaged = Path(__file__).resolve().parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


def read_template(*parts: str) -> str:
    return templates_dir().joinpath(*parts).read_text(encoding="utf-8")


@functools.cache
def jinja_environment(folder: Path):
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
