"""fix-mojibake: repair text decoded with the wrong codec, CJK codecs included.

Two engines, run in turn until nothing changes (double encoding needs more
than one round):

1. **CJK codec chains** that ftfy does not know: UTF-8 read as GBK (cp936),
   Big5 or Shift_JIS; GBK, Big5, Shift_JIS, EUC-JP, EUC-KR read as Latin-1 or
   cp1252; Big5, Shift_JIS, EUC-JP, EUC-KR read as GBK; GBK read as Big5. A
   stretch of text is turned back into the bytes the wrong decoder saw and
   decoded with the right codec; the result is kept only when the round trip
   is clean and the result is plausible text of the codec's language
   (`_plausible`), judged by coverage with the frequent-character sets the
   national standards define (GB2312 level 1, Big5 常用字, JIS level 1 kanji,
   the 2,350 hangul of KS X 1001), which Python's codecs carry.
2. **ftfy** for the single-byte kind (UTF-8 read as cp1252, Latin-1, cp1251,
   MacRoman...), with a CJK-safe configuration: no quote uncurling, no width
   folding, no normalization, no line-break or terminal-escape changes (other
   filters own those). HTML entities are unescaped only where that uncovers
   mojibake.

Irrecoverable damage (`锟斤拷`, `烫烫烫`, `屯屯屯`, U+FFFD) is never guessed at:
`find_irrecoverable` reports it, and ``remove_irrecoverable=True`` removes it.

Speed: most text has no mojibake, so one whole-text pattern (`_screens`),
which begins with a single character class and so runs at C speed, decides
that; only the lines it flags are looked at closer, and each flagged line
tries only the chains its screens point to. The screens are built from the
codecs' own tables (what a decoder makes of UTF-8 lead and continuation
bytes, of GBK punctuation, of Latin-1 letters as UTF-8), so they cover each
family, not a list of examples.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right
from functools import cache, lru_cache
from itertools import accumulate
from pathlib import Path
from typing import NamedTuple

from cleantext.core import Edit, Filter, apply_edits, chain_edits
from cleantext.patterns import (
    CJK_PUNCT,
    HAN,
    HANGUL,
    HAS_HAN,
    HAS_HANGUL,
    HAS_KANA,
    KANA,
    class_body,
    decode_block,
    lazy_compile,
)
from cleantext.registry import register

__all__ = ["CHAINS", "chain_rule", "find_irrecoverable", "find_mojibake_edits", "fix_mojibake"]

# -- frequent characters, from the national standards' own frequency tiers ---


_HIGH = list(range(0xA1, 0xFF))


@lru_cache(maxsize=1)
def _common_sets() -> dict[str, frozenset[str]]:
    """Frequent characters per language: what real text is mostly made of."""
    kana = {chr(c) for c in range(0x3041, 0x3097)} | {chr(c) for c in range(0x30A1, 0x30FB)} | {"ー", "々"}
    punct = set("，。、；：？！（）《》〈〉「」『』【】〔〕“”‘’…—·・～　") | {
        chr(c) for c in range(0xFF01, 0xFF5F)
    }
    hans = set(decode_block("gb2312", range(0xB0, 0xD8), _HIGH))  # GB2312 level 1: 3,755 hanzi
    big5_common = decode_block("cp950", range(0xA4, 0xC7), [*range(0x40, 0x7F), *_HIGH])
    hant = set(big5_common[: big5_common.index(b"\xc6\x7e".decode("cp950")) + 1])  # 5,401 hanzi
    ja = set(decode_block("euc_jp", range(0xB0, 0xD0), _HIGH)) | kana  # JIS X 0208 level 1 kanji
    ko = set(decode_block("cp949", range(0xB0, 0xC9), _HIGH))  # KS X 1001: 2,350 hangul
    return {
        "hans": frozenset(hans | punct),
        "hant": frozenset(hant | punct),
        "ja": frozenset(ja | punct),
        "ko": frozenset(ko | punct),
    }


def _ranges(chars: set[str] | frozenset[str]) -> str:
    """A regex character class body for `chars`, as ranges."""
    return _ranges_of(frozenset(chars))


@lru_cache(maxsize=256)
def _ranges_of(chars: frozenset[str]) -> str:
    # The screens use the same large sets several times: built once.
    return class_body(chars)


class _Screens(NamedTuple):
    """Compiled screens; each begins with one plain character class, which `re` scans at C speed."""

    any_damage: re.Pattern[str]  # all of cjk, ftfy and irrecoverable, in one pass over the text
    # Compiled on first use (`_LazyPattern`): only flagged lines need them.
    suspicious: _LazyPattern  # a line worth every CJK chain
    utf8_signature: dict[str, _LazyPattern]  # a line worth UTF-8 read as this double-byte codec
    latin1_utf8_as_gbk: _LazyPattern  # a line worth the layered chain (ÖÐÎÄ as UTF-8, read as GBK)
    gbk_as_big5: _LazyPattern  # GBK punctuation read as Big5 (ㄛ for ，) after a hanzi
    ftfy: _LazyPattern  # a line worth ftfy
    korean_gap: re.Pattern[str]  # EUC-KR read as GBK: spaced frequent hanzi
    kana_pair: re.Pattern[str]  # EUC-JP read as GBK: a hanzi Japanese cannot contain, next to kana


def _screen_source(parts: list[tuple[set[str], str]]) -> str:
    """One pattern for `parts`, pairs (first characters, what must follow).

    An alternation of several branches makes `re` try every position; one
    class of all first characters, then each branch's tail behind a lookbehind
    for its own first characters, keeps the scan at C speed (a few hundred
    MB/s). Tails are tried only where a first character is, and the
    branches with frequent first characters should come first.
    """
    firsts = set().union(*(first for first, _tail in parts))

    def after_own_first(first: set[str]) -> str:
        # The character behind is one of `firsts`: it is one of `first` if it
        # is none of the others, which is often the shorter class to write
        # (and `re` parses these large classes at every start).
        others = firsts - first
        if not others:
            return ""
        own, rest = _ranges(first), _ranges(others)
        return f"(?<=[{own}])" if len(own) <= len(rest) else f"(?<![{rest}])"

    tails = "|".join(after_own_first(first) + tail for first, tail in parts)
    return f"[{_ranges(firsts)}](?:{tails})"


class _LazyPattern:
    """The regex `source`, compiled on first use.

    The patterns that look closer at flagged lines are large; text without
    mojibake never needs them, and compiling them all made the first call
    cost half a second more.
    """

    __slots__ = ("_pattern", "_source")

    def __init__(self, source: str) -> None:
        self._source = source
        self._pattern: re.Pattern[str] | None = None

    @property
    def pattern(self) -> re.Pattern[str]:
        if self._pattern is None:
            self._pattern = re.compile(self._source)
        return self._pattern

    def search(self, text: str, *span: int) -> re.Match[str] | None:
        return self.pattern.search(text, *span)

    def finditer(self, text: str):
        return self.pattern.finditer(text)


def _pairs(codec: str, leads: range | list[int], trails: range | list[int]) -> set[str]:
    """The characters a double-byte `codec` gives for these lead and trail bytes."""
    return set(decode_block(codec, leads, trails))


def _singles(codec: str, raw: range) -> set[str]:
    chars = set()
    for byte in raw:
        try:
            chars.add(bytes((byte,)).decode(codec))
        except UnicodeDecodeError:
            pass
    return chars


# UTF-8 lead bytes of CJK text: E2 (punctuation, “ ” — …), E3 (kana, 、。「」),
# E4-E9 (hanzi), EA-ED (hangul), EF (fullwidth forms, ，：（）).
_UTF8_CJK_LEADS = list(range(0xE2, 0xF0))
_WRONG_CODEC = {"gbk": "gb18030", "big5": "cp950", "sjis": "cp932"}


def _utf8_signature(wrong: str) -> tuple[set[str], set[str]]:
    """What a double-byte decoder makes of UTF-8 CJK text: (first, next) characters.

    A 3-byte UTF-8 character read with a double-byte codec starts with the
    pair (lead E2-EF, continuation 80-BF): a small, fixed set of characters,
    mostly rare ones (縺 繧 繝 for kana read as Shift_JIS, 涓 鍙 for hanzi read
    as GBK). What follows it is the third byte, alone (halfwidth katakana in
    Shift_JIS) or paired with the next lead byte, or the placeholder a
    decoder put for a byte it lost. Both sets come from the codec's own
    table, so the screen covers the family, not a list of examples.
    """
    codec = _WRONG_CODEC[wrong]
    first = _pairs(codec, _UTF8_CJK_LEADS, range(0x80, 0xC0))
    # The next character's lead byte: Chinese and Japanese (a hangul lead
    # EA-ED inside them is unlikely, and leaving it out spares 讓一些).
    next_leads = [*range(0xE2, 0xEA), 0xEF]
    follow = _pairs(codec, range(0x80, 0xC0), next_leads) | _singles(codec, range(0x80, 0xC0))
    if wrong == "gbk":
        first.add("€")  # cp936's 0x80
    return first, follow | set("?\ufffd")


@lru_cache(maxsize=1)
def _screens() -> _Screens:
    """The screens (`_screen_sources`), from the stored sources when computed under this interpreter."""
    sources = _stored_screen_sources()
    if sources is None or not _SCREEN_NAMES <= sources.keys():
        sources = _screen_sources()
    return _Screens(
        any_damage=re.compile(sources["any_damage"]),
        suspicious=_LazyPattern(sources["suspicious"]),
        utf8_signature={wrong: _LazyPattern(sources[f"utf8_signature.{wrong}"]) for wrong in _WRONG_CODEC},
        latin1_utf8_as_gbk=_LazyPattern(sources["latin1_utf8_as_gbk"]),
        gbk_as_big5=_LazyPattern(sources["gbk_as_big5"]),
        ftfy=_LazyPattern(sources["ftfy"]),
        korean_gap=re.compile(sources["korean_gap"]),
        kana_pair=re.compile(sources["kana_pair"]),
    )


# Building the screens' sources from the codec tables takes a tenth of a
# second, which every run of the command would pay at its first text. They
# are computed ahead into ``cleantext/data/mojibake_screens.json`` by
# ``scripts/build_screen_data.py``; a test checks that the file is what
# `_screen_sources` computes now. The codec tables and ftfy's come with the
# Python and ftfy versions, so the file is used only under the versions it
# was computed with.
SCREEN_DATA = "mojibake_screens.json"
_SCREEN_NAMES = frozenset(
    ("any_damage", "suspicious", "latin1_utf8_as_gbk", "gbk_as_big5", "ftfy", "korean_gap", "kana_pair")
) | {f"utf8_signature.{wrong}" for wrong in _WRONG_CODEC}


def _interpreter() -> dict[str, str]:
    import unicodedata

    return {
        "python": "{}.{}".format(*sys.version_info[:2]),
        "unicode": unicodedata.unidata_version,
        "ftfy": _ftfy_version(),
    }


def _ftfy_version() -> str:
    """ftfy's ``__version__``, read from its source: importing ftfy is what the stored screens spare."""
    if "ftfy" in sys.modules:
        return sys.modules["ftfy"].__version__
    from importlib.util import find_spec

    try:
        source = Path(find_spec("ftfy").origin).read_text(encoding="utf-8")
    except (AttributeError, TypeError, OSError, ValueError):
        return "unknown"
    found = re.search(r"""^__version__ = ["']([^"']+)["']""", source, re.M)
    return found.group(1) if found else "unknown"


