"""The ways of writing questions, one module each, in one table.

A file is read region by region, never with one rule for the whole file: the same README may ask 470
questions as `1. ### What is X?` list items and then 80 more as `#### 1. What is the output?`
headings with `<details>` answers. Each rule finds *candidates* over the document's token index;
`cardsmith.reading.bank.layout` then decides, in one pass in line order, what every heading is and
where every answer ends. The rules, by the names of `questions:` in front matter and `--questions`:

- `heading` (`heading.py`): `### 12. What is a closure?`
- `list-heading` (`list_heading.py`): `12. ### What is a closure?`
- `list-bold` (`list_bold.py`): `1. **What is PEP 8?**` and the answer in the item
- `list-details` (`list_details.py`): `1. Which service ...?`, options, and a `<details>` answer in
  the item
- `list-item` (`list_item.py`): `1. What does X return?` and the answer under it, in the item
- `details` (`details.py`): `<details><summary>What does ls -l show?</summary> answer </details>`
- `qa` (`qa.py`): `Q:` / `A:` lines, emphasis around them or not (`*Q: How many?*`, `**Q:**`)
- `bold` (`bold.py`): `**What is regularization? ⭐**` alone in a paragraph
- `glossary` (`glossary.py`): `- Epoch: a complete pass over the data`, `- **Term** – definition`,
  `- term` over a nested definition, a `| Term | Definition |` table: each term a card
- `pattern` (`pattern.py`): the author's own, `pattern: '^Q\\d+\\.'` (a file with one is read by it alone)

`details`, `list-heading`, `list-details` and `qa` are *strong*: a heading whose text holds them
groups questions, so it is a section, not a question. `bold`, `list-bold`, `list-item` and `glossary` are *weak*: inside
another question they are part of its answer (`**example**` under a quiz question), and outside one
they count only when they ask, or when the file has no other questions at all (`Role`).

Adding a way of writing questions: one module here with a `find` (and a `split` when its front and
answer are not told apart by a revealing `<details>`), its name in `Rule` and among the `questions`
setting's choices (`settings.QUESTIONS`, a literal: `tests/test_settings.py` checks that the choices,
`Rule` and `RULES` agree), its row in `RULES`; and a generated bank of it in `tests/test_layouts.py`.
What the layout knows and a rule may need (the author's settings) reaches `find` through `Given`.
"""

from __future__ import annotations

from cardsmith.reading.bank.answers import split
from cardsmith.reading.bank.rules import (
    bold,
    details,
    glossary,
    heading,
    list_bold,
    list_details,
    list_heading,
    list_item,
    pattern,
    qa,
)
from cardsmith.reading.bank.rules.rule import Candidate, Given, Placed, Role, Rule, RuleSpec

__all__ = ["RULES", "Candidate", "Given", "Placed", "Role", "Rule", "RuleSpec"]

# In `Rule`'s order: the order of the `questions` setting's choices. The layout runs the block
# rules first and the heading rule last, since which headings may ask depends on them.
RULES: dict[Rule, RuleSpec] = {
    Rule.HEADING: RuleSpec(heading.find, Role.OUTLINE, split),
    Rule.LIST_HEADING: RuleSpec(list_heading.find, Role.STRONG, split),
    Rule.LIST_BOLD: RuleSpec(list_bold.find, Role.WEAK, split),
    Rule.LIST_DETAILS: RuleSpec(list_details.find, Role.STRONG, list_details.split),
    Rule.LIST_ITEM: RuleSpec(list_item.find, Role.WEAK, split),
    Rule.DETAILS: RuleSpec(details.find, Role.STRONG, details.split, details.unwrap),
    Rule.QA: RuleSpec(qa.find, Role.STRONG, qa.split),
    Rule.BOLD: RuleSpec(bold.find, Role.WEAK, split),
    Rule.GLOSSARY: RuleSpec(glossary.find, Role.WEAK, glossary.split),
    Rule.PATTERN: RuleSpec(pattern.find, Role.STRONG, pattern.split),
}
