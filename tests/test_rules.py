"""Every rule of every rule file: well formed, and its own examples hold."""

import re
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleantext.ruleset import (
    BUILTIN_RULE_FILES,
    RuleSet,
    _any_of,
    _fold,
    _guarded,
    _key_chars,
    _read_rules,
    _string_screens,
    builtin_rules,
    load_rules,
)

RULES = builtin_rules()
FAMILIES = {
    "noise", "share", "navigation", "ads", "copyright", "disclaimer", "caption", "related", "ticker",
    "meta", "translation", "promo", "tags", "greeting", "wrapper",
}


def test_builtin_rule_files_pass_the_checks_user_files_get():
    """`builtin_rules` skips compiling the patterns at load (start-up time): this is that check."""
    folder = resources.files("cleantext") / "rules"
    texts = {name: (folder / name).read_text(encoding="utf-8") for name in BUILTIN_RULE_FILES}
    assert [r for name, text in texts.items() for r in _read_rules(text, name)] == RULES


def test_every_language_family_has_a_file():
    assert {"zh-hans.toml", "zh-hant.toml", "ja.toml"} <= set(BUILTIN_RULE_FILES)
    assert {r.source for r in RULES} == set(BUILTIN_RULE_FILES)


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_is_well_formed(rule):
    assert re.fullmatch(r"[a-z0-9-]+", rule.id)
    assert rule.family in FAMILIES
    assert rule.description.strip()
    assert rule.positive, "a rule needs at least one positive example"
    if rule.is_meta:
        assert rule.field in ("author", "editor", "date", "source")
    # No group with an unbounded quantifier inside that is itself repeated without
    # bound: the shape of catastrophic backtracking.
    assert not re.search(r"\([^()]*[+*][^()]*\)[+*]", rule.pattern), "nested unbounded quantifiers"


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_examples(rule):
    for line in rule.positive:
        assert rule.matches(line), f"{rule.id} should match {line!r}"
    for line in rule.negative:
        assert not rule.matches(line), f"{rule.id} should not match {line!r}"


@pytest.mark.parametrize("rule", [r for r in RULES if r.action != "unwrap"], ids=lambda r: r.id)
def test_positive_examples_are_chrome_or_meta_in_the_compiled_set(rule):
    """The combined alternation finds a rule of the same kind for every positive example."""
    rules = load_rules()
    for line in rule.positive:
        found = rules.meta_rule(line.strip()) if rule.is_meta else rules.chrome_rule(line.strip())
        assert found is not None, f"{line!r} is not classified as {'meta' if rule.is_meta else 'chrome'}"


def test_unwrap_rules_keep_the_title():
    rules = load_rules()
    for rule in rules.unwrap:
        for line in rule.positive:
            kept = rule.regex.match(line).group("keep")
            assert kept and kept in line and len(kept) < len(line)


def test_user_rule_file(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        """
[[rule]]
id = "my-weekly-promo"
family = "promo"
description = "Our site's weekly digest ask."
pattern = '''本周精选.{0,10}订阅$'''
positive = ["本周精选文章合集订阅"]
negative = ["本周精选的文章"]
""",
        encoding="utf-8",
    )
    rules = load_rules(str(path))
    assert rules.chrome_rule("本周精选文章合集订阅").id == "my-weekly-promo"
    assert load_rules(str(path)) is rules, "rule sets are compiled once per file"


_RULE = '[[rule]]\nid = "{id}"\nfamily = "promo"\ndescription = "d"\npattern = "a"\n{extra}'


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[rule]]\nid = "x"\nfamily = "promo"\ndescription = "d"\n', "lacks pattern"),
        ('[[rule]]\nid = "x"\nfamily = "promo"\ndescription = "d"\npattern = "("\n', "bad pattern"),
        (_RULE.format(id="disclaimer-zh", extra=""), "defined twice"),
        (_RULE.format(id="x", extra='block = "grid"\n'), "block must be"),
    ],
)
def test_bad_rule_files_say_what_is_wrong(tmp_path, body, message):
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_rules(str(path))


