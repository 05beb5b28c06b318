"""normalize-unicode: canonical forms without flattening CJK punctuation."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import compress
from operator import ne

from cleantext.core import Edit, Filter, apply_edits, chain_edits
from cleantext.patterns import CJK_LETTER, CJK_PUNCT, class_body, screened_finditer
from cleantext.filters.whitespace import _line_endings_normalized, find_line_ending_edits
from cleantext.registry import register

__all__ = ["normalize_unicode"]

_ALNUM = "0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
_CJK = CJK_LETTER + CJK_PUNCT

# One scan finds every kind of damage; the named group says which rule fired.
_UNICODE_DAMAGE = re.compile(
    # Zero-width and bidi format characters, soft hyphen, stray BOM, word joiner.
    "(?P<invisible>[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]+"
    # ZWNJ/ZWJ only next to CJK: elsewhere they join emoji and shape Indic and Persian words.
    f"|(?<=[{_CJK}])[\u200c\u200d]+|[\u200c\u200d]+(?=[{_CJK}]))"
    # C0/C1 controls except tab, newline, CR and NEL (line breaks are normalize-whitespace's job).
    "|(?P<control>[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]+)"
    # Lone surrogates, which only Python callers can produce and no encoder accepts.
    "|(?P<surrogate>[\ud800-\udfff]+)"
    "|(?P<fullwidth_ascii>[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+"
    # A fullwidth joiner inside a Latin or numeric token: ＧＰＴ－４, １．５, ｅ＿ｍａｉｌ.
    f"|(?<=[{_ALNUM}])[\uff0d\uff0e\uff0f\uff3f\uff20\uff06\uff0b](?=[{_ALNUM}]))"
    # Halfwidth katakana and its punctuation, with the voicing marks that follow.
    "|(?P<halfwidth_kana>[\uff61-\uff9f]+)"
    # Kangxi radicals and the two supplement radicals with a decomposition.
    "|(?P<kangxi_radical>[\u2f00-\u2fd5\u2e9f\u2ef3])"
)

# The first character of every match above: a screen that skips clean text at C speed.
_UNICODE_SCREEN = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff"
    "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff0d\uff0e\uff0f\uff3f\uff20\uff06\uff0b"
    "\uff61-\uff9f\u2f00-\u2fd5\u2e9f\u2ef3]"
)

_FULLWIDTH_TO_ASCII = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}

# Characters that clean CJK and Latin text is made of and that none of the three
# passes can change: not a line break, not a character of _UNICODE_SCREEN, and
# stable under NFC in any company (canonical combining class 0, NFC maps it to
# itself, and it is never the second character of a canonical composition), so
# that a text of these alone passes NFC's quick check. tests/test_unicode.py
# checks all three against the running Python's Unicode tables. Outside this
# set the passes run as usual; one scan for the set replaces the NFC check, the
# damage scan and the line-break checks on a clean page.
_UNCHANGEABLE = (
    "\t\n\x20-\x7e\xa0-\xac\xae-\xff\u0100-\u024f\u0391-\u03a1\u03a3-\u03a9\u03b1-\u03c9\u0401-\u045f"
    "\u2010-\u2027\u2030-\u205f\u2070-\u20c0\u2100-\u2125\u2127-\u2129\u212c-\u2328\u232b-\u27bf"
    "\u3000-\u3029\u3030-\u303f\u3041-\u3096\u309b-\u30ff\u3105-\u312f\u3131-\u318e\u31a0-\u31bf"
    "\u31f0-\u31ff\u3200-\u33ff\u3400-\u4dbf\u4dc0-\u4dff\u4e00-\u9fff\uac00-\ud7a3"
    "\ufe30-\ufe4f\uff01-\uff05\uff07-\uff0a\uff0c\uff1a-\uff1f\uff3b-\uff3e\uff40\uff5b-\uff60\uffe0-\uffe6"
    "\U0001f000-\U0001faff\U00020000-\U0002f7ff\U00030000-\U0003134f"
)
_CHANGEABLE = re.compile(f"[^{_UNCHANGEABLE}]")

# The marks that may compose with the character before them (combining marks,
# Hangul vowel and final jamo, kana voicing marks), and a base character with them.
_MARKS = ("\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f"
          "\u0900-\u0dff\u1160-\u11ff\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff"
          "\u302a-\u302f\u3099\u309a\ufe20-\ufe2f")
_CLUSTER = re.compile(f"(?s).[{_MARKS}]*")
_MARK = re.compile(f"[{_MARKS}]")
_COMPAT_IDEOGRAPH = re.compile("[\uf900-\ufaff\U0002f800-\U0002fa1f]")


@lru_cache(maxsize=1)
def _nfc_screen() -> re.Pattern[str]:
    """A character of a cluster that NFC may change: a mark, or a character NFC maps to another
    (compatibility ideographs, ``Ω`` OHM SIGN, ``〈`` U+2329...).

    Built on first use (a tenth of a second) from the running Python's own
    Unicode tables; no character beyond U+2FFFF has an NFC mapping.
    """
    changed: list[str] = []
    chars = [chr(c) for c in range(1, 0x30000)]
    for i in range(0, len(chars), 4096):
        chunk = chars[i : i + 4096]
        # "\x00" between the characters keeps them from composing with one another.
        mapped = unicodedata.normalize("NFC", "\x00".join(chunk)).split("\x00")
        changed += compress(chunk, map(ne, chunk, mapped))
    return re.compile(f"[{_MARKS}{class_body(changed)}]")


def _nfc_edits(text: str) -> list[Edit]:
    if unicodedata.is_normalized("NFC", text):
        return []
    # The clusters of `_CLUSTER.finditer(text)` that hold a character of the
    # screen: no other cluster changes (it is one character NFC leaves alone),
    # and a text that is not NFC is mostly NFC, so the rest is skipped at C
    # speed instead of visited cluster by cluster.
    edits = []
    end = 0  # where the last cluster looked at ends: a cluster boundary
    is_mark = _MARK.match
    for hit in _nfc_screen().finditer(text):
        start = hit.start()
        if start < end:
            continue
        # A cluster starts at a non-mark (every mark after one belongs to it), or at the text's start.
        while start > end and is_mark(text, start):
            start -= 1
        m = _CLUSTER.match(text, start)
        cluster = m.group()  # type: ignore[union-attr]
        end = m.end()  # type: ignore[union-attr]
        fixed = unicodedata.normalize("NFC", cluster)
        if fixed != cluster:
            rule = "compat-ideograph" if _COMPAT_IDEOGRAPH.match(cluster) else "nfc"
            edits.append(Edit(start, end, fixed, rule))
    # The edited text is canonically equivalent to `text` (each cluster is), so it
    # is NFC(text) exactly when it is in NFC, which is cheaper to check than
    # NFC(text) is to compute.
    if not unicodedata.is_normalized("NFC", apply_edits(text, edits)):
        # A composition across clusters that the table above does not know: be exact.
        return [Edit(0, len(text), unicodedata.normalize("NFC", text), "nfc")]
    return edits


def _damage_edits(text: str) -> list[Edit]:
    edits = []
    for m in screened_finditer(_UNICODE_SCREEN, _UNICODE_DAMAGE, text):
        kind = m.lastgroup
        old = m.group()
        if kind == "fullwidth_ascii":
            new = old.translate(_FULLWIDTH_TO_ASCII)
        elif kind in ("halfwidth_kana", "kangxi_radical"):
            new = unicodedata.normalize("NFKC", old)
            if new == old:
                continue
        else:
            new = ""
        edits.append(Edit(m.start(), m.end(), new, kind.replace("_", "-")))  # type: ignore[union-attr]
    return edits


def find_unicode_edits(text: str) -> list[Edit]:
    if _CHANGEABLE.search(text) is None:
        return []  # nothing any pass could change (see _UNCHANGEABLE)
    return chain_edits(text, find_line_ending_edits, _nfc_edits, _damage_edits)


def normalize_unicode(text: str) -> str:
    """Canonical Unicode without flattening CJK punctuation: NFC, invisibles out, widths fixed.

    Scraped text carries characters that look like nothing or like something
    else: zero-width spaces and bidi controls injected by sites, soft hyphens,
    stray byte-order marks, control characters, fullwidth Latin letters and
    digits (ＡＩ, ２０２５), halfwidth katakana (ｶﾀｶﾅ), Kangxi radicals and CJK
    compatibility ideographs that look exactly like ordinary hanzi but do not
    match them in search. This filter puts all of them in their usual form:
    NFC; removes the invisibles and controls (tab stays); makes every line
    break ``\n`` (CR LF, CR, NEL, LS, PS), so that the line filters after it
    see the lines a reader sees;
    folds fullwidth letters and digits, and a fullwidth ``－．／＿＠＆＋``
    inside such a token, to ASCII; widens halfwidth katakana; maps radicals
    and compatibility ideographs to the unified ideographs.

    It never applies NFKC to the whole text: NFKC turns ``，：（）`` into
    ``,:()``, the damage visible in every seed. Fullwidth punctuation, the
    ideographic space and ``“”`` are left alone.

    When it is wrong: ZWJ and ZWNJ are kept unless they touch CJK text (they
    build emoji and Indic and Persian words); a fullwidth Latin token that is
    deliberately fullwidth (vertical typesetting, ASCII art) is folded.

    >>> normalize_unicode("ＤｅｅｐＳｅｅｋ\u200b发布了Ｒ１，ｶﾞｲﾄﾞ")
    'DeepSeek发布了R1，ガイド'
    >>> normalize_unicode("\u2f08\u5de5\u667a\u80fd")  # Kangxi radical ⼈ (U+2F08)
    '人工智能'
    """
    if _CHANGEABLE.search(text) is None:
        return text  # nothing any pass could change (see _UNCHANGEABLE)
    # The passes of find_unicode_edits, applied one after the other.
    text = _line_endings_normalized(text)
    text = apply_edits(text, _nfc_edits(text))
    return apply_edits(text, _damage_edits(text))


register(Filter("normalize-unicode", normalize_unicode, find_unicode_edits))
