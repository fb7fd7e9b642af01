"""Whether an answer only says that it is still to come: a short grammar of a mark, a noun, a verb and
an adverb, rather than a list of strings.

    TODO: add answer · Answer coming soon · To be completed. · TBD · _Will be updated later_ ·
    Your answer here · Work in progress 🚧 · Answer: TBA · (solution pending) · fill in

The answer's words are read in lower case, with everything between them (emphasis, brackets,
emoji, `:`, `-`, `/`, full stops) one space. Its parts:

- MARK: `todo`, `to do`, `tbd`, `tba`, `tbc`, `t.b.d.`, `wip`, `fixme`, `xxx`, `n/a`
- NOUN: `answer`, `solution`, `explanation`, `content`, `details`, ... (`the`, `your`, `an` before it)
- VERB: `add`, `write`, `complete`, `fill in`, `update`, `provide`, ... in any of their forms
- PROMISE: helping words and a VERB: `to be completed`, `will be added`, `yet to write`,
  `being written`, `not yet done`
- STATE: `coming`, `pending`, `missing`, `goes`, `in progress`, `work in progress`,
  `under construction`
- ADVERB: `soon`, `later`, `shortly`, `here`, `asap`, `eventually`, `in the future`

A placeholder is an optional MARK, then one of: a MARK; `answer` (`your answer here`); a PROMISE, a
NOUN before or after it; NOUN then VERB or STATE (`answer pending`); VERB or STATE then NOUN
(`add answer`); a VERB, STATE or NOUN then an ADVERB (`coming soon`); a STATE of several words; each
with an ADVERB after it if it has none, and a MARK (`answer: TBD`). A word alone that may well
answer something (`Pending`, `Update`, `Solution`, `Later`) is an answer; so is an answer with
code (`answers.is_placeholder`).

A template's quiz stub is a prompt that only names itself (`question`, `Question 3`, `your question
here`) whose options only name themselves (`option 1`, `Choice B`, `answer here`, or a placeholder):
`is_stub_quiz`.
"""

from __future__ import annotations

import re

_MARK = r"(?:to ?do|tbd|tba|tbc|t b [dac]|wip|fixme|xxx|n a)"
_NOUN = (
    r"(?:(?:the|an?|your|my|our) )?(?:answers?|solutions?|explanations?|content|details|"
    r"descriptions?|responses?|info(?:rmation)?|text|examples?)"
)
_VERB = (
    r"(?:add(?:ed|ing)?|writ(?:e|ten|ing)|fill(?:ed|ing)?(?: (?:in|out))?|complet(?:e|ed|ing)|"
    r"updat(?:e|ed|ing)|provid(?:e|ed|ing)|finish(?:ed|ing)?|do(?:ne)?|expand(?:ed|ing)?|"
    r"continu(?:e|ed)|post(?:ed|ing)?|publish(?:ed|ing)?|determin(?:e|ed)|confirm(?:ed)?|"
    r"announc(?:e|ed)|decid(?:e|ed)|answer(?:ed)?|insert(?:ed)?|upload(?:ed)?)"
)
_PROMISE = (
    r"(?:(?:is|are|will|shall|must|yet|still|not|needs?|has|have|to|be|being|been) )+" + _VERB
)
_STATE = (
    r"(?:coming|pending|missing|goes|due|(?:(?:a )?work )?in progress|under construction|"
    r"under review)"
)
_ADVERB = r"(?:soon|later|shortly|here|asap|eventually|(?:in )?(?:the )?future|next)"

_BODY = (
    rf"{_MARK}"
    rf"|(?:the |your |my )?answers?(?: {_ADVERB})?"
    rf"|fill (?:in|out)(?: {_ADVERB})?"
    rf"|(?:{_NOUN} )?{_PROMISE}(?: {_NOUN})?(?: {_ADVERB})?"
    rf"|{_NOUN} (?:{_VERB}|{_STATE})(?: {_ADVERB})?"
    rf"|(?:{_VERB}|{_STATE}) {_NOUN}(?: {_ADVERB})?"
    rf"|(?:{_VERB}|{_STATE}|{_NOUN}) {_ADVERB}"
    rf"|(?:(?:a )?work )?in progress|under construction"
    rf"|{_NOUN} {_MARK}"
)
_PLACEHOLDER = re.compile(rf"(?:{_MARK} )?(?:{_BODY})(?: {_MARK})?")


# `_PLACEHOLDER` read on the text itself: a run of anything but letters and digits where it has a
# space (none or some in `to ?do`), and at either end; on a long answer it fails at the first word
# that does not fit, where the words were first all taken apart
_PLACEHOLDER_TEXT = re.compile(
    r"[\W_]*(?:"
    + _PLACEHOLDER.pattern.replace(" ?", r"[\W_]*").replace(" ", r"[\W_]+")
    + r")[\W_]*"
)


def says_nothing_yet(text: str) -> bool:
    """Whether text (an answer as a reader sees it: no tags, code kept) is only a placeholder: its
    words, in lower case, with whatever stands between them one space, match `_PLACEHOLDER`."""
    return _PLACEHOLDER_TEXT.fullmatch(text.casefold()) is not None


_STUB_PROMPT = re.compile(
    rf"(?:(?:the|a|your|my|new|sample|example) )?(?:question|title|prompt|q)(?: (?:\d+|[a-z]))?"
    rf"(?: (?:text|title))?(?: {_ADVERB})?"
)
_STUB_OPTION = re.compile(
    rf"(?:(?:the|an?|your|my|new|sample|example|correct|wrong|right) )?"
    rf"(?:options?|choices?|answers?|alternatives?|items?)(?: (?:\d+|[a-z]))?(?: {_ADVERB})?"
)


def is_stub_quiz(prompt: str, options: list[str]) -> bool:
    """Whether a quiz is a template's stub: `### question` with `- [ ] option 1` .. `option 4`."""

    def words(text: str) -> str:
        return re.sub(r"[\W_]+", " ", text.casefold()).strip()

    return (
        bool(options)
        and (_STUB_PROMPT.fullmatch(words(prompt)) is not None or says_nothing_yet(prompt))
        and all(
            _STUB_OPTION.fullmatch(words(option)) is not None or says_nothing_yet(option)
            for option in options
        )
    )
