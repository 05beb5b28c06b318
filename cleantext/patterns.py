"""Character classes and compiled patterns shared by the filters.

Everything that says "which characters are CJK" lives here, once, as plain
strings usable inside ``[...]`` of both `re` and `regex` patterns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any, cast

# Han ideographs: Extension A, the URO, compatibility ideographs, Extensions B-H
# (the supplementary planes), and the ideographic iteration mark 々 and 〇.
HAN = "\u3005\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Hiragana, katakana (with the prolonged sound mark ー and middle dot), phonetic
# extensions, and halfwidth katakana.
KANA = "\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f"
# Hangul syllables, jamo and compatibility jamo.
HANGUL = "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\ud7b0-\ud7ff"
# CJK symbols and punctuation (、。〈〉《》「」『』【】〔〕…), fullwidth forms
# (，：；？！（）), and the CJK compatibility forms (︰︱…).
CJK_PUNCT = "\u3000-\u3003\u3008-\u3011\u3014-\u301f\u30fb\ufe30-\ufe4f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
# Letters of the languages we clean, without hangul: where a space between two
# of these is never a word separator.
HAN_KANA = HAN + KANA
CJK_LETTER = HAN + KANA + HANGUL



class _LazyPattern:
    """See `lazy_compile`."""

    _COPIED = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner",
               "flags", "groups", "groupindex")

    def __init__(self, source: str, flags: int) -> None:
        self.pattern = source
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        # Only called for what this object lacks: the first use compiles, and
        # keeps the compiled pattern's methods here, so later calls go straight to them.
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self._flags)
        for copied in self._COPIED:
            setattr(self, copied, getattr(compiled, copied))
        return getattr(compiled, name)

    def __reduce__(self) -> tuple[Any, tuple[str, int]]:
        return _LazyPattern, (self.pattern, self._flags)

    def __repr__(self) -> str:
        return f"lazy_compile({self.pattern!r})"


def lazy_compile(source: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile`, done on first use; used like the pattern (its methods, ``.pattern``).

    A class of all Han characters costs `re` a few milliseconds to compile, and
    a module holds several: the patterns a run may never need (hangul, mojibake
    scoring, the filters outside the default pipeline) are compiled when first
    used rather than at import, which every run of the command would pay.
    Not for patterns passed to `re` functions that want a real pattern.

    >>> HAN_RUN = lazy_compile(f"[{HAN}]+")
    >>> HAN_RUN.findall("DeepSeek 发布了 V3 模型")
    ['发布了', '模型']
    """
    return cast(re.Pattern[str], _LazyPattern(source, flags))


HAS_HAN = lazy_compile(f"[{HAN}]")
HAS_KANA = lazy_compile(f"[{KANA}]")
HAS_HANGUL = lazy_compile(f"[{HANGUL}]")
HAS_CJK = lazy_compile(f"[{CJK_LETTER}{CJK_PUNCT}]")


def decode_block(codec: str, leads: Iterable[int], trails: Iterable[int]) -> str:
    """Every character a double-byte `codec` gives for the lead and trail bytes, in code order.

    The national standards order their characters in frequency tiers (GB2312
    level 1, Big5's frequent block, JIS X 0208 level 1, KS X 1001 hangul), so
    a block of rows is a list of frequent characters that Python's own codecs
    carry: nothing to ship or download.
    """
    trail_list = list(trails)
    chars = []
    for lead in leads:
        for trail in trail_list:
            try:
                chars.append(bytes((lead, trail)).decode(codec))
            except UnicodeDecodeError:
                pass
    return "".join(chars)


def code_runs(chars: Iterable[str]) -> list[tuple[int, int]]:
    """The code points of `chars` as sorted runs ``(first, last)`` of consecutive codes."""
    runs: list[tuple[int, int]] = []
    for code in sorted(set(map(ord, chars))):
        if runs and code == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], code)
        else:
            runs.append((code, code))
    return runs


def class_body(chars: Iterable[str]) -> str:
    """The inside of a regex character class for `chars`, consecutive codes as ranges.

    >>> class_body("三七一丁丂")  # U+4E00-U+4E03 are consecutive, 三 is U+4E09
    '一-七三'
    """
    parts = []
    for first, last in code_runs(chars):
        low, high = re.escape(chr(first)), re.escape(chr(last))
        parts.append(low if first == last else f"{low}-{high}")
    return "".join(parts)


def screened_finditer(screen: re.Pattern[str], pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`, tried only where `screen` finds a candidate character.

    `re` scans for a pattern that begins with a plain character class at C
    speed (hundreds of MB/s), but tries every branch of an alternation with
    lookbehinds at every position (about 13 MB/s on CJK text). Every match of
    `pattern` must begin with a character of `screen`.
    """
    end = 0
    match_at = pattern.match
    for hit in screen.finditer(text):
        start = hit.start()
        if start < end:
            continue
        m = match_at(text, start)
        if m is not None:
            end = m.end() if m.end() > start else start + 1
            yield m


@lru_cache(maxsize=None)
def range_pattern(chars: str) -> Any:
    r"""``[chars]`` for one range of characters (``"\u2000-\u200a"``), compiled by `regex` rather than `re`.

    `re` tests a character class character by character, about 8 ns each
    whatever the class; `regex` scans for a single range some ten times faster
    (for a class of two ranges it is slower than `re`). For screens over whole
    texts. `regex` is imported on first use, since it adds to the start-up of
    every run.
    """
    import regex

    return regex.compile(f"[{chars}]")
