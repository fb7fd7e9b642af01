"""Public question banks as a new user would build them: counts, words kept, junk cards, time.

    .venv/bin/python bench/banks.py                          # every bank in /work/corpus/manifest.json
    .venv/bin/python bench/banks.py other/manifest.json --only kananinirav git-quiz
    .venv/bin/python bench/banks.py --json > before.json    # then, after a change to the reader:
    .venv/bin/python bench/banks.py --against before.json   # what moved, bank by bank

The banks are other people's files, kept outside this repository (third-party text is never committed).
The manifest lists each bank: `repo` (owner/name), `path` in it, `commit`, `shape`, `hand_count` (a
careful count of its questions by hand, with `how` it was counted). The file is read from `copy` (default:
`<manifest's folder>/<owner>+<name>/<path>`), and the local images it links are taken from the fetched
mirror (`/work/.mirror/<owner>+<name>/repo`) when one is there, as a user who cloned the repository has them.

Each bank is built with the real command line (`python -m cardsmith build FILE -f ... -o ...`, defaults,
no settings) in a scratch folder, then `check`; printed per bank:
- questions cardsmith found (answered; unanswered ones reported apart) against the hand count, % off;
- warnings and errors (`file:line: warning|error:` lines), a traceback, and `check` passing a build that
  failed;
- words kept: the share of the file's words that reach the JSON model (title, introduction, sections
  and their own text, prompts, fronts, options, answers, unanswered questions' prompts and bodies),
  each word counted as often as it occurs (a word the file has three times and the model once counts
  once). A word is a run of letters or digits (`_`
  splits, so `_x_` and `x` are the same word); each Han, kana or Hangul character is a word of its own.
  Markdown and HTML syntax are no words: tags (not their text), link and image targets, URLs, HTML
  comments and entities, fence info strings, front matter (but for its title), list and heading
  markers, an option's letter (`- B. `), a `<summary>` or admonition title that only says "Answer"
  (in any language the reader knows: its own words, `reading/bank/labels.py`), an answer key line
  (`Correct answer: B, E`, `### ✅ 正确答案：A（正确）`: the model keeps it as the options marked right),
  task-list boxes (`[x]`), attribute lists (`{ .class }`, `{: .solution}`), MyST targets (`(name)=`),
  admonition and directive openers (`!!! note`, `??? question`, `=== "Tab"` keeps its label, ```` ```{admonition} ````,
  `:class: dropdown`). `accounted` adds the words of lines skipped with a reason (a table of contents);
- junk cards: a prompt that is only a label (`Answer`, `Solution`, `答案`, `### 题目`: labels.py; a
  glossary's term is none: its "Example" is a word it defines), empty or only a number, and
  admonition, tab, directive or `<details>`/`<summary>` markup shown as text on a card (on the study
  page, as rendered, outside code; in the Markdown of the model when no page was built);
- seconds for the build.

It exits 0 whatever it finds: it is a report, not a test.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from cardsmith.reading.bank.boilerplate import is_reveal, reveal_label
from cardsmith.reading.bank.labels import KEY_WORDS, PART_HEADING

DEFAULT_MANIFEST = Path("/work/corpus/manifest.json")
MIRRORS = Path("/work/.mirror")
SCRATCH = Path("/work/scratch/corpus/runs")

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_WORD = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_SYNTAX = [
    (re.compile(r"<!--.*?-->", re.S), " "),
    (re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)"), r"\1 "),  # link and image targets
    (re.compile(r"^\s*\[[^\]\n]+\]:\s*\S+.*$", re.M), " "),  # reference definitions
    (re.compile(r"</?[A-Za-z][^<>]*>"), " "),  # tags, not their text
    (re.compile(r"https?://\S+"), " "),
    (re.compile(r"^\s*(```+|~~~+)\s*\{?[\w+-]*\}?", re.M), " "),  # fence openers and info strings
    (re.compile(r"^\s*(:::+)\s*(\{[\w-]+\})?", re.M), " "),  # MyST colon fences and directives
    (re.compile(r"^\s*:[\w-]+:.*$", re.M), " "),  # directive options (`:class: dropdown`)
    (re.compile(r"^\s*(!!!|\?\?\?\+?)\s*[\w-]*", re.M), " "),  # admonition opener and type
    (re.compile(r"^\s*===!?\s", re.M), " "),  # content tab opener (its label is text)
    (re.compile(r"&[A-Za-z]+;|&#x?[0-9A-Fa-f]+;"), " "),
    (re.compile(r"\{:?\s*[.#][^{}\n]*\}"), " "),  # attribute lists (`{ .button }`, `{: .solution}`)
    (re.compile(r"^\([\w-]+\)=\s*$", re.M), " "),  # MyST targets
    (re.compile(r"^(\s*#{1,6}\s+)Q(?=\d)", re.M), r"\1"),  # `Q12.`: the model keeps the 12
    (re.compile(r"^\s*(#{1,6}|[-*+]|\d+[.)]|>+)\s+", re.M), " "),  # block markers
    (re.compile(r"^\s*\[[ xX]\]\s", re.M), " "),  # a task list's box, after its marker
]
_MARKUP = re.compile(
    r"^\s*(!!!|\?\?\?\+?)\s+[\w-]|^\s*===!?\s+\"|</?details\b|</?summary\b|^\s*:::+\s*\{|^\s*```+\s*\{",
    re.M | re.I,
)
_DIAGNOSTIC = re.compile(r"^(?:\S.*?:\d+: |)(error|warning): ", re.M)


# the control that reveals an answer, not text: a `<summary>` or an admonition's title that only says
# "Answer" in any language the reader knows (`Show solution`, `第 1 题的答案`, `参考答案`, `Antwort anzeigen`);
# the words are cardsmith's own (reading/bank/labels.py), so this count and the reader agree
_SUMMARY = re.compile(r"<summary\b[^>]*>(?P<label>.*?)</summary>", re.I | re.S)
_TITLE = re.compile(r'^(?P<open>\s*(?:!!!|\?\?\?\+?)\s*[\w-]*\s*)"(?P<label>[^"\n]*)"', re.M)


def _label_only(label: str) -> bool:
    text = html.unescape(re.sub(r"<[^>]+>", " ", label)).strip()
    return bool(text) and is_reveal(text) and not reveal_label(text)


def without_labels(markdown: str) -> str:
    markdown = _SUMMARY.sub(lambda m: " " if _label_only(m["label"]) else m.group(0), markdown)
    return _TITLE.sub(lambda m: m["open"] if _label_only(m["label"]) else m.group(0), markdown)


# an answer key (`Correct answer: B, E`, `### ✅ 正确答案：A（正确）`, `**答案**：B、C`): the model keeps
# it as the options marked right. Its words are any language's the reader knows (labels.KEY_WORDS);
# before them list, quote and heading markers, emphasis and an emoji; after the letters a remark in
# brackets (a true/false item's `（正确）`, "correct")
_KEY = re.compile(
    rf"^(?:[^\w\n]|_)*(?:{KEY_WORDS})\s*(?:is|are)?(?:[^\w\n]|_)*?[:：](?:[^\w\n]|_)*"
    r"[A-H1-9](?:\s*(?:,|，|、|and|&)\s*[A-H1-9])*(?:[^\w\n(（]|_)*"
    r"(?:[(（][^()（）\n]*[)）])?(?:[^\w\n]|_)*$",
    re.M | re.I,
)
_OPTION = re.compile(r"^(\s*[-*+]\s+)(?:[A-Ha-h]|[1-9])[.):]\s", re.M)  # `- A. ...`: the letter


def words(markdown: str, whole_file: bool = False) -> Counter:
    """The words of Markdown text, without its syntax (see the module's docstring)."""
    front = _FRONT_MATTER.match(markdown) if whole_file else None
    if front:  # settings, but for the title
        title = re.search(r"^title:\s*(.*)$", front.group(1), re.M)
        markdown = (title.group(1) if title else "") + "\n" + markdown[front.end() :]
    markdown = _OPTION.sub(r"\1", _KEY.sub(" ", without_labels(markdown)))
    for pattern, replacement in _SYNTAX:
        markdown = pattern.sub(replacement, markdown)
    return Counter(w.casefold() for w in _WORD.findall(markdown))


def model_text(data: dict) -> str:
    parts = [data.get("title", ""), data.get("intro", "")]
    for u in data.get("unanswered", []):  # never cards, but in the model with their body
        if isinstance(u, dict):
            parts += [u.get("prompt", ""), u.get("body", "")]
    for section in data.get("sections", []):
        parts += section.get("path", [])
        parts.append(section.get("intro", ""))
        for q in section.get("questions", []):
            parts += [q.get("prompt", ""), q.get("front", ""), q.get("answer", "")]
            parts.append(str(q.get("number") or ""))
            parts += [c.get("text", "") for c in q.get("choices", [])]
    return "\n".join(parts)


def shown_markup(page: str) -> list[str]:
    """Markup a reader sees as text on the study page's cards (code and scripts left out)."""
    directives = [  # a MyST directive drawn as code (`{code-cell}` is code, `{index}` is not)
        f"```{{{name}}}"
        for name in re.findall(r'<code class="language-\{([\w-]+)\}"', page)
        if name not in ("code-cell", "code-block", "code", "sourcecode")
    ]
    page = re.sub(r"<(pre|code|script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    text = html.unescape(re.sub(r"<[^>]+>", "\n", page))
    return directives + [m.group(0).strip() for m in _MARKUP.finditer(text)]


def junk(question: dict, markdown: bool) -> str | None:
    """Why a card is junk, or None; its Markdown is searched for markup only when `markdown`."""
    prompt = question.get("prompt", "")
    bare = re.sub(r"[\W_]+", " ", prompt).strip().casefold()
    if not bare or bare.isdigit():
        return "empty prompt"
    # a glossary's prompt is the term it defines: `- Example: an instance and its label` is a card
    # on "Example", which a `<summary>` would show as a label
    term = question.get("convention") == "glossary"
    if not term and (PART_HEADING.match(prompt.strip()) or _label_only(prompt)):
        return f"prompt is a heading word ({prompt.strip()[:30]!r})"
    for field in ("prompt", "front", "answer") if markdown else ():
        found = _MARKUP.search(question.get(field, "") or "")
        if found:
            return f"literal {found.group(0).strip()[:20]!r} in its {field}"
    return None


def images(markdown: str, path: str) -> set[str]:
    """Repository paths of the local images a file links (Markdown and `<img>`)."""
    found = re.findall(r"!\[[^\]]*\]\(<?([^)>\s]+)", markdown)
    found += re.findall(r"<img\b[^>]*?\bsrc=[\"']([^\"']+)", markdown, re.I)
    paths = set()
    for target in found:
        if re.match(r"[a-z]+:|//|#", target, re.I):
            continue
        target = target.split("#")[0].split("?")[0]
        base = [] if target.startswith("/") else path.split("/")[:-1]
        parts: list[str] = []
        for part in base + target.strip("/").split("/"):
            if part == "..":
                if parts:
                    parts.pop()
            elif part not in ("", "."):
                parts.append(part)
        paths.add("/".join(parts))
    return paths


def mirror(repo: str) -> Path | None:
    root = MIRRORS / repo.replace("/", "+") / "repo"
    git = root / ".git" if (root / ".git").is_dir() else root
    return git if (git / "HEAD").exists() else None


def stage(bank: dict, copy: Path, folder: Path) -> tuple[Path, int, int]:
    """The bank and its images in a fresh scratch folder laid out as its repository."""
    shutil.rmtree(folder, ignore_errors=True)
    if copy.is_dir():  # a vault: the whole folder is one deck, named after the repository
        target = folder / "content" / bank["repo"].split("/")[-1]
        shutil.copytree(copy, target)
        return target, 0, 0
    target = folder / "content" / bank["path"]
    target.parent.mkdir(parents=True)
    text = copy.read_bytes()
    target.write_bytes(text)
    linked = images(text.decode("utf-8", "replace"), bank["path"])
    git, got = mirror(bank["repo"]), 0
    for image in sorted(linked):
        if git is None:
            break
        shown = subprocess.run(
            ["git", "--git-dir", str(git), "show", f"{bank.get('commit') or 'HEAD'}:{image}"],
            capture_output=True,
        )
        if shown.returncode == 0 and len(shown.stdout) > 0:
            (folder / "content" / image).parent.mkdir(parents=True, exist_ok=True)
            (folder / "content" / image).write_bytes(shown.stdout)
            got += 1
    return target, len(linked), got


def cardsmith(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {"NO_COLOR": "1", "PATH": "/usr/bin:/bin", "HOME": str(cwd), "LANG": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, "-m", "cardsmith", *args], cwd=cwd, capture_output=True, text=True, env=env
    )


def measure(bank: dict, copy: Path, formats: list[str], scratch: Path = SCRATCH) -> dict:
    folder = scratch / bank["repo"].replace("/", "+") / re.sub(r"\W+", "-", bank["path"])
    target, linked, got = stage(bank, copy, folder)
    out = folder / "output"
    start = time.perf_counter()
    chosen = [arg for f in formats for arg in ("-f", f)]
    relative = str(target.relative_to(folder))
    built = cardsmith("build", relative, *chosen, "-o", "output", cwd=folder)
    seconds = time.perf_counter() - start
    checked = cardsmith("check", relative, cwd=folder)
    messages = built.stderr + built.stdout
    kinds = Counter(m.group(1) for m in _DIAGNOSTIC.finditer(messages))
    row = {
        "bank": f"{bank['repo']}:{bank['path']}",
        "shape": bank.get("shape", ""),
        "hand": bank.get("hand_count"),
        "hand_unanswered": bank.get("hand_unanswered", 0),
        "exit": built.returncode,
        "check_exit": checked.returncode,
        "traceback": "Traceback (most recent call last)" in messages + checked.stderr,
        "warnings": kinds["warning"],
        "errors": kinds["error"],
        "first_messages": [line for line in messages.splitlines() if _DIAGNOSTIC.match(line)][:6]
        + [line for line in messages.splitlines() if re.match(r"\w+(Error|Exception): ", line)][
            -1:
        ],
        "images": f"{got}/{linked}",
        "seconds": round(seconds, 2),
    }
    results = [p for p in sorted(out.glob("*.json")) if not p.name.startswith(".")]
    if not results and formats != ["json"]:  # the counts of a build that failed in another format
        cardsmith("build", relative, "-f", "json", "-o", "output", cwd=folder)
        results = [p for p in sorted(out.glob("*.json")) if not p.name.startswith(".")]
        row["json_only"] = bool(results)
    if not results:
        row.update(found=0, unanswered=0, kept=0.0, accounted=0.0, junk=[], kinds={})
        return row
    data = json.loads(results[0].read_text(encoding="utf-8"))
    questions = [q for s in data.get("sections", []) for q in s.get("questions", [])]
    texts = {
        path.relative_to(copy).as_posix() if copy.is_dir() else "": path.read_text(
            encoding="utf-8", errors="replace"
        ).replace("\r\n", "\n")
        for path in (sorted(copy.rglob("*.md")) if copy.is_dir() else [copy])
    }
    in_file = sum((words(text, whole_file=True) for text in texts.values()), Counter())
    in_model = words(model_text(data))
    skipped = words("\n".join(skipped_text(texts, s) for s in data.get("skipped", [])))
    total = sum(in_file.values()) or 1
    reached = sum(min(n, in_model[w]) for w, n in in_file.items())
    accounted = sum(min(n, in_model[w] + skipped[w]) for w, n in in_file.items())
    page = out / f"{results[0].stem}.html"
    rendered = page.exists()  # markup is judged as shown, when the study page was built
    found = [(q.get("source", "").split("/")[-1], junk(q, not rendered)) for q in questions]
    shown = shown_markup(page.read_text(encoding="utf-8")) if rendered else []
    row.update(
        found=len(questions),
        unanswered=len(data.get("unanswered", [])),
        kinds=dict(Counter(q.get("kind", "?") for q in questions)),
        conventions=dict(Counter(q.get("convention", "?") for q in questions)),
        sections=sum(1 for s in data.get("sections", []) if s.get("questions")),
        words=total,
        kept=round(100 * reached / total, 1),
        accounted=round(100 * accounted / total, 1),
        missing=[w for w, n in (in_file - in_model).most_common(8)],
        junk=[f"{where}: {why}" for where, why in found if why]
        + [f"study page shows {markup!r}" for markup in shown],
    )
    return row


def skipped_text(texts: dict[str, str], skipped: dict) -> str:
    """The lines of one skipped range (in a vault, of the note it names)."""
    name = skipped.get("file") or skipped.get("source", "").rsplit(":", 1)[0]
    text = texts.get("") or next((t for f, t in texts.items() if name and name.endswith(f)), "")
    return "\n".join(text.split("\n")[skipped["line"] - 1 : skipped["end"]])


def off(row: dict) -> str:
    if not row["hand"]:
        return "n/a"
    return f"{100 * (row['found'] - row['hand']) / row['hand']:+.1f}%"


def report(row: dict) -> str:
    flags = []
    if row["traceback"]:
        flags.append("TRACEBACK")
    if row["exit"] == 1 and row["check_exit"] == 0:
        flags.append("check passed a failed build")
    if row.get("json_only"):
        flags.append("(counts from a json-only build)")
    lines = [
        f"{row['bank']}  [{row['shape'][:90]}]",
        f"    questions {row['found']} of {row['hand']} by hand ({off(row)}), "
        f"{row['unanswered']} unanswered, kinds {row.get('kinds', {})}; "
        f"words kept {row['kept']}% (accounted {row['accounted']}%); "
        f"junk {len(row['junk'])}; {row['warnings']} warnings, {row['errors']} errors, "
        f"exit {row['exit']} (check {row['check_exit']}); images {row['images']}; "
        f"{row['seconds']} s {' '.join(flags)}",
    ]
    lines += [f"    junk: {j}" for j in row["junk"][:3]]
    lines += [f"    | {m[:150]}" for m in row["first_messages"][-5:]]
    if row.get("missing"):
        lines.append(f"    words most often lost: {' '.join(row['missing'])}")
    return "\n".join(lines)


def change(before: dict, after: dict) -> str:
    """What moved since an earlier run of the same bank."""
    moved = [
        f"{key} {before.get(key)} -> {after.get(key)}"
        for key in ("found", "unanswered", "kept", "warnings", "errors", "exit")
        if before.get(key) != after.get(key)
    ]
    if len(before["junk"]) != len(after["junk"]):
        moved.append(f"junk {len(before['junk'])} -> {len(after['junk'])}")
    return f"    since then: {', '.join(moved) or 'no change'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("manifest", nargs="?", type=Path, default=DEFAULT_MANIFEST)
    parser.add_argument("--only", nargs="+", help="banks whose repo or path contains one of these")
    parser.add_argument(
        "--formats", default="json,apkg,html", help="formats to build (json is always added)"
    )
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument(
        "--scratch",
        type=Path,
        default=SCRATCH,
        help="where banks are built (one per run at a time)",
    )
    parser.add_argument(
        "--against", type=Path, help="rows of an earlier run (--json) to show what changed"
    )
    args = parser.parse_args()
    manifest = json.loads(args.manifest.read_text(encoding="utf-8"))
    banks = manifest["banks"] if isinstance(manifest, dict) else manifest
    formats = sorted({"json", *args.formats.split(",")} - {""})
    earlier = {}
    if args.against:
        earlier = {r["bank"]: r for r in json.loads(args.against.read_text(encoding="utf-8"))}
    rows = []
    for bank in banks:
        name = f"{bank['repo']}:{bank['path']}"
        if args.only and not any(o in name for o in args.only):
            continue
        default = args.manifest.parent / bank["repo"].replace("/", "+") / bank["path"]
        row = measure(bank, Path(bank.get("copy") or default), formats, args.scratch)
        rows.append(row)
        if not args.json:
            print(report(row), flush=True)
            if row["bank"] in earlier:
                print(change(earlier[row["bank"]], row), flush=True)
    if args.json:
        json.dump(rows, sys.stdout, indent=1, ensure_ascii=False)
        return
    within = sum(1 for r in rows if r["hand"] and abs(r["found"] - r["hand"]) <= 0.03 * r["hand"])
    print(
        f"\n{len(rows)} banks: {within} within 3% of the hand count, "
        f"{sum(r['kept'] >= 93 for r in rows)} keep >= 93% of their words, "
        f"{sum(not r['junk'] for r in rows)} without junk cards, "
        f"{sum(r['exit'] == 0 for r in rows)} built, {sum(r['traceback'] for r in rows)} tracebacks"
    )


if __name__ == "__main__":
    main()