def screen_data() -> dict:
    """What `SCREEN_DATA` holds: the interpreter it was computed under, and `_screen_sources`."""
    return {"interpreter": _interpreter(), "sources": _screen_sources()}


def _stored_screen_sources() -> dict[str, str] | None:
    import json
    from importlib import resources

    try:
        data = json.loads((resources.files("cleantext") / "data" / SCREEN_DATA).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data["sources"] if data.get("interpreter") == _interpreter() else None


def _screen_sources() -> dict[str, str]:
    """Cheap tests that let clean text through without further work, as regex sources.

    The CJK screen finds two suspicious characters close together: characters
    that mojibake is made of (rare hanzi, private-use characters, Latin-1 and
    other single-byte-codepage letters, halfwidth kana, box drawing) and that
    real CJK text has only now and then, one at a time; or the two characters
    a double-byte decoder makes of the start of a UTF-8 CJK character
    (`_utf8_signature`). The ftfy screen finds what ftfy's repairs start
    from: a UTF-8 lead byte as some single-byte codepage shows it, followed
    by a continuation byte; control characters; ligatures; surrogates.
    `any_damage` is all of these and the irrecoverable runs in one pattern:
    clean text costs one scan.
    """
    common = set().union(*_common_sets().values())
    uncommon_cjk = {chr(c) for c in range(0x4E00, 0x9FA6)} | {chr(c) for c in range(0xAC00, 0xD7A4)}
    uncommon_cjk -= common
    suspicious = (
        uncommon_cjk
        # Latin-1 and Latin Extended, Greek and Cyrillic, math operators, box
        # drawing, Extension A, private use, compatibility ideographs,
        # halfwidth katakana, U+FFFD.
        | _span_set("\x80-\u024f\u0370-\u04ff\u2200-\u22ff\u2500-\u25ff\u3400-\u4dbf")
        | _span_set("\ue000-\uf8ff\uf900-\ufaff\uff61-\uff9f\ufffd")
        | set("ƒˆ‰Š‹ŒŽ˜™šœžŸ€")
    )
    suspicious_parts = [(suspicious, f"[^\n]{{0,2}}?[{_ranges(suspicious)}]")]
    signature_parts = {}
    for wrong, codec in _WRONG_CODEC.items():
        first, follow = _utf8_signature(wrong)
        # Two frequent characters together (體上, 頂尖) are ordinary text: one
        # of the two must be rare, and the match starts from the rare one
        # (frequent characters are no place to start a match)...
        parts = [
            (first - common, f"[{_ranges(follow)}]"),
            (follow - common, f"(?<=[{_ranges(first & common)}].)"),
        ]
        # ... or a third character follows that the next two continuation
        # bytes make together (譁舌∩ for 斐み, 諷玖嚏 for 態蚊). Three in this
        # shape are rare in correct text (體育競 in Traditional Chinese); the
        # lines they flag try this one chain only.
        third = _pairs(codec, range(0x80, 0xC0), range(0x80, 0xC0)) | _singles(codec, range(0x80, 0xC0))
        third |= {"?", "\ufffd"}  # or the placeholder for a lost byte
        parts.append((first & common, f"[{_ranges(follow & common)}][{_ranges(third)}]"))
        signature_parts[wrong] = parts
    # Latin-1 letters as UTF-8 (C2/C3 and a continuation byte) read as GBK:
    # 128 hanzi, some frequent (脨谩掳隆 for Ðá°¡, itself GBK read as Latin-1).
    # Three in a row do not happen in correct text.
    latin1_as_gbk = _pairs("gb18030", [0xC2, 0xC3], range(0x80, 0xC0))
    layered_parts = [(latin1_as_gbk, f"[{_ranges(latin1_as_gbk)}]{{2}}")]
    # For the one whole-text pattern, the branches that begin with a rare
    # character are merged across the three codecs (a hit tries every branch
    # in turn, so fewer is faster; flagged lines are then tried with each
    # codec's own pattern), and the branches whose first characters are
    # frequent (體 of 體上直) go first: most hits in correct text are those.
    rare_first = set().union(*(parts[0][0] for parts in signature_parts.values()))
    rare_first_follow = set().union(*(_utf8_signature(w)[1] for w in _WRONG_CODEC))
    rare_second = set().union(*(parts[1][0] for parts in signature_parts.values()))
    common_first = set().union(*(_utf8_signature(w)[0] & common for w in _WRONG_CODEC))
    # GBK's fullwidth punctuation read as Big5 is bopomofo, small and
    # vertical forms, tone marks (，is ㄛ, 。is ﹝, ！is ㄐ), right after a
    # hanzi, where Traditional text never puts them.
    gbk_punct_as_big5 = {
        char
        for char in _pairs("cp950", [0xA1, 0xA3], _HIGH)
        if "\u3100" <= char <= "\u312f" or "\ufe30" <= char <= "\ufe6f" or "\u02c0" <= char <= "\u02df"
    }
    gbk_as_big5_parts = [(gbk_punct_as_big5, f"(?<=[{HAN}].)")]
    cjk_parts = [
        *(parts[2] for parts in signature_parts.values()),
        *gbk_as_big5_parts,
        *layered_parts,
        (rare_first, f"[{_ranges(rare_first_follow)}]"),
        (rare_second, f"(?<=[{_ranges(common_first)}].)"),
        *suspicious_parts,
    ]

    # Hanzi outside JIS X 0208 next to kana: EUC-JP read as GBK keeps the kana
    # and turns kanji into GB2312 hanzi that are frequent, but not Japanese.
    not_jis = {c for c in _common_sets()["hans"] if HAS_HAN.match(c) and not _is_jis(c)}
    # EUC-JP's punctuation (「」…) read as GBK: GB2312 row-1 symbols (≈ ∽ …).
    for trail in _HIGH:
        raw = bytes((0xA1, trail))
        try:
            as_gbk, as_eucjp = raw.decode("gb2312"), raw.decode("euc_jp")
        except UnicodeDecodeError:
            continue
        if as_gbk != as_eucjp and not HAS_KANA.match(as_gbk) and not _is_jis(as_gbk):
            not_jis.add(as_gbk)  # a symbol Japanese text cannot even contain
    kana = "\u3041-\u3096\u30a1-\u30fa"
    not_jis_class = _ranges(not_jis)
    kana_pair = f"[{not_jis_class}](?:(?<=[{kana}][{not_jis_class}])|[{kana}])"
    # A space between hanzi from GB2312 rows 16-40, which are what EUC-KR
    # hangul (the same byte range) read as GBK give: Korean has word spacing,
    # Chinese has not. It starts with a plain space: the fastest search.
    korean = _korean_as_gbk()
    korean_gap = f" (?=[{korean}])(?:(?<=[{korean}] )|(?<=[{korean}][,.!?] ))"

    import ftfy.chardata

    leads, conts = set(), set(" \ufffd")
    for enc in ftfy.chardata.CHARMAP_ENCODINGS:
        leads.update(bytes(range(0xC2, 0xF5)).decode(enc))
        conts.update(bytes(range(0x80, 0xC0)).decode(enc))
    leads -= set("\t\n\r ")
    # MacRoman's “ ” ‘ ’ – — … are lead bytes, and cp1252's are continuation
    # bytes: two of them together, or one before a space, are ordinary
    # punctuation (——, ……, ”“), not mojibake. The pair is found from its
    # second character, which is rare in CJK text.
    punct = set("“”‘’–—…")
    ordinary_conts = conts - punct - {" "}
    ligatures = _span_set("\u0132\u0133\u0149\u01c4-\u01cc\u01f1-\u01f3\ufb00-\ufb06")
    controls = _span_set("\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u206a-\u206f\ufeff\ufff9-\ufffc\ud800-\udfff")
    ftfy_parts = [
        # A lead byte, then a continuation byte, or an HTML entity standing for one (10Î&frac14;s).
        (leads - punct, f"(?:[{_ranges(conts)}]|&#?\\w+;)"),
        (ordinary_conts, f"(?<=[{_ranges(leads & punct)}].)"),
        (controls | ligatures, ""),
    ]
    # Irrecoverable runs (`_IRRECOVERABLE`), found by a character of their own.
    damage_parts = [({"锟", "\ufffd"} | controls | ligatures, ""), ({"烫"}, "烫烫"), ({"屯"}, "屯屯")]
    return {
        "any_damage": _screen_source(cjk_parts + ftfy_parts[:2] + damage_parts),
        "suspicious": _screen_source(suspicious_parts),
        **{f"utf8_signature.{wrong}": _screen_source(parts) for wrong, parts in signature_parts.items()},
        "latin1_utf8_as_gbk": _screen_source(layered_parts),
        "gbk_as_big5": _screen_source(gbk_as_big5_parts),
        "ftfy": _screen_source(ftfy_parts),
        "korean_gap": korean_gap,
        "kana_pair": kana_pair,
    }


def _span_set(ranges: str) -> set[str]:
    """The characters of a character-class body made only of single characters and ``a-b`` ranges."""
    chars = set()
    for m in re.finditer("(.)(?:-(.))?", ranges, re.S):
        lo, hi = m.group(1), m.group(2) or m.group(1)
        chars.update(chr(c) for c in range(ord(lo), ord(hi) + 1))
    return chars


# -- codecs: how the wrong decoder saw the bytes, and how to get them back ------


def _cp1252_specials() -> dict[str, bytes]:
    table = {}
    for i in range(0x80, 0xA0):
        try:
            table[bytes([i]).decode("cp1252")] = bytes([i])
        except UnicodeDecodeError:
            pass
    return table


_CP1252_SPECIALS = _cp1252_specials()


def _encode_char(char: str, wrong: str) -> bytes | None:
    """The bytes that `wrong` decodes to `char`, or None where it never produces it."""
    if wrong == "latin1":
        # Latin-1 and cp1252 as browsers and editors apply them: bytes 0x80-0x9F
        # show as cp1252's punctuation where it has some, as C1 controls where not.
        if ord(char) < 0x100:
            return bytes((ord(char),))
        return _CP1252_SPECIALS.get(char)
    if wrong == "gbk":
        # Windows code page 936 is GBK plus the user-defined rows as private-use
        # characters and 0x80 as the euro sign; Python's gb18030 has the same
        # private-use mapping. Four-byte GB18030 sequences never come out of a
        # GBK decoder.
        if char == "€":
            return b"\x80"
        try:
            raw = char.encode("gb18030")
        except UnicodeEncodeError:
            return None
        return raw if len(raw) <= 2 else None
    codec = {"big5": "cp950", "sjis": "cp932"}[wrong]
    try:
        return char.encode(codec)
    except UnicodeEncodeError:
        return None


_UTF8_SEQ = b"(?:[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3})"
# The multibyte characters of each true codec, as a byte pattern.
_MULTIBYTE = {
    "utf8": _UTF8_SEQ,
    "gbk": b"[\x81-\xfe][\x40-\x7e\x80-\xfe]",
    "big5": b"[\x81-\xfe][\x40-\x7e\xa1-\xfe]",
    "sjis": b"[\x81-\x9f\xe0-\xfc][\x40-\x7e\x80-\xfc]",
    "eucjp": b"[\xa1-\xfe][\xa1-\xfe]|\x8e[\xa1-\xdf]",
    "euckr": b"[\xa1-\xfe][\xa1-\xfe]",
}
# In UTF-8, a character that lost a byte to a decoder's ``?`` or U+FFFD
# (0xFF here, see `_zones`): a started sequence, the placeholders, then the
# continuation bytes of a next character whose lead byte the same
# placeholder swallowed, but only where a 3-byte character follows: at the
# end of a garbled stretch, bytes that look like continuations are the good
# text that follows (ご is 82 B2 in Shift_JIS).
# A lost middle byte keeps the last one (E3 ? AE for の).
_LOST_UTF8 = (
    b"(?:[\xc2-\xdf]\xff{1,2}"
    b"|[\xe0-\xef](?:[\x80-\xbf]\xff{1,2}|\xff{1,2}[\x80-\xbf]?)"
    b"|[\xf0-\xf4](?:[\x80-\xbf]{1,2}\xff{1,3}|\xff{1,3}[\x80-\xbf]{0,2}))"
    b"(?:[\x80-\xbf]{1,2}(?=[\xe0-\xef][\x80-\xbf]{2}))?"
)
# A character one of whose bytes the wrong decoder's duplicates leave open
# (0xFE here, see `_best_fit`): complete, but which character it was is unknown.
_AMBIGUOUS_UTF8 = b"(?:[\xc2-\xdf]\xfe|[\xe0-\xef][\x80-\xbf\xfe]{2}|[\xf0-\xf4][\x80-\xbf\xfe]{3})"
_MULTIBYTE["utf8"] += b"|" + _LOST_UTF8 + b"|" + _AMBIGUOUS_UTF8
# A run of UTF-8 starts with a CJK-sized (3-byte) sequence: a lone 2-byte one
# is more often a correct GBK hanzi whose bytes happen to fit (息 is CF A2, Ϣ).
_RUN_START = {**_MULTIBYTE, "utf8": _MULTIBYTE["utf8"].replace(b"[\xc2-\xdf][\x80-\xbf]|", b"", 1)}
_RUN = {
    name: re.compile(b"(?:%s)(?:(?:%s)|[\x20-\x7e]{1,6}(?=%s))*" % (_RUN_START[name], mb, mb))
    for name, mb in _MULTIBYTE.items()
}
_PYTHON_CODEC = {
    "utf8": "utf-8",
    "gbk": "gb18030",
    "big5": "cp950",
    "sjis": "cp932",
    "eucjp": "euc_jp",
    "euckr": "cp949",
}
# Languages a true codec's text can be in.
_LANGS = {
    "utf8": ("hans", "hant", "ja", "ko"),
    "gbk": ("hans", "hant"),
    "big5": ("hant",),
    "sjis": ("ja",),
    "eucjp": ("ja",),
    "euckr": ("ko",),
}
# (true codec, wrong decoder): the chains repaired here. UTF-8 read as a
# single-byte codepage is ftfy's.
CHAINS = (
    ("utf8", "gbk"),
    ("utf8", "big5"),
    ("utf8", "sjis"),
    ("gbk", "latin1"),
    ("big5", "latin1"),
    ("sjis", "latin1"),
    ("eucjp", "latin1"),
    ("euckr", "latin1"),
    ("big5", "gbk"),
    ("sjis", "gbk"),
    ("eucjp", "gbk"),
    ("euckr", "gbk"),
    ("gbk", "big5"),
)


def chain_rule(true: str, wrong: str) -> str:
    """The rule id a repair reports: ``utf8-as-gbk`` for UTF-8 that was read as GBK."""
    return f"{true}-as-{wrong}"


# -- irrecoverable damage ----------------------------------------------------

# 锟斤拷 is U+FFFD's UTF-8 bytes read as GBK, in any phase; 烫 and 屯 are MSVC's
# fill bytes 0xCC and 0xCD for uninitialised memory read as GBK; U+FFFD is a
# character a decoder already gave up on.
_IRRECOVERABLE = re.compile("[锟斤拷]{2,}[?\ufffd]?|烫{3,}|屯{3,}|\ufffd+")
_IRRECOVERABLE_SCREEN = re.compile("[锟烫屯\ufffd]")
_GARBLED_REPLACEMENT = re.compile("[锟斤拷]{2,}[?\ufffd]?|烫{3,}|屯{3,}")


def _damage_spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    # 斤 and 拷 are ordinary words (拷贝); only a run with 锟 is U+FFFD's bytes.
    return [m.span() for m in pattern.finditer(text) if m.group()[0] not in "斤拷" or "锟" in m.group()]


def find_irrecoverable(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of damage no decoder can undo: the bytes are gone.

    >>> find_irrecoverable("标题锟斤拷锟斤拷内容")
    [(2, 8)]
    """
    return _damage_spans(_IRRECOVERABLE, text)


def _irrecoverable_edits(text: str) -> list[Edit]:
    return [Edit(s, e, "", "irrecoverable") for s, e in find_irrecoverable(text)]


# -- plausibility ----------------------------------------------------------------

# Neutral characters: ASCII, and punctuation that real text and mojibake both
# have (a repaired ``锛`` is a ``，``); they count neither way.
_NEUTRAL_CLASS = f"\x00-\x7f{CJK_PUNCT}\u2010-\u2027\u3000-\u303f\ufffd"
_NEUTRAL = re.compile(f"[{_NEUTRAL_CLASS}]+")
_NOT_NEUTRAL = re.compile(f"[^{_NEUTRAL_CLASS}]")
_ALL_LANGS = ("hans", "hant", "ja", "ko")
# Accented letters touching an ASCII letter belong to a word (café, pinyin
# jié): they are neutral too. ƒ is left out: Shift_JIS read as cp1252 is full of it.
_LATIN_LETTER = "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f\u01cd-\u01dc"
_HAN_IN_WORD = lazy_compile(f"(?<=[A-Za-z])[{HAN}](?=[A-Za-z])")
_LATIN_WORD_LETTER = re.compile(f"(?<=[A-Za-z])[{_LATIN_LETTER}]+|[{_LATIN_LETTER}]+(?=[A-Za-z])")


def _evidence(text: str, langs: tuple[str, ...]) -> tuple[int, int, str]:
    """(frequent letters, other non-neutral characters, language) for the best of `langs`.

    Ties go to the language listed first.
    """
    sets = _common_sets()
    # A hanzi inside a Latin word (l兇dz) is no evidence of Chinese: make it count against.
    chars = _NEUTRAL.sub("", _LATIN_WORD_LETTER.sub("", _HAN_IN_WORD.sub("\x80", text)))
    best = (-1, 0, langs[0])
    for lang in langs:
        hits = sum(map(sets[lang].__contains__, chars))
        if hits > best[0]:
            best = (hits, len(chars) - hits, lang)
    return best


def _plausible(
    old: str,
    new: str,
    true: str,
    *,
    prior: bool,
    old_langs: tuple[str, ...] = _ALL_LANGS,
    wrong: str = "latin1",
) -> bool:
    """Is `new` clearly better text than `old`?

    `new` must be mostly frequent letters of the true codec's language,
    clearly more so than `old` is of any of `old_langs` (the languages its
    line can be in). Two letters are little evidence, one is none; `prior`
    (this chain already repaired a convincing stretch of the same text)
    lowers the bar.
    """
    if true == "euckr" and len(_NEUTRAL.sub("", new)) >= 8 and " " not in new.strip():
        return False  # Korean is written with spaces between words; Chinese read as EUC-KR has none
    if true in ("sjis", "eucjp"):
        letters = len(_NEUTRAL.sub("", new))
        kana = len(_KANA_CHAR.findall(new))
        # Japanese prose is about half kana; kanji alone are hanzi read as kanji,
        # unless the bytes were Latin-1 letters (“Œ‹ž“s) and every kanji is one of
        # the frequent ones (東京都): frequent Chinese in GBK or Big5 reads as
        # halfwidth katakana or rare kanji in Shift_JIS, never as those.
        if letters >= 3 and kana < 0.1 * letters and not (
            wrong == "latin1" and _common_sets()["ja"].issuperset(_NEUTRAL.sub("", new))
        ):
            return False
        if wrong == "gbk" and 3 <= letters < 8 and kana < 0.34 * letters:
            # A short stretch with one kana among rare hanzi (傿嬌嶁 as ィ極坂) is
            # more likely correct Traditional text than Japanese read as GBK.
            return False
    # Judge only what differs: EUC-JP read as GBK keeps its kana as they were.
    full_old, full_new = old, new
    pre = 0
    while pre < min(len(old), len(new)) and old[pre] == new[pre]:
        pre += 1
    suf = 0
    while suf < min(len(old), len(new)) - pre and old[-1 - suf] == new[-1 - suf]:
        suf += 1
    old, new = old[pre : len(old) - suf], new[pre : len(new) - suf]
    if len(old) == len(new):  # double-byte to double-byte: compare character by character
        pairs = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
        old, new = "".join(a for a, _b in pairs), "".join(b for _a, b in pairs)
    common_new, other_new, new_lang = _evidence(new, _LANGS[true])
    n_new = common_new + other_new
    if n_new == 0 and prior and new and not _CJK_PUNCT_CHAR.sub("", new):
        # Only punctuation (﹝ back to 。) from a chain that repaired the letters around it.
        return _symbols(old) >= len(new)
    if n_new == 0 or new.count("\ufffd") > max(1, n_new // 2):  # lost characters, marked
        return False
    common_old, other_old, _lang = _evidence(old, old_langs)
    if old_langs == ("ja",):
        # A hanzi that Shift_JIS cannot even encode, inside Japanese: counts thrice.
        other_old += 2 * sum(1 for c in _HAN_CHAR.findall(old) if not _is_jis(c))
    ratio_new = common_new / n_new
    ratio_old = common_old / (common_old + other_old) if common_old + other_old else 1.0
    distinct = len(set(_NEUTRAL.sub("", new)))
    if (
        true == "euckr"
        and ratio_new == 1.0
        and common_new >= 6
        and distinct >= 4
        and not _HAS_HANGUL.search(full_old)
        and _sounds_korean(new, share=0.2)
    ):
        # EUC-KR hangul read as GBK are frequent hanzi too; what gives them away
        # is Korean word spacing, which Chinese text does not have between hanzi,
        # with Korean's commonest syllables: a Chinese tag line (标签: 报告 成功
        # 国家) is spaced too, but reads as syllables Korean seldom uses (괩멩 냥묘).
        ratio_old -= 0.5 * min(1.0, 6 * len(_HANZI_GAP.findall(full_old)) / common_new)
    # Three or more double-byte characters that were six or more bytes of
    # valid UTF-8, one of them rare in the line's language: the shape is
    # evidence. Three frequent ones (隴懷踏 in Traditional Chinese are 譜哥
    # in UTF-8) are left alone: correct text comes first.
    # Hangul are left out: their lead bytes (EA-ED) make the same shape from
    # a few rare hanzi (旌る脖 is 캤벱), and Korean garbled is seldom short.
    utf8_shape = (
        true == "utf8"
        and wrong != "latin1"
        and new_lang != "ko"
        and len(_ASCII.sub("", old)) >= 3
        and ratio_old < 1.0
    )
    if ratio_new - ratio_old < (0.3 if n_new < 10 else 0.2) and not (utf8_shape and ratio_new >= 0.99):
        return False
    if (true, wrong) in (("big5", "gbk"), ("gbk", "big5")) and n_new < 6 and ratio_old > 0.5:
        # Between two double-byte codecs, a few characters that are mostly
        # frequent already (发布ù) are correct text with one odd character.
        return False
    # Symbols that became punctuation (≈ back to 「, ¡° back to “) count as evidence too.
    # Only the punctuation prose is made of: ∩ read as Big5's rare ﹎ is no repair.
    support = common_new + max(0, min(_symbols(old) - _symbols(new), len(_PROSE_PUNCT_CHAR.findall(new))))
    if prior:
        return support >= 1 and ratio_new >= 0.6
    if support >= 3:
        # 啊啊啊 says nothing: a repeated character is as likely in either reading.
        # Between two double-byte codecs, a few characters with a rare one
        # among them (溛悒絮笥 as 轈靴刀治) are as likely rare correct text.
        least = 0.85 if wrong != "latin1" and true != "utf8" and n_new < 10 else 0.75
        return ratio_new >= least and distinct >= min(3, n_new)
    if support == 1 and _lost_second_character(full_old, full_new, true, wrong):
        # 螟ｩ豌? for 天気 whose last byte was lost: one good character and a
        # started one, from three or more rare characters in a valid UTF-8 shape.
        return ratio_new == 1.0 and ratio_old <= 0.5
    if support == 2 and (true == "utf8" or wrong == "latin1"):
        # Two characters are enough where the bytes had to form valid UTF-8, or
        # came from Latin-1 letters (ÖÐÎÄ); between two double-byte codecs,
        # chance gives two frequent characters too often.
        # A garbled UTF-8 character is one and a half double-byte ones: three
        # or more of them that decode to two frequent ones are evidence even
        # when some of them are frequent too (險玲園 for 託所).
        if utf8_shape:
            # Six bytes of valid UTF-8 that make two frequent characters are
            # no accident, even when what they were read as is frequent too
            # (菴守距 for 低狗): in 100,000 characters of correct Chinese and
            # Japanese no stretch does that.
            return ratio_new >= 0.99
        return ratio_new >= 0.99 and ratio_old <= 0.35
    return False


def _lost_second_character(old: str, new: str, true: str, wrong: str) -> bool:
    """Is `new` one letter and a lost one, from UTF-8 a double-byte decoder made three or more of?

    A two-character word whose last byte was lost (天気 read as Shift_JIS is
    螟ｩ豌 and a byte the decoder dropped) leaves one letter to judge; the
    valid UTF-8 shape of what the garbling spelled is the rest of the evidence.
    """
    return (
        true == "utf8"
        and wrong != "latin1"
        and new.count("\ufffd") == 1
        and len(_NEUTRAL.sub("", new)) == 1
        and len(_ASCII.sub("", old)) >= 3
    )


_ASCII = re.compile("[\x00-\x7f]+")
_CJK_PUNCT_CHAR = re.compile(f"[{CJK_PUNCT}\u201c\u201d\u2018\u2019\u2026\u2014]")
_PROSE_PUNCT_CHAR = re.compile("[，。、；：？！（）《》〈〉「」『』【】〔〕“”‘’…—·・～\u3000]")


@lru_cache(maxsize=8192)
def _is_jis(char: str) -> bool:
    try:
        char.encode("shift_jis")
    except UnicodeEncodeError:
        return False
    return True


def _symbols(text: str) -> int:
    return sum(not c.isalpha() for c in _NEUTRAL.sub("", text))


_HAS_HANGUL = lazy_compile(f"[{HANGUL}]")
_HANZI_GAP = lazy_compile(f"[{HAN}][,.!?]? (?=[{HAN}])")


_KANA_CHAR = re.compile(f"[{KANA}]")
_HAN_CHAR = lazy_compile(f"[{HAN}]")


def _line_langs(line: str) -> tuple[str, ...]:
    """The languages a line can be in, to judge its text as it stands.

    A line is Japanese when kana are a fifth of its letters or more: Chinese
    text borrows a の now and then, Japanese prose is about half kana.
    """
    kana = len(_KANA_CHAR.findall(line))
    if kana and kana >= 0.2 * (kana + len(_HAN_CHAR.findall(line))):
        return ("ja",)
    if HAS_HANGUL.search(line):
        return ("ko",)
    return _ALL_LANGS


# Between equal evidence, the likelier language of the pages this library
# cleans wins; spaced Korean and kana-rich Japanese are exceptions, as word
# spacing and kana are evidence.
_LANG_PRIOR = {"hans": 0.03, "hant": 0.02, "ja": 0.01, "ko": 0.0}
_SPACED_HANGUL = lazy_compile(f"[{HANGUL}] [{HANGUL}]")


def _rank(text: str, true: str) -> float:
    """Net evidence for a repair: frequent letters less twice the rest.

    The same bytes often decode to frequent characters in two codecs (关闭 in
    GBK is 밑균 in EUC-KR): ties go to the likelier language.
    """
    common, other, lang = _evidence(text, _LANGS[true])
    bonus = _LANG_PRIOR[lang]
    # Every EUC-KR syllable is also a frequent GB2312 hanzi (대한민국 is 措茄刮惫,
    # 报告 is 괩멩): Korean's commonest syllables decide the tie, fewer of them
    # where the text is spaced into words as Korean is.
    if lang == "ko" and _sounds_korean(text, at_least=3, share=0.2 if _SPACED_HANGUL.search(text) else 1 / 3):
        bonus = 0.05
    elif lang == "ja" and common + other >= 4 and len(_KANA_CHAR.findall(text)) >= 0.3 * (common + other):
        bonus = 0.05  # kana-rich: Japanese prose, not a few frequent hanzi
    return common - 2 * other + bonus


# -- the CJK engine --------------------------------------------------------------


def _zones(
    line: str, wrong: str, barrier: frozenset[int], placeholders: bool
) -> list[tuple[int, list[int], bytes]]:
    """(first char index, byte offset of each char start and of the end, bytes) per encodable zone.

    A zone is a stretch of `line` the wrong decoder could have produced. With
    `placeholders`, ``?`` and U+FFFD, which decoders put for bytes they could
    not decode, become the byte 0xFF, never valid in UTF-8: a character with a
    lost byte can then be found and marked, not guessed.
    """
    table = _ENCODE_TABLES[wrong]
    raws = [table[c] if c in table else _encode_missing(c, wrong) for c in line]
    if placeholders:
        for m in _MARKERS.finditer(line):
            raws[m.start()] = b"\xff"
        alternates = _alternates(wrong)
        for i, char in enumerate(line):
            if char in alternates and i not in barrier:
                raws[i] = _best_fit(raws, i, alternates[char])
    for i in barrier:
        raws[i] = None
    zones = []
    start = 0
    n = len(raws)
    while start < n:
        while start < n and raws[start] is None:
            start += 1
        end = start
        while end < n and raws[end] is not None:
            end += 1
        if end > start:
            chunk = raws[start:end]
            raw = b"".join(chunk)  # type: ignore[arg-type]
            if not raw.isascii():
                offsets = [0, *accumulate(map(len, chunk))]  # type: ignore[arg-type]
                zones.append((start, offsets, raw))
        start = end
    return zones


_MARKERS = re.compile("[?\ufffd]")


@cache
def _alternates(wrong: str) -> dict[str, tuple[bytes, ...]]:
    """Characters that the wrong decoder gives for more than one byte sequence.

    cp932 has NEC and IBM duplicates (≒ is 0x81E0 and 0x8790), cp936 puts
    the euro sign at 0x80 and 0xA2E3, cp950 has duplicate box drawing: which
    bytes were there shows only in context.
    """
    if wrong == "latin1":
        return {}
    codec = {"gbk": "gb18030", "big5": "cp950", "sjis": "cp932"}[wrong]
    seen: dict[str, list[bytes]] = {"€": [b"\x80"]} if wrong == "gbk" else {}
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            raw = bytes((lead, trail))
            try:
                seen.setdefault(raw.decode(codec), []).append(raw)
            except UnicodeDecodeError:
                pass
    return {char: tuple(raws) for char, raws in seen.items() if len(raws) > 1}


def _best_fit(raws: list[bytes | None], i: int, options: tuple[bytes, ...]) -> bytes:
    """The option for ``raws[i]`` that the surrounding bytes show was there; lost bytes when none does.

    The bytes around decide first: an option that leaves them invalid UTF-8
    was not there. Options that all fit (∩ in cp932 is 81 BF and 87 9B, the
    end of 偿 and of 凛) are told apart only by language: the one whose
    reading with its neighbours is the most frequent text of some language
    (み, not ㇛; 灾 beside a Simplified neighbour). Where two fit equally well
    (偿 and 凛 are both frequent Chinese), the bytes are marked open (0xFE,
    which makes their character U+FFFD) rather than guessed.
    """
    before = b"".join(r for r in raws[max(0, i - 6) : i] if r)
    after = b"".join(r for r in raws[i + 1 : i + 7] if r)
    readings = {raw: (before + raw + after).decode("utf-8", "replace") for raw in options}
    fewest = min(reading.count("\ufffd") for reading in readings.values())
    fitting = [raw for raw in options if readings[raw].count("\ufffd") == fewest]
    if len(fitting) == 1 or len({readings[raw] for raw in fitting}) == 1:
        return fitting[0]
    sets = _common_sets()

    def frequency(raw: bytes) -> int:
        return max(sum(map(sets[lang].__contains__, readings[raw])) for lang in _ALL_LANGS)

    scores = sorted((frequency(raw), raw) for raw in fitting)
    if scores[-1][0] > scores[-2][0]:
        return scores[-1][1]
    return b"\xfe" * len(options[0])


@lru_cache(maxsize=16)
def _frequent_in(langs: tuple[str, ...]) -> frozenset[str]:
    """The frequent characters of any of `langs`, built once per combination."""
    sets = _common_sets()
    return frozenset().union(*(sets[lang] for lang in langs))


_ENCODE_TABLES: dict[str, dict[str, bytes | None]] = {"latin1": {}, "gbk": {}, "big5": {}, "sjis": {}}


def _encode_missing(char: str, wrong: str) -> bytes | None:
    raw = _ENCODE_TABLES[wrong][char] = _encode_char(char, wrong)
    return raw


def _candidates(
    zones: list[tuple[int, list[int], bytes]], true: str, wrong: str, pattern: re.Pattern[bytes] | None = None
):
    """Yield (start, end, repaired) for stretches of the zones that decode cleanly as `true`.

    A stretch is a match of `pattern`, by default a run of `true`'s multibyte characters.
    """
    pattern = pattern or _RUN[true]
    codec = _PYTHON_CODEC[true]
    for first, offsets, raw in zones:
        pos = 0
        while True:
            m = pattern.search(raw, pos)
            if not m:
                break
            bs, be = m.span()
            pos = be
            k_start = bisect_left(offsets, bs)
            if offsets[k_start] != bs:
                # The run starts inside a character of the wrong decoding: retry from the next one.
                pos = offsets[bisect_right(offsets, bs)]
                continue
            k_end = bisect_left(offsets, be)
            # A final character whose last byte swallowed an ASCII character (odd byte counts).
            if offsets[k_end] != be and not raw[be : offsets[k_end]].isascii():
                k_end -= 1
            ce = offsets[k_end]
            if ce <= bs:
                continue
            if wrong == "latin1" and true != "utf8" and _looks_utf8(raw[bs:ce]):
                continue  # UTF-8 read as a single-byte codepage: ftfy's
            fixed = _decode(raw[bs:ce], codec)
            if fixed is None:
                continue
            yield first + k_start, first + k_end, fixed


def _looks_utf8(raw: bytes) -> bool:
    """Do these bytes decode as UTF-8, but for a stray byte or two? Legacy CJK bytes almost never do."""
    decoded = raw.decode("utf-8", "replace")
    return decoded.count("\ufffd") <= len(raw.translate(None, _ASCII_BYTES)) // 10


_ASCII_BYTES = bytes(range(0x80))


def _decode(raw: bytes, codec: str) -> str | None:
    if codec == "utf-8" and b"\xfe" in raw:
        # A character whose bytes are open (`_best_fit`) is marked, not guessed.
        raw = _AMBIGUOUS_CHAR.sub("\ufffd".encode(), raw)
    if codec == "utf-8" and b"\xff" in raw:
        # Lost bytes: each damaged character (what it kept, and its
        # placeholders) becomes one U+FFFD, also when two are next to each other.
        raw = _DAMAGED_UTF8.sub("\ufffd".encode(), raw)
        return (
            _REPLACEMENTS.sub("\ufffd", raw.decode("utf-8", "replace"))
            if b"\xff" in raw
            else raw.decode("utf-8", "replace")
        )
    try:
        return raw.decode(codec)
    except UnicodeDecodeError:
        return None


_REPLACEMENTS = re.compile("\ufffd+")
_DAMAGED_UTF8 = re.compile(_LOST_UTF8 + b"|\xff+")
_AMBIGUOUS_CHAR = re.compile(b"(?!%s)%s" % (_UTF8_SEQ, _AMBIGUOUS_UTF8))


# Line breaks str.splitlines knows besides \n: rare, handled apart.
_OTHER_BREAK = re.compile("[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _line_around(text: str, i: int) -> tuple[int, int]:
    """The span (with its line break) of the line of ``text[i]``, as str.splitlines cuts lines."""
    start = text.rfind("\n", 0, i) + 1
    end = text.find("\n", i)
    end = len(text) if end < 0 else end + 1
    if _OTHER_BREAK.search(text, start, end):
        for part in text[start:end].splitlines(keepends=True):
            if start + len(part) > i:
                return start, start + len(part)
            start += len(part)
    return start, end


# A line's tags: the chains worth trying on it, and "ftfy".
_FTFY = "ftfy"
_MARKS = "marks"  # a line with 鈥 or 窶: typographic punctuation read as GBK or cp932


def _line_tags(line: str) -> tuple:
    """What the screens found in `line`: the CJK chains worth trying, and ``"ftfy"``."""
    screens = _screens()
    chains: set = set()
    if screens.suspicious.search(line):
        chains.update(CHAINS)
    else:
        chains.update(
            ("utf8", wrong) for wrong, pattern in screens.utf8_signature.items() if pattern.search(line)
        )
        if screens.korean_gap.search(line):
            chains.add(("euckr", "gbk"))
        if screens.gbk_as_big5.search(line):
            chains.add(("gbk", "big5"))
        if screens.latin1_utf8_as_gbk.search(line):
            chains.add(("gbk", "latin1"))  # tries the layered chains too
        if _KANA_LETTER.search(line) and screens.kana_pair.search(line):
            chains.add(("eucjp", "gbk"))
    tags = tuple(chain for chain in CHAINS if chain in chains)
    return (*tags, _FTFY) if screens.ftfy.search(line) else tags


# Kana letters, not ・ or ー, which Chinese text uses too (埃隆・马斯克).
_KANA_LETTER = re.compile("[\u3041-\u3096\u30a1-\u30fa]")
# Japanese prose, correct or read as GBK (which keeps kana), is full of these
# particles and frequent kana; looking for each with str's own search is four
# times faster than a character class over a Chinese text that has none.
_FREQUENT_KANA = tuple("のにはをがてたしでとなンスルトー")


def _has_japanese(text: str) -> bool:
    """Any kana in the first thousand characters, or a frequent one anywhere."""
    return any(kana in text for kana in _FREQUENT_KANA) or _KANA_LETTER.search(text, 0, 1000) is not None


def _flagged_lines(text: str) -> list[tuple[int, int, tuple]]:
    """Sorted (start, end, tags) of the lines any screen flags; tags may be empty.

    Each screen searches the whole text at C speed, resuming after each
    flagged line; only flagged lines are looked at closer. A line with empty
    tags has only irrecoverable damage, or nothing after all.
    """
    screens = _screens()
    patterns = [screens.any_damage, screens.korean_gap]
    if _has_japanese(text):
        patterns.append(screens.kana_pair)
    has_marks = _PUNCT_LEAD["gbk"] in text or _PUNCT_LEAD["sjis"] in text
    if has_marks:
        patterns.append(_PUNCT_LEAD_CHAR)
    lines: dict[int, int] = {}
    n = len(text)
    for pattern in patterns:
        pos = 0
        while pos < n:
            m = pattern.search(text, pos)
            if m is None:
                break
            start, end = _line_around(text, m.start())
            lines[start] = end
            pos = end
    flagged = []
    for start in sorted(lines):
        line = text[start : lines[start]]
        tags = _line_tags(line)
        if has_marks and _PUNCT_LEAD_CHAR.search(line):
            tags = (*tags, _MARKS)
        if tags and all(tag in _SIGNATURE_ONLY for tag in tags):
            flagged.extend((start + s, start + e, tags) for s, e in _signature_windows(line))
        else:
            flagged.append((start, lines[start], tags))
    return flagged


# Tags of a line that only a UTF-8 signature flagged.
_SIGNATURE_ONLY = frozenset(("utf8", wrong) for wrong in _WRONG_CODEC)
# Characters either side of a signature that the CJK engine looks at.
_SIGNATURE_MARGIN = 24


def _signature_windows(line: str) -> list[tuple[int, int]]:
    """Stretches of `line` around its UTF-8 signatures, merged where they overlap.

    A line that only a signature flagged holds a short garbled word at most
    (a longer garble has rare characters close together, and the whole line
    is searched): looking near the signatures spares the rest of a long
    correct line (體上直 in Traditional Chinese has the shape too).
    """
    spans: list[tuple[int, int]] = []
    for pattern in _screens().utf8_signature.values():
        for m in pattern.finditer(line):
            spans.append((max(0, m.start() - _SIGNATURE_MARGIN), min(len(line), m.end() + _SIGNATURE_MARGIN)))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


@lru_cache(maxsize=1)
def _korean_as_gbk() -> str:
    """The GB2312 hanzi whose bytes are EUC-KR's 2,350 hangul (rows 16-40)."""
    return _ranges(set(decode_block("gb2312", range(0xB0, 0xC9), _HIGH)))


# Like ftfy's max_decode_length: a line longer than this is not searched for
# CJK mojibake (ftfy still runs on it). Real garbled lines are far shorter;
# the bound keeps one pathological megabyte-long line from costing seconds.
MAX_LINE_LENGTH = 100_000


# Typographic punctuation (’ “ ” – — … •) is E2 80 xx in UTF-8. A double-byte
# codec reads E2 80 as one rare hanzi (鈥 in GBK, 窶 in cp932) and pairs xx
# with the next byte: beside English the next byte is an ASCII letter, so
# It’s becomes It鈥檚 and “Hello becomes 鈥淗ello. The letters around are no
# CJK text to score, but 鈥 and 窶 are almost never written, and the bytes
# must give back one of these marks and an ASCII character.
_TYPOGRAPHIC_PUNCT = frozenset("‘’“”–—…•′″")
_PUNCT_LEAD = {wrong: b"\xe2\x80".decode(_PYTHON_CODEC[wrong]) for wrong in ("gbk", "sjis")}
_PUNCT_LEAD_CHAR = re.compile(f"[{''.join(_PUNCT_LEAD.values())}]")


def _punctuation_read_as_double_byte(line: str, wrong: str) -> list[tuple[int, int, str]]:
    """UTF-8 typographic punctuation read as `wrong` before ASCII text (It鈥檚 for It’s)."""
    found = []
    lead = _PUNCT_LEAD[wrong]
    at = line.find(lead)
    while at != -1 and at + 1 < len(line):
        raw = _encode_char(line[at + 1], wrong)
        if raw is not None and raw[0] >= 0x80 and all(b < 0x80 for b in raw[1:]):
            mark = (b"\xe2\x80" + raw[:1]).decode("utf-8", "replace")
            if mark in _TYPOGRAPHIC_PUNCT:
                found.append((at, at + 2, mark + raw[1:].decode("ascii")))
        at = line.find(lead, at + 1)
    return found


def _cjk_edits(text: str, lines: list[tuple[int, int, tuple]] | None = None) -> list[Edit]:
    """CJK repairs on the flagged `lines` of `text` (found here when not given)."""
    found: list[tuple[int, int, str, tuple[str, str], bool, tuple[str, tuple[str, ...]]]] = []
    marks: list[tuple[int, int, str, tuple[str, str]]] = []
    for line_start, line_end, tags in _flagged_lines(text) if lines is None else lines:
        line = text[line_start:line_end]
        for wrong in ("gbk", "sjis"):
            for start, end, new in _punctuation_read_as_double_byte(line, wrong):
                marks.append((line_start + start, line_start + end, new, ("utf8", wrong)))
        chains = tuple(tag for tag in tags if tag not in (_FTFY, _MARKS))
        if not chains or line_end - line_start > MAX_LINE_LENGTH:
            continue
        barrier = frozenset(i for s, e in _damage_spans(_GARBLED_REPLACEMENT, line) for i in range(s, e))
        for start, end, new, chain, strong, context in _line_candidates(line, barrier, chains):
            found.append((line_start + start, line_start + end, new, chain, strong, context))
    # A chain that repaired one convincing stretch may repair weaker ones of the same text.
    proven = {item[3] for item in found if item[4]}
    accepted = [
        (_rank(new, chain[0]), start, end, new, chain)
        for start, end, new, chain, strong, (old, old_langs) in found
        if strong
        or (
            chain in proven
            and _plausible(old, new, chain[0], prior=True, old_langs=old_langs, wrong=chain[1])
        )
    ]
    # A mark's bytes outweigh any other codec's reading of them, but a repair of
    # the whole stretch around it by the same chain (他说“It’s OK”) is the better one.
    accepted.extend(
        (float("inf"), *mark)
        for mark in marks
        if not any(
            chain == mark[3] and start < mark[1] and mark[0] < end for _s, start, end, _n, chain in accepted
        )
    )
    # Overlapping candidates from different chains: the most plausible wins.
    accepted.sort(key=lambda item: -item[0])
    starts: list[int] = []
    taken: list[Edit] = []
    for _score, start, end, new, chain in accepted:
        k = bisect_right(starts, start)
        if (k == 0 or taken[k - 1].end <= start) and (k == len(taken) or end <= taken[k].start):
            starts.insert(k, start)
            taken.insert(k, Edit(start, end, new, chain_rule(*chain)))
    return taken


# Hanzi, kana, bopomofo and small forms (GBK's fullwidth punctuation read as Big5), ※, private use.
_CJK_LOOKING = lazy_compile(f"[{HAN}{KANA}\u3100-\u312f\u203b\ue000-\uf8ff\ufe30-\ufe6f]")


def _looks_cjk(text: str, true: str = "") -> bool:
    """Is `text` mostly hanzi, kana or private-use characters, as a CJK decoder's mistakes are?

    GBK, Big5 and Shift_JIS also hold Greek, Cyrillic and box drawing: text in
    those is not taken for something a CJK decoder got wrong. Their bytes are
    never UTF-8 lead bytes, so where the bytes were UTF-8 (`true`), a third
    will do: the symbols that UTF-8 continuation bytes make (√ ＊ ∩) are part
    of the mistake.
    """
    chars = _NEUTRAL.sub("", text)
    share = 0.3 if true == "utf8" else 0.6
    return len(_CJK_LOOKING.findall(chars)) >= share * len(chars) if chars else False


def _kana_rich(text: str) -> bool:
    letters = len(_NEUTRAL.sub("", text))
    return letters > 0 and len(_KANA_CHAR.findall(text)) >= 0.3 * letters


def _cuts_latin_word(line: str, start: int, end: int) -> bool:
    """Does the stretch begin or end with an accented letter of a Latin word (café, jié)?"""
    return bool(
        (start > 0 and _ASCII_LETTER.match(line[start - 1]) and _LATIN_LETTER_CHAR.match(line[start]))
        or (end < len(line) and _ASCII_LETTER.match(line[end]) and _LATIN_LETTER_CHAR.match(line[end - 1]))
    )


_ASCII_LETTER = re.compile("[A-Za-z]")
_LATIN_LETTER_CHAR = re.compile(f"[{_LATIN_LETTER}]")
_EDGE_OK = lazy_compile(f"[\x00-\x7f{CJK_PUNCT}{HAN}{KANA}{HANGUL}\u2010-\u2027\u3000-\u303f]")


def _clean_edge(line: str, i: int) -> bool:
    return i < 0 or i >= len(line) or bool(_EDGE_OK.match(line[i]))


# Two bytes >= 0x80 in a row as Latin-1 or cp1252 shows them: the least a
# legacy double-byte character read as Latin-1 leaves.
_LATIN1_PAIR = re.compile(
    "[\x80-\xff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2026\u2030\u2039\u203a\u20ac\u2122]{2}"
)


def _could_be_garbled(line: str, start: int, end: int, new: str, chain: tuple[str, str]) -> bool:
    """Can ``line[start:end]`` be `chain`'s mistake at all? Checks before any plausibility score."""
    true, wrong = chain
    old = line[start:end]
    if new == old:
        return False
    if wrong != "latin1" and (not _looks_cjk(old, true) or _cuts_latin_word(line, start, end)):
        return False
    if wrong != "latin1" and _LATIN_WORD_LETTER.search(old):
        return False  # holds a Latin word's accented letter (café): a CJK decoder does not make those
    if wrong == "big5" and _kana_rich(old):
        return False  # kana come from Big5's rarest rows only: these are real Japanese
    if chain == ("eucjp", "gbk") and all(map(_is_jis, _NEUTRAL.sub("", old))):
        # EUC-JP read as GBK gives GB2312 hanzi and symbols, about half
        # of them outside Japanese's character set; a stretch that
        # Japanese can spell whole (糸が縺れて解けない。蝗害) is Japanese.
        return False
    # Latin-1: only part of a longer garble is someone else's (ftfy's MacRoman, say).
    return wrong != "latin1" or (_clean_edge(line, start - 1) and _clean_edge(line, end))


# One legacy double-byte codec read as another: a character for a character,
# and the wrong codec reads correct text of the line too.
_DOUBLE_BYTE_CHAINS = frozenset({("big5", "gbk"), ("gbk", "big5"), ("sjis", "gbk"), ("eucjp", "gbk"), ("euckr", "gbk")})


def _convinces(line: str, stretch: tuple[int, int, str], chain: tuple[str, str], old_langs: tuple[str, ...]) -> bool:
    """Is the repair `stretch` (start, end, new) of `line` convincing alone?"""
    start, end, new = stretch
    return _could_be_garbled(line, start, end, new, chain) and _plausible(
        line[start:end], new, chain[0], prior=False, old_langs=old_langs, wrong=chain[1]
    )


def _loses_outside(
    line: str, start: int, end: int, new: str, inner: tuple[int, int, str], old_langs: tuple[str, ...], true: str
) -> bool:
    """Does the repair of the run ``line[start:end]`` turn a frequent character outside `inner` into a rare one?"""
    frequent_now = _frequent_in(old_langs)
    frequent_after = _frequent_in(_LANGS[true])
    return any(
        line[k] in frequent_now and new[k - start] not in frequent_after
        for k in (*range(start, inner[0]), *range(inner[1], end))
    )


def _inner_repair(
    line: str,
    start: int,
    end: int,
    new: str,
    true: str,
    old_langs: tuple[str, ...],
    line_lang: str,
    *,
    convincing: bool = False,
    max_ties: int = 1,
) -> tuple[int, int, str] | None:
    """The part of the run ``line[start:end]`` (repaired as `new`) where the repair gains most.

    Each character scores +1 when its repair is frequent in `true`'s languages
    and -1 when it is frequent as it stands in `line_lang`; the stretch of greatest sum
    (Kadane's) is the garbled part; its ends then move out over characters
    that read as well either way to where the text around begins
    (`_to_boundaries`). None when the run is not one character for one, or
    is all of it.
    """
    old = line[start:end]
    if len(old) != len(new):
        return None
    frequent_now = _common_sets()[line_lang]
    frequent_after = _frequent_in(_LANGS[true])
    gains = [(after in frequent_after) - (before in frequent_now) for before, after in zip(old, new, strict=True)]
    best = total = 0
    best_span = None
    run_start = 0
    for i, gain in enumerate(gains):
        if total <= 0:
            total, run_start = 0, i
        total += gain
        if total > best:
            best, best_span = total, (run_start, i + 1)
    if best_span is None:
        return None
    i, j = best_span
    if (
        convincing
        and min(gains[:i] + gains[j:], default=0) >= 0
        and not _NOT_NEUTRAL.search(line, 0, start)
        and not _NOT_NEUTRAL.search(line, end)
    ):
        # A run that convinces whole, is the whole line, and has nothing outside
        # its best stretch that would lose by the repair shows no correct text:
        # its ties (晋 for 恕, before a 、 of the garble itself) go with it.
        return None
    i, j = _to_boundaries(old, new, gains, i, j, frequent_after, max_ties)
    if i == 0 and j == len(new):
        return None
    return start + i, start + j, new[i:j]


def _to_boundaries(
    old: str, new: str, gains: list[int], i: int, j: int, frequent_after: frozenset[str], max_ties: int
) -> tuple[int, int]:
    """The stretch ``i:j`` of greatest gain, its ends moved out to where the text around it begins.

    A garbled stretch is a sentence or a paragraph pasted from elsewhere: it
    ends where the line's own punctuation, spaces or ASCII begin, not where a
    garbled character happens to be frequent as it stands too (戈 for 資 at
    the start of a Big5 stretch read as GBK inside Simplified text; 肋 for 設
    in EUC-JP read as GBK). An end moves out over such ties (frequent either
    way) and unchanged characters (kana that EUC-JP and GBK share),
    `max_ties` changed ones at most, and only when it then meets such a
    boundary or the end of the run. Wrong when a garbled stretch is glued to correct text
    with no punctuation between and the correct neighbour reads as well
    either way (中国 right after a Big5 stretch, then 。): it is taken in.
    Script does not tell these apart: a garbled 厩 for 學 is as Simplified as
    a correct 国 beside it.
    """

    def reach(k: int, step: int, stop: int) -> int | None:
        """The boundary met going from `k` by `step` (`stop` is the run's end), or None."""
        ties = 0
        while k != stop and not _NEUTRAL.match(old[k]):
            if old[k] != new[k]:
                if gains[k] != 0 or new[k] not in frequent_after:
                    return None
                ties += 1
                if ties > max_ties:
                    return None
            k += step
        return k

    left = reach(i - 1, -1, -1)
    right = reach(j, 1, len(old))
    if left is not None:
        i = left + 1
    if right is not None:
        j = right
    return i, j


def _trim_unchanged(old: str, new: str, start: int) -> tuple[int, int, str]:
    """(start, end, new) without the characters at the ends that the repair keeps (kana, punctuation)."""
    i, j = 0, len(old)
    while i < j and old[i] == new[i]:
        i += 1
    while j > i and old[j - 1] == new[j - 1]:
        j -= 1
    return start + i, start + j, new[i:j]


@lru_cache(maxsize=1)
def _korean_words() -> re.Pattern[str]:
    """Three or more spaced words of the hanzi EUC-KR hangul become in GBK, not inside a run of hanzi."""
    korean = _korean_as_gbk()
    word = f"[0-9]*[{korean}]+"
    return re.compile(f"(?<![{HAN}]){word}(?:[,.!?]? {word}){{3,}}[,.!?]?(?![{HAN}])")


# Syllables Korean prose is full of: particles, endings, the commonest stems.
# A third or more of real Korean is these; GBK hanzi read back as EUC-KR give
# each of the 2,350 KS X 1001 syllables about as often, so 3% of these.
_KOREAN_COMMON_SYLLABLES = frozenset(
    "이다는의에을를가하고지서기한로도리사자나어수인시정대아해일으게것들있었습니요와과은면만라우부보주여러전적그까했된되등위중내히마상스성장"
)


def _sounds_korean(text: str, *, at_least: int = 1, share: float = 1 / 3) -> bool:
    """Are there `at_least` hangul in `text`, `share` of them or more Korean's commonest syllables?"""
    syllables = _HANGUL_CHAR.findall(text)
    return len(syllables) >= at_least and sum(map(_KOREAN_COMMON_SYLLABLES.__contains__, syllables)) >= len(syllables) * share


_HANGUL_CHAR = re.compile(f"[{HANGUL}]")


def _korean_word_stretches(line: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of ``line[start:end]`` spaced as Korean is (Chinese puts no spaces between hanzi)."""
    return [m.span() for m in _korean_words().finditer(line, start, end) if len(_HAN_CHAR.findall(m.group())) >= 8]


def _line_candidates(line: str, barrier: frozenset[int], chains: tuple[tuple[str, str], ...] = CHAINS):
    """Yield (start, end, repaired, chain, convincing, (old, languages of the line)) per possible repair.

    `chains` are tried in the order of `CHAINS`.
    """
    old_langs = _line_langs(line)
    line_lang = None  # the best of old_langs for the whole line, when a double-byte chain needs it
    zones: dict[tuple[str, bool], list[tuple[int, list[int], bytes]]] = {}
    has_latin1 = _LATIN1_PAIR.search(line) is not None
    covered: set[int] = set()
    for chain in CHAINS:
        if chain not in chains:
            continue
        true, wrong = chain
        if wrong == "latin1" and not has_latin1:
            continue
        key = (wrong, true == "utf8")
        if key not in zones:
            # What a UTF-8 chain convincingly repaired (valid multi-byte UTF-8
            # is rarely an accident) is not offered to the legacy chains.
            zones[key] = _zones(line, wrong, barrier | covered if true != "utf8" else barrier, true == "utf8")
        for start, end, new in _candidates(zones[key], true, wrong):
            old = line[start:end]
            if not _could_be_garbled(line, start, end, new, chain):
                continue
            if len(_NEUTRAL.sub("", new)) < 2 and not _lost_second_character(old, new, true, wrong):
                # One letter is never convincing alone: judged later, if at all.
                yield start, end, new, chain, False, (old, old_langs)
                continue
            strong = _plausible(old, new, true, prior=False, old_langs=old_langs, wrong=wrong)
            if chain in _DOUBLE_BYTE_CHAINS:
                # A garbled stretch inside a correct line: the wrong codec reads correct
                # text too, so the run can hold both; the repair is the part that gains.
                # A run that convinces whole keeps its ends unless one of them would
                # turn a frequent character into a rare one (correct text beside the garble).
                if line_lang is None:
                    # Frequent as it stands in the line's own language: katakana (ネ,
                    # GBK's reading of Big5 生) are no evidence of correct Chinese.
                    line_lang = _evidence(line, old_langs)[2]
                inner = _inner_repair(line, start, end, new, true, old_langs, line_lang, convincing=strong)
                if inner is not None and strong and not _convinces(line, inner, chain, old_langs):
                    # Too little alone: a run that convinces whole gives its ends
                    # any number of ties (会議 of 会議は三時, as 柴的), up to a boundary.
                    wide = _inner_repair(
                        line, start, end, new, true, old_langs, line_lang, convincing=strong, max_ties=len(new)
                    )
                    inner = wide if wide is not None and _convinces(line, wide, chain, old_langs) else inner
                if inner is None:
                    pass
                elif _convinces(line, inner, chain, old_langs):
                    start, end, new = _trim_unchanged(line[inner[0] : inner[1]], inner[2], inner[0])
                    old, strong = line[start:end], True
                elif strong and _loses_outside(line, start, end, new, inner, old_langs, true):
                    # The run convinces only with correct text beside the garble (関心 as 関伉): not at all.
                    strong = False
                if not strong and chain == ("euckr", "gbk") and len(old) == len(new):
                    # Korean read as GBK is frequent hanzi, as the Chinese around it:
                    # its ends are where Korean word spacing begins and ends.
                    spaced = [
                        (s, e, new[s - start : e - start])
                        for s, e in _korean_word_stretches(line, start, end)
                        if _sounds_korean(new[s - start : e - start])
                        and _could_be_garbled(line, s, e, new[s - start : e - start], chain)
                        and _plausible(
                            line[s:e], new[s - start : e - start], true, prior=False, old_langs=old_langs, wrong=wrong
                        )
                    ]
                    for s, e, stretch in spaced:
                        yield s, e, stretch, chain, True, (line[s:e], old_langs)
                    if spaced:
                        continue
            if not strong and true == "utf8" and wrong != "latin1":
                # The same mistake made twice: 发布 -> 鍙戝竷 -> 閸欐垵绔烽: one
                # undoing gives more mojibake, the second gives text.
                twice = _undo_whole(new, true, wrong)
                if twice is not None and _plausible(
                    old, twice, true, prior=False, old_langs=old_langs, wrong=wrong
                ):
                    new, strong = twice, True
            if strong and true == "utf8":
                covered.update(range(start, end))
            yield start, end, new, chain, strong, (old, old_langs)
    # Two different mistakes: a legacy codec read as Latin-1 (ÖÐÎÄ), then that
    # text's UTF-8 read as cp1252 (Ã–Ã\x90ÃŽÃ„) or as GBK (脰脨脦脛). ftfy would
    # undo the cp1252 layer and then go on decoding what looks like UTF-8
    # among the Latin-1 letters (Ã´ of 怎么), losing the bytes.
    for wrong, name in (("latin1", "cp1252"), ("gbk", "gbk")):
        if ("gbk", "latin1") not in chains or (wrong == "latin1" and not has_latin1):
            continue
        zones = _zones(line, wrong, barrier, False)
        for start, end, inner_text in _candidates(zones, "utf8", wrong, _LATIN1_AS_UTF8):
            if (
                not _LATIN1_PAIR.search(inner_text)
                or not _clean_edge(line, start - 1)
                or not _clean_edge(line, end)
            ):
                continue
            inner = _undo_legacy_latin1(inner_text)
            if inner is not None:
                yield (
                    start,
                    end,
                    inner[0],
                    (inner[1], f"latin1+utf8-as-{name}"),
                    True,
                    (line[start:end], old_langs),
                )


# Latin-1 and cp1252 characters (Œ, ƒ, “, €...) as UTF-8 bytes, with ASCII between them.
_CP1252_UTF8 = b"(?:[\xc2-\xcb][\x80-\xbf]|\xe2[\x80-\x84][\x80-\xbf])"
# A last ASCII character may be the trail byte of a Big5 character (¤@ for 一).
_LATIN1_AS_UTF8 = re.compile(
    b"%s(?:%s|[\x20-\x7e]{1,6}(?=%s))*[\x40-\x7e]?" % (_CP1252_UTF8, _CP1252_UTF8, _CP1252_UTF8)
)


def _undo_legacy_latin1(text: str) -> tuple[str, str] | None:
    """`text` repaired, and the true codec, if it is a legacy CJK codec read as Latin-1 throughout.

    Every Latin-1 letter must be part of one convincing repair of the same
    chain: an inner layer is accepted only when nothing of it is left over.
    """
    best = None
    for chain in CHAINS:
        true, wrong = chain
        if wrong != "latin1":
            continue
        found = [c for c in _line_candidates(text, frozenset(), (chain,)) if c[4]]
        if not found:
            continue
        found.sort()
        repaired = apply_edits(text, [Edit(c[0], c[1], c[2], "") for c in _non_overlapping(found)])
        if _LATIN1_LEFT.search(repaired):
            continue
        score = _rank(repaired, true)
        if best is None or score > best[0]:
            best = (score, repaired, true)
    return None if best is None else (best[1], best[2])


def _non_overlapping(found: list) -> list:
    kept = []
    for item in found:
        if not kept or item[0] >= kept[-1][1]:
            kept.append(item)
    return kept


_LATIN1_LEFT = re.compile("[\x80-\xff]")


def _undo_whole(text: str, true: str, wrong: str) -> str | None:
    """`text` decoded right, if one stretch of it covers all its non-ASCII characters."""
    found = list(_candidates(_zones(text, wrong, frozenset(), True), true, wrong))
    if len(found) != 1:
        return None
    start, end, new = found[0]
    if not (text[:start] + text[end:]).isascii():
        return None
    return text[:start] + new + text[end:]


# -- ftfy ------------------------------------------------------------------------

@cache
def _ftfy_configs() -> tuple:
    """ftfy's configurations (plain, and unescaping HTML); ftfy is imported on first use.

    Importing ftfy takes most of a tenth of a second; text without the
    single-byte kind of mojibake never needs it.
    """
    import ftfy

    config = ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,  # normalize-unicode removes the escape character
        fix_encoding=True,
        restore_byte_a0=True,
        replace_lossy_sequences=True,
        decode_inconsistent_utf8=True,
        fix_c1_controls=True,
        fix_latin_ligatures=True,  # no CJK text contains them; ftfy's own cases expect them split
        fix_character_width=False,  # would fold ，：（） and the ideographic space
        uncurl_quotes=False,  # would turn every “ ” into "
        fix_line_breaks=False,  # normalize-whitespace's job
        fix_surrogates=True,
        remove_control_chars=True,
        normalization=None,  # NFKC would flatten CJK punctuation; NFC is normalize-unicode's
        explain=True,
    )
    return config, config._replace(unescape_html="auto")


_ENTITY = re.compile(r"&#?\w+;")


def _ftfy_rule(steps) -> str:
    names = []
    for step in steps or ():
        if step.action in ("encode", "decode", "transcode"):
            name = "ftfy-encoding"
        else:
            name = "ftfy-" + step.parameter.replace("_", "-")
        if name not in names:
            names.append(name)
    return "+".join(names) or "ftfy"


def _fix_line_with_ftfy(line: str) -> tuple[str, str]:
    from ftfy import fix_and_explain

    config, html_config = _ftfy_configs()
    fixed, steps = fix_and_explain(line, config)
    if _ENTITY.search(line):
        # Unescape entities only where that uncovers mojibake (10Î&frac14;s).
        fixed_html, steps_html = fix_and_explain(line, html_config)
        if any(s.action != "apply" for s in steps_html or ()) and fixed_html != fixed:
            return fixed_html, _ftfy_rule(steps_html)
    return fixed, _ftfy_rule(steps)


def _ftfy_edits(text: str, lines: list[tuple[int, int]] | None = None) -> list[Edit]:
    """ftfy's repairs on `lines` of `text` that the ftfy screen flags (all lines when not given)."""
    ftfy_screen = _screens().ftfy
    if lines is None:
        lines = []
        pos = 0
        while (m := ftfy_screen.search(text, pos)) is not None:
            lines.append(_line_around(text, m.start()))
            pos = lines[-1][1]
    edits = []
    for line_start, line_end in lines:
        line = text[line_start:line_end]
        if not ftfy_screen.search(line):
            continue
        fixed, rule = _fix_line_with_ftfy(line)
        if fixed != line:
            # The smallest span that changed.
            pre = 0
            limit = min(len(line), len(fixed))
            while pre < limit and line[pre] == fixed[pre]:
                pre += 1
            suf = 0
            while suf < limit - pre and line[-1 - suf] == fixed[-1 - suf]:
                suf += 1
            edits.append(Edit(line_start + pre, line_end - suf, fixed[pre : len(fixed) - suf], rule))
    return edits


# -- the filter ------------------------------------------------------------------

_MAX_ROUNDS = 4


def find_mojibake_edits(text: str, *, remove_irrecoverable: bool = False) -> list[Edit]:
    lines = _flagged_lines(text)
    if not lines:
        return []  # most text: one or two scans at C speed, nothing else
    passes = (
        (_cjk_edits, _ftfy_edits, _irrecoverable_edits) if remove_irrecoverable else (_cjk_edits, _ftfy_edits)
    )
    edits: list[Edit] = []
    current = text
    step = _first_round(text, [line for line in lines if line[2]], remove_irrecoverable)
    # Until nothing changes: a repair can uncover another layer (double
    # encoding, or two different mistakes in turn). Later rounds look only at
    # the lines the round before changed: the others were judged already.
    for _round in range(_MAX_ROUNDS):
        if not step:
            break
        edits = chain_edits(text, lambda _t, e=edits: e, lambda _t, s=step: s)
        regions = _new_spans(step)
        current = apply_edits(current, step)
        step = _edits_on_lines(current, regions, passes)
    if not remove_irrecoverable:
        edits = _with_irrecoverable_reports(text, edits, _lossy_spans(text, lines))
    return edits


def _lossy_spans(text: str, lines: list[tuple[int, int, tuple]]) -> list[tuple[int, int]]:
    """Stretches of UTF-8 read as a double-byte codec that lost more characters than they keep.

    ``雉?譁?`` is 資料 read as Shift_JIS by a decoder that put ``?`` for the
    third byte of each character: the shape is clear, the characters are
    gone. They are reported (rule ``lossy-mojibake``), not guessed.
    """
    spans = []
    for start, end, tags in lines:
        chains = tuple(tag for tag in tags if tag not in (_FTFY, _MARKS) and tag[0] == "utf8")
        line = text[start:end]
        if not chains or len(line) > MAX_LINE_LENGTH or not _MARKERS.search(line):
            continue
        for s, e, new, _chain, strong, _context in _line_candidates(line, frozenset(), chains):
            letters = _NEUTRAL.sub("", new)
            lost = new.count("\ufffd")
            common, other, _lang = _evidence(new, _ALL_LANGS)
            kept = len(_ASCII.sub("", line[s:e]))  # what the decoder made of the bytes it kept
            if not strong and lost >= 2 and lost >= len(letters) and other == 0 and kept >= 2:
                spans.append((start + s, start + e))
    return sorted(spans)


def _first_round(text: str, lines: list[tuple[int, int, tuple]], remove_irrecoverable: bool) -> list[Edit]:
    """The CJK engine, then ftfy, on the flagged `lines`; then irrecoverable runs if asked."""
    cjk = _cjk_edits(text, lines)
    # The flagged lines where they are after the CJK repairs (which keep line breaks).
    shifted = []
    shift = 0
    k = 0
    for start, end, _tags in lines:
        line_shift = shift
        while k < len(cjk) and cjk[k].start < end:
            shift += len(cjk[k].new) - (cjk[k].end - cjk[k].start)
            k += 1
        shifted.append((start + line_shift, end + shift))
    repaired = apply_edits(text, cjk) if cjk else text
    passes = [lambda _t: cjk, lambda t: _ftfy_edits(t, shifted)]
    if remove_irrecoverable:
        passes.append(_irrecoverable_edits)
    return chain_edits(text, *passes) if cjk or remove_irrecoverable else _ftfy_edits(repaired, shifted)


def _new_spans(edits: list[Edit]) -> list[tuple[int, int]]:
    """Where each of the sorted `edits` put its new text, in the edited text."""
    spans = []
    shift = 0
    for edit in edits:
        start = edit.start + shift
        spans.append((start, start + len(edit.new)))
        shift += len(edit.new) - (edit.end - edit.start)
    return spans


def _edits_on_lines(text: str, regions: list[tuple[int, int]], passes) -> list[Edit]:
    """The edits `passes` make on the lines that hold `regions`; other lines were judged already."""
    if not text:
        return []
    spans: list[tuple[int, int]] = []
    for start, end in sorted(regions):
        if spans and start < spans[-1][1] and end <= spans[-1][1]:
            continue  # on the lines already taken: finding them again costs a scan of a long line each
        first = min(start, len(text) - 1)
        line_start, _ = _line_around(text, first)
        _, line_end = _line_around(text, min(max(first, end - 1), len(text) - 1))
        if spans and line_start < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], line_end))
        else:
            spans.append((line_start, line_end))
    return [
        Edit(line_start + edit.start, line_start + edit.end, edit.new, edit.rule)
        for line_start, line_end in spans
        for edit in chain_edits(text[line_start:line_end], *passes)
    ]


