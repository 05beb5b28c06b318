"""strip-ruby, strip-noise, dedupe-lines: invariants, the seed 004 glosses, the devset's inline fixes."""

import json
import re
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import cleantext
from cleantext.filters.dedupe import dedupe_lines
from cleantext.filters.noise import strip_noise
from cleantext.filters.ruby import PINYIN_SYLLABLES, find_ruby_edits, is_pinyin_syllable, strip_ruby
from cleantext.patterns import HAS_HAN, HAS_KANA
from tests.strategies import any_text

ROOT = Path(__file__).resolve().parent.parent
SEED_004 = ROOT / "seeds" / "004_9b24e829c1296224.txt"
DEVSET = ROOT / "fixtures" / "devset"
INLINE = ("strip-ruby", "strip-noise", "dedupe-lines")

# Pieces that make the three filters fire: readings, real parentheticals,
# stray symbols, a watermark, repeated lines.
_PIECES = [
    "發", "數", "现", "展", "の", "読", "DeepSeek", "AI", "(fā)", "(shù)", "（xiàn）", "(zhǎn)", "(fa1)",
    "(ma)", "(an)", "(long)", "(ㄈㄚ)", "(ㄓㄨˋ)", "(かんじ)", "(深度求索)", "(Sam Altman)", "(3.64)",
    "(", ")", "（", "）", " ", "\n", "\n\n", "。", ",", "¨", "Ξ", "Ã", "ç", "ૌ", "λ", "ÖÐÎÄ", "é", "·", "°",
    "\u03b1", "\u00d7",  # α, ×
    "爱掏网 - it200.com", "it200.co", "java.io.File", "a.b.cn/x", "user@mail.cn", "\nછ 来源", "(出典:kabu.jp)",
    "新浪财经公众号\n", "明日は学校に行く。\n", "明日は学校に行かない。\n",
]
inline_text = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)
texts = st.one_of(any_text, inline_text)


def _is_subsequence_by_spans(text, out, changes):
    """`out` is `text` with the changed spans cut out, and nothing else."""
    kept = []
    pos = 0
    for c in changes:
        assert c.new == ""
        kept.append(text[pos : c.start])
        pos = c.end
    kept.append(text[pos:])
    return "".join(kept) == out


@pytest.mark.parametrize("name", INLINE)
@given(text=texts)
@example(text="發(fā)(fā)")
@example(text="發(ma)(fā)(fā)")
@example(text="中¨Ξ¨文")
def test_only_deletes_and_idempotent(name, text):
    f = cleantext.get_filter(name)
    out, changes = f.explain(text)
    assert f.deletes_only
    assert _is_subsequence_by_spans(text, out, changes)
    assert all(c.rule for c in changes)
    assert f(out) == out


@given(text=texts)
def test_strip_ruby_needs_hanzi(text):
    if not HAS_HAN.search(text):
        assert strip_ruby(text) == text


@given(text=texts)
def test_strip_ruby_removes_only_parenthesised_readings(text):
    for edit in find_ruby_edits(text):
        old = text[edit.start : edit.end]
        assert re.fullmatch(r"[ \u3000]?[(（][^()（）]+[)）]", old), old
        assert "深度求索" not in old and "かんじ" not in old


@given(text=texts)
def test_strip_noise_stray_symbols_need_cjk(text):
    # Without hanzi or kana, only a watermark (which needs a domain) can go.
    if not HAS_HAN.search(text) and not HAS_KANA.search(text) and "." not in text:
        assert strip_noise(text) == text


@given(text=texts)
def test_dedupe_keeps_every_distinct_line(text):
    out = dedupe_lines(text)
    key = lambda line: " ".join(line.split())  # noqa: E731
    assert {key(line) for line in text.split("\n")} - {""} == {key(line) for line in out.split("\n")} - {""}


