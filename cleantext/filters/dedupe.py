"""dedupe-lines: a line or paragraph printed twice in one document keeps its first copy."""

from __future__ import annotations

from cleantext.core import Edit, Filter, apply_edits
from cleantext.patterns import HAS_CJK
from cleantext.registry import register

__all__ = ["dedupe_lines", "find_dedupe_edits"]

# The last character of a line of code: a statement, a brace, a bracket.
_CODE_END = frozenset(";{}()[],=\\")
# A label introducing what follows (``记者:``, ``問:``): speakers in an interview repeat.
_LABEL_END = frozenset(":：")
_LABEL_MAX_LETTERS = 8


def _repeats_legitimately(key: str, min_letters: int) -> bool:
    """Lines that repeat in a sound document and are never removed.

    Short lines (table cells ``是``/``否``, nav words), lines without letters
    (``---``, ``* * *``, numbers, dates, list markers), speaker labels and
    lines of code.
    """
    letters = sum(ch.isalpha() for ch in key)
    if letters < min_letters:
        return True
    if key[-1] in _LABEL_END and letters <= _LABEL_MAX_LETTERS:
        return True
    return key[-1] in _CODE_END and not HAS_CJK.search(key)


def find_dedupe_edits(text: str, *, min_letters: int = 5) -> list[Edit]:
    """The later copies of repeated lines, as deletions with rule ``repeated-line``.

    Each removed line goes with its line break; a run of removed lines at the
    end of a text without a final newline takes the break before it instead.
    """
    if "\n" not in text:
        return []
    # Most documents repeat no line: one pass over the keys settles that.
    lines = text.split("\n")
    # The key of a line: whitespace runs collapsed and the ends trimmed (str.split splits on the
    # same characters as regex \s); mapped in C, with no Python call per line.
    keys = list(map(" ".join, map(str.split, lines)))
    blank = keys.count("")
    if len(set(keys)) - (blank > 0) == len(keys) - blank:  # every non-blank key once
        return []
    seen: set[str] = set()
    # Spans [start, end) of the lines to remove, the end including the line break.
    spans: list[list[int]] = []
    last = len(lines) - 1
    length = len(text)
    start = 0
    for number, (line, key) in enumerate(zip(lines, keys, strict=True)):
        end = start + len(line)
        # Only a repeat needs the (per-character) legitimacy check.
        if key in seen:
            if not _repeats_legitimately(key, min_letters):
                stop = end if number == last else end + 1
                if spans and spans[-1][1] == start:
                    spans[-1][1] = stop
                else:
                    spans.append([start, stop])
        elif key:
            seen.add(key)
        start = end + 1
    if spans and spans[-1][1] == length and not text.endswith("\n") and spans[-1][0] > 0:
        spans[-1][0] -= 1  # take the break before the run, so the text still ends without one
    return [Edit(s, e, "", "repeated-line") for s, e in spans]


def dedupe_lines(text: str, *, min_letters: int = 5) -> str:
    """Remove later copies of a repeated line, keeping the first: the title printed twice.

    Pages print their title twice (the headline and the document title), and
    widgets such as ``新浪财经公众号`` or ``ADVERTISEMENT`` appear in several
    places. Lines are compared after collapsing whitespace and nothing else: no
    case folding, no width or script folding, and above all no stripping of
    kana, so distinct Japanese sentences that differ only in their kana
    (``行く`` and ``行かない``) are different lines and both stay. Whole
    paragraphs repeated line by line go the same way.

    Never removed, because they repeat in a sound document: blank lines; lines
    with fewer than `min_letters` letters (hanzi, kana and Latin letters count
    one each: table cells, ``第一章``-like markers, ``---``, numbers, dates);
    speaker labels ending in a colon (``记者:``); lines of code without CJK
    ending in ``;``, a brace or a bracket.

    When it is wrong: a poem's or a song's refrain, and a table flattened to
    one cell per line whose cells repeat, lose their later copies.

    >>> dedupe_lines("新浪财经公众号\\n24小时滚动播报最新的财经资讯\\n新浪财经公众号\\n---\\n---")
    '新浪财经公众号\\n24小时滚动播报最新的财经资讯\\n---\\n---'
    >>> dedupe_lines("明日は学校に行く。\\n明日は学校に行かない。")
    '明日は学校に行く。\\n明日は学校に行かない。'
    """
    return apply_edits(text, find_dedupe_edits(text, min_letters=min_letters))


register(Filter("dedupe-lines", dedupe_lines, find_dedupe_edits, deletes_only=True))
