"""Start-up of the ``cleantext`` command: what a run over one record costs before its first line.

    python benchmarks/bench_startup.py [--repeat N]

Prints the best of N (wall and CPU time, the CPU of the child process) for:
``cleantext`` over one seed article (default pipeline), ``cleantext -j 2``
over one JSON Lines record (which also warms the pipeline and forks),
``import cleantext``, a bare ``python``, and, as the peer, ``ftfy.fix_text``
of one string in a fresh process; then, in this process, the import and the
first and second call of each default filter on that article (the first
builds the filter's compiled rules and tables). Runs with bytecode caching as
the environment sets it (PYTHONDONTWRITEBYTECODE=1 compiles every module from
source at each start, which an installed package does not). The machine is
shared: read the CPU column, and compare figures of the same run.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = sorted((ROOT / "seeds").glob("*.txt"))[0]

PHASES = """
import time
start = time.perf_counter()
import cleantext
from cleantext.registry import DEFAULT_PRESET, FILTERS
print(f"import cleantext                {{time.perf_counter() - start:6.3f}} s")
text = open({seed!r}, encoding="utf-8").read()
for name in DEFAULT_PRESET:
    f = FILTERS[name]
    start = time.perf_counter(); out = f(text); first = time.perf_counter() - start
    start = time.perf_counter(); f(text); second = time.perf_counter() - start
    print(f"{{name:22s}} first call {{first:6.3f}} s, second {{second:7.4f}} s")
    text = out
"""


def best_of(command: list[str], repeat: int, stdin: Path | None = None) -> tuple[float, float]:
    """(best wall, best CPU) seconds of `command` over `repeat` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        with open(stdin or os.devnull, "rb") as source:
            subprocess.run(command, stdin=source, stdout=subprocess.DEVNULL, check=True, cwd=ROOT,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure; the best is kept")
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        record = Path(tmp) / "one.jsonl"
        record.write_text('{"text": "中文新闻"}\n', encoding="utf-8")
        cli = [python, "-m", "cleantext"]
        rows = [
            ("cleantext < one seed article", cli, SEED),
            ("cleantext --jsonl -j 2, one record", [*cli, "--jsonl", "-j", "2", str(record)], None),
            ("python -c 'import cleantext'", [python, "-c", "import cleantext"], None),
            ("python -c 'import ftfy; ftfy.fix_text(...)'", [python, "-c", "import ftfy; ftfy.fix_text('x')"],
             None),
            ("python -c pass", [python, "-c", "pass"], None),
        ]
        print(f"best of {args.repeat}; load average {os.getloadavg()[0]:.1f}; "
              f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r}\n")
        for label, command, stdin in rows:
            wall, cpu = best_of(command, args.repeat, stdin)
            print(f"| {label:44s} | {wall:5.2f} s wall | {cpu:5.2f} s CPU |")
    print()
    subprocess.run([python, "-c", PHASES.format(seed=str(SEED))], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})


if __name__ == "__main__":
    main()
