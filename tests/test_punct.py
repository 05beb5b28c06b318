"""normalize-punct: invariants on any text, and the seeds."""

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import cleantext
from cleantext import replay
from cleantext.filters.punct import PUNCT_REPLACED, PUNCT_SET, find_punct_edits, normalize_punctuation
from cleantext.patterns import HAN, KANA

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
CJK_CHAR = re.compile(f"[{HAN}{KANA}]")
HAS_CJK = cleantext.filters.punct._HAS_CJK_LINE

# Pieces that make the judge work: CJK words of the three languages, Latin words,
# numbers, every candidate mark of both widths, spaces, line breaks, URLs, code.
_PIECES = [
    "中文",
    "奥特曼",
    "數據",
    "發布",
    "データ",
    "の",
    "です",
    "한국어",
    "Sam",
    "OpenAI",
    "GPT-5",
    "1",
    "000",
    "3.94",
    ",",
    ":",
    ";",
    "?",
    "!",
    "(",
    ")",
    '"',
    "...",
    "......",
    "。。。",
    "--",
    "-",
    ".",
    "%",
    "]",
    "[",
    "'",
    "，",
    "：",
    "；",
    "？",
    "！",
    "（",
    "）",
    "“",
    "”",
    "「",
    "」",
    "…",
    "—",
    "、",
    "。",
    " ",
    "\n",
    "\u3000",
    "`",
    "<b>",
    "https://a.com/x?y=1",
    "a@b.cn",
    ":)",
    "^_^",
    "\t",
]
punct_text = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)
latin_pieces = [p for p in _PIECES if not HAS_CJK.search(p)]
non_cjk_text = st.one_of(
    st.lists(st.sampled_from(latin_pieces), max_size=30).map("".join),
    st.text(alphabet=st.characters(blacklist_categories=("Lo",))),
).filter(lambda text: not HAS_CJK.search(text))


@given(text=non_cjk_text)
@example(text='Hello, world: (really)? Yes!... -- "ok"')
def test_text_without_cjk_is_unchanged(text):
    assert normalize_punctuation(text) == text


@given(text=punct_text, quotes=st.sampled_from(["auto", "curly", "corner"]))
@example(text="什么?GPT-5?", quotes="auto")
@example(text='中,"",中', quotes="auto")
def test_idempotent_and_only_the_documented_set_changes(text, quotes):
    out = normalize_punctuation(text, quotes=quotes)
    assert normalize_punctuation(out, quotes=quotes) == out
    f = cleantext.get_filter("normalize-punct").configure(quotes=quotes)
    explained, changes = f.explain(text)
    assert explained == out
    assert replay(text, changes) == out
    for c in changes:
        assert c.old and set(c.old) <= PUNCT_REPLACED, c
        assert c.new and set(c.new) <= PUNCT_SET, c


@given(text=punct_text)
def test_lines_without_cjk_are_unchanged(text):
    out_lines = normalize_punctuation(text).split("\n")
    for before, after in zip(text.split("\n"), out_lines, strict=True):
        if not HAS_CJK.search(before):
            assert before == after


def test_unknown_quote_style():
    with pytest.raises(ValueError, match="quotes must be one of"):
        find_punct_edits("中文", quotes="guillemets")


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem for p in SEEDS])
def test_seed(path):
    text = path.read_text(encoding="utf-8")
    out, changes = cleantext.get_filter("normalize-punct").explain(text)
    changed_at = {c.start: c for c in changes}
    # Every mark between two CJK characters comes back fullwidth.
    between = [
        m.start()
        for m in re.finditer("[,:;?!()]", text)
        if m.start() > 0 and CJK_CHAR.match(text, m.start() - 1) and CJK_CHAR.match(text, m.start() + 1)
    ]
    assert between, "the seed has CJK marks to restore"
    missed = [text[p - 3 : p + 4] for p in between if p not in changed_at]
    assert not missed
    # Nothing changes between two ASCII letters or digits, or in a line without CJK.
    for c in changes:
        before, after = text[c.start - 1 : c.start], text[c.end : c.end + 1]
        assert not (before.isascii() and before.isalnum() and after.isascii() and after.isalnum()), c
    for line in text.splitlines():
        if not HAS_CJK.search(line):
            assert line in out
    # Numbers, times and the reference list of seed 001 are intact.
    for number in re.findall(r"\d+(?:[,:.]\d+)+%?", text):
        assert number in out
    if path.stem.startswith("001"):
        assert (
            '[1]"I lost trust": Why the OpenAI team in charge of safeguarding humanity imploded, Vox' in out
        )
        assert "[15]GPT-4o,Sam Altman" in out


def test_nfkc_flattened_paragraph_round_trips():
    typeset = "据路透社（Reuters）报道：英伟达的市值一度突破3万亿美元，超过了苹果？不，是微软！"
    assert normalize_punctuation(unicodedata.normalize("NFKC", typeset)) == typeset


# -- space-cjk -------------------------------------------------------------------

from cleantext.filters.punct import space_cjk  # noqa: E402

_SPACE_PIECES = [
    "中文",
    "の",
    "データ",
    "年",
    "月",
    "日",
    "个",
    "2023",
    "5",
    "GPT",
    "-4o",
    "foo()",
    " ",
    "\n",
    "，",
    "。",
    "https://a.com/x1",
    "`code1`",
    "/home/用户2/d",
    "한국어",
]
space_text = st.lists(st.sampled_from(_SPACE_PIECES), max_size=25).map("".join)


@given(text=space_text)
@example(text="在2023年5月28日发布GPT-4o")
def test_space_cjk_only_inserts_single_spaces(text):
    out, changes = cleantext.get_filter("space-cjk").explain(text)
    assert space_cjk(out) == out
    for c in changes:
        assert c.old == "" and c.new == " "
        before, after = text[c.start - 1], text[c.start]
        assert CJK_CHAR.match(before) or CJK_CHAR.match(after)
        assert not (before.isdigit() and after in "年月日号號時")
    assert out.replace(" ", "") == text.replace(" ", "")


@given(text=non_cjk_text)
def test_space_cjk_leaves_text_without_cjk(text):
    assert space_cjk(text) == text
