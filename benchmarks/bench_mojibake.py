"""Speed of fix-mojibake against ftfy.fix_text (defaults), side by side, in MB/s.

    python benchmarks/bench_mojibake.py [--repeat N]

Clean text is the seed articles (Chinese and Japanese, as scraped). Damaged
text is the same articles with every fourth line garbled: UTF-8 read as GBK,
GBK read as Latin-1, UTF-8 read as cp1252 (ftfy's kind). Figures are noisy on
a shared machine (CPU time, best of five, is measured); the ratio is
what to read.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import ftfy  # noqa: E402

from cleantext.filters.mojibake import fix_mojibake  # noqa: E402


def garble_lines(text: str) -> str:
    chains = [("utf-8", "gb18030"), ("gbk", "latin-1"), ("utf-8", "cp1252")]
    out = []
    for i, line in enumerate(text.split("\n")):
        if i % 4 == 3:
            true, wrong = chains[(i // 4) % len(chains)]
            try:
                line = line.encode(true).decode(wrong)
            except UnicodeError:
                pass
        out.append(line)
    return "\n".join(out)


def throughput(function, docs: list[str], repeat: int) -> float:
    size = sum(len(d.encode("utf-8")) for d in docs) * repeat
    # CPU time of this process, best of five: other work on a shared machine
    # inflates wall-clock time far more than it does this.
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        for _ in range(repeat):
            for doc in docs:
                function(doc)
        best = min(best, time.process_time() - start)
    return size / best / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    clean = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    damaged = [garble_lines(doc) for doc in clean]
    fix_mojibake("warm up 涓枃")  # build the tables once, outside the timing
    print(f"{'text':<10} {'fix-mojibake MB/s':>18} {'ftfy.fix_text MB/s':>19} {'ratio':>7}")
    for name, docs in (("clean", clean), ("damaged", damaged)):
        ours = throughput(fix_mojibake, docs, args.repeat)
        theirs = throughput(ftfy.fix_text, docs, args.repeat)
        print(f"{name:<10} {ours:>18.2f} {theirs:>19.2f} {ours / theirs:>6.1f}x")


if __name__ == "__main__":
    main()
