"""The build as a library call: find decks, read them, give ids, export, cache."""
