"""Throughput of strip-chrome against a C4-style line rule, in the same run.

The peer is the rule web-corpus pipelines use on plain text (keep a line only
if it ends in terminal punctuation), written here in a few lines of Python: it
does much less and is the floor any line classifier is compared with. The
figure that matters is the ratio, since the machine is shared and noisy.

    python benchmarks/bench_chrome.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleantext.filters.chrome import strip_chrome  # noqa: E402
from cleantext.ruleset import load_rules  # noqa: E402

_TERMINAL = re.compile(r"[。！？!?.…」』”\"]\s*$")


def c4_line_rule(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if _TERMINAL.search(line))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    docs = []
    for path in sorted((ROOT / "fixtures").glob("*/*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        docs.append("\n".join(line["raw"] for line in doc["lines"]))
    size = sum(len(d.encode("utf-8")) for d in docs) * args.repeat
    strip_chrome(docs[0])  # compile the rules once, as a corpus run would
    results = {}
    for name, fn in (("strip-chrome", strip_chrome), ("c4-line-rule", c4_line_rule)):
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            for _ in range(args.repeat):
                # Forget remembered lines each pass: a repeat is not a new page of the same site.
                load_rules()._seen.clear()
                for d in docs:
                    fn(d)
            best = min(best, time.perf_counter() - t0)
        results[name] = size / best / 1e6
        print(f"{name:14s} {results[name]:7.2f} MB/s")
    print(f"ratio strip-chrome / c4-line-rule: {results['strip-chrome'] / results['c4-line-rule']:.3f}")


if __name__ == "__main__":
    main()
