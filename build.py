"""`python build.py` is `cardsmith build` with its defaults: content/ -> output/."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "src"))

from cardsmith.cli.commands import main

if __name__ == "__main__":
    main(["build", *sys.argv[1:]])