def test_compiled_set_agrees_with_the_rules_one_by_one():
    """Tiers and caches are an optimization: the first rule in file order that fires wins."""
    rules = load_rules()
    lines = [ex for r in RULES for ex in (*r.positive, *r.negative)]
    lines += [ex + "，" + ex for ex in lines]  # longer lines cross the length caps
    for line in lines:
        s = line.strip()
        line_rules = [r for r in RULES if not r.is_meta and r.action != "unwrap"]
        naive_chrome = next((r for r in line_rules if r.matches(s)), None)
        naive_meta = next((r for r in RULES if r.is_meta and r.matches(s)), None)
        chrome, meta = rules.classify(s)
        assert chrome is naive_chrome or (chrome and naive_chrome and chrome.id == naive_chrome.id), s
        if chrome is None:
            assert (meta and meta.id) == (naive_meta and naive_meta.id), s


# The screens (key characters, key strings, guards) must never hide a rule
# that fires: lines made of pieces of the rules' own examples, cut, doubled,
# with case variants `re` folds together (long s, Kelvin sign, dotted I) and digits from other scripts.
_PIECES = sorted({ex for r in RULES for ex in (*r.positive, *r.negative)})
_ODD = ["\u017f", "\u212a", "\u0130", "\u0131", "\U0001d7d0", "٣", "\u3000", " ", "©", "(C)", "：", "|", "》"]
_ODD += ["COPYRIGHT", "Loading..."]


@st.composite
def _line(draw):
    parts = draw(st.lists(st.sampled_from(_PIECES) | st.sampled_from(_ODD) | st.text(max_size=6), max_size=4))
    line = "".join(parts)
    if line and draw(st.booleans()):
        cut = draw(st.integers(0, len(line)))
        line = line[cut:] if draw(st.booleans()) else line[:cut]
    if draw(st.booleans()):
        line = line.swapcase()
    return line.replace("\n", " ").strip()


@settings(max_examples=300, deadline=None)
@given(_line())
def test_screened_classify_agrees_with_every_rule_tried_in_order(line):
    rules = load_rules()
    line_rules = [r for r in RULES if not r.is_meta and r.action != "unwrap"]
    naive_chrome = next((r for r in line_rules if r.matches(line)), None)
    naive_meta = next((r for r in RULES if r.is_meta and r.matches(line)), None)
    chrome, meta = rules.classify(line)
    assert (chrome and chrome.id) == (naive_chrome and naive_chrome.id)
    assert (meta and meta.id) == (None if naive_chrome else naive_meta and naive_meta.id)
    unwrap = rules.unwrap_match(line)
    naive_unwrap = next((r for r in RULES if r.action == "unwrap" and r.matches(line)), None)
    assert (unwrap and unwrap[0].id) == (naive_unwrap and naive_unwrap.id)
    if unwrap is not None:
        assert unwrap[1].span("keep") == unwrap[0].regex.match(line).span("keep")


_GUARDED = [(rule, _guarded(rule.pattern)) for rule in RULES]


@settings(max_examples=200, deadline=None)
@given(_line())
def test_guarded_rules_match_what_the_plain_rules_match(line):
    for rule, guarded_regex in _GUARDED:
        guarded = guarded_regex.match(line)
        plain = rule.regex.match(line)
        assert (guarded and guarded.span()) == (plain and plain.span()), rule.id


def test_every_positive_example_holds_a_key_of_its_rule():
    keys = _key_chars([r.pattern for r in RULES])
    for rule, key in zip(RULES, keys, strict=True):
        screens = _string_screens(rule.pattern)
        for ex in rule.positive:
            s = ex.strip()
            assert key is None or not key.isdisjoint(s), (rule.id, ex)
            if screens is not None:
                plain, folded = screens
                assert (plain and plain.search(s)) or (folded and folded.search(_fold(s))), (rule.id, ex)


_FOLD_ALPHABET = "aAiIkKsS \u0130\u0131\u017f\u212a\u0307\u03a3中の"


@given(st.text(alphabet=_FOLD_ALPHABET, max_size=12), st.text(alphabet="aiks ", min_size=1, max_size=3))
def test_a_string_re_finds_ignoring_case_is_in_the_fold(line, word):
    """The screens look for case-insensitive key strings in `_fold`: it may add finds, never lose one."""
    if re.search("(?i:" + re.escape(word) + ")", line):
        assert word in _fold(line), (line, _fold(line))