def _with_irrecoverable_reports(
    text: str, edits: list[Edit], lossy: list[tuple[int, int]] = ()
) -> list[Edit]:
    """Add damage that is kept as an edit that changes nothing, so explain reports it.

    A change whose `old` equals its `new` replays and undoes like any other,
    and the damage shows in ``--explain`` and ``--stats`` under its own rule
    id: ``irrecoverable``, or ``lossy-mojibake`` for `lossy` stretches (which
    take precedence over the U+FFFD inside them).
    """
    spans = [(s, e, "lossy-mojibake") for s, e in lossy]
    if _IRRECOVERABLE_SCREEN.search(text):  # one character class: C speed on clean text
        spans += [(s, e, "irrecoverable") for s, e in find_irrecoverable(text)]
    if not spans:
        return edits
    spans.sort(key=lambda span: (span[0], -span[1]))
    reports: list[Edit] = []
    k = 0  # both lists are sorted: sweep them together
    for s, e, rule in spans:
        while k < len(edits) and edits[k].end <= s:
            k += 1
        if k < len(edits) and edits[k].start < e:
            continue  # a repair already covers it
        if reports and s < reports[-1].end:
            continue  # inside a reported stretch
        reports.append(Edit(s, e, text[s:e], rule))
    return sorted(edits + reports, key=lambda e: (e.start, e.end))


