"""The package's README for PyPI: README.md with its images at the repository's address.

README.md shows its screenshots by relative paths (`docs/card-light.png`), which GitHub and a
checkout show but PyPI cannot. When hatchling builds the package, this metadata hook makes each
relative `src="..."` and `](...)` of an image absolute, under `[project.urls] Repository` (the one
place the address is written), as GitHub serves a file of the default branch (`/raw/HEAD/`)."""

from __future__ import annotations

import re
from pathlib import Path

from hatchling.metadata.plugin.interface import MetadataHookInterface

IMAGE = re.compile(r"""(?P<before><img\s[^>]*?src=["']|!\[[^\]]*\]\()(?P<path>[^"')\s]+)""")


def absolute_images(readme: str, repository: str) -> str:
    """`readme` with every relative image path under `repository`'s default branch."""

    def absolute(found: re.Match) -> str:
        path = found["path"]
        if re.match(r"[a-z][a-z0-9+.-]*:|/|#", path):  # a URL, an absolute path, an anchor
            return found[0]
        return f"{found['before']}{repository.rstrip('/')}/raw/HEAD/{path.removeprefix('./')}"

    return IMAGE.sub(absolute, readme)


class CustomMetadataHook(MetadataHookInterface):
    def update(self, metadata: dict) -> None:
        readme = (Path(self.root) / "README.md").read_text(encoding="utf-8")
        repository = metadata["urls"]["Repository"]
        metadata["readme"] = {
            "content-type": "text/markdown",
            "text": absolute_images(readme, repository),
        }
