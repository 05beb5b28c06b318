"""fix-mojibake: correct text passes unchanged; every supported chain is undone.

`garble` is this test's own helper: encode with the true codec, decode with
the wrong one, as a misconfigured scraper does. Texts are drawn from the
frequent characters of the chain's language (the standards' frequency tiers,
computed here from Python's codecs, independently of the filter's tables).
"""

from __future__ import annotations

import hashlib
import re
from functools import cache

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from cleantext.filters.mojibake import find_irrecoverable, find_mojibake_edits, fix_mojibake
from cleantext.patterns import decode_block


def _decode_block(codec: str, leads: range, trails: range) -> list[str]:
    return list(decode_block(codec, leads, trails))


HIGH = range(0xA1, 0xFF)
HANS = _decode_block("gb2312", range(0xB0, 0xD8), HIGH)  # GB2312 level 1
HANT = [
    c for c in _decode_block("big5", range(0xA4, 0xC7), range(0x40, 0xFF)) if c.encode("big5") <= b"\xc6\x7e"
]
KANJI = _decode_block("euc_jp", range(0xB0, 0xD0), HIGH)  # JIS X 0208 level 1
KANA = [chr(c) for c in range(0x3042, 0x3094)] + [chr(c) for c in range(0x30A2, 0x30F4)]
HANGUL = _decode_block("euc_kr", range(0xB0, 0xC9), HIGH)  # KS X 1001's 2,350 syllables

KOREAN_ENDINGS = ["는", "은", "이", "가", "을", "를", "의", "에", "에서", "도", "로", "와", "과", "다", "요", "합니다", "했다"]

CJK_PUNCT = list("，。、：；？！（）《》「」“”")
LATIN_WORDS = [
    "DeepSeek",
    "GPT-4o",
    "café",
    "naïve",
    "Müller",
    "2025",
    "3.94%",
    "AI",
    "http://example.com/a?b=1",
]
SPACE = [" ", "\n", "\u3000"]
EMOJI = ["😀", "👍🏻", "🇨🇳", "❤️"]


def words(alphabet: list[str], min_size: int = 1, max_size: int = 8) -> st.SearchStrategy[str]:
    # Hypothesis favours the first elements of a sampled list, and a code table's first
    # row (啊阿埃挨哎, 亜唖娃阿) is no sample of a language: draw from a fixed shuffle.
    shuffled = sorted(alphabet, key=hash_of)
    return st.lists(st.sampled_from(shuffled), min_size=min_size, max_size=max_size).map("".join)


def hash_of(char: str) -> int:
    """A fixed pseudo-random order of characters (Python's own hash() changes from run to run)."""
    return int.from_bytes(hashlib.blake2b(char.encode("utf-8"), digest_size=4).digest(), "big")


def prose(letters: st.SearchStrategy[str], punct: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(letters, st.sampled_from(punct + SPACE)), min_size=1, max_size=12).map("".join)


LANG_TEXT = {
    "hans": words(HANS),
    "hant": words(HANT),
    # Kanji, then kana (okurigana, particles): Japanese prose is about half kana.
    "ja": st.tuples(words(KANJI, min_size=0, max_size=3), words(KANA, max_size=4)).map("".join),
    # A stem, then a particle or an ending (는, 을, 에서, 합니다): Korean words mostly end in one.
    "ko": st.tuples(words(HANGUL, max_size=3), st.sampled_from(KOREAN_ENDINGS)).map("".join),
}
# Correct text: one language's frequent characters, with Latin words, punctuation, emoji.
# Chinese puts no plain space between two hanzi (and a text that did, using only
# the 2,350 hanzi that share EUC-KR's hangul bytes, would read as Korean
# mojibake: see the euckr rule in _plausible), so spaces go before Latin words.
correct_text = st.sampled_from(sorted(LANG_TEXT)).flatmap(
    lambda lang: st.lists(
        st.one_of(
            LANG_TEXT[lang],
            st.sampled_from(LATIN_WORDS + CJK_PUNCT + EMOJI + ["\n", "\u3000"]),
            st.sampled_from(LATIN_WORDS).map(lambda w: f" {w} "),
            st.just(" ") if lang in ("ko", "ja") else st.just("\n"),
        ),
        max_size=20,
    ).map("".join)
)


