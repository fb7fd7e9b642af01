"""The Markdown question-bank reader."""
