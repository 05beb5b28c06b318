"""Throughput of normalize-punct against autocorrect-py on the seed articles, same run.

The machine is shared and noisy: each tool runs `--rounds` times over all
seeds, interleaved, and the best round of each is compared.

    pip install autocorrect-py
    python benchmarks/bench_punct.py [--rounds 7] [--repeat 5]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleantext.filters.punct import normalize_punctuation  # noqa: E402


def best_time(function, texts: list[str], repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        for text in texts:
            function(text)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5, help="passes over the seeds per round")
    args = parser.parse_args()
    import autocorrect_py

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    chars = sum(map(len, texts)) * args.repeat
    tools = {"normalize-punct": normalize_punctuation, "autocorrect-py": autocorrect_py.format}
    for function in tools.values():  # warm up: tables, caches, lazy init
        for text in texts:
            function(text)
    best = dict.fromkeys(tools, float("inf"))
    for _ in range(args.rounds):
        for name, function in tools.items():
            best[name] = min(best[name], best_time(function, texts, args.repeat))
    for name, seconds in best.items():
        print(f"{name:16} {chars / seconds / 1e6:6.2f} M chars/s")
    ratio = best["autocorrect-py"] / best["normalize-punct"]
    print(f"normalize-punct / autocorrect-py throughput: {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