@given(correct_text)
@example("café 咖啡")
@example("“引号”，（括号）　全角：ＡＢＣ１２３！")
@example("子曰：學而時習之，不亦說乎？有朋自遠方來，不亦樂乎？")
@example("魑魅魍魉，饕餮，龘靐齉爩")
@example("彼は東京へ行った。薔薇と檸檬の憂鬱。")
@example("한국어 텍스트와 漢字를 함께 씁니다.")
@example("我の家 中文里借用了の字")
def test_correct_text_is_unchanged(text):
    assert fix_mojibake(text) == text


def garble(text: str, true: str, wrong: str) -> str:
    """What a scraper shows when `text`, stored as `true`, is decoded as `wrong`.

    cp1252 is decoded as browsers do, with its five unassigned bytes as the
    C1 controls of the same value.
    """
    raw = text.encode(true)
    if wrong == "cp1252":
        return "".join(bytes([b]).decode("cp1252", "ignore") or chr(b) for b in raw)
    return raw.decode(wrong)


# (true codec, wrong decoder, language of the text). Python's gb18030, cp950
# and cp932 are the decoders Windows users actually run (cp936 = GBK with the
# private-use mapping, which gb18030 shares).
CHAINS = [
    ("utf-8", "gb18030", "hans"),
    ("utf-8", "gb18030", "ja"),
    ("utf-8", "cp932", "ja"),
    ("gbk", "latin-1", "hans"),
    ("gbk", "cp1252", "hans"),
    ("big5", "latin-1", "hant"),
    ("shift_jis", "cp1252", "ja"),
    ("euc_jp", "latin-1", "ja"),
    ("euc_kr", "latin-1", "ko"),
    ("big5", "gb18030", "hant"),
    ("shift_jis", "gb18030", "ja"),
    ("euc_jp", "gb18030", "ja"),
    ("euc_kr", "gb18030", "ko"),
    ("gbk", "cp950", "hans"),
]

# Whole texts of at least this many letters, and this many different ones.
# Shorter ones are left alone on purpose: two or three characters that decode
# to other frequent characters are not evidence enough (see fix_mojibake's
# docstring). A run of one repeated character is ambiguous by nature: 啊啊啊
# in GBK is the same bytes as 가가가 in EUC-KR, both frequent.
MIN_LETTERS = 6
MIN_DISTINCT = 4
# GBK read as Big5 gives mostly frequent traditional characters (GB2312's
# rows B0-C6 are Big5's frequent rows): it takes a longer, varied text to
# show, with the punctuation that Chinese prose has (，read as Big5 is ㄛ,
# which the screen looks for); chain_text puts some in.
# Big5 or EUC-JP read as GBK is mostly hanzi too; under eight letters the filter
# does not always find the evidence it needs, and leaves the text (a known limit).
MIN_LETTERS_FOR = {("gbk", "cp950"): 12, ("euc_jp", "gb18030"): 8, ("big5", "gb18030"): 8}
MIN_DISTINCT_FOR = {("gbk", "cp950"): 6}


def garble_prefix(text: str, true: str, wrong: str) -> tuple[str, str]:
    """The longest prefix of `text` that garbles without a decoding error, and its garbling.

    UTF-8 read as GBK or Shift_JIS often ends on half a character; real
    decoders then lose a byte (tested apart). Cutting the text keeps the
    examples valid without filtering most of them away.
    """
    for end in range(len(text), 0, -1):
        try:
            return text[:end], garble(text[:end], true, wrong)
        except UnicodeError:
            continue
    return "", ""


def chain_text(lang: str) -> st.SearchStrategy[str]:
    # Korean separates words with spaces; the others write without.
    punct = {"ko": [" ", " ", ". ", ", "], "ja": ["、", "。", "「", "」"]}.get(
        lang, ["，", "。", "：", "“", "”"]
    )
    joiners = punct if lang == "ko" else ["", *punct]
    parts = st.lists(st.tuples(LANG_TEXT[lang], st.sampled_from(joiners)), min_size=3, max_size=8)
    return parts.map(lambda pairs: "".join(a + b for a, b in pairs))


LANG_SETS = [set(HANS), set(HANT), set(KANJI) | set(KANA), set(HANGUL)]


