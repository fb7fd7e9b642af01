"""cardsmith: Markdown question banks to Anki decks, printable PDFs and CSV."""

__version__ = "0.2.0.dev0"
