"""A deck's YAML front matter: read safely, checked key by key, errors at the key's line.

YAML aliases are refused (a few hundred bytes of nested aliases expand to gigabytes), values are
plain (a tag that builds anything else, such as `!!set` or `!!binary`, or that its value does not fit,
such as `!!int abc`, is an error at its line; `_loader`), and dates stay the text the author wrote
(checked to be a date): a typo such as `2024-13-45` is an error at its line, not a crash inside the
YAML library. Keys that static-site generators use (`layout`, `permalink`,
`nav_order`, ...) are accepted silently, since many question banks are also web pages.
"""

from __future__ import annotations

import datetime
import functools
import re
from pathlib import Path
from typing import Any

from cardsmith.errors import ContentError, Report
from cardsmith.model import Source
from cardsmith.settings import SETTINGS, did_you_mean, problem

# what a deck says about itself; its deck settings (tags, questions, question-level, html) come
# from the one settings schema, `cardsmith.settings`
METADATA = {"title", "date", "deck", "author", "description"}
DECK_SETTINGS = {s.front_matter_key: s for s in SETTINGS if s.deck}
# keys of Jekyll, Hugo, Docusaurus, MkDocs, Eleventy, Just the Docs, ...: pages, not decks
SITE_KEYS = {
    "layout",
    "permalink",
    "nav_order",
    "nav_exclude",
    "parent",
    "grand_parent",
    "has_children",
    "has_toc",
    "slug",
    "weight",
    "draft",
    "categories",
    "category",
    "keywords",
    "toc",
    "comments",
    "excerpt",
    "image",
    "summary",
    "aliases",
    "redirect_from",
    "menu",
    "order",
    "hide",
    "template",
    "type",
    "lastmod",
    "last_modified_at",
    "publishdate",
    "published",
    "authors",
    "id",
    "eleventynavigation",
    "search",
    "pagination",
    "tableofcontents",
    # The Carpentries' lesson episodes (their `questions:` list is theirs too: see `_check`)
    "teaching",
    "exercises",
    "objectives",
    "keypoints",
}
_SITE_PREFIXES = ("sidebar", "nav_", "og_", "seo", "twitter", "custom_edit_url", "pagination_")
_TEXT = (str, int, float)  # `title: 2024` is text enough
_TEXTS = {"title", "deck", "author", "description"}


