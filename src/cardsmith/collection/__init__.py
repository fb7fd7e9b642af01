"""An Anki collection: writing decks into it (`sync`)."""
