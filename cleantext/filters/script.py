"""to-hans, to-hant, to-tw, to-twp, to-hk: OpenCC conversion that converts only Chinese.

OpenCC converts every Han character it knows, so run over a Japanese article
it turns 週 into 周 and 間 into 间 and leaves a text that is neither language.
These filters hand OpenCC only the Chinese: the guard below decides, from the
document, the paragraph and the sentence, which spans are Japanese or Korean,
and keeps them, URLs and code spans out of the conversion.

The guard (``_convertible_spans``):

1. A line whose own prose (outside quotation brackets) is one fifth kana or
   hangul is a Japanese or Korean paragraph. A document whose Japanese and
   Korean paragraphs hold at least half its letters is left whole, kanji-only
   lines included.
2. In a Chinese document, the Japanese and Korean paragraphs are left whole;
   so is a line without kana that sits between two such paragraphs (a
   kanji-only heading inside a quoted Japanese passage).
3. In a Chinese paragraph, a sentence that contains kana or hangul is left
   whole, unless all of them sit inside quotation brackets (「」『』“”《》（）):
   then only those quotations are kept and the Chinese around them converts.
4. URLs (with their non-ASCII paths), inline `code` and fenced code blocks,
   lone surrogates and NUL characters are never passed to OpenCC. E-mail
   addresses are ASCII and OpenCC changes no ASCII character, so they need no
   rule.

The guard costs almost nothing on Chinese text. OpenCC converts the whole
document first; if nothing changed (Simplified text through to-hans), the
text is returned as it is. If something changed and the text has no kana,
hangul, backtick, ``://``, ``www.``, NUL or surrogate (one scan), OpenCC's
result stands. Only otherwise are the spans above worked out and converted
apart. Non-Han characters are never changed, with one exception: s2twp swaps
words, and a few of its words hold Latin letters (U盘 → 隨身碟).

Explain reports one `Change` per converted run of characters (a character or
a phrase, 头发 → 頭髮), not per paragraph, with the rule id of the OpenCC
configuration; ``<config>-ambiguous`` (``s2t-ambiguous``) marks runs with a
source character that OpenCC's character dictionary maps to more than one
target (后 → 後/后, 干 → 幹/乾/干/榦, 发 → 發/髮; 乾 → 干/乾 for t2s), so a
reviewer can find the conversions that may be wrong. A phrase dictionary may
have chosen the right one (头发 → 頭髮): the mark means "has a choice", not
"is wrong".

Idempotence: OpenCC is not idempotent on a few characters (with OpenCC 1.4:
t2s 薴 → 苧 → 苎; s2t and the regional configs 苎 → 苧 → 薴; s2tw and s2twp
幺 → 么 → 麼). to-hans repeats the conversion to a fixed point where the text
holds such a character (at most 4 rounds): its target is Simplified, and an
output that t2s would change again is not yet Simplified (苧 is the
Traditional form of 苎). The Simplified-to-Traditional filters do not: their
second round reads a Traditional output as if it were Simplified (苧 → 薴,
么 → 麼 turns 幺 "small" into the particle 麼), and OpenCC's own test cases
expect the single round (幺麽小丑 → 么麼小丑 under s2tw). So to-hant, to-tw,
to-twp and to-hk equal OpenCC and are not idempotent on 苎 and 幺 (known,
tested in tests/test_script.py). Nor are they on some phrases: a second pass
reads its own Traditional output as Simplified and can segment it another
way (里面人 → 裡面人 → 裡麵人, the phrase 面人 "dough figurine" matching once
里面 is gone); plain OpenCC does the same, also a tested known failure.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from functools import cache

from cleantext.core import Edit, Filter
from cleantext.detect import is_foreign
from cleantext.opencc_tables import converter, one_to_many, unstable_sources
from cleantext.patterns import CJK_PUNCT, HAN, HANGUL, KANA, lazy_compile
from cleantext.registry import register

__all__ = [
    "find_script_edits",
    "to_hongkong",
    "to_simplified",
    "to_taiwan",
    "to_taiwan_phrases",
    "to_traditional",
]

# The characters that send a document past the fast path; "://", "www." and
# "`" are tested with `in`, which is faster than one more alternative here.
_GUARDED_CHAR = lazy_compile(f"[{KANA}{HANGUL}\x00\ud800-\udfff]")
_FOREIGN = lazy_compile(f"[{KANA}{HANGUL}]")
_HAN_RE = lazy_compile(f"[{HAN}]")

# A URL runs to whitespace, a quotation mark or CJK punctuation; its non-ASCII
# characters (an unescaped path: /wiki/后) are part of it.
_QUOTES = "「」『』“”\u2018\u2019"  # CJK quotation marks and curly single quotes
_URL = re.compile(f"(?:[A-Za-z][A-Za-z0-9+.-]*://|www\\.)[^\\s<>\"'{CJK_PUNCT}{_QUOTES}]+")
_CODE = re.compile(r"```.*?(?:```|\Z)|`[^`\n]+`", re.DOTALL)
# What OpenCC cannot take: lone surrogates (no UTF-8) and NUL (the C++ side
# stops there: s2hk("a\x00b") == "a").
_UNSAFE = re.compile("[\x00\ud800-\udfff]+")
_LINE = re.compile(r"[^\n]*\n?")
# A sentence ends at 。！？!? (and the closing quotes after it) or at the line
# end; a quotation in 「」『』“” is one piece, sentence ends inside it included.
_SENTENCE = lazy_compile(
    "(?:「[^「」\n]*」|『[^『』\n]*』|“[^“”\n]*”|[^。！？!?\n])+[。！？!?]*[」』”\u2019\"）)]*|[。！？!?]+"
)
_QUOTED = re.compile(
    r"「[^「」\n]*」|『[^『』\n]*』|“[^“”\n]*”|《[^《》\n]*》|（[^（）\n]*）|\([^()\n]*\)|\"[^\"\n]*\""
)

# A paragraph of a Chinese document is Japanese or Korean when its own prose
# is this share kana or hangul (a Chinese sentence naming ポケモン is not).
PARAGRAPH_SHARE = 0.2


# Configurations repeated to a fixed point (see "Idempotence" above).
_FIXED_POINT_CONFIGS = frozenset({"t2s"})


@cache
def _conversion(config: str) -> tuple[Callable[[str], str], tuple[str, ...]]:
    """The converter's bound method and the characters that call for a fixed point."""
    unstable = tuple(sorted(unstable_sources(config))) if config in _FIXED_POINT_CONFIGS else ()
    return converter(config).convert, unstable


