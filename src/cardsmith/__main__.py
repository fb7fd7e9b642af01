"""Allow `python -m cardsmith`."""

from cardsmith.cli.commands import main

main()
