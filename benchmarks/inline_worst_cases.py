"""Worst-case inputs for strip-ruby, strip-noise and dedupe-lines: each must run in linear time.

    python benchmarks/inline_worst_cases.py

Prints seconds per case (best of 3) and the time per input character, so a
quadratic path shows up as a case far slower than the others. Not a test:
timings on a shared 2-core machine are noisy.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cleantext

CASES = {
    "strip-ruby": {
        "發(fā) x 100000": "發(fā)" * 100_000,
        "300000 unmatched ( around a hanzi": "(" * 300_000 + "發" + ")" * 300_000,
        "300000 ( then 發": "(" * 300_000 + "發",
        "hanzi x 300000 then (fā)": "發" * 300_000 + "(fā)",
        "發(a...a) 300000 letters": "發(" + "a" * 300_000 + ")",
        "發(ma) x 100000, no toned": "發(ma)" * 100_000,
        "zhuyin with many splits x 20000": ("發(" + "ㄓㄨ" * 29 + "a)") * 20_000,
        "distinct 60-letter bodies x 20000": "".join(f"發({'ab' * 29}{i % 10}x)" for i in range(20_000)),
    },
    "strip-noise": {
        "中¨ x 200000": "中¨" * 200_000,
        "Greek run 300000 between hanzi": "中" + "λ" * 300_000 + "文",
        "a. x 300000 + com": "a." * 300_000 + "com",
        "watermark in 50000 lines": "。爱掏网 - it200.com段落\n" * 50_000,
        "domain x 100000 on one line": "。it200.com" * 100_000,
        "a-a-a... 300000": "a-" * 300_000 + ".com",
    },
    "dedupe-lines": {
        "one line x 200000": "新浪财经公众号\n" * 200_000,
        "200000 distinct lines": "".join(f"第{i}行的内容在这里\n" for i in range(200_000)),
        "300000 newlines": "\n" * 300_000,
    },
}


def main() -> None:
    for name, cases in CASES.items():
        f = cleantext.get_filter(name)
        for label, text in cases.items():
            best = float("inf")
            for _ in range(3):
                start = time.perf_counter()
                f.explain(text)
                best = min(best, time.perf_counter() - start)
            print(f"{name:13s} {label:40s} {best:7.3f} s  {best / len(text) * 1e9:8.1f} ns/char")


if __name__ == "__main__":
    main()