_WORD = st.text(alphabet="ab不代", min_size=1, max_size=4)


@given(st.lists(_WORD, min_size=1, max_size=8), st.text(alphabet="ab不代", max_size=10))
def test_any_of_finds_what_the_plain_alternation_finds(words, line):
    plain = re.compile("|".join(map(re.escape, words)))
    assert bool(re.search(_any_of(words), line)) == bool(plain.search(line))


def test_key_characters_of_simple_patterns():
    assert _key_chars(["(?:免责|免責)声明"]) == [frozenset("免")]
    assert _key_chars([".{0,30}?(?:下载|打开)APP"]) in ([frozenset("P")], [frozenset("A")])
    assert _key_chars([".*", "x?y*"]) == [None, None]
    assert _key_chars([r"\d+"])[0] >= set("0123456789٣\U0001d7d0")
    assert _key_chars(["(?i:k)"])[0] == frozenset("kK\u212a")


# Every rule alone, screened as in the whole set: a line it matches must get
# through its screens. Lines generated from its own pattern, and lines made of
# its pattern's literal runs (case swapped, mixed with other text).
_ALONE = {rule.id: RuleSet([rule]) for rule in RULES}


@st.composite
def _rule_and_line(draw):
    rule = draw(st.sampled_from(RULES))
    if draw(st.booleans()):
        anchored = re.compile(r"\A(?:" + rule.regex.pattern + ")")
        line = draw(st.from_regex(anchored, alphabet=st.characters(codec="utf-8")))
    else:
        runs = re.findall(r"(?:[^\\()\[\]{}|?*+.^$]|\\[^\w])+", rule.pattern) or [""]
        parts = draw(st.lists(st.sampled_from(runs) | st.text(max_size=3), max_size=4))
        line = "".join(part.replace("\\", "") for part in parts)
        if draw(st.booleans()):
            line = line.swapcase()
    return rule, line.strip()


def _passes_screens(rule, line):
    alone = _ALONE[rule.id]
    return alone._candidates(line, alone._fits) & 1 and alone._fires(0, line, []) is not None


@settings(max_examples=300, deadline=None)
@given(_rule_and_line())
def test_a_line_a_rule_matches_gets_through_its_screens(rule_and_line):
    rule, line = rule_and_line
    if rule.matches(line):
        assert _passes_screens(rule, line), (rule.id, line)


def test_every_positive_example_gets_through_the_screens_of_its_rule():
    for rule in RULES:
        for example in rule.positive:
            assert _passes_screens(rule, example.strip()), (rule.id, example)


def test_user_patterns_the_screens_do_not_read_are_still_tried(tmp_path):
    """Backreferences, flags other than i, verbose patterns: no key, no guard, the rule still fires."""
    patterns = [r"(ab)\1$", r"(?s:.{0,5}?xyz)", "(?x) q \\s* r $", r"(?a:\d+)\s*票$", "(?i:\u017fhare)"]
    body = "".join(
        f"[[rule]]\nid = \"odd-{i}\"\nfamily = \"promo\"\ndescription = \"d\"\npattern = '''{p}'''\n\n"
        for i, p in enumerate(patterns)
    )
    path = tmp_path / "odd.toml"
    path.write_text(body, encoding="utf-8")
    rules = load_rules(str(path), with_builtin=False)
    for line, expected in [
        ("abab", "odd-0"), ("12xyz", "odd-1"), ("q r", "odd-2"), ("12 票", "odd-3"),
        ("SHARE", "odd-4"), ("\u017fhare", "odd-4"), ("abac", None), ("١٢ 票", None),
    ]:
        chrome = rules.chrome_rule(line)
        assert (chrome and chrome.id) == expected, line


def test_a_rule_set_pickles_and_still_classifies():
    import pickle

    rules = load_rules()
    copy = pickle.loads(pickle.dumps(rules))
    for line in ("免责声明：本文仅供参考。", "责任编辑：王小明", "研究团队首次实现了逻辑比特的长时间相干。"):
        assert [r and r.id for r in copy.classify(line)] == [r and r.id for r in rules.classify(line)]

