"""normalize-unicode: the screened NFC pass finds what visiting every cluster finds."""

import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from cleantext.core import Edit, apply_edits, chain_edits
from cleantext.filters import unicode
from cleantext.filters.whitespace import find_line_ending_edits
from tests.strategies import any_text

# Decomposed letters and kana, marks with no base or at the start, compatibility
# ideographs (both planes), singletons (OHM SIGN, ANGSTROM SIGN, U+2329), Hangul
# jamo, Tibetan and Indic signs, a Greek letter with oxia, and plain text around them.
_PIECES = ["e", "\u0301", "\u0308", "\u0323", "か", "\u3099", "\u309a", "ハ", "\uf900", "\U0002f800", "\u2126",
           "\u212b", "\u2329", "\u0344", "\u0f73", "\u0f71\u0f72", "\u0b47\u0b3e", "\u1100", "\u1161", "\u11a8",
           "가", "\u1f71", "中文", "a", " ", "\n", "。", "\u00c5", "A\u030a", "\u05d1\u05bc"]
nfc_text = st.lists(st.sampled_from(_PIECES), max_size=25).map("".join)


def _nfc_edits_cluster_by_cluster(text):
    """_nfc_edits as first written: every cluster of the text normalized and compared."""
    if unicodedata.is_normalized("NFC", text):
        return []
    edits = []
    for m in unicode._CLUSTER.finditer(text):
        cluster = m.group()
        fixed = unicodedata.normalize("NFC", cluster)
        if fixed != cluster:
            rule = "compat-ideograph" if unicode._COMPAT_IDEOGRAPH.match(cluster) else "nfc"
            edits.append(Edit(m.start(), m.end(), fixed, rule))
    if apply_edits(text, edits) != unicodedata.normalize("NFC", text):
        return [Edit(0, len(text), unicodedata.normalize("NFC", text), "nfc")]
    return edits


@given(nfc_text | any_text)
@example("\u0301e\u0301\u0301中\uf900")
@example("\u1100\u1161\u11a8\u3099")
def test_screened_nfc_edits_agree_with_every_cluster(text):
    assert unicode._nfc_edits(text) == _nfc_edits_cluster_by_cluster(text)


def test_nfc_screen_holds_the_characters_nfc_changes():
    screen = unicode._nfc_screen()
    for ch in ["\uf900", "\U0002f800", "\u2126", "\u212b", "\u2329", "\u0344", "\u0f73", "\u0301", "\u3099"]:
        assert screen.match(ch), ascii(ch)
    for ch in ["中", "a", "，", "가", "\u00c5", "か"]:
        assert not screen.match(ch), ch


# -- the screen for text no pass can change ----------------------------------------------------------

def _second_characters_of_compositions():
    """Characters that NFC may compose with the character before them (NFC_Quick_Check Maybe)."""
    seconds = {chr(c) for c in range(0x1161, 0x1176)} | {chr(c) for c in range(0x11A8, 0x11C3)}  # Hangul V, T
    for code in range(0x110000):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(chr(int(parts[1], 16)))
    return seconds


def test_unchangeable_characters_pass_every_check():
    import re

    unchangeable = re.compile(f"[{unicode._UNCHANGEABLE}]")
    chars = [ch for ch in map(chr, range(0x110000)) if unchangeable.match(ch)]
    assert len(chars) > 100_000
    seconds = _second_characters_of_compositions()
    # NFC's quick check says Yes to a text of characters that are starters (class 0), that NFC
    # maps to themselves and that compose with nothing before them.
    assert [ch for ch in chars if unicodedata.combining(ch) or unicodedata.normalize("NFC", ch) != ch] == []
    assert [ch for ch in chars if ch in seconds] == []
    # No damage match starts there, and no line break is one of them.
    assert [ch for ch in chars if unicode._UNICODE_SCREEN.match(ch)] == []
    assert [ch for ch in chars if ch in "\r\x85\u2028\u2029"] == []


def _unicode_edits_without_screen(text):
    return chain_edits(text, find_line_ending_edits, unicode._nfc_edits, unicode._damage_edits)


# Clean text of many scripts and symbols, with now and then a character that some pass changes.
_CLEAN = ["中文", "發布", "データ", "한국어", "Zoé", "ǎ", "\u03b1", "Ж", "，", "。", "「", "」", "“", "”", "…", "—",
          "①", "■", "😀", "\U00020000", "\u3000", "\t", "\n", "a b", "©", "·", "ā"]
_CHANGED = ["\r\n", "\u2028", "\u200b", "\x00", "\uff21\uff29", "\uff11", "ｶﾞ", "\u2f08", "\uf900", "e\u0301",
            "\u0301", "\u1161", "\u3099", "\u2126", "1\uff0e5", "\ud800", "\U0002f800", "\u00ad"]
screen_text = st.lists(st.sampled_from(_CLEAN * 6 + _CHANGED), max_size=30).map("".join)


@given(screen_text | any_text)
@example("中文，「データ」…ǎ①😀")
@example("中文\u3099")
def test_unchangeable_screen_agrees_with_the_passes(text):
    plain = _unicode_edits_without_screen(text)
    assert unicode.find_unicode_edits(text) == plain
    assert unicode.normalize_unicode(text) == apply_edits(text, plain)
    if unicode._CHANGEABLE.search(text) is None:
        assert plain == []
        assert unicodedata.is_normalized("NFC", text)
