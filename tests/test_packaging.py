"""The package as PyPI gets it: the wheel holds the license, and README's images by the
repository's address (hatch_build.py), built with the build backend itself."""

from __future__ import annotations

import re
import tomllib
import zipfile

from support.inputs import ROOT


def test_the_wheel_ships_the_license_and_readme_images_by_the_repository_address(tmp_path):
    from hatchling.builders.wheel import WheelBuilder

    [built] = WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"])
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    repository = project["urls"]["Repository"]
    with zipfile.ZipFile(built) as wheel:
        names = wheel.namelist()
        [info] = {name.split("/")[0] for name in names if ".dist-info/" in name}
        license_text = wheel.read(f"{info}/licenses/LICENSE").decode()
        metadata = wheel.read(f"{info}/METADATA").decode()
    assert license_text == (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert license_text.startswith("MIT License\n")
    assert "License-Expression: MIT\n" in metadata and "License-File: LICENSE\n" in metadata
    assert f"Project-URL: Repository, {repository}\n" in metadata
    assert "cardsmith/templates/card/card.css" in names
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    images = re.findall(r'<img src="([^"]+)"', readme)
    assert images and all(path.startswith("docs/") for path in images)  # relative in the checkout
    for path in images:
        assert (ROOT / path).is_file(), path
        assert f'<img src="{repository}/raw/HEAD/{path}"' in metadata  # absolute on PyPI
    assert 'src="docs/' not in metadata