def read_front_matter(content: str, path: Path, report: Report) -> dict[str, Any]:
    """The front matter block's YAML (without its `---` lines) as checked, JSON-friendly values."""
    import yaml

    try:
        data = yaml.load(content, Loader=_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = 2 + (mark.line if mark else 0)
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ContentError.at(Source(path, line), f"front matter: {problem}") from None
    except RecursionError:
        raise ContentError.at(Source(path, 2), "front matter is nested too deeply") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ContentError.at(Source(path, 2), "front matter must be a mapping of `key: value`")
    lines = _key_lines(content)
    foreign = set()
    for key, value in data.items():
        line = lines.get(str(key))
        source = Source(path, 2 + (line if line is not None else _key_line(content, key)))
        if not _check(str(key), value, source, report):
            foreign.add(key)
    return {str(k): _plain(v) for k, v in data.items() if k not in foreign}


def read_properties(content: str) -> dict[str, Any] | None:
    """An Obsidian note's properties (its front matter): any keys (they are the user's own, and the
    spaced-repetition plugin's `sr-due`, `sr-interval`, `sr-ease`), read as safely as a deck's; None
    for YAML that cannot be read (a template's `{{title}}`, say)."""
    import yaml

    try:
        data = yaml.load(content, Loader=_loader())
    except (yaml.YAMLError, RecursionError):
        return None
    return {str(k): _plain(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _check(key: str, value: Any, source: Source, report: Report) -> bool:
    """Check one key; False when its value is another tool's (left out of the deck's settings)."""
    if key in DECK_SETTINGS:
        declared = DECK_SETTINGS[key]
        if declared.name != "tags" and isinstance(value, list | dict):
            # a lesson template's `questions:` list of the episode's questions: not the setting
            kind = "list" if isinstance(value, list) else "mapping"
            report.warn(
                source,
                f"front matter `{key}` is a {kind}, not cardsmith's setting ({declared.help}); "
                "left out as another tool's",
            )
            return False
        if declared.name == "tags" and isinstance(value, str | int):
            value = str(value).split()  # `tags: python basics` is a list of words too
        elif declared.name == "tags" and isinstance(value, list):
            value = [str(v) if type(v) is int else v for v in value]  # `tags: [2024]`
        # `html: "false"` is a string, and a string is true: never let that turn HTML on
        wrong = value is not None and problem(declared, value)
        if wrong:
            raise ContentError.at(
                source, "front matter " + wrong.replace(declared.name, f"`{key}`", 1)
            )
    elif key in METADATA:
        if key in _TEXTS and value is not None and not isinstance(value, _TEXT):
            raise ContentError.at(source, f"front matter `{key}` must be text")
        if key == "date" and value is not None and not _is_date(value):
            message = f"front matter `date` is not a date: {value!r} (YYYY-MM-DD)"
            raise ContentError.at(source, message)
    elif key.lower() not in SITE_KEYS and not key.lower().startswith(_SITE_PREFIXES):
        known = [*METADATA, *DECK_SETTINGS]
        report.warn(source, f"unknown front matter key {key!r}{did_you_mean(key, known)}")
    return True


def _is_date(value: Any) -> bool:
    text = str(value).strip()
    for parse in (datetime.date.fromisoformat, datetime.datetime.fromisoformat):
        try:
            parse(text)
            return True
        except ValueError:
            continue
    return False


# YAML tags that make plain values; any other (`!!set`, `!!binary`, `!!omap`, `!!python/...`, `!x`)
# is an error at its line
_PLAIN_TAGS = ("null", "bool", "int", "float", "str", "seq", "map", "timestamp")
_MEANING = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "timestamp": "a date",
}
_LONGEST_NUMBER = 100  # characters: Python turns 4,300 digits or more into a ValueError


@functools.cache
def _loader():
    """A SafeLoader whose values are plain (text, numbers, booleans, null, lists, mappings, and dates
    as text): a tag it cannot build a plain value from, or a value its tag refuses (`!!int abc`,
    `!!timestamp foo`, a number of 5,000 digits), is a YAML error at its line, never an exception
    from inside the YAML library."""
    import yaml
    from yaml.constructor import ConstructorError

    class Loader(yaml.SafeLoader):
        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(
                    None, None, "aliases (*name) are not allowed in front matter", mark
                )
            return super().compose_node(parent, index)

    def checked(name: str, construct):
        def plain(loader, node):
            value = node.value if isinstance(node.value, str) else ""
            if name in ("int", "float") and len(value) > _LONGEST_NUMBER:
                why = (
                    f"a number {len(value):,} characters long; put it in quotes to keep it as text"
                )
                raise ConstructorError(None, None, why, node.start_mark)
            try:
                return construct(loader, node)
            except yaml.YAMLError:
                raise
            except Exception:  # the value is not of its tag (PyYAML raises whatever comes)
                why = f"!!{name} {value[:40]!r} is not {_MEANING.get(name, name)}"
                raise ConstructorError(None, None, why, node.start_mark) from None

        return plain

    def refused(loader, node):
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        why = f"the tag {tag} is not allowed: plain text, numbers, lists and mappings only"
        raise ConstructorError(None, None, why, node.start_mark)

    for tag, construct in yaml.SafeLoader.yaml_constructors.items():
        name = (tag or "").removeprefix("tag:yaml.org,2002:")
        if name in _PLAIN_TAGS:
            Loader.add_constructor(tag, checked(name, construct))
        else:  # (None: any tag the loader does not know, `!!python/object:...` or `!x`)
            Loader.add_constructor(tag, refused)
    # no implicit timestamps: a date stays the author's text (checked by `_check`)
    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if not tag.endswith(":timestamp")]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader


def _key_lines(content: str) -> dict[str, int]:
    """The line of each top-level `key:` (quoted or not), the first where a key repeats: one pass,
    where looking each key up in all lines took 44 s for 20,000 keys."""
    found: dict[str, int] = {}
    for number, line in enumerate(content.split("\n")):
        if match := _KEY.match(line):
            found.setdefault(match.group(2), number)
    return found


_KEY = re.compile(r"""(['"]?)([^\s'"#-][^\n]*?)\1\s*:""")


def _key_line(content: str, key: object) -> int:
    pattern = re.compile(rf"^['\"]?{re.escape(str(key))}['\"]?\s*:")
    for number, line in enumerate(content.split("\n")):
        if pattern.match(line):
            return number
    return 0


def _plain(value: Any) -> Any:
    """YAML scalars, lists and mappings as JSON-friendly values."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):  # an explicit `!!timestamp`
        return value.isoformat()
    if isinstance(value, bytes | set):
        return str(value)
    return value
