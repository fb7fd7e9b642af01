"""The `cardsmith` command: the only room that prints.

`commands` holds the Click commands, each a thin layer over one library function; `flags` makes their
options from the settings schema; `terminal` shows what came of them (the progress line, diagnostics,
summaries, the stats table); `watch` and `stats` are the library parts of those two commands."""