def _convert(text: str, config: str) -> str:
    """OpenCC's conversion; for t2s repeated to a fixed point where a character is known not to be one."""
    convert, unstable = _conversion(config)
    out = convert(text)
    for c in unstable:
        if c in text:
            for _ in range(4):
                again = convert(out)
                if again == out:
                    break
                out = again
            break
    return out


def _is_foreign_prose(text: str, share: float = PARAGRAPH_SHARE) -> bool:
    """Whether `text`, quotations aside, is Japanese or Korean prose."""
    prose = _QUOTED.sub("", text)
    foreign = len(_FOREIGN.findall(prose))
    return foreign > 0 and is_foreign(foreign, len(_HAN_RE.findall(prose)), share)


def _foreign_spans(text: str) -> list[tuple[int, int]]:
    """The spans of `text` that are Japanese or Korean (steps 1-3 of the module docstring)."""
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text) if m.end() > m.start()]
    kinds = []  # per line: "foreign", "mixed" (a Chinese paragraph with kana), "plain" or "blank"
    letters = {"foreign": 0, "chinese": 0}
    for start, end in lines:
        line = text[start:end]
        if not line.strip():
            kinds.append("blank")
            continue
        if not _FOREIGN.search(line):
            kinds.append("plain")
        else:
            kinds.append("foreign" if _is_foreign_prose(line) else "mixed")
        weight = len(_HAN_RE.findall(line)) + len(_FOREIGN.findall(line))
        letters["foreign" if kinds[-1] == "foreign" else "chinese"] += weight
    if letters["foreign"] >= letters["chinese"]:
        return [(0, len(text))]
    spans: list[tuple[int, int]] = []
    for i, ((start, end), kind) in enumerate(zip(lines, kinds, strict=True)):
        if kind == "foreign" or (kind == "plain" and _between_foreign(kinds, i)):
            spans.append((start, end))
        elif kind == "mixed":
            spans.extend(_foreign_sentences(text, start, end))
    return spans


def _between_foreign(kinds: list[str], i: int) -> bool:
    before = next((k for k in reversed(kinds[:i]) if k != "blank"), None)
    after = next((k for k in kinds[i + 1 :] if k != "blank"), None)
    return before == "foreign" and after == "foreign"