OTHER_CODECS = ["gbk", "big5", "euc_jp", "euc_kr", "shift_jis"]


def _mostly_frequent(text: str) -> bool:
    # Bopomofo and fullwidth Latin (ｆ) are no evidence of any language.
    letters = [
        c
        for c in text
        if c.isalpha() and not c.isascii() and not "\u3100" <= c <= "\u312f" and not "\uff00" <= c <= "\uffef"
    ]
    return bool(letters) and any(sum(c in lang for c in letters) >= 0.8 * len(letters) for lang in LANG_SETS)


def _non_jis_next_to_kana(text: str) -> bool:
    def jis(c: str) -> bool:
        try:
            c.encode("shift_jis")
        except UnicodeEncodeError:
            return False
        return True

    kana = set(KANA)
    return any(
        (a in kana and not jis(b)) or (b in kana and not jis(a)) for a, b in zip(text, text[1:], strict=False)
    )


def _ambiguous(text: str, garbled: str, true: str, wrong: str = "") -> bool:
    """Could a reader not tell this garbling from correct text, or from another garbling?

    Codecs share byte ranges: 啊阿埃 in GBK are the bytes of 가각간 in EUC-KR,
    and GBK's first rows read as Big5 are frequent traditional characters. So a
    garbling is left out when it is itself mostly frequent characters of some
    language, when its bytes read with another CJK codec give such text too,
    when it changes fewer than three different characters, or when it is mostly Greek,
    Cyrillic or symbols (GBK and Big5 hold real Greek and Cyrillic text as
    well: the filter does not take those for mojibake, by design).
    """
    # Korean read as GBK is frequent hanzi by nature: told apart by word spacing.
    if true != "euc_kr" and _mostly_frequent(garbled):
        return True
    raw = text.encode(true)
    # Korean is told from GBK by its word spacing, which chain_text gives it.
    for codec in OTHER_CODECS if true != "euc_kr" else []:
        try:
            other = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if other != text and _mostly_frequent(other):
            return True
    if (true, wrong) == ("euc_jp", "gb18030") and not _non_jis_next_to_kana(garbled):
        # EUC-JP read as GBK keeps every kana and turns kanji into frequent
        # hanzi; the filter looks where a hanzi Japanese cannot contain touches
        # kana, which any Japanese line of some length has.
        return True
    if len(text) == len(garbled):
        changed = len(
            {b for a, b in zip(text, garbled, strict=True) if a != b}
        )  # distinct changed characters
    else:
        changed = len(set(garbled))
    cjk_looking = sum(1 for c in garbled if ord(c) >= 0x3040)  # letters, not CJK punctuation (〃)
    non_ascii = sum(1 for c in garbled if not c.isascii())
    return changed < 3 or (ord(garbled[0]) >= 0x100 and cjk_looking < 0.6 * non_ascii)


def _enough(text: str, chain: tuple[str, str] = ("", "")) -> bool:
    letters = [c for c in text if c.isalpha() and not c.isascii()]
    if chain == ("gbk", "cp950") and letters and 4 * max(map(letters.count, set(letters))) >= len(letters):
        return False  # 啊啊啊 is 陛陛陛 in Big5 and 가가가 in EUC-KR: a varied text is needed
    if len(set(letters)) < 0.75 * len(letters):
        # Prose repeats few letters in a short stretch; a draw such as 啊阿埃埃啊啊阿阿埃 is no
        # language, and the filter, which wants evidence before it changes text, rightly leaves it.
        return False
    return len(letters) >= MIN_LETTERS_FOR.get(chain, MIN_LETTERS) and len(
        set(letters)
    ) >= MIN_DISTINCT_FOR.get(chain, MIN_DISTINCT)


@pytest.mark.parametrize(
    ("true", "wrong", "lang"), CHAINS, ids=[f"{t}-as-{w}-{lang}" for t, w, lang in CHAINS]
)
@settings(max_examples=10, suppress_health_check=[HealthCheck.filter_too_much])
@given(data=st.data())
def test_chain_is_undone(true, wrong, lang, data):
    text, garbled = garble_prefix(data.draw(chain_text(lang)), true, wrong)
    assume(_enough(text, (true, wrong)))
    assume(not _ambiguous(text, garbled, true, wrong))
    assert fix_mojibake(garbled) == text