@given(
    stem=st.sampled_from(["明日は学校に", "彼はその本を", "東京へ"]),
    endings=st.lists(
        st.sampled_from(["行く。", "行かない。", "読んだ。", "読まなかった。", "行きます。"]), min_size=2
    ),
)
def test_dedupe_does_not_fold_kana(stem, endings):
    lines = [stem + e for e in endings]
    out = dedupe_lines("\n".join(lines)).split("\n")
    assert out == list(dict.fromkeys(lines))  # each distinct sentence once, in order


def test_pinyin_syllable_set():
    assert len(PINYIN_SYLLABLES) > 390
    for syllable in ("zhuang", "lve", "nv", "er", "yong", "shei", "fā", "lǜ", "xiàn", "zhong1"):
        assert is_pinyin_syllable(syllable), syllable
    for word in ("the", "tokyo", "kan ji", "fa9", "bing2a", "OpenAI", "zhuangg", "fāā"):
        assert not is_pinyin_syllable(word), word


def test_seed_004_glosses():
    text = SEED_004.read_text(encoding="utf-8")
    out, changes = cleantext.get_filter("strip-ruby").explain(text)
    assert len(changes) == 117
    assert {c.rule for c in changes} == {"pinyin-gloss"}
    assert "DeepSeek(深度求索)" in out
    assert "中國(科技界)" in out
    assert "(約合3.64萬億元人民幣)" in out
    assert not re.search("[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[)）]", out)


def _devset():
    for path in sorted(DEVSET.glob("*.json")):
        yield json.loads(path.read_text(encoding="utf-8"))


def test_devset_inline_lines():
    """Content lines with an inline fix come out clean through strip-ruby,strip-noise; others are untouched.

    The content-farm wrapper of seed 003 is strip-chrome's, so it is not counted here.
    """
    pipe = cleantext.Pipeline.from_spec("strip-ruby,strip-noise")
    fixed, inline, damaged = 0, 0, []
    for doc in _devset():
        lines = doc["lines"]
        out = pipe("\n".join(line["raw"] for line in lines)).split("\n")
        assert len(out) == len(lines)
        for got, line in zip(out, lines, strict=True):
            if line["label"] != "content":
                continue
            raw, clean = line["raw"].strip(), line["clean"].strip()
            if raw == clean:
                if got.strip() != raw:
                    damaged.append((doc["id"], raw))
            elif doc["id"] != "seed-003":
                inline += 1
                fixed += got.strip() == clean
    assert damaged == []
    assert inline == 52
    assert fixed == inline


def test_devset_dedupe_keeps_content():
    """dedupe-lines removes no content line of the devset (every later copy there is chrome or meta)."""
    for doc in _devset():
        out = set(dedupe_lines("\n".join(line["raw"] for line in doc["lines"])).split("\n"))
        lost = [line["raw"] for line in doc["lines"] if line["label"] == "content" and line["raw"] not in out]
        assert lost == [], doc["id"]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("strip-ruby", "發(fā)" * 20000, "發" * 20000),
        ("strip-ruby", "(" * 30000 + "發" + ")" * 30000, "(" * 30000 + "發" + ")" * 30000),
        ("strip-ruby", "發(" + "a" * 50000 + ")", "發(" + "a" * 50000 + ")"),
        ("strip-ruby", ("發(" + "ㄓㄨ" * 29 + "a)") * 2000, ("發(" + "ㄓㄨ" * 29 + "a)") * 2000),
        ("strip-noise", "中¨" * 20000, "中" * 20000),
        ("strip-noise", "a." * 30000 + "com", "a." * 30000 + "com"),
        ("strip-noise", "。爱掏网 - it200.com段落\n" * 5000, "。段落\n" * 5000),
        ("dedupe-lines", "新浪财经公众号\n" * 20000, "新浪财经公众号\n"),
    ],
    ids=[
        "ruby-run", "ruby-parens", "ruby-long", "ruby-zhuyin-split",
        "noise-run", "noise-dots", "noise-watermark", "dedupe-run",
    ],
)
def test_large_inputs(name, text, expected):
    # Linear-time guard by example: these run in milliseconds; quadratic code would stall here.
    assert cleantext.get_filter(name)(text) == expected