def _foreign_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    for m in _SENTENCE.finditer(text, start, end):
        sentence = m.group()
        if not _FOREIGN.search(sentence):
            continue
        quotes = [q for q in _QUOTED.finditer(sentence) if _FOREIGN.search(q.group())]
        rest = _QUOTED.sub("", sentence)
        if quotes and not _FOREIGN.search(rest):
            spans.extend((m.start() + q.start(), m.start() + q.end()) for q in quotes)
        else:
            spans.append((m.start(), m.end()))
    return spans


def _convertible_spans(text: str) -> list[tuple[int, int]]:
    """The spans OpenCC may convert: all of `text` minus the guarded ones."""
    guarded: list[tuple[int, int]] = []
    if _GUARDED_CHAR.search(text):
        guarded += [m.span() for m in _UNSAFE.finditer(text)]
        if _FOREIGN.search(text):
            guarded += _foreign_spans(text)
    if "://" in text or "www." in text:
        guarded += [m.span() for m in _URL.finditer(text)]
    if "`" in text:
        guarded += [m.span() for m in _CODE.finditer(text)]
    if not guarded:
        return [(0, len(text))]
    guarded.sort()
    spans = []
    pos = 0
    for start, end in guarded:
        if start > pos:
            spans.append((pos, start))
        pos = max(pos, end)
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


def _whole(text: str, config: str) -> str | None:
    """OpenCC's conversion of all of `text` (to the fixed point); None when it has lone surrogates."""
    try:
        return _convert(text, config)
    except UnicodeEncodeError:  # OpenCC takes UTF-8, and lone surrogates have none
        return None


def _needs_guard(text: str) -> bool:
    return bool(_GUARDED_CHAR.search(text)) or "://" in text or "www." in text or "`" in text


def _convert_guarded(text: str, config: str) -> str:
    # OpenCC runs on the whole text first: when it changes nothing (Simplified
    # text through to-hans), there is nothing to guard and the guard costs a
    # comparison. Otherwise, without kana, hangul, URL or code the result
    # stands (the guard cost one scan); with them, the guarded spans are kept.
    # (`_whole` inlined: on a short paragraph each call is ~2 % of the time.)
    convert, unstable = _conversion(config)
    try:
        whole: str | None = convert(text)
    except UnicodeEncodeError:
        whole = None
    if whole == text:
        return text
    if whole is not None and not _needs_guard(text):
        for c in unstable:
            if c in text:
                return _convert(text, config)
        return whole
    parts = []
    pos = 0
    for start, end in _convertible_spans(text):
        parts.append(text[pos:start])
        parts.append(_convert(text[start:end], config))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def _runs(old: str, new: str) -> list[tuple[int, int, str]]:
    """Where `new` differs from `old`: maximal runs ``(start, end, replacement)`` over `old`."""
    if len(old) == len(new):
        runs = []
        i, n = 0, len(old)
        while i < n:
            if old[i] == new[i]:
                i += 1
                continue
            j = i
            while j < n and old[j] != new[j]:
                j += 1
            runs.append((i, j, new[i:j]))
            i = j
        return runs
    # A phrase changed length (s2twp: U盘 → 隨身碟): align the two.
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    runs = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if runs and runs[-1][1] == i1:
            start, _end, repl = runs[-1]
            runs[-1] = (start, i2, repl + new[j1:j2])
        else:
            runs.append((i1, i2, new[j1:j2]))
    return runs


@cache
def _ambiguous_pattern(config: str) -> re.Pattern[str]:
    sources = sorted(one_to_many(config))
    if not sources:
        return re.compile(r"(?!x)x")
    return re.compile("[" + "".join(re.escape(c) for c in sources) + "]")


def find_script_edits(text: str, *, config: str) -> list[Edit]:
    """One edit per converted run of characters, in the spans the guard lets OpenCC convert.

    The rule id is `config`, or ``<config>-ambiguous`` where a source
    character of the run has more than one possible target.
    """
    if _whole(text, config) == text:  # as in `_convert_guarded`
        return []
    ambiguous = _ambiguous_pattern(config)
    edits = []
    for start, end in _convertible_spans(text):
        # Line by line: no OpenCC dictionary entry spans a line break, so this
        # is the conversion of the whole span, and the alignment stays local.
        for m in _LINE.finditer(text, start, end):
            old = m.group()
            if not old:
                continue
            new = _convert(old, config)
            if new == old:
                continue
            base = m.start()
            for i, j, repl in _runs(old, new):
                rule = f"{config}-ambiguous" if ambiguous.search(old, i, j) else config
                edits.append(Edit(base + i, base + j, repl, rule))
    return edits


def _find_t2s(text: str) -> list[Edit]:
    return find_script_edits(text, config="t2s")


