"""Pygments' `RegexLexer` loop, trying at each place only the rules that may match there.

A regex lexer tries its state's rules in order at each position until one matches: Python's root
state has 56, and most tokens (a name, an operator) are matched by a rule late in the list, after
dozens of calls that fail at the first character. `dispatched` gives a lexer the same loop with
each state's rules cut down, per character, to those whose pattern may start with that character
(worked out from the pattern's parse, `_first`; each character or class there tested by the regex
engine itself, case folding and all): the rules that remain are tried in the same order, the same
first one matches, the tokens are the same. Where a pattern's first character cannot be told (it
may match nothing, starts with a back reference...) its rule is tried everywhere; at the end of the
text every rule is tried, as before.
"""

from __future__ import annotations

import functools
import re
from re import _compiler as sre_compiler  # type: ignore[attr-defined]
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]


def dispatched(lexer):
    """`lexer` with its `get_tokens_unprocessed` the dispatched loop, when it is Pygments' own
    `RegexLexer` loop (a lexer with a loop of its own is left as it is)."""
    from pygments.lexer import RegexLexer

    tokendefs = getattr(lexer, "_tokens", None)
    if type(lexer).get_tokens_unprocessed is RegexLexer.get_tokens_unprocessed and tokendefs:
        lexer.get_tokens_unprocessed = functools.partial(_tokens, lexer, _states(tokendefs))
    return lexer


class _State:
    """One state's rules, and the rules to try at each character met so far."""

    __slots__ = ("at", "firsts", "rules")

    def __init__(self, rules: list):
        self.rules = rules
        self.firsts = [_first(rexmatch.__self__) for rexmatch, _, _ in rules]
        self.at: dict[str, tuple] = {}

    def rules_at(self, char: str) -> tuple:
        rules = self.at[char] = tuple(
            rule
            for rule, first in zip(self.rules, self.firsts, strict=True)
            if first is None or first(char)
        )
        return rules


class _States(dict):
    def __init__(self, tokendefs: dict):
        super().__init__()
        self._tokendefs = tokendefs

    def __missing__(self, name: str) -> _State:
        state = self[name] = _State(self._tokendefs[name])  # an unknown name: KeyError, as before
        return state


def _states(tokendefs: dict) -> _States:
    """The states of a lexer's rules (its class's, or its own: C#'s are made per Unicode level)."""
    known = _KNOWN.get(id(tokendefs))
    if known is None or known._tokendefs is not tokendefs:
        known = _KNOWN[id(tokendefs)] = _States(tokendefs)
    return known


_KNOWN: dict[int, _States] = {}


def _tokens(lexer, states: _States, text: str, stack=("root",)):
    """`RegexLexer.get_tokens_unprocessed(lexer, text, stack)`, with the rules tried at each place
    only those that may match there."""
    from pygments.token import Error, Whitespace, _TokenType

    pos = 0
    end = len(text)
    statestack = list(stack)
    state = states[statestack[-1]]
    while 1:
        if pos < end:
            char = text[pos]
            rules = state.at.get(char)
            if rules is None:
                rules = state.rules_at(char)
        else:
            rules = state.rules
        for rexmatch, action, new_state in rules:
            m = rexmatch(text, pos)
            if m:
                if action is not None:
                    if type(action) is _TokenType:
                        yield pos, action, m.group()
                    else:
                        yield from action(lexer, m)
                pos = m.end()
                if new_state is not None:
                    # state transition
                    if isinstance(new_state, tuple):
                        for name in new_state:
                            if name == "#pop":
                                if len(statestack) > 1:
                                    statestack.pop()
                            elif name == "#push":
                                statestack.append(statestack[-1])
                            else:
                                statestack.append(name)
                    elif isinstance(new_state, int):
                        # pop, but keep at least one state on the stack
                        if abs(new_state) >= len(statestack):
                            del statestack[1:]
                        else:
                            del statestack[new_state:]
                    elif new_state == "#push":
                        statestack.append(statestack[-1])
                    else:
                        raise AssertionError(f"wrong state def: {new_state!r}")
                    state = states[statestack[-1]]
                break
        else:
            # no rule matched here
            try:
                if text[pos] == "\n":
                    # at EOL, reset state to "root"
                    statestack = ["root"]
                    state = states["root"]
                    yield pos, Whitespace, "\n"
                    pos += 1
                    continue
                yield pos, Error, text[pos]
                pos += 1
            except IndexError:
                break


# The first character of a match, as a test of a character; `None`: it cannot be told (any).
_ANY = None
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}
_ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}
_ONE_CHARACTER = {sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY}


def _first(pattern: re.Pattern):
    """A test of whether a match of `pattern` may start with a character, or None when any may
    (or it cannot be told, or the pattern may match the empty string)."""
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
        tests, empty = _sequence(list(parsed), parsed.state.flags)
    except Exception:  # a pattern this does not understand: tried everywhere
        return _ANY
    if tests is _ANY or empty:
        return _ANY
    return lambda char: any(test(char) for test in tests)


def _sequence(items: list, flags: int) -> tuple:
    """(the tests of a sequence's first character, or None for any; whether it may match empty)."""
    tests: list = []
    for op, av in items:
        first, empty = _item(op, av, flags)
        if first is _ANY:
            return _ANY, empty
        tests.extend(first)
        if not empty:
            return tests, False
    return tests, True


def _item(op, av, flags: int) -> tuple:
    if op in _ONE_CHARACTER:  # a character, a class, `.`: tested by the regex engine itself
        state = sre_parse.State()
        state.flags = flags
        return [sre_compiler.compile(sre_parse.SubPattern(state, [(op, av)])).match], False
    if op in _ZERO_WIDTH:  # an anchor or look-around only narrows what matches: left out
        return [], True
    if op is sre.SUBPATTERN:
        _group, add, remove, pattern = av
        return _sequence(list(pattern), (flags | add) & ~remove)
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _sequence(list(av), flags)
    if op in _REPEATS:
        low, high, pattern = av
        first, empty = _sequence(list(pattern), flags)
        return first, empty or low == 0 or high == 0
    if op is sre.BRANCH:
        tests: list = []
        any_empty = False
        for branch in av[1]:
            first, empty = _sequence(list(branch), flags)
            if first is _ANY:
                return _ANY, True
            tests.extend(first)
            any_empty = any_empty or empty
        return tests, any_empty
    return _ANY, True  # a back reference, a conditional...
