"""`cardsmith sync` and `pull` at scale (issue #29, #28): a bank of N questions (`corpus.write_corpus`)
synced into a new Anki collection, then synced again and pulled with nothing changed, which is what a
user who syncs every day mostly does. Prints wall and CPU seconds of each step (each a fresh
process, as the command line runs it), and with `--profile DIR` writes a cProfile of each there.

    .venv/bin/python bench/sync.py 10000 --scratch /work/scratch/NAME/sync
    .venv/bin/python bench/sync.py 10000 --scratch ... --src /path/to/old/src   (another version)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import write_corpus

PYTHON = sys.executable


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of `command`, run once (CPU: the process and its workers)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", type=int, nargs="?", default=10000)
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--scratch", type=Path, required=True, help="a folder of its own (emptied)")
    parser.add_argument("--profile", type=Path, help="write a cProfile of each step here")
    parser.add_argument("--repeat", type=int, default=1, help="no-change syncs and pulls to time")
    parser.add_argument("--src", type=Path, help="run the cardsmith of this src folder instead")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.src:
        env["PYTHONPATH"] = str(args.src.resolve())
    from anki.collection import Collection

    scratch = args.scratch.resolve()
    shutil.rmtree(scratch, ignore_errors=True)
    content = scratch / "content"
    write_corpus(args.questions, args.files, content)
    profile_dir = scratch / "profile"
    profile_dir.mkdir()
    collection = profile_dir / "collection.anki2"
    Collection(str(collection)).close()
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)

    def step(name: str, *command: str) -> None:
        base = [PYTHON]
        if args.profile:
            base += ["-m", "cProfile", "-o", str(args.profile / f"{name}.prof")]
        wall, cpu = timed([*base, "-m", "cardsmith", *command], scratch, env)
        print(f"{name:<24} wall {wall:7.2f} s   cpu {cpu:7.2f} s", flush=True)

    print(f"{args.questions} questions in {args.files} files; load: {os.getloadavg()[0]:.2f}")
    if args.src:
        print(f"cardsmith from {args.src}")
    step("first sync", "sync", str(collection), str(content))
    for number in range(args.repeat):
        step(f"no-change sync {number + 1}", "sync", str(collection), str(content))
        step(f"no-change pull {number + 1}", "pull", str(collection), str(content))


if __name__ == "__main__":
    main()