# strip-noise scans with cheaper patterns than the ones that define it; the two must find the same.
_DOMAINISH = st.text(alphabet="ab.co-m/@_\\1 X中。\n", max_size=40)


@given(_DOMAINISH | any_text)
@example("见it200.com。aa.bb.cc/x.io ..cn @a.com 中.co")
def test_domain_screen_finds_what_the_domain_pattern_finds(text):
    from cleantext.filters.noise import _DOMAIN, _domains

    assert [m.span() for m in _domains(text)] == [m.span() for m in _DOMAIN.finditer(text)]


@given(st.text(alphabet="ÃΞૌé汉字 a\n", max_size=30) | any_text)
def test_stray_run_pattern_is_one_or_two_symbols(text):
    from cleantext.filters.noise import _STRAY_RUN, _STRONG, _WEAK

    spelled = re.compile(f"[{_STRONG}{_WEAK}]{{1,2}}(?![{_STRONG}{_WEAK}])")
    assert [m.span() for m in _STRAY_RUN.finditer(text)] == [m.span() for m in spelled.finditer(text)]


@given(st.text(alphabet=" \u3000(（)）fāa1ㄅ中字ɑ-'", max_size=30) | any_text)
@example("發 (fā)(fā)（ㄈㄚ）  (a1)")
def test_gloss_screen_finds_what_the_gloss_pattern_finds(text):
    from cleantext.filters.ruby import _GLOSS_CANDIDATE, _candidates

    expected = [(*m.span(), m.group("space"), m.group("body")) for m in _GLOSS_CANDIDATE.finditer(text)]
    assert _candidates(text) == expected


# The one-pass find_ruby_edits must decide as the two-pass reading, which counts the toned glosses first.
_GLOSSY = st.lists(
    st.sampled_from(["發", "數", "中文", "(fā)", "(shù)", " (fā)", "（xiàn）", "(ma)", "( ma)", "(ma )", " (ma)",
                     "(an)", "(ㄈㄚ)", "(zhong guo)", "(fa1)", "(a1)", "(ab)", "x", " ", "\u3000", "\n"]),
    max_size=30,
).map("".join)


@given(_GLOSSY | inline_text | any_text, st.integers(min_value=0, max_value=3))
@example("發(ma)數(fā)發(shù)", 2)
@example("發(fā)數(ma)發(shù)發(ma)", 1)
def test_one_pass_ruby_edits_agree_with_two_passes(text, evidence):
    from cleantext.core import apply_edits
    from cleantext.filters.ruby import _gloss_spans, _two_pass_gloss_spans

    assert _gloss_spans(text, evidence) == _two_pass_gloss_spans(text, evidence)
    # strip_ruby cuts the spans itself, without Edits.
    assert strip_ruby(text, toneless_evidence=evidence) == apply_edits(
        text, find_ruby_edits(text, toneless_evidence=evidence)
    )


def _dedupe_edits_line_by_line(text: str, min_letters: int = 5) -> list:
    """find_dedupe_edits as first written: every line keyed and visited in order."""
    from cleantext.core import Edit
    from cleantext.filters.dedupe import _repeats_legitimately

    if "\n" not in text:
        return []
    spans: list[list[int]] = []
    seen: set[str] = set()
    lines = text.split("\n")
    start = 0
    for number, line in enumerate(lines):
        end = start + len(line)
        key = " ".join(line.split())
        if key in seen:
            if not _repeats_legitimately(key, min_letters):
                stop = end if number == len(lines) - 1 else end + 1
                if spans and spans[-1][1] == start:
                    spans[-1][1] = stop
                else:
                    spans.append([start, stop])
        elif key:
            seen.add(key)
        start = end + 1
    if spans and spans[-1][1] == len(text) and not text.endswith("\n") and spans[-1][0] > 0:
        spans[-1][0] -= 1
    return [Edit(s, e, "", "repeated-line") for s, e in spans]


