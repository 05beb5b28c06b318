"""Dump the edits and the output of the default filters on every page we have, as JSON.

    python benchmarks/dump_default_edits.py OUT.json    # on one version of the code
    cmp before.json after.json                          # a speed-up must not change a byte

`dump_edits.py` covers the decisions of strip-chrome, strip-noise and
strip-ruby; this covers every default filter, fast paths included: for each
page (the pages of `dump_edits.py`, and the inputs of every fixture file), each
default filter's edits and output on the page itself and on the text it
receives inside the default pipeline, and the pipeline's output.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import cleantext  # noqa: E402
from dump_edits import pages  # noqa: E402


def main() -> None:
    found = pages()
    for path in sorted((ROOT / "fixtures").glob("*.json")):
        for i, case in enumerate(json.loads(path.read_text(encoding="utf-8"))["cases"]):
            found[f"fixture/{path.stem}/{i}"] = case["input"]
    pipeline = cleantext.Pipeline.from_spec(None)
    out: dict[str, object] = {}
    for name, page in found.items():
        entry: dict[str, object] = {}
        text = page
        for f in pipeline:
            for where, given in (("alone", page), ("piped", text)):
                entry[f"{f.name}/{where}"] = [[e.start, e.end, e.new, e.rule] for e in f.edits(given)]
                entry[f"{f.name}/{where}/out"] = f(given)
            text = f(text)
        entry["pipeline"] = text
        out[name] = entry
    Path(sys.argv[1]).write_text(json.dumps(out, ensure_ascii=False, indent=0, sort_keys=True), encoding="utf-8")
    print(f"{len(out)} pages -> {sys.argv[1]}")


if __name__ == "__main__":
    main()
