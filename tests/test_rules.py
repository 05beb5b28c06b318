"""Every rule of every rule file: well formed, and its own examples hold."""

import re

import pytest

from cleantext.ruleset import BUILTIN_RULE_FILES, builtin_rules, load_rules

RULES = builtin_rules()
FAMILIES = {
    "noise", "share", "navigation", "ads", "copyright", "disclaimer", "caption", "related", "ticker",
    "meta", "translation", "promo", "tags", "greeting", "wrapper",
}


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
