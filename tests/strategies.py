"""Hypothesis strategies for CJK web text: the characters scraped pages are made of."""

from hypothesis import strategies as st

# Pieces that make filters do something: CJK text, punctuation of both widths,
# spaces of all kinds, line breaks, invisibles, mojibake-prone characters.
_PIECES = [
    "中文", "发布", "數據", "我们", "学習", "データ", "コア", "のは", "한국어", "DeepSeek", "GPT-4o", "3.94%",
    "，", "。", "、", "：", "（", "）", "“", "”", "「", "」", ",", ":", "(", ")", "?", "!", "\"", "...",
    " ", "  ", "\u3000", "\u00a0", "\t", "\n", "\n\n\n", "\r\n", "\u200b", "\ufeff", "\x00", "\x1b[0m",
    "ＡＩ", "１２", "ｶﾞｲﾄﾞ", "\u2f08", "\uf900", "e\u0301", "涓\ue15f枃", "ÖÐÎÄ", "锟斤拷", "\ufffd",
    "發(fā)", "(shù)", "图源:视觉中国", "http://example.com/a?b=1", "😀", "\U00020000", "\ud800",
]

cjk_text = st.lists(
    st.one_of(st.sampled_from(_PIECES), st.text(max_size=3)), max_size=40
).map("".join)

# Everything: arbitrary Unicode (with surrogates) and the CJK pieces.
any_text = st.one_of(st.text(), cjk_text)
