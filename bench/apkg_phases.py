"""Where a build's CPU goes, by phase: `cardsmith build ...` in this one process (so give `-j 1`),
with the functions below wrapped to count their own CPU time (`time.process_time`; a wrapped call
inside another is counted once, in its own row). Not a benchmark: a profile without cProfile's
overhead, whose shares hold on a busy machine better than its seconds do.

    .venv/bin/python bench/corpus.py 10000 --files 10 --out /work/scratch/NAME/c10k
    .venv/bin/python bench/apkg_phases.py build /work/scratch/NAME/c10k -o OUT -f apkg -q -j 1 --force

A function that this version of cardsmith does not have is left out of the table.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import sys
import time

CLOCK = time.process_time
STARTED = CLOCK()

# (module, function or Class.method, row); one row may gather several functions
PHASES = [
    ("markdown_it.main", "MarkdownIt.parse", "markdown-it: parse (files; answers not sliced)"),
    ("markdown_it.main", "MarkdownIt.render", "markdown-it: to_html (answers parsed again)"),
    ("markdown_it.main", "MarkdownIt.renderInline", "markdown-it: prompts (inline)"),
    ("cardsmith.reading.source", "read_source", "read: bytes, UTF-8, mojibake"),
    ("cardsmith.reading.bank.fences", "check_fences", "read: fences"),
    ("cardsmith.reading.bank.document", "Document.__init__", "read: Document index"),
    ("cardsmith.reading.bank.layout", "layout", "read: layout (the rules)"),
    ("cardsmith.reading.bank.assemble", "assemble", "read: assemble (rest)"),
    ("cardsmith.reading.bank.quiz", "find_choices", "read: assemble: quiz options"),
    ("cardsmith.reading.bank.prompt", "prompt_parts", "read: assemble: prompt parts"),
    ("cardsmith.reading.bank.answers", "is_empty", "read: assemble: empty, placeholder"),
    ("cardsmith.reading.bank.answers", "is_placeholder", "read: assemble: empty, placeholder"),
    ("cardsmith.reading.bank.answers", "clean", "read: assemble: clean, portable"),
    ("cardsmith.text.mkdocs", "portable", "read: assemble: clean, portable"),
    ("cardsmith.text.scripts", "language", "read: the deck's language"),
    ("cardsmith.reading.frontmatter", "read_front_matter", "read: front matter"),
    ("cardsmith.reading.bank.slices", "answer_blocks", "read: answers' block tokens (slices)"),
    ("cardsmith.reading.bank", "read_text", "read: rest"),
    ("cardsmith.render.html", "render_ahead", "render ahead: rest"),
    ("cardsmith.render.html", "_render_blocks", "render ahead: inline pass and HTML"),
    ("cardsmith.render.highlight", "highlight", "render: Pygments"),
    ("cardsmith.render.sanitize", "sanitize", "render: nh3 (raw HTML only)"),
    ("cardsmith.render.mathml", "latex_to_mathml", "render: MathML"),
    ("cardsmith.identity.assign", "assign_ids", "identity: assign ids (rest)"),
    ("cardsmith.identity.matching", "match", "identity: matching"),
    ("cardsmith.identity.matching", "Keys.__init__", "identity: matching"),
    ("cardsmith.identity.fingerprints", "simhash", "identity: simhash"),
    ("cardsmith.identity.fingerprints", "content_fingerprint", "identity: fingerprints"),
    ("cardsmith.identity.lockfile", "Lock.load", "identity: lock read"),
    ("cardsmith.identity.lockfile", "Lock.dumps", "identity: lock written"),
    ("cardsmith.build.pipeline", "_write_locks", "identity: lock written"),
    ("cardsmith.build.cache", "deck_key", "build cache"),
    ("cardsmith.build.cache", "BuildCache.save", "build cache"),
    ("cardsmith.exporters.apkg", "export", "apkg: notes (genanki objects)"),
    ("cardsmith.exporters.anki_notes", "card_fields", "apkg: fields (prompt, options, answer)"),
    ("cardsmith.render.html", "question_html", "apkg: fields (prompt, options, answer)"),
    ("cardsmith.exporters.apkg", "_write_collection", "apkg: SQLite (genanki's rows)"),
    ("cardsmith.exporters.apkg", "_write_package", "apkg: zip"),
    ("cardsmith.build.pipeline", "discover", "build: finding files"),
    ("cardsmith.build.pipeline", "parse_deck", "build: rest"),
    ("cardsmith.build.pipeline", "_build_held", "build: rest"),
]

spent: dict[str, float] = {}
calls: dict[str, int] = {}
inner: list[float] = []  # CPU of wrapped calls made inside the one running now


def _wrapped(row: str, function):
    @functools.wraps(function)
    def timed(*args, **kwargs):
        start = CLOCK()
        inner.append(0.0)
        try:
            return function(*args, **kwargs)
        finally:
            took = CLOCK() - start
            spent[row] = spent.get(row, 0.0) + took - inner.pop()
            calls[row] = calls.get(row, 0) + 1
            if inner:
                inner[-1] += took

    return timed


def _wrap_all() -> None:
    loaded = [m for name, m in list(sys.modules.items()) if name.startswith("cardsmith") and m]
    for module_name, name, row in PHASES:
        try:
            module = importlib.import_module(module_name)
            owner, _, attribute = name.rpartition(".")
            holder = getattr(module, owner) if owner else module
            function = getattr(holder, attribute)
        except (ImportError, AttributeError):
            continue  # not in this version
        timed = _wrapped(row, function)
        setattr(holder, attribute, timed)
        if not owner:  # `from x import f` elsewhere: those names too
            for other in loaded:
                for key, value in list(vars(other).items()):
                    if value is function:
                        setattr(other, key, timed)


def main() -> None:
    import cardsmith.cli.commands  # what start-up imports

    imported = CLOCK() - STARTED
    start = CLOCK()
    for name in ("markdown_it", "mdit_py_plugins.gfm", "genanki", "pygments.lexers.python"):
        importlib.import_module(name)
    for name in ("cardsmith.build.pipeline", "cardsmith.exporters.apkg", "cardsmith.reading.bank"):
        importlib.import_module(name)
    later = CLOCK() - start
    _wrap_all()
    from cardsmith.cli.commands import main as cardsmith

    start = CLOCK()
    with contextlib.suppress(SystemExit):
        cardsmith(sys.argv[1:], standalone_mode=False)
    total = CLOCK() - start
    print(
        f"start-up imports {imported:.2f} s; imported later (markdown-it, genanki, ...) {later:.2f} s"
    )
    print(f"the build: {total:.2f} s CPU\n")
    print("| phase | s | share | calls |\n|---|---|---|---|")
    for row, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"| {row} | {seconds:.2f} | {100 * seconds / total:.1f} % | {calls[row]:,} |")
    rest = total - sum(spent.values())
    print(f"| elsewhere (click, the pipeline's glue) | {rest:.2f} | {100 * rest / total:.1f} % | |")


if __name__ == "__main__":
    main()
