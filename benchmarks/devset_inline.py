"""How many inline-fixed content lines of the devset come out in their clean form.

    python benchmarks/devset_inline.py [SPEC]       # SPEC defaults to strip-ruby,strip-noise

Reads fixtures/devset/*.json (copies of ../shared/devset). A content line is
inline-fixed when its clean form differs from its raw form (both stripped, as
the scorer compares them). Also counts content lines that were clean and got
changed (damage). tests/test_inline.py asserts the same figures.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cleantext

ROOT = Path(__file__).resolve().parent.parent


def main(spec: str = "strip-ruby,strip-noise") -> None:
    pipe = cleantext.Pipeline.from_spec(spec)
    fixed = inline = damaged = 0
    for path in sorted((ROOT / "fixtures" / "devset").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        out = pipe("\n".join(line["raw"] for line in doc["lines"])).split("\n")
        if len(out) != len(doc["lines"]):
            print(f"{doc['id']}: line count changed, skipped")
            continue
        for got, line in zip(out, doc["lines"], strict=True):
            if line["label"] != "content":
                continue
            raw, clean, got = line["raw"].strip(), line["clean"].strip(), got.strip()
            if raw == clean:
                if got != raw:
                    damaged += 1
                    print(f"  {doc['id']} damaged: {raw[:60]}")
                continue
            inline += 1
            if got == clean:
                fixed += 1
            else:
                print(f"  {doc['id']} not fixed: {got[:60]}")
    print(f"{spec}: inline_fixed {fixed}/{inline}, clean content lines changed: {damaged}")


if __name__ == "__main__":
    main(*sys.argv[1:])