_LINES = st.lists(
    st.sampled_from(["新浪财经公众号", "新浪财经 公众号", " 新浪财经公众号\t", "新浪财经\u3000公众号", "明日は学校に行く。",
                     "ab", "", " ", "记者:", "x = f(a);", "---", "数据显示 中国经济"]),
    max_size=12,
).map("\n".join)


@given(_LINES | _LINES.map(lambda t: t + "\n") | inline_text | any_text, st.integers(min_value=0, max_value=6))
def test_dedupe_edits_agree_with_the_line_by_line_reading(text, min_letters):
    from cleantext.filters.dedupe import find_dedupe_edits

    assert find_dedupe_edits(text, min_letters=min_letters) == _dedupe_edits_line_by_line(text, min_letters)


# -- strip-noise: the range screen before the stray-symbol scan ---------------------------------------

def test_stray_symbol_ranges_hold_every_stray_character():
    from cleantext.filters import noise

    everything = "".join(map(chr, range(0x110000)))
    ranges = re.compile("".join(f"[{chars}]" for chars in noise._STRAY_RANGES).replace("][", ""))
    strays = noise._STRAY_CHAR.findall(everything)
    assert len(strays) > 3000
    assert [ch for ch in strays if not ranges.match(ch)] == []


# CJK text with characters of the two ranges that are stray symbols and that are not (·, ©, ×, °,
# ▼, box drawing), and more of the latter than the screen looks at before giving up.
_NOISE_PIECES = ["中", "文", "の", "データ", "。", "，", " ", "\n", "·", "©", "\u00d7", "°", "▼", "─", "■",
                 "·" * 17, "¨", "Ξ", "Ã", "ૌ", "\u03b1", "Ⓐ", "▨", "é", "中¨文", "\nછ 来源"]
noise_text = st.lists(st.sampled_from(_NOISE_PIECES), max_size=25).map("".join)


@given(noise_text)
@example("埃里克·施密特说。©2025 ▼ 展开")
@example("·" * 17 + "中¨文")
def test_stray_symbol_screen_agrees_with_the_full_scan(text):
    from cleantext.filters import noise

    full = noise._scanned_stray_symbol_edits(text)
    assert noise._stray_symbol_edits(text) == full
    if not noise._may_hold_stray_symbols(text):
        assert full == []


def test_stray_symbol_screen_skips_clean_text():
    from cleantext.filters import noise

    assert not noise._may_hold_stray_symbols("埃里克·施密特说,气温25°C。©2025 新浪 ▼ 展开全文")
    assert noise._may_hold_stray_symbols("核心观¨Ξ点")
    assert noise._may_hold_stray_symbols("·" * 17)  # too many to look at one by one: the full scan decides


# -- strip-ruby: the possessive body of _FROM_PARENTHESIS ---------------------------------------------

_PAREN_PIECES = ["(", ")", "（", "）", "fā", "shù", "a", "1", " ", "\u3000", "ㄓㄨˋ", "'", "-", "中", "x" * 59,
                 "y" * 61]


@given(st.lists(st.sampled_from(_PAREN_PIECES), max_size=20).map("".join))
@example("( " + "a" * 60 + ")(" + "a" * 61 + ")( )(\u3000a)")
def test_possessive_gloss_body_matches_the_lazy_one(text):
    from cleantext.filters import ruby

    for pattern in ruby._FROM_PARENTHESIS:
        lazy = re.compile(pattern.pattern.replace("{1,60}+", "{1,60}?"))
        assert lazy.pattern != pattern.pattern
        found = [(m.span(), m[1]) for m in pattern.finditer(text)]
        assert found == [(m.span(), m[1]) for m in lazy.finditer(text)]


@given(inline_text | noise_text)
@example("。爱掏网 - it200.com段落\n" * 3 + "核心观¨Ξ点")
def test_noise_edits_are_the_two_passes_chained(text):
    from cleantext.core import chain_edits
    from cleantext.filters import noise

    chained = chain_edits(text, noise._watermark_edits, noise._stray_symbol_edits)
    assert noise.find_noise_edits(text) == chained
