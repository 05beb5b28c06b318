"""strip-ruby: pinyin and zhuyin glosses leaked from ``<ruby>`` markup.

A page that sets a reading over each character (``<ruby>發<rt>fā</rt></ruby>``)
loses its layout when the text is extracted, and the reading lands in the line,
usually inside the ``<rp>`` parentheses: ``發(fā)``, ``數(shù)``, ``ㄈㄚ``.

What a gloss is, here: a parenthesised run of syllables (ASCII or fullwidth
parentheses) that is valid pinyin, with tone marks or tone numbers, or valid
zhuyin, right after as many hanzi as it has syllables (or more). The
syllables are checked against the set of pinyin syllables built below, so
``(科技界)``, ``(Sam Altman)``, ``(OpenAI)``, ``(かんじ)`` and ``(3.64萬億元)``
are not glosses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache, partial
from itertools import repeat
from operator import methodcaller

from cleantext.core import Edit, Filter
from cleantext.patterns import HAN
from cleantext.registry import register

__all__ = ["find_ruby_edits", "is_pinyin_syllable", "strip_ruby"]

# The syllables of Mandarin pinyin, by initial. ``v`` stands for ``ü``. The
# bare nasals ``m``, ``n``, ``ng``, ``hm`` (interjections) are left out: as
# ``(m)`` or ``(n)`` after a hanzi they are a unit or a variable far more often
# than a reading.
_FINALS_BY_INITIAL = {
    "": "a o e ai ei ao ou an en ang eng er yi ya yo yao ye you yan yin yang ying yong "
        "wu wa wo wai wei wan wen wang weng yu yue yuan yun",
    "b": "a o ai ei ao an en ang eng i ie iao ian in ing u",
    "p": "a o ai ei ao ou an en ang eng i ie iao ian in ing u",
    "m": "a o e ai ei ao ou an en ang eng i ie iao iu ian in ing u",
    "f": "a o ei ou an en ang eng u",
    "d": "a e ai ei ao ou an en ang eng ong i ia ie iao iu ian ing u uo ui uan un",
    "t": "a e ai ei ao ou an ang eng ong i ie iao ian ing u uo ui uan un",
    "n": "a e ai ei ao ou an en ang eng ong i ie iao iu ian in iang ing u uo uan un v ve",
    "l": "a o e ai ei ao ou an ang eng ong i ia ie iao iu ian in iang ing u uo uan un v ve",
    "g": "a e ai ei ao ou an en ang eng ong u ua uo uai ui uan un uang",
    "k": "a e ai ei ao ou an en ang eng ong u ua uo uai ui uan un uang",
    "h": "a e ai ei ao ou an en ang eng ong u ua uo uai ui uan un uang",
    "j": "i ia ie iao iu ian in iang ing iong u ue uan un",
    "q": "i ia ie iao iu ian in iang ing iong u ue uan un",
    "x": "i ia ie iao iu ian in iang ing iong u ue uan un",
    "zh": "a e i ai ei ao ou an en ang eng ong u ua uo uai ui uan un uang",
    "ch": "a e i ai ao ou an en ang eng ong u ua uo uai ui uan un uang",
    "sh": "a e i ai ei ao ou an en ang eng u ua uo uai ui uan un uang",
    "r": "e i ao ou an en ang eng ong u ua uo ui uan un",
    "z": "a e i ai ei ao ou an en ang eng ong u uo ui uan un",
    "c": "a e i ai ao ou an en ang eng ong u uo ui uan un",
    "s": "a e i ai ao ou an en ang eng ong u uo ui uan un",
}
PINYIN_SYLLABLES = frozenset(
    initial + final for initial, finals in _FINALS_BY_INITIAL.items() for final in finals.split()
)
_MAX_SYLLABLE = max(map(len, PINYIN_SYLLABLES))
# Syllables without a consonant: with a tone number, ``(a1)`` or ``(e2)`` is as
# likely a label as a reading.
_VOWEL_ONLY = frozenset("a o e ai ei ao ou an en ang eng er".split())

# Combining tone marks (after NFD): macron, acute, caron, grave.
_TONE_MARKS = "\u0304\u0301\u030c\u0300"
# ü is written v; the IPA-looking ɑ and ɡ that some pinyin fonts use are a and g.
_BASE_LETTER = str.maketrans({"ü": "v", "\u0251": "a", "\u0261": "g"})

# Zhuyin (bopomofo): initial, medial, final, tone; the light tone ˙ may lead.
_ZHUYIN_SYLLABLE = (
    "\u02d9?(?:[\u3105-\u3119\u312a-\u312c][\u3127-\u3129]?[\u311a-\u3126]?"
    "|[\u3127-\u3129][\u311a-\u3126]?|[\u311a-\u3126])[\u02c9\u02ca\u02c7\u02cb\u02d9]?"
)
_ZHUYIN_ONE = re.compile(_ZHUYIN_SYLLABLE)
_ZHUYIN_SPACE = re.compile("[ \u3000]?")

# A candidate: a parenthesis pair holding only characters a reading is made of
# (Latin letters with or without tone marks, tone digits, bopomofo and its tone
# marks, separators). The body is bounded, and cannot hold a parenthesis, so
# every attempt is short and the scan is linear.
_READING_CHARS = (
    "a-zA-Z\u00c0-\u024f\u0251\u0261\u0300-\u030c0-5\u02c7\u02c9-\u02cb\u02d9\u3105-\u312f' \u3000-"
)
_GLOSS_CANDIDATE = re.compile(
    f"(?P<space>[ \u3000]?)[(\uff08](?P<body>[ \u3000]?[{_READING_CHARS}]{{1,60}}?)[)\uff09]"
)
# _GLOSS_CANDIDATE starts with an optional space, so `re` would try it at every
# position of the text. The same pattern from its parenthesis on, one per kind
# of parenthesis, starts with a literal character, which `re` scans for several
# times faster than for a class of two (see _candidates). Its body is read
# possessively, `{1,60}+`: no reading character is a closing parenthesis, so the
# lazy body of _GLOSS_CANDIDATE can only end where the run of them ends, and
# trying each shorter body first finds nothing more (tests/test_inline.py checks).
_FROM_PARENTHESIS = tuple(
    re.compile(f"{re.escape(p)}(?P<body>[ \u3000]?[{_READING_CHARS}]{{1,60}}+)[)\uff09]") for p in "(\uff08"
)
_HAN_CHAR = re.compile(f"[{HAN}]")
_SEPARATORS = re.compile("[ \u3000'-]+")


def is_pinyin_syllable(syllable: str) -> bool:
    """Whether `syllable` is a Mandarin pinyin syllable, tone marks and a tone number allowed.

    >>> is_pinyin_syllable("fā"), is_pinyin_syllable("shù"), is_pinyin_syllable("lü4")
    (True, True, True)
    >>> is_pinyin_syllable("bing"), is_pinyin_syllable("OpenAI"), is_pinyin_syllable("tokyo")
    (True, False, False)
    """
    parsed = _parse_pinyin(syllable)
    return parsed is not None and parsed[0] == 1


@lru_cache(maxsize=4096)
def _parse_pinyin(body: str) -> tuple[int, bool] | None:
    """``(syllable count, has tone evidence)`` if `body` reads as pinyin, else None.

    Words are split on spaces, apostrophes and hyphens; each word is segmented
    into syllables (fewest syllables wins), each syllable holding at most one
    tone mark and optionally followed by one tone digit.
    """
    decomposed = unicodedata.normalize("NFD", body)
    toned = any(mark in decomposed for mark in _TONE_MARKS)
    if not toned and not body.islower():
        return None  # toneless readings are lower case; "OpenAI", "Wang" are names
    count = 0
    digits = False
    only_vowels = True
    for word in _SEPARATORS.split(decomposed.strip(" \u3000")):
        if not word:
            continue
        # Letters, each with its tone-mark flag, and digits, in order.
        letters: list[tuple[str, bool]] = []
        for ch in word:
            if ch in _TONE_MARKS:
                if not letters or letters[-1][1] or not letters[-1][0].isalpha():
                    return None
                letters[-1] = (letters[-1][0], True)
            elif ch == "\u0308":  # diaeresis: u + ̈  is ü
                if not letters or letters[-1][0] != "u":
                    return None
                letters[-1] = ("v", letters[-1][1])
            else:
                letter = ch.lower().translate(_BASE_LETTER)
                if len(letter) != 1:
                    return None
                letters.append((letter, False))
        segmented = _segment(letters)
        if segmented is None:
            return None
        n, has_digit, syllables = segmented
        count += n
        digits = digits or has_digit
        only_vowels = only_vowels and all(s in _VOWEL_ONLY for s in syllables)
    if count == 0:
        return None
    strong = toned or (digits and not (count == 1 and only_vowels))
    return count, strong


def _segment(letters: list[tuple[str, bool]]) -> tuple[int, bool, list[str]] | None:
    """Fewest-syllable segmentation of one word: ``(count, used tone digits, syllables)``."""
    n = len(letters)
    plain = "".join(ch for ch, _ in letters)
    if not plain.isascii():
        return None
    # best[i]: (syllables, digits used, previous position) for a split of plain[:i]
    best: list[tuple[int, bool, int] | None] = [None] * (n + 1)
    best[0] = (0, False, -1)
    for i in range(n):
        if best[i] is None or plain[i].isdigit():
            continue
        count, used, _prev = best[i]  # type: ignore[misc]
        for j in range(i + 1, min(n, i + _MAX_SYLLABLE) + 1):
            syllable = plain[i:j]
            if not syllable.isalpha():
                break
            if syllable not in PINYIN_SYLLABLES or sum(mark for _, mark in letters[i:j]) > 1:
                continue
            ends = [(j, False)]
            if j < n and plain[j] in "012345":
                ends.append((j + 1, True))
            for end, digit in ends:
                candidate = (count + 1, used or digit, i)
                if best[end] is None or candidate[0] < best[end][0]:  # type: ignore[index]
                    best[end] = candidate
    if best[n] is None:
        return None
    syllables = []
    pos = n
    while pos > 0:
        prev = best[pos][2]  # type: ignore[index]
        syllables.append(plain[prev:pos].rstrip("012345"))
        pos = prev
    return best[n][0], best[n][1], syllables  # type: ignore[index]


@lru_cache(maxsize=4096)
def _parse_gloss(body: str) -> tuple[int, bool, str] | None:
    """``(syllables, strong evidence, rule)`` for a parenthesis body that is a reading."""
    stripped = body.strip(" \u3000")
    if not stripped:
        return None
    if "\u3105" <= stripped[0] <= "\u312f" or stripped[0] == "\u02d9":
        count = _count_zhuyin(stripped)
        return None if count is None else (count, True, "zhuyin-gloss")
    parsed = _parse_pinyin(stripped)
    if parsed is None:
        return None
    count, strong = parsed
    return count, strong, "pinyin-gloss" if strong else "pinyin-gloss-toneless"


def _count_zhuyin(body: str) -> int | None:
    """Syllables in `body` if it is all zhuyin, read greedily left to right.

    Any single bopomofo letter is a syllable of the pattern, so reading
    greedily never rejects a valid sequence; and it does not backtrack, where
    one regex for the whole sequence would try exponentially many splits.
    """
    count = 0
    pos = 0
    while pos < len(body):
        syllable = _ZHUYIN_ONE.match(body, pos)
        if syllable is None or syllable.end() == pos:
            return None
        count += 1
        pos = _ZHUYIN_SPACE.match(body, syllable.end()).end()  # type: ignore[union-attr]
    return count


def _candidates(text: str) -> list[tuple[int, int, str, str]]:
    """``(start, end, space, body)`` of each match of `_GLOSS_CANDIDATE.finditer(text)`, in order.

    A candidate cannot hold a parenthesis, so the matches from the two kinds
    of parenthesis never overlap; the space before one is never inside the
    previous match (which ends with a closing parenthesis), so it belongs to
    the match exactly when it is there.
    """
    found = []
    for pattern in _FROM_PARENTHESIS:
        for m in pattern.finditer(text):
            start = m.start()
            space = text[start - 1] if start and text[start - 1] in " \u3000" else ""
            found.append((start - len(space), m.end(), space, m.group("body")))
    found.sort()
    return found


def _gloss_matches(text: str) -> list[re.Match[str]] | Iterator[re.Match[str]]:
    """The matches of `_FROM_PARENTHESIS` in `text`, in order (see `_candidates`)."""
    has_ascii = "(" in text
    if has_ascii and "\uff08" in text:
        return sorted([*_FROM_PARENTHESIS[0].finditer(text), *_FROM_PARENTHESIS[1].finditer(text)], key=_START)
    return _FROM_PARENTHESIS[0 if has_ascii else 1].finditer(text)


_START = methodcaller("start")

# The glosses to remove, as three parallel lists: starts, ends, rule ids. A page
# with readings has one per character, and `strip_ruby` needs no `Edit` for them.
_Spans = tuple[list[int], list[int], list[str]]


def _gloss_spans(text: str, toneless_evidence: int) -> _Spans:
    """What `find_ruby_edits` finds, as `_Spans`.

    One pass decides each gloss as it comes. Only a toneless gloss met before
    `toneless_evidence` toned ones depends on what comes after it: then the
    document is read again by `_two_pass_gloss_spans`.
    """
    starts: list[int] = []
    ends: list[int] = []
    rules: list[str] = []
    if "(" not in text and "\uff08" not in text:
        return starts, ends, rules
    parse = _parse_gloss
    han_at = _HAN_CHAR.match
    strong_count = 0
    last_end = -1
    for m in _gloss_matches(text):
        parsed = parse(m[1])
        if parsed is None:
            continue  # most parentheses hold no reading
        count, strong, rule = parsed
        start, end = m.span()
        before = text[start - 1] if start else ""
        if before == " " or before == "\u3000":
            if not strong:
                continue  # a toneless reading sits right against its hanzi
            start -= 1
            before = text[start - 1] if start else ""
        elif not strong:
            if m[1] != m[1].strip(" \u3000"):
                continue
            if strong_count < toneless_evidence:
                return _two_pass_gloss_spans(text, toneless_evidence)
        strong_count += strong
        if count == 1 and before and last_end != start and ("\u4e00" <= before <= "\u9fff" or han_at(before)):
            pass  # the common case of _hanzi_before, inline
        elif _hanzi_before(text, start, count, starts, ends) < count:
            continue
        starts.append(start)
        ends.append(end)
        rules.append(rule)
        last_end = end
    return starts, ends, rules


def _two_pass_gloss_spans(text: str, toneless_evidence: int) -> _Spans:
    """`_gloss_spans`, counting the toned glosses of the whole document before deciding any."""
    candidates = []
    strong_count = 0
    for start, end, space, body in _candidates(text):
        parsed = _parse_gloss(body)
        if parsed is None:
            continue
        count, strong, rule = parsed
        if not strong and (space or body != body.strip(" \u3000")):
            continue  # a toneless reading sits right against its hanzi
        candidates.append((start, end, count, strong, rule))
        strong_count += strong
    toneless_ok = strong_count >= toneless_evidence
    starts: list[int] = []
    ends: list[int] = []
    rules: list[str] = []
    for start, end, count, strong, rule in candidates:
        if not strong and not toneless_ok:
            continue
        if _hanzi_before(text, start, count, starts, ends) >= count:
            starts.append(start)
            ends.append(end)
            rules.append(rule)
    return starts, ends, rules


def _hanzi_before(text: str, pos: int, needed: int, starts: list[int], ends: list[int]) -> int:
    """How many hanzi (up to `needed`) end at `pos`, reading the text as it is once the glosses
    ``starts[i]:ends[i]`` are removed.

    Skipping the glosses already removed keeps the filter idempotent: in
    ``發(fā)(fā)`` the second one is also a gloss once the first is gone.
    """
    k = len(ends) - 1
    found = 0
    while found < needed and pos > 0:
        if k >= 0 and ends[k] == pos:
            pos = starts[k]
            k -= 1
        elif _HAN_CHAR.match(text, pos - 1):
            found += 1
            pos -= 1
        else:
            break
    return found


# An Edit from a 4-tuple with no Python-level call: one per gloss adds up.
_as_edit = partial(tuple.__new__, Edit)


def find_ruby_edits(text: str, *, toneless_evidence: int = 2) -> list[Edit]:
    """The glosses `strip_ruby` removes, as deletions with their rule ids.

    Rules: ``pinyin-gloss`` (tone marks or tone numbers), ``zhuyin-gloss``,
    ``pinyin-gloss-toneless`` (only in a document with at least
    `toneless_evidence` glosses of the first two kinds).
    """
    starts, ends, rules = _gloss_spans(text, toneless_evidence)
    return list(map(_as_edit, zip(starts, ends, repeat(""), rules)))


def _without(text: str, starts: list[int], ends: list[int]) -> str:
    """`text` with the spans ``starts[i]:ends[i]`` (sorted, apart) cut out, the pieces joined in C."""
    if not starts:
        return text
    return "".join([text[kept_from:kept_to] for kept_from, kept_to in zip([0, *ends], [*starts, len(text)])])


def strip_ruby(text: str, *, toneless_evidence: int = 2) -> str:
    """Remove pinyin and zhuyin readings leaked from ruby markup: ``發(fā)`` becomes ``發``.

    A page that prints a reading over each character loses the layout when its
    text is extracted, and the reading lands in the sentence inside
    parentheses. A reading is removed with its parentheses (ASCII or
    fullwidth) when it is valid pinyin or zhuyin and follows at least as many
    hanzi as it has syllables. One tone mark (``fā``) or tone number
    (``fa1``) makes it a reading. A toneless one (``(ma)``) is removed only
    when the document has at least `toneless_evidence` toned readings, because
    English words are pinyin-shaped too: ``(an)``, ``(long)``, ``(bang)``.

    Real parentheticals stay: Chinese (``中國(科技界)``), English
    (``(Sam Altman)``, ``(OpenAI)``), numbers, and kana readings of Japanese
    (``漢字(かんじ)``), which are a typographic convention, not leaked markup.

    When it is wrong: a text that teaches Chinese and writes its readings in
    parentheses on purpose loses them; a short accented word of another
    language that happens to be toned pinyin (French ``(né)`` right after a
    hanzi) goes too.
    Interjection syllables without a vowel (``嗯(ńg)``) are not recognized.

    >>> strip_ruby("位列美區(qū)蘋果應用商店第一,發(fā)布會上,DeepSeek(深度求索)")
    '位列美區蘋果應用商店第一,發布會上,DeepSeek(深度求索)'
    >>> strip_ruby("注音(ㄓㄨˋ ㄧㄣ)與漢字(かんじ)")
    '注音與漢字(かんじ)'
    """
    starts, ends, _rules = _gloss_spans(text, toneless_evidence)
    return _without(text, starts, ends)


register(Filter("strip-ruby", strip_ruby, find_ruby_edits, deletes_only=True))
