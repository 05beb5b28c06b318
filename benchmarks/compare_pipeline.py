"""The default pipeline, and each of its filters inside it, this tree beside another checkout, interleaved.

    git archive main | tar -x -C /tmp/base
    python benchmarks/compare_pipeline.py /tmp/base            # 5 rounds
    python benchmarks/compare_pipeline.py /tmp/base 9          # more rounds on a busy machine

`compare_trees.py` times filters alone on the raw seeds; inside the pipeline a
filter gets another text (strip-chrome has removed the page's chrome, and so
on), which is where the time of a `clean()` call goes. Each round runs both
trees in fresh processes, alternating which goes first; each process times the
whole default pipeline over the seeds x40, and each default filter over the
texts it receives inside that pipeline (computed with that tree's own
filters), and keeps the best CPU time (`time.process_time`) of three passes.
The best round counts. The machine is shared, so quote the ratio.
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
import cleantext
seeds = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[2]).glob("*.txt"))]
docs = seeds * 40
size = sum(len(d.encode("utf-8")) for d in docs)
pipeline = cleantext.Pipeline.from_spec(None)
inputs = {f.name: [] for f in pipeline}
for doc in seeds:
    text = doc
    for f in pipeline:
        inputs[f.name].append(text)
        text = f(text)

def best_of(function, texts):
    function(texts[0])
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        for text in texts:
            function(text)
        best = min(best, time.process_time() - start)
    return best

ms_per_mb = {"pipeline": best_of(pipeline, docs) / size * 1e9}
for f in pipeline:
    ms_per_mb[f.name] = best_of(f, inputs[f.name] * 40) / size * 1e9
print(json.dumps(ms_per_mb))
"""


def main() -> None:
    other = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    best: dict[str, dict[str, float]] = {"other": {}, "this": {}}
    trees = [("other", other), ("this", str(ROOT))]
    for round_ in range(rounds):
        for label, tree in trees if round_ % 2 == 0 else trees[::-1]:
            run = subprocess.run(
                [sys.executable, "-c", _CHILD, tree, str(ROOT / "seeds")],
                capture_output=True, text=True, check=True,
            )
            for name, ms in json.loads(run.stdout).items():
                best[label][name] = min(best[label].get(name, float("inf")), ms)
    print("ms per MB of pipeline input (lower is better); the pipeline row also as MB/s")
    for name in best["this"]:
        a, b = best["other"][name], best["this"][name]
        extra = f"   ({1e3 / a:5.1f} -> {1e3 / b:5.1f} MB/s)" if name == "pipeline" else ""
        print(f"{name:22} other {a:7.2f}   this {b:7.2f}   other/this x{a / b:.2f}{extra}")


if __name__ == "__main__":
    main()