def _find_s2t(text: str) -> list[Edit]:
    return find_script_edits(text, config="s2t")


def _find_s2tw(text: str) -> list[Edit]:
    return find_script_edits(text, config="s2tw")


def _find_s2twp(text: str) -> list[Edit]:
    return find_script_edits(text, config="s2twp")


def _find_s2hk(text: str) -> list[Edit]:
    return find_script_edits(text, config="s2hk")


def to_simplified(text: str) -> str:
    """Convert Traditional Chinese to Simplified (OpenCC t2s), leaving Japanese, Korean, URLs and code alone.

    Corpora mix scripts across sources; models and search want one. OpenCC
    does the conversion, phrase by phrase (乾隆 keeps its 乾); the guard of
    this module keeps it off Japanese and Korean text, which OpenCC would
    otherwise turn into a mix of both languages (週間 → 周间), and off URLs
    and code. Explain marks conversions that had a choice (``t2s-ambiguous``).

    When it is wrong: OpenCC's dictionaries decide, and they miss some
    phrases; a Chinese sentence with unquoted kana in it is left as it is.

    >>> to_simplified("距離DeepSeek顛覆AI世界已經過去一週多了。")
    '距离DeepSeek颠覆AI世界已经过去一周多了。'
    >>> to_simplified("DeepSeekがAIの世界を揺るがしてから、わずか1週間余りが経った。")
    'DeepSeekがAIの世界を揺るがしてから、わずか1週間余りが経った。'
    """
    return _convert_guarded(text, "t2s")


def to_traditional(text: str) -> str:
    """Convert Simplified Chinese to Traditional (OpenCC s2t, OpenCC's standard forms), sparing Japanese.

    The OpenCC standard is the character set of dictionaries, not of any one
    region; use to-tw or to-hk for regional forms. Simplified to Traditional
    is one-to-many (后 → 後 or 后, 发 → 發 or 髮): OpenCC's phrase dictionaries
    choose, and explain marks every such conversion ``s2t-ambiguous``.

    When it is wrong: where the phrase dictionaries have no entry, the first
    target is taken, which is wrong for the rarer reading.

    >>> to_traditional("头发和发展")
    '頭髮和發展'
    >>> to_traditional("他说「ありがとう」后离开了")
    '他說「ありがとう」後離開了'
    """
    return _convert_guarded(text, "s2t")


def to_taiwan(text: str) -> str:
    """Convert Simplified Chinese to Traditional with Taiwan's standard forms (OpenCC s2tw), sparing Japanese.

    Like to-hant, then Taiwan's variant forms (里 → 裡 where to-hant gives 裏,
    着 → 著). Words stay mainland words; to-twp also changes vocabulary.

    When it is wrong: as to-hant, for one-to-many characters without a
    phrase entry; and for text meant for Hong Kong readers, who expect
    other variant forms (use to-hk).

    >>> to_taiwan("里面的着陆")
    '裡面的著陸'
    """
    return _convert_guarded(text, "s2tw")


def to_taiwan_phrases(text: str) -> str:
    """Convert Simplified Chinese to Taiwan Traditional with Taiwan's words (OpenCC s2twp), sparing Japanese.

    Also replaces mainland words with Taiwan's (软件 → 軟體, 内存 → 記憶體).
    That is a rewrite, not a transliteration: wrong for quoted speech or
    names that must stay as written, and it can change Latin-bearing words
    too (U盘 → 隨身碟).

    >>> to_taiwan_phrases("鼠标和软件")
    '滑鼠和軟體'
    """
    return _convert_guarded(text, "s2twp")


def to_hongkong(text: str) -> str:
    """Convert Simplified Chinese to Traditional with Hong Kong's forms (OpenCC s2hk), sparing Japanese.

    Like to-hant, then Hong Kong's variant forms: 温度 stays 温度 (s2t gives
    溫度), 为了 → 為了 (s2t: 爲了), 户 stays 户.

    When it is wrong: as to-hant, for one-to-many characters without a
    phrase entry; Cantonese vocabulary is not produced (words stay as
    written), and text meant for Taiwan wants to-tw.

    >>> to_hongkong("户口里的温度")
    '户口裏的温度'
    """
    return _convert_guarded(text, "s2hk")


register(Filter("to-hans", to_simplified, _find_t2s))
register(Filter("to-hant", to_traditional, _find_s2t))
register(Filter("to-tw", to_taiwan, _find_s2tw))
register(Filter("to-twp", to_taiwan_phrases, _find_s2twp))
register(Filter("to-hk", to_hongkong, _find_s2hk))
