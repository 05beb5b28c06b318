"""Throughput of to-hans against plain ``OpenCC('t2s').convert``, same documents, same run.

The documents are the Chinese seed articles (000, 001, 003, 004): whole (the
figure the goal is about), and split into paragraphs (75 characters on
average), where the guard's fixed cost per call weighs most.
Both sides are warmed up (converters and tables built) before timing; rounds
alternate between the two so that machine noise hits both alike. The figure is
the ratio of throughputs, ours / OpenCC's (>= 0.85 is the goal): the median
of `--repeat` measurements, and the ratio of the best time of each side, which
other processes on the machine disturb least.

    python benchmarks/bench_opencc.py [--repeat 7] [--rounds 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from opencc import OpenCC  # noqa: E402

import cleantext  # noqa: E402

CHINESE_SEEDS = ["000", "001", "003", "004"]


def documents() -> list[str]:
    return [
        path.read_text(encoding="utf-8")
        for path in sorted((ROOT / "seeds").glob("*.txt"))
        if path.name[:3] in CHINESE_SEEDS
    ]


def paragraphs() -> list[str]:
    return [p for doc in documents() for p in doc.split("\n\n") if p.strip()]


def timed(function, docs: list[str], rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for doc in docs:
            function(doc)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args(argv)
    plain = OpenCC("t2s").convert
    ours = cleantext.get_filter("to-hans")
    for label, docs in (("whole documents", documents()), ("paragraphs", paragraphs())):
        assert all(ours(d) == plain(d) for d in docs), "to-hans differs from OpenCC on Chinese text"
        timed(plain, docs, 2)
        timed(ours, docs, 2)
        ratios, plain_times, our_times = [], [], []
        for _ in range(args.repeat):
            t_plain = timed(plain, docs, args.rounds)
            t_ours = timed(ours, docs, args.rounds)
            ratios.append(t_plain / t_ours)
            plain_times.append(t_plain)
            our_times.append(t_ours)
        chars = sum(map(len, docs))
        print(f"{label}: {len(docs)} x {args.rounds} rounds, {chars} characters; "
              f"OpenCC {chars * args.rounds / t_plain / 1e6:.2f} M chars/s, to-hans "
              f"{chars * args.rounds / t_ours / 1e6:.2f} M chars/s (last repeat)")
        print(f"  throughput ratio to-hans / OpenCC('t2s').convert: median {statistics.median(ratios):.3f} "
              f"(min {min(ratios):.3f}, max {max(ratios):.3f}, {args.repeat} repeats); "
              f"ratio of best times {min(plain_times) / min(our_times):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
