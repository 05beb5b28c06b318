"""Count what fix-mojibake changes in text that has no mojibake: every change is a false positive.

    python benchmarks/mojibake_false_positives.py [PATH ...]

PATHs are .txt files, .json files (every string in them is checked) or
folders of those; the default is seeds/. The labelled devset lives outside the
repository: ``python benchmarks/mojibake_false_positives.py seeds ../shared/devset``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleantext.filters.mojibake import find_mojibake_edits  # noqa: E402


def strings(value: object):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def texts(path: Path):
    if path.is_dir():
        for child in sorted(path.iterdir()):
            if child.suffix in (".txt", ".json"):
                yield from texts(child)
    elif path.suffix == ".json":
        yield from strings(json.loads(path.read_text(encoding="utf-8")))
    else:
        yield path.read_text(encoding="utf-8")


def main() -> int:
    paths = [Path(p) for p in sys.argv[1:]] or [ROOT / "seeds"]
    chars = changes = 0
    for path in paths:
        for text in texts(path):
            chars += len(text)
            for edit in find_mojibake_edits(text):
                changes += 1
                print(f"{path}: {edit.rule}: {text[edit.start : edit.end]!r} -> {edit.new!r}")
    print(f"{changes} changes in {chars} characters of correct text")
    return 1 if changes else 0


if __name__ == "__main__":
    sys.exit(main())
