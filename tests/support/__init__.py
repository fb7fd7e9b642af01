"""What the tests import: inputs, short ways to call the library, the Anki engine, a browser.

Fixtures stay in `tests/conftest.py`; pytest puts `tests/` on the path, so tests write
`from support.inputs import write`."""