FRAGMENT_CHAINS = CHAINS[:7]


@pytest.mark.parametrize(("true", "wrong", "lang"), FRAGMENT_CHAINS)
@settings(max_examples=6, suppress_health_check=[HealthCheck.filter_too_much])
@given(data=st.data())
def test_fragment_inside_good_text_is_undone(true, wrong, lang, data):
    """A garbled stretch between correct sentences: only the stretch changes."""
    fragment, garbled = garble_prefix(data.draw(chain_text(lang)), true, wrong)
    assume(_enough(fragment))
    assume(not _ambiguous(fragment, garbled, true, wrong))
    good = {"ja": ("記事の本文です。", "以上。"), "ko": ("기사 본문. ", " 끝.")}.get(
        lang, ("新闻正文：", "。完")
    )
    assert fix_mojibake(good[0] + garbled + good[1]) == good[0] + fragment + good[1]


# (true codec, language of the stretch, correct text around it): a sentence
# garbled by one double-byte codec read as another, inside a correct line.
DOUBLE_BYTE_INSIDE = [
    ("big5", "hant", ("今天的新闻报道了这件事情，大家都很关心。", "今天的新闻报道了这件事情。")),
    ("euc_jp", "ja", ("今日のニュースでこの件が報道され、皆が関心を持っている。", "今日も関心が高い。")),
    ("euc_kr", "ko", ("今天的新闻报道了这件事情。 ", " 大家都很关心。")),
]


@pytest.mark.parametrize(
    ("true", "lang", "context"), DOUBLE_BYTE_INSIDE, ids=[t for t, _l, _c in DOUBLE_BYTE_INSIDE]
)
@settings(max_examples=8, suppress_health_check=[HealthCheck.filter_too_much])
@given(data=st.data())
def test_correct_text_around_a_double_byte_stretch_is_kept(true, lang, context, data):
    """The wrong codec reads the correct text too, often as frequent characters
    (今日 as 書晩 in EUC-JP): the repair may stop short of the stretch, never eat into the line."""
    sentence = data.draw(chain_text(lang)) + (". " if lang == "ko" else "。")
    try:
        garbled = garble(sentence, true, "gb18030")
    except UnicodeError:
        assume(False)
    assume(_enough(sentence) and not _ambiguous(sentence, garbled, true, "gb18030"))
    before, after = context
    repaired = fix_mojibake(before + garbled + after)
    assert repaired.startswith(before) and repaired.endswith(after)


@pytest.mark.parametrize("wrong", ["gb18030", "cp1252"])
@settings(max_examples=6, suppress_health_check=[HealthCheck.filter_too_much])
@given(text=chain_text("hans"))
def test_double_encoding_is_undone(wrong, text):
    """UTF-8 read as GBK (or as cp1252), twice: whole texts and fragments."""
    assume(_enough(text))
    try:
        twice = garble(garble(text, "utf-8", wrong), "utf-8", wrong)
    except UnicodeError:
        assume(False)
    assert fix_mojibake(twice) == text
    assert fix_mojibake("正文：" + twice + "。完") == "正文：" + text + "。完"


def short_word(lang: str) -> st.SearchStrategy[str]:
    """A word of two to six letters: a name or a term garbled on its own."""
    if lang == "ja":
        return (
            st.tuples(words(KANJI, min_size=0, max_size=3), words(KANA, min_size=0, max_size=3))
            .map("".join)
            .filter(lambda w: 2 <= len(w))
        )
    return words(HANS, min_size=2, max_size=6)


# (wrong decoder, language of the word, correct text around it). The word is
# garbled alone, as a title or a name pasted from another source is; a
# decoder that meets a lead byte with nothing after it puts U+FFFD, and the
# repair marks that character lost instead of guessing it.
# A Chinese word repaired inside a Japanese sentence can then read as EUC-JP
# read as GBK (see fix_mojibake's docstring): each word sits in its own language.
SHORT_FRAGMENTS = [
    ("cp932", "ja", ("記事の本文です。", "以上。")),
    ("cp932", "hans", ("新闻正文：", "。完")),
    ("gb18030", "hans", ("新闻正文：", "。完")),
    ("gb18030", "ja", ("記事の本文です。", "以上。")),
]


