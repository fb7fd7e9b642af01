"""The `cardsmith` command: the only room that prints."""
