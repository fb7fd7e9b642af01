"""Readers: bytes on disk -> the `Deck` model. Knows no output format."""