@pytest.mark.parametrize(
    ("wrong", "lang", "context"), SHORT_FRAGMENTS, ids=[f"{w}-{lang}" for w, lang, _c in SHORT_FRAGMENTS]
)
@settings(max_examples=25, suppress_health_check=[HealthCheck.filter_too_much])
@given(data=st.data())
def test_short_utf8_fragment_is_undone(wrong, lang, context, data):
    word = data.draw(short_word(lang))
    garbled = word.encode("utf-8").decode(wrong, "replace")
    # One character lost at the end at most; a repeated letter (ゑゑ) says too little.
    assume(garbled.count("\ufffd") == 0 or (garbled.count("\ufffd") == 1 and garbled.endswith("\ufffd")))
    assume(len(set(word)) == len(word))
    expected = word if "\ufffd" not in garbled else word[:-1] + "\ufffd"
    assume(not _mostly_frequent(garbled))  # three frequent characters: left alone on purpose
    before, after = context
    repaired = fix_mojibake(before + garbled + after)
    if set(garbled) & decoder_duplicates(wrong):
        # Bytes the decoder's duplicates leave open (∩ is the end of 偿 and of 凛): marked or right.
        assert repaired.startswith(before) and repaired.endswith(after)
        assert right_or_marked(repaired[len(before) : len(repaired) - len(after)], expected)
    else:
        assert repaired == before + expected + after


@cache
def decoder_duplicates(codec: str) -> frozenset[str]:
    """Characters `codec` decodes from more than one double-byte sequence (cp932's NEC and IBM rows)."""
    seen: dict[str, int] = {}
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            try:
                char = bytes((lead, trail)).decode(codec)
            except UnicodeDecodeError:
                continue
            seen[char] = seen.get(char, 0) + 1
    return frozenset(char for char, count in seen.items() if count > 1)


def right_or_marked(repaired: str, expected: str) -> bool:
    return len(repaired) == len(expected) and all(a in (b, "\ufffd") for a, b in zip(repaired, expected, strict=True))


def open_endings(alphabet: list[str], codec: str) -> list[str]:
    """Characters of `alphabet` whose last two UTF-8 bytes `codec` reads as one of its duplicates."""
    duplicates = decoder_duplicates(codec)
    found = []
    for char in alphabet:
        try:
            if char.encode("utf-8")[1:].decode(codec) in duplicates:
                found.append(char)
        except UnicodeDecodeError:
            continue
    return found


@pytest.mark.parametrize("lang", ["hans", "ja"])
def test_open_bytes_are_repaired_right_or_marked_never_guessed_wrong(lang):
    """UTF-8 read as cp932: ∩ is both 81 BF and 87 9B, so 髱門∩ is 靖偿 and 靖凛 alike.

    A character whose bytes the decoder's duplicates leave open comes back
    right (when only one reading is frequent text: み, not ㇛) or as U+FFFD,
    never as another character.
    """
    alphabet = HANS if lang == "hans" else KANJI + KANA
    endings = open_endings(alphabet, "cp932")
    assert len(endings) >= 2
    before, after = {"ja": ("記事の本文です。", "以上。"), "hans": ("新闻正文：", "。完")}[lang]
    firsts = sorted(alphabet, key=hash_of)[:12]
    marked = 0
    for first in firsts:
        for ending in endings:
            # One 3-byte character first: the ending's last two bytes are read as one pair.
            word = first + ending
            try:
                garbled = word.encode("utf-8").decode("cp932")
            except UnicodeDecodeError:
                continue  # a decoder would have lost a byte of the first character: tested apart
            repaired = fix_mojibake(before + garbled + after)
            if repaired == before + garbled + after:
                continue  # left alone: allowed
            inner = repaired[len(before) : len(repaired) - len(after)]
            assert right_or_marked(inner, word), (word, garbled, inner)
            marked += inner != word
    assert lang == "ja" or marked  # 偿 and 凛 are both frequent Chinese: some are marked


# A legacy codec read as Latin-1, then that text's UTF-8 read with another codec.
LAYERS = [
    ("gbk", "latin-1", "utf-8", "cp1252"),
    ("gbk", "latin-1", "utf-8", "gb18030"),
    ("big5", "latin-1", "utf-8", "cp1252"),
]


