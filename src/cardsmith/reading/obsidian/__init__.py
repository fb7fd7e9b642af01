"""The Obsidian vault reader (the spaced-repetition plugin's cards)."""
