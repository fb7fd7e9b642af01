"""Allow `python -m cardsmith`."""

from cardsmith.cli import main

main()
