"""Article metadata: byline, editor, date and source lines, read by the meta rules of strip-chrome."""

from __future__ import annotations

import re
from os import PathLike

from cleantext.filters.chrome import classify_lines
from cleantext.ruleset import RuleSet

__all__ = ["META_FIELDS", "extract_meta"]

META_FIELDS = ("author", "editor", "date", "source")

_DATE = re.compile(
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}(?:\s*日)?(?:\s*[(（][^)）]{1,3}[)）])?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
)


def extract_meta(text: str, *, rules: str | PathLike[str] | RuleSet | None = None) -> dict[str, str]:
    """The article's author, editor, date and source, where the text states them.

    Reads the lines that strip-chrome classifies as metadata (it keeps them
    unless ``drop_meta=True``) and returns the first value of each field
    found; a field that is absent is absent from the dict. Values are as
    written (dates are not parsed), so they can be checked against the text.

    When it is wrong: a name the byline pattern cannot delimit (a byline with
    no separator, or two authors joined by a space) comes back cut or joined;
    a source line inside the body is taken for an image credit and ignored.

    >>> page = ("量子计算迎来新突破\\n作者:张三\\n2023-06-01 08:00\\n来源:某某日报\\n"
    ...         "研究团队首次实现了逻辑比特的长时间相干。")
    >>> extract_meta(page)
    {'author': '张三', 'date': '2023-06-01 08:00', 'source': '某某日报'}
    """
    lines, _ = classify_lines(text, rules=rules)
    found: dict[str, str] = {}
    ruleset = rules if isinstance(rules, RuleSet) else None
    for line in lines:
        if line.meta is None or line.removed:
            continue
        candidates = [line.meta]
        if ruleset is None:
            from cleantext.ruleset import load_rules

            ruleset = load_rules(None if rules is None else str(rules))
        # One line may carry several fields: 来源:X 编辑:Y.
        candidates += [r for r in ruleset.rules if r.is_meta and r is not line.meta]
        for rule in candidates:
            if rule.field is None or rule.field in found or line.n > rule.max_length:
                continue
            m = rule.regex.search(line.text) if rule is not line.meta else rule.regex.match(line.text)
            if m is None:
                continue
            value = m.groupdict().get("value")
            if value is None and rule.field == "date":
                # A dateline with more on it (a time, a site name): keep the date and time.
                date = _DATE.search(line.text)
                value = date.group(0) if date else None
            if value:
                found[rule.field] = value.strip()
        if "date" not in found:
            m = _DATE.search(line.text)
            if m:
                found["date"] = m.group(0)
    return {k: found[k] for k in META_FIELDS if k in found}
