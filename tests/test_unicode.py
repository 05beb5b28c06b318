"""normalize-unicode: the screened NFC pass finds what visiting every cluster finds."""

import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from cleantext.core import Edit, apply_edits
from cleantext.filters import unicode
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
