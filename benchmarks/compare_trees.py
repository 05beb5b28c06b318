"""MB/s of some filters alone, this tree beside another checkout of cleantext, in interleaved runs.

    git archive main | tar -x -C /tmp/base
    python benchmarks/compare_trees.py /tmp/base strip-chrome,strip-noise,strip-ruby

Each round runs both trees in fresh processes over the seeds x50 and keeps the
best CPU time (`time.process_time`) of three passes; the best round counts. The
machine is shared, so the ratio, measured side by side, is the figure to quote.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from cleantext.registry import FILTERS
seeds = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[3]).glob("*.txt"))]
docs = seeds * 50
size = sum(len(d.encode("utf-8")) for d in docs)
speeds = {}
for name in sys.argv[2].split(","):
    f = FILTERS[name]
    f(docs[0])
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        for doc in docs:
            f(doc)
        best = min(best, time.process_time() - start)
    speeds[name] = size / best / 1e6
print(json.dumps(speeds))
"""


def main() -> None:
    other, names = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    best: dict[str, dict[str, float]] = {"other": {}, "this": {}}
    for _ in range(rounds):
        for label, tree in (("other", other), ("this", str(ROOT))):
            run = subprocess.run(
                [sys.executable, "-c", _CHILD, tree, names, str(ROOT / "seeds")],
                capture_output=True, text=True, check=True,
            )
            for name, speed in json.loads(run.stdout).items():
                best[label][name] = max(best[label].get(name, 0.0), speed)
    for name in names.split(","):
        a, b = best["other"][name], best["this"][name]
        print(f"{name:22} other {a:8.1f} MB/s   this {b:8.1f} MB/s   x{b / a:.1f}")


if __name__ == "__main__":
    main()