def fix_mojibake(text: str, *, remove_irrecoverable: bool = False) -> str:
    """Repair text decoded with the wrong codec: CJK codecs as well as ftfy's Latin-1 kind.

    Every CJK scraper meets pages decoded with the wrong codec: UTF-8 read as
    GBK (``涓枃`` for 中文, ``鍙戝竷`` for 发布), GBK read as Latin-1
    (``ÖÐÎÄ``), Big5 and GBK read as each other, Shift_JIS read as cp1252 or
    GBK, UTF-8 read as Shift_JIS (``縺`` runs), EUC-KR read as Latin-1 or
    GBK, and the same mistake made twice. This filter finds such stretches,
    whole texts or fragments inside good text, turns them back into bytes
    and decodes them right; then ftfy repairs UTF-8 read as a single-byte
    codepage, configured so that it does not touch CJK punctuation: “ ” stay
    curly, ，：（） and the ideographic space stay fullwidth, nothing is
    NFKC-normalized.

    A repair is made only when the round trip is clean and the result is
    clearly more plausible text of the codec's language than what was there
    (coverage by the standards' frequent-character sets). A character whose
    last byte a decoder lost or replaced by ``?`` becomes U+FFFD: the rest of
    the stretch is repaired, the lost character is not guessed.

    Typographic punctuation in English text read as GBK or cp932 (``It鈥檚``,
    ``It窶冱`` for It’s) is repaired too: UTF-8's E2 80 reads as the rare
    鈥 or 窶, and the mark's last byte pairs with the next ASCII letter.

    Two different mistakes in turn (GBK read as Latin-1, then that text's
    UTF-8 read as cp1252 or GBK: ``Ã–Ã\x90ÃŽÃ„``, ``脰脨脦脛``) are undone as one
    repair (rule ``gbk-as-latin1+utf8-as-cp1252``...).

    Irrecoverable damage (``锟斤拷``, ``烫烫烫``, ``屯屯屯``, U+FFFD) is left as
    it is and reported, in explain as a change with rule ``irrecoverable``
    whose new text equals the old; with ``remove_irrecoverable=True`` it is
    removed. A garbled stretch that lost more characters than it keeps
    (``雉?譁?``, 資料 read as Shift_JIS by a decoder that put ``?`` for a
    byte) is reported the same way with rule ``lossy-mojibake``, and kept.

    Rule ids in the explanation name the chain (``utf8-as-gbk``,
    ``gbk-as-latin1``, ``euckr-as-gbk``...) or the ftfy step
    (``ftfy-encoding``...).

    A line longer than 100,000 characters is not searched for CJK mojibake
    (as ftfy's ``max_decode_length``), which bounds the time one pathological
    line can take.

    When it is wrong: a fragment of one or two characters is left alone
    unless the same chain repaired a convincing stretch elsewhere in the text
    (too little evidence); a short UTF-8 fragment whose garbling is made only
    of characters frequent in the line's language (菴守距 for 低狗 inside
    Chinese) is left alone, as correct text could look the same; a
    repaired Chinese word inside a Japanese sentence can then read as EUC-JP
    read as GBK and be rewritten with the sentence; GBK read as Big5 is
    found by its punctuation (，becomes ㄛ) or rare characters, so a short
    stretch without either stays; an EUC-JP-as-GBK fragment is looked for
    only in texts with kana in their first thousand characters or a frequent
    kana anywhere; some byte strings are frequent text in two codecs
    (关闭 in GBK is 밑균 in EUC-KR): ties go to Chinese, then Japanese, unless
    the Korean reading is made of Korean's commonest syllables or the text
    is rich in kana; a Chinese line that puts spaces between hanzi all drawn
    from GB2312's rows 16-40, whose Korean reading has common syllables,
    can be read as EUC-KR mojibake; correct text made of rare characters whose bytes
    happen to decode cleanly to frequent ones would be "repaired"; a
    double-byte stretch (Big5, EUC-JP, EUC-KR read as GBK) glued to correct
    text with no punctuation or space between can keep a garbled character
    at that end, one that is frequent either way; a Korean stretch inside a
    line is found by its word spacing and common syllables, so a short one
    is left; where cp932 has one character for two byte pairs and both make
    frequent text (∩ ends 偿 and 凛), the character becomes U+FFFD.

    >>> fix_mojibake("鍙戝竷浜嗘柊鐗堟湰锛屾敮鎸佷腑鏂?")  # the decoder put ? for the last byte
    '发布了新版本，支持中\\ufffd'
    >>> fix_mojibake("ÖÐÎÄÐÂÎÅ：“ä¸­æ–‡”")
    '中文新闻：“中文”'
    >>> fix_mojibake("乱码锟斤拷锟斤拷", remove_irrecoverable=True)
    '乱码'
    """
    return apply_edits(text, find_mojibake_edits(text, remove_irrecoverable=remove_irrecoverable))


register(Filter("fix-mojibake", fix_mojibake, find_mojibake_edits))
