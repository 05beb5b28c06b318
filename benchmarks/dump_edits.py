"""Dump what strip-chrome, strip-noise and strip-ruby decide on every page we have, as JSON.

    python benchmarks/dump_edits.py OUT.json        # on one version of the code
    cmp before.json after.json                      # a speed-up must not change a byte

The pages: the devset (ours and the shared copy), the held-out pages, the seeds,
the fixture inputs of the three filters, each rule's positive and negative
examples, and each page after strip-ruby and strip-noise (what strip-chrome
sees in the default pipeline). For every page: the edits of each filter (with
``drop_meta`` both ways for strip-chrome), and for every line the rules
`RuleSet.classify` returns, so that a change in a rule's precedence shows even
where the structure would hide it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleantext.filters.chrome import find_chrome_edits  # noqa: E402
from cleantext.filters.noise import find_noise_edits, strip_noise  # noqa: E402
from cleantext.filters.ruby import find_ruby_edits, strip_ruby  # noqa: E402
from cleantext.ruleset import load_rules  # noqa: E402

MARKERS = "※\uff0a*★☆▲△■□◆◇●○•·▶►→"


def pages() -> dict[str, str]:
    found: dict[str, str] = {}
    for folder in (ROOT / "fixtures" / "devset", ROOT / "fixtures" / "heldout", Path("/work/shared/devset")):
        for p in sorted(folder.glob("*.json")):
            doc = json.loads(p.read_text(encoding="utf-8"))
            found[f"{folder.name}/{p.name}"] = "\n".join(line["raw"] for line in doc["lines"])
    for p in sorted((ROOT / "seeds").glob("*.txt")):
        found[f"seeds/{p.name}"] = p.read_text(encoding="utf-8")
    for name in ("strip-chrome", "strip-noise", "strip-ruby"):
        data = json.loads((ROOT / "fixtures" / f"{name}.json").read_text(encoding="utf-8"))
        for i, case in enumerate(data["cases"]):
            found[f"{name}/{i}"] = case["input"]
    for rule in load_rules().rules:
        for kind in ("positive", "negative"):
            for i, example in enumerate(getattr(rule, kind)):
                found[f"rule/{rule.id}/{kind}/{i}"] = example
    return found


def edits(found: list) -> list:
    return [[e.start, e.end, e.new, e.rule] for e in found]


def main() -> None:
    ruleset = load_rules()
    out: dict[str, object] = {}
    lines: set[str] = set()
    for name, text in pages().items():
        piped = strip_noise(strip_ruby(text))
        out[name] = {
            "ruby": edits(find_ruby_edits(text)),
            "noise": edits(find_noise_edits(text)),
            "chrome": edits(find_chrome_edits(text)),
            "chrome_meta": edits(find_chrome_edits(text, drop_meta=True)),
            "chrome_piped": edits(find_chrome_edits(piped)),
        }
        for page in (text, piped):
            for line in page.split("\n"):
                s = line.strip()
                lines.update((s, s.lstrip(MARKERS + " \u3000"), s[:40], s[:80], s[:120], s[-60:]))
    classified = {}
    for s in sorted(lines):
        chrome, meta = ruleset.classify(s)
        classified[s] = [
            chrome and chrome.id,
            meta and meta.id,
            [r.id for r in ruleset.rules if r.action == "unwrap" and r.matches(s)],
        ]
    out["__classify__"] = classified
    dumped = json.dumps(out, ensure_ascii=False, indent=0, sort_keys=True)
    Path(sys.argv[1]).write_text(dumped, encoding="utf-8")
    print(f"{len(out) - 1} pages, {len(classified)} lines -> {sys.argv[1]}")


if __name__ == "__main__":
    main()