@pytest.mark.parametrize("layers", LAYERS, ids=["+".join(layer) for layer in LAYERS])
@settings(max_examples=8, suppress_health_check=[HealthCheck.filter_too_much])
@given(data=st.data())
def test_two_different_mistakes_are_undone(layers, data):
    """Whole texts and fragments: GBK read as Latin-1 (ÖÐÎÄ), then that UTF-8 read as cp1252 (Ã–Ã\x90ÃŽÃ„)."""
    true, wrong, true2, wrong2 = layers
    text = data.draw(chain_text("hant" if true == "big5" else "hans"))
    try:
        garbled = garble(garble(text, true, wrong), true2, wrong2)
    except UnicodeError:
        assume(False)
    inner = garble(text, true, wrong)
    assume(_enough(text))
    assume(not _ambiguous(text, inner, true, wrong))
    # The inner layer must be repairable alone: two non-ASCII bytes together
    # (Big5 with ASCII trail bytes, ¤@¤A, is not).
    assume(re.search("[\x80-\xff]{2}", inner) and fix_mojibake(inner) == text)
    assert fix_mojibake(garbled) == text
    assert fix_mojibake("正文：" + garbled + "。完") == "正文：" + text + "。完"


def test_lost_final_byte_is_marked_not_guessed():
    # 发布了新版本 as UTF-8 is 18 bytes; with one byte cut, a GBK decoder puts ? for the last one.
    garbled = "发布了新版本".encode()[:-1].decode("gb18030", "replace").replace("\ufffd", "?")
    assert fix_mojibake(garbled) == "发布了新版\ufffd"


@pytest.mark.parametrize("placeholder", ["?", "\ufffd"])
def test_lossy_shift_jis_is_repaired_where_it_can_be_and_reported_where_not(placeholder):
    # 資料 as UTF-8 read as cp932: the third byte of each character is lost.
    lost = "資料".encode().decode("cp932", "replace").replace("\ufffd", placeholder)
    # 日本語の as UTF-8 read as cp932: の's last byte is lost, the rest comes back.
    partly = "日本語の".encode().decode("cp932", "replace").replace("\ufffd", placeholder)
    text = f"会議の{lost}を送ります。{partly}"
    edits = find_mojibake_edits(text)
    assert [(text[e.start : e.end], e.new, e.rule) for e in edits] == [
        (lost, lost, "lossy-mojibake"),
        (partly, "日本語\ufffd", "utf8-as-sjis"),
    ]


def test_irrecoverable_is_reported_and_kept_unless_asked():
    text = "标题：锟斤拷锟斤拷，内存烫烫烫烫，还有\ufffd\ufffd。"
    spans = find_irrecoverable(text)
    assert [text[s:e] for s, e in spans] == ["锟斤拷锟斤拷", "烫烫烫烫", "\ufffd\ufffd"]
    assert fix_mojibake(text) == text
    assert fix_mojibake(text, remove_irrecoverable=True) == "标题：，内存，还有。"


def test_ordinary_words_with_irrecoverable_characters_are_not_damage():
    for text in ("拷贝文件", "三斤拷子", "滚烫的水", "屯兵"):
        assert find_irrecoverable(text) == []


# ASCII words: an accented letter read as GBK (é as 茅) is a frequent hanzi, not repaired here.
ENGLISH_WORDS = ["It", "s", "fine", "Hello", "the", "o", "clock", "AI", "model", "2025", "m", "re", "quoted"]
TYPOGRAPHIC_MARKS = list("‘’“”–—…•")


@settings(max_examples=60)
@given(
    st.lists(
        st.tuples(st.sampled_from(ENGLISH_WORDS), st.sampled_from([*TYPOGRAPHIC_MARKS, " "])), min_size=1, max_size=6
    ),
    st.sampled_from(["gbk", "cp932"]),
)
def test_typographic_marks_read_as_double_byte_beside_english_are_undone(pairs, wrong):
    # Each mark is followed by a letter, as in It’s or “Hello: its last byte pairs with that letter.
    text = "".join(mark + word for word, mark in pairs)
    try:
        garbled = text.encode("utf-8").decode(wrong)
    except UnicodeDecodeError:
        assume(False)
    assert fix_mojibake(garbled) == text
