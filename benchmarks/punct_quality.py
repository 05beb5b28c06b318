"""How well normalize-punct restores CJK punctuation that NFKC flattened, against autocorrect-py.

Takes well-typeset paragraphs (benchmarks/data/typeset_paragraphs.txt, written
for this project), flattens each with NFKC, restores it with normalize-punct and
with autocorrect-py, and scores the marks of the documented set
``，：；？！（）`` and ``……`` (one mark): a restored mark counts as right when
it is aligned with the same mark of the original (character alignment, so
inserted spaces do not shift anything). Reports precision, recall and how many
paragraphs came back exactly (and exactly up to spaces, since autocorrect adds
spaces between CJK and Latin by design).

    pip install autocorrect-py
    python benchmarks/punct_quality.py [--show]
"""

from __future__ import annotations

import argparse
import difflib
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cleantext.filters.punct import normalize_punctuation

DATA = Path(__file__).resolve().parent / "data" / "typeset_paragraphs.txt"
MARKS = frozenset("，：；？！（）") | {"……"}


def load(path: Path = DATA) -> list[tuple[str, str]]:
    paragraphs = []
    lang = "?"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            lang = line[3:].strip()
        elif line.strip() and not line.startswith("#"):
            paragraphs.append((lang, line))
    return paragraphs


def tokens(text: str) -> list[str]:
    """Characters, with ``……`` as one token."""
    out: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("……", i):
            out.append("……")
            i += 2
        else:
            out.append(text[i])
            i += 1
    return out


def score(original: str, restored: str) -> tuple[int, int, int]:
    """(marks right, marks in the restored text, marks in the original)."""
    gold, pred = tokens(original), tokens(restored)
    matcher = difflib.SequenceMatcher(None, gold, pred, autojunk=False)
    right = sum(
        1
        for block in matcher.get_matching_blocks()
        for tok in gold[block.a : block.a + block.size]
        if tok in MARKS
    )
    return right, sum(t in MARKS for t in pred), sum(t in MARKS for t in gold)


def flatten(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def evaluate(name: str, restore: Callable[[str], str], paragraphs: list[tuple[str, str]], show: bool) -> dict:
    right = predicted = gold = exact = exact_spaces = 0
    for lang, original in paragraphs:
        restored = restore(flatten(original))
        r, p, g = score(original, restored)
        right, predicted, gold = right + r, predicted + p, gold + g
        exact += restored == original
        exact_spaces += restored.replace(" ", "") == original.replace(" ", "")
        if show and restored != original:
            print(f"  [{name}] {lang}\n    want {original}\n    got  {restored}")
    return {
        "tool": name,
        "precision": right / predicted if predicted else 1.0,
        "recall": right / gold if gold else 1.0,
        "exact": exact,
        "exact_ignoring_spaces": exact_spaces,
        "paragraphs": len(paragraphs),
        "marks": gold,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", action="store_true", help="print every paragraph not restored exactly")
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    paragraphs = load(args.data)
    tools: list[tuple[str, Callable[[str], str]]] = [("normalize-punct", normalize_punctuation)]
    try:
        import autocorrect_py

        tools.append(("autocorrect-py", autocorrect_py.format))
    except ImportError:
        print("autocorrect-py is not installed (pip install autocorrect-py): scoring normalize-punct only")
    flattened = sum(flatten(p) != p for _lang, p in paragraphs)
    print(f"{len(paragraphs)} paragraphs, {flattened} changed by NFKC")
    for name, restore in tools:
        r = evaluate(name, restore, paragraphs, args.show)
        print(
            f"{r['tool']:16} precision {r['precision']:.4f}  recall {r['recall']:.4f}  "
            f"exact {r['exact']}/{r['paragraphs']}  "
            f"exact ignoring spaces {r['exact_ignoring_spaces']}/{r['paragraphs']}"
            f"  ({r['marks']} marks)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
