"""Run ftfy's own test cases through fix-mojibake and count how many pass.

Fetches the source distribution of the installed ftfy version with pip into
benchmarks/.cache/ (never committed), reads its test cases, and runs every case
ftfy expects to pass. A difference that is only quote curling or character
width counts as a pass: fix-mojibake keeps “ ” and fullwidth forms by design.

    python benchmarks/ftfy_peer.py [-v]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"
sys.path.insert(0, str(ROOT))


def fetch_cases() -> list[dict]:
    ver = version("ftfy")
    folder = CACHE / f"ftfy-{ver}"
    if not folder.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--no-binary",
                ":all:",
                f"ftfy=={ver}",
                "-d",
                str(CACHE),
                "-q",
            ],
            check=True,
        )
        sdist = next(CACHE.glob(f"ftfy-{ver}.tar.gz"))
        with tarfile.open(sdist) as tar:
            tar.extractall(CACHE, filter="data")
    single = folder / "tests" / "test_cases.json"
    if single.exists():
        return json.loads(single.read_text(encoding="utf-8"))
    cases = []  # older layouts: a folder of JSON files
    for path in sorted((folder / "tests" / "test-cases").glob("*.json")):
        cases.extend(json.loads(path.read_text(encoding="utf-8")))
    return cases


def main() -> int:
    import ftfy

    from cleantext.filters.mojibake import fix_mojibake

    def style_free(text: str) -> str:
        return ftfy.fixes.fix_character_width(ftfy.fixes.uncurl_quotes(text))

    verbose = "-v" in sys.argv
    cases = [c for c in fetch_cases() if c.get("expect", "pass") == "pass"]
    exact = modulo_style = 0
    failures = []
    for case in cases:
        out = fix_mojibake(case["original"])
        if out == case["fixed"]:
            exact += 1
        elif style_free(out) == style_free(case["fixed"]):
            modulo_style += 1
        else:
            failures.append((case, out))
    print(f"ftfy {version('ftfy')} test cases expected to pass: {len(cases)}")
    print(f"  pass exactly:                 {exact}")
    print(f"  pass modulo quotes and width: {modulo_style}")
    print(f"  fail:                         {len(failures)}")
    for case, out in failures if verbose else failures[:5]:
        print(f"  FAIL {case['label']}: {case['original']!r} -> {out!r}, expected {case['fixed']!r}")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
