"""Instructions per seed article of one filter, this tree beside another checkout, counted by valgrind.

    git archive main | tar -x -C /tmp/base
    python benchmarks/instructions.py /tmp/base strip-chrome

The machine is shared and timings move by 10% from run to run; the number of
instructions the CPU runs does not (PYTHONHASHSEED is fixed, so set and dict
order are too). Each tree runs the filter over the seeds once (start-up, lazy
compiles) and eleven times; the difference over ten passes is the cost of
the work itself. It needs valgrind and takes about a minute per tree. The
ratio is a good guide to the ratio of CPU time, not a replacement for it
(`compare_trees.py`): memory stalls and the like are not counted.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from cleantext.registry import FILTERS
seeds = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[3]).glob("*.txt"))]
f = FILTERS[sys.argv[2]]
for doc in seeds * int(sys.argv[4]):
    f(doc)
"""


def _instructions(tree: str, name: str, passes: int) -> int:
    run = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         sys.executable, "-c", _CHILD, tree, name, str(ROOT / "seeds"), str(passes)],
        capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", run.stderr)
    if found is None:
        raise SystemExit(run.stderr[-2000:])
    return int(found.group(1).replace(",", ""))


def main() -> None:
    other, name = sys.argv[1], sys.argv[2]
    docs = 10 * len(list((ROOT / "seeds").glob("*.txt")))
    per_doc = {}
    for label, tree in (("other", other), ("this", str(ROOT))):
        per_doc[label] = (_instructions(tree, name, 11) - _instructions(tree, name, 1)) / docs
    a, b = per_doc["other"], per_doc["this"]
    print(f"{name:22} other {a / 1e6:6.2f} M instr/doc   this {b / 1e6:6.2f} M instr/doc   x{a / b:.2f}")


if __name__ == "__main__":
    main()
