"""strip-chrome: remove what the site wrapped around the article, line by line.

Two kinds of evidence decide that a line is chrome:

* **rules**, data in ``cleantext/rules/*.toml`` (one file per language family,
  users add their own): a line that is a disclaimer, a share button, an image
  credit, an app promo... Each rule is anchored at the start of the line and
  capped in length, so a paragraph that quotes a disclaimer word survives.
* **structure**, what the layout says: chrome comes in blocks before the
  first body paragraph and after the last one; those blocks are runs of short
  lines without sentence punctuation; a line that repeats the title is a
  duplicate; a line that is the start of the next line is a teaser; the
  footer starts at the first rule hit after the last paragraph; short lines
  above it with dates or pictures between them are a list of other stories.

Every removal names its reason: the id of the rule (``disclaimer-zh``,
``related-header-zh-block`` for the lines under a header) or a structural id:
``head-block``, ``tail-block``, ``teaser``, ``dup-title``, ``dup-banner``,
``dup-prefix``, ``credit-in-body``.

A line of running prose of `PROTECTED_LENGTH` characters or more is never
removed by structure alone, only by a rule that matches it (or as the one
paragraph under a summary header such as ``文章摘要``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from os import PathLike

from cleantext.core import Edit, Filter, apply_edits
from cleantext.registry import register
from cleantext.ruleset import Rule, RuleSet, load_rules

__all__ = ["PROTECTED_LENGTH", "classify_lines", "find_chrome_edits", "strip_chrome"]

# A prose line this long is never removed by a structural signal alone.
PROTECTED_LENGTH = 80
# A body paragraph: prose at least this long anchors the head and the tail zones.
ANCHOR_LENGTH = 40
# Lines shorter than this without sentence punctuation are the stuff of menus and lists.
SHORT_LENGTH = 40
# A teaser of another story is shorter than this share of a typical body paragraph.
TEASER_SHARE = 0.6
TITLE_MAX = PROTECTED_LENGTH - 1
# Rule families that also occur between paragraphs, so they do not start a footer.
_INLINE_FAMILIES = frozenset({"caption", "noise", "wrapper"})

# Sentence punctuation: a line with none of it is a label, a link or a menu item.
# ASCII , and : count unless between digits (1,000; 13:24); a period only before a space or the end.
_PROSE = re.compile(r"[。！？；，、：…!?;]|[,:](?!\d)|\.(?:\s|$)")
# A sentence stop followed by more text: two sentences, which a title seldom has.
_INNER_STOP = re.compile(r"。(?=[^\s」』”\"'）)】!?！？。])")
# A full stop or a comma: a clause of running text rather than a headline.
_CLAUSE = re.compile(r"[。，；,;]|\.(?:\s|$)")
_FULL_DATE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")
_BULLET = re.compile(r"[•·●○◆◇■□▪‣※\-\*]\s*\S|\d{1,2}[.、)）]\s*\S")
_REFERENCE = re.compile(r"\[\d{1,3}\]")
_MARKERS = "※\uff0a*★☆▲△■□◆◇●○•·▶►→"  # \uff0a: fullwidth asterisk


@dataclass(slots=True)
class LineInfo:
    """One line of the input and what strip-chrome decided about it.

    The lines `classify_lines` returns are never blank (blank lines are not
    listed), which the passes below rely on: a neighbour is the next item.
    """

    start: int  # offset of the first character of the line
    end: int  # offset of the end of the line, before its newline
    text: str  # the line, stripped
    n: int  # len(text)
    lead: int = 0  # whitespace before `text` in the raw line
    chrome: Rule | None = None  # the chrome rule that fired
    meta: Rule | None = None  # the meta rule that fired (when no chrome rule did)
    verdict: str | None = None  # the rule id that removes the line, if any
    prose: bool = False
    kept_text: str | None = None  # the title left inside an unwrapped line
    # Computed once the rules have run (they depend on `prose`):
    label: bool = False  # `short_label`
    body: bool = False  # shaped like a body paragraph (see `_is_anchor`)

    @property
    def blank(self) -> bool:
        return not self.text

    @property
    def short_label(self) -> bool:
        """Short and without sentence punctuation: a menu item, a tag, a label."""
        return self.n < SHORT_LENGTH and not self.prose and not _REFERENCE.match(self.text)

    @property
    def removed(self) -> bool:
        return self.verdict is not None


def _ruleset(rules: str | PathLike[str] | RuleSet | None) -> RuleSet:
    if isinstance(rules, RuleSet):
        return rules
    return load_rules(None if rules is None else str(rules))


def _split(text: str) -> list[LineInfo]:
    """The lines with text in them: blank lines are transparent to every signal and never removed."""
    lines = []
    pos = 0
    for raw in text.split("\n"):
        end = pos + len(raw)
        stripped = raw.strip()
        if stripped:  # not blank
            lead = len(raw) - len(raw.lstrip()) if raw[0].isspace() else 0
            lines.append(LineInfo(pos, end, stripped, len(stripped), lead))
        pos = end + 1
    return lines


def _apply_rules(lines: list[LineInfo], ruleset: RuleSet, edits: list[Edit], text: str) -> None:
    may_unwrap = ruleset.may_unwrap(text)
    classify = ruleset.classify
    for line in lines:
        s = line.text
        unwrapped = ruleset.unwrap_match(s) if may_unwrap else None
        if unwrapped is not None:
            rule, m = unwrapped
            lead = line.start + line.lead
            k0, k1 = m.span("keep")
            if m.start() < k0:
                edits.append(Edit(lead + m.start(), lead + k0, "", rule.id))
            if k1 < m.end():
                edits.append(Edit(lead + k1, lead + m.end(), "", rule.id))
            line.kept_text = m.group("keep")
            s = line.kept_text
        # Most lines with text hold a 。 or a ，: `in` finds them far faster than the class scan.
        line.prose = prose = "。" in s or "，" in s or _PROSE.search(s) is not None
        chrome, meta = classify(s)
        if chrome is None and meta is None and s[:1] in _MARKERS:
            # A note mark or bullet in front of a notice: ※本文由作者授權刊登…
            chrome, meta = classify(s.lstrip(_MARKERS + " \u3000"))
        line.chrome, line.meta = chrome, meta
        if chrome is not None:
            line.verdict = chrome.id
        reference = line.text[0] == "[" and _REFERENCE.match(line.text) is not None
        line.label = line.n < SHORT_LENGTH and not prose and not reference
        line.body = (prose and line.n >= ANCHOR_LENGTH) or reference


def _nonblank(lines: list[LineInfo], start: int, step: int) -> int | None:
    # No line is blank (see LineInfo): the first line from `start` on is the one.
    return start if 0 <= start < len(lines) else None


def _mark_blocks(lines: list[LineInfo]) -> None:
    """Lines under a block header (related list, summary, table of contents) go with it."""
    headers = [i for i, line in enumerate(lines) if line.chrome is not None and line.chrome.block is not None]
    if not headers:
        return
    # Block lines are short, never paragraphs, so the first paragraph is known already.
    first_anchor = next((i for i, line in enumerate(lines) if _is_anchor(line)), len(lines))
    end = 0  # the lines before `end` are read already
    for i in headers:
        if i < end:
            continue
        rule = lines[i].chrome
        j = i + 1
        first = True
        after_body = i > first_anchor
        while j < len(lines):
            line = lines[j]
            if line.chrome is not None:
                j += 1
                continue
            bullet = bool(_BULLET.match(line.text))
            if rule.block == "summary" and first and line.prose and line.n <= 400:
                ok = True
            elif rule.block == "toc":
                ok = bullet
            elif rule.block == "summary":
                ok = bullet
            else:  # a list of other stories: short lines, list items, dates
                date = line.meta is not None and line.meta.id == "date-only"
                # Headlines of other stories, but not before the body, where the title is.
                ok = bullet or date or line.label or (after_body and _headline_like(line))
            if not ok:
                break
            line.verdict = f"{rule.id}-block"
            first = False
            j += 1
        end = j


def _headline_like(line: LineInfo) -> bool:
    """A short line with no full stop and no comma: the headline of another story."""
    return line.n < SHORT_LENGTH and not _CLAUSE.search(line.text)


def _starts_footer(line: LineInfo) -> bool:
    return line.chrome is not None and line.chrome.family not in _INLINE_FAMILIES


def _is_date(line: LineInfo) -> bool:
    return line.meta is not None and line.meta.id == "date-only"


def _footer_or_dateline(line: LineInfo) -> bool:
    return line.verdict is not None or line.meta is not None


def _is_anchor(line: LineInfo) -> bool:
    """A body paragraph: prose of `ANCHOR_LENGTH` or more, or a footnote, that no rule took."""
    return line.body and line.verdict is None and line.meta is None


def _doubled(lines: list[LineInfo], i: int) -> bool:
    """Whether line `i` is printed twice in a row (a banner, not a paragraph)."""
    if lines[i].n >= PROTECTED_LENGTH:
        return False
    # Lines already removed by a rule do not separate the two copies.
    text = lines[i].text
    j, k = _kept_neighbour(lines, i, 1), _kept_neighbour(lines, i, -1)
    return (j is not None and lines[j].text == text) or (k is not None and lines[k].text == text)


def _kept_neighbour(lines: list[LineInfo], i: int, step: int) -> int | None:
    i += step
    while 0 <= i < len(lines):
        if lines[i].verdict is None:
            return i
        i += step
    return None


def _title_text(line: LineInfo) -> str:
    return line.kept_text if line.kept_text is not None else line.text


def _choose_title(lines: list[LineInfo], first_anchor: int) -> int | None:
    """The longest title-like line before the first paragraph; else the first paragraph itself.

    Title-like: 4 to `TITLE_MAX` characters, one sentence at most, not ending
    in a full stop. The first paragraph is the title only when nothing before
    it qualifies (a page that starts with its headline as a sentence).
    """
    best = None
    for i in range(min(first_anchor, len(lines))):
        line = lines[i]
        if line.verdict is not None or line.meta is not None:
            continue
        title = _title_text(line)
        if not 4 <= len(title) <= TITLE_MAX or _INNER_STOP.search(title) or _REFERENCE.match(title):
            continue
        if title.endswith("。") or _FULL_DATE.search(title):
            continue
        # A label wedged between two chrome lines is a button or a menu item.
        above, below = _nonblank(lines, i - 1, -1), _nonblank(lines, i + 1, 1)
        wedged = above is not None and below is not None and lines[above].removed and lines[below].removed
        if wedged and not line.prose:
            continue
        if best is None or len(title) > len(_title_text(lines[best])):
            best = i
    if best is None and first_anchor < len(lines):
        title = _title_text(lines[first_anchor])
        if len(title) <= TITLE_MAX and not _INNER_STOP.search(title):
            best = first_anchor
    return best


def _mark_head(lines: list[LineInfo], first_anchor: int, title: int | None) -> None:
    """Before the first body paragraph: menus, doubled banners, stray labels."""
    # A line printed twice in a row before the title is a banner (the title's
    # own second copy is handled as a duplicated title).
    for i in range(first_anchor):
        j = _nonblank(lines, i + 1, 1)
        if j is None or j >= first_anchor or i == title or j == title:
            continue
        a, b = lines[i], lines[j]
        if (
            (title is None or i < title)
            and not a.removed
            and a.meta is None
            and a.text == b.text
            and a.n < PROTECTED_LENGTH
        ):
            a.verdict = b.verdict = "dup-banner"
    # Runs of short labels; chrome and blank lines inside a run do not break it.
    runs: list[list[int]] = []
    current: list[int] = []
    for i in range(first_anchor):
        line = lines[i]
        if line.verdict is not None:
            continue
        if i != title and line.meta is None and line.label:
            current.append(i)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    def header_side(k: int | None) -> bool:
        return k is None or lines[k].removed or lines[k].meta is not None

    for run in runs:
        above, below = _nonblank(lines, run[0] - 1, -1), _nonblank(lines, run[-1] + 1, 1)
        if len(run) >= 2:
            # Before the title a run of labels is a menu. After it, it can be the
            # article's own list (ingredients, a glossary) when text stands on
            # both sides; next to chrome or a byline it is a button row.
            after_title = title is not None and run[0] > title
            if not after_title or header_side(above) or header_side(below):
                for i in run:
                    lines[i].verdict = "head-block"
            continue
        # A lone label under the title or over the text is a kicker or a heading.
        over_text = below is not None and not lines[below].removed and lines[below].meta is None
        if above != title and not over_text:
            lines[run[0]].verdict = "head-block"


def _mark_duplicates(lines: list[LineInfo], title: int | None) -> None:
    if title is not None:
        t = _title_text(lines[title])
        long_title = len(t) >= 8
        for line in lines[title + 1 :]:
            if line.verdict is not None:
                continue
            s = line.text if line.kept_text is None else line.kept_text  # `_title_text`, on every line
            if s == t or (
                long_title and line.n < PROTECTED_LENGTH and t in s and "。" not in s.replace(t, "")
            ):
                line.verdict = "dup-title"


def _mark_prefixes(lines: list[LineInfo]) -> None:
    """A short line that is the beginning of the next one: a teaser of the paragraph."""
    last = len(lines) - 1
    for i, line in enumerate(lines):
        if line.verdict is not None or not 10 <= line.n < SHORT_LENGTH or i == last:
            continue
        after = lines[i + 1]
        if after.n > line.n + 5 and after.text.startswith(line.text):
            line.verdict = "dup-prefix"


def _median(values: list[int]) -> float:
    """`statistics.median`, without importing `statistics` (a hundredth of a second at start-up)."""
    ordered = sorted(values)
    half = len(ordered) // 2
    return ordered[half] if len(ordered) % 2 else (ordered[half - 1] + ordered[half]) / 2


def _mark_tail(lines: list[LineInfo], last_anchor: int, title: int | None, anchor_median: float) -> None:
    """After the last body paragraph: the footer, and the list of other stories above it.

    The footer starts at the first line after the last paragraph that a rule
    removes: below it every short line goes (asks, buttons, teasers); above
    it, the labels that lead into it. The article's own closing lines, short
    sentences between the last paragraph and the footer, stay. Without any
    rule evidence, only a run of three or more labels at the very end goes.
    """
    tail = list(range(last_anchor + 1, len(lines)))
    # An image credit or a stray symbol can sit between the last paragraphs; a footer starts otherwise.
    footer = next((i for i in tail if _starts_footer(lines[i])), None)
    has_rule = any(lines[i].chrome is not None for i in tail)
    if footer is not None:
        dates = [i for i in tail if i > footer and _is_date(lines[i])]
        for i in tail:
            line = lines[i]
            if i > footer and not line.removed and line.meta is None and i != title:
                line.verdict = "tail-block"
        if len(dates) >= 2:  # the dates of a list of other stories
            for i in dates:
                lines[i].verdict = "tail-block"
        top = footer
        lead_in: list[int] = []
        for i in reversed([k for k in tail if k < footer]):
            line = lines[i]
            if line.removed:
                continue
            if not (line.label or _headline_like(line)) or line.meta is not None or i == title:
                break
            lead_in.append(i)
        # Labels lead into the footer; headlines only as a list under a label
        # (a closing question such as 你怎么看？ alone stays).
        if len(lead_in) >= 2 and lines[lead_in[-1]].label:
            chosen = lead_in
        else:
            chosen = []
            for i in lead_in:
                if not lines[i].label:
                    break
                chosen.append(i)
        for i in chosen:
            lines[i].verdict = "tail-block"
            top = i
    else:
        # No rule fired: a footer is a stretch at the end that is three quarters
        # labels (at least three) and where nothing is longer than a short line.
        block = []
        labels = 0
        start = None
        for i in reversed(tail):
            line = lines[i]
            if line.removed or line.meta is not None:
                continue
            if i == title or line.n >= SHORT_LENGTH:
                break
            block.append(i)
            labels += line.label
            if line.label and labels >= 3 and 4 * labels >= 3 * len(block):
                start = len(block)
        block = block[:start] if start else []
        for i in block:
            lines[i].verdict = "tail-block"
        if block:
            top = block[-1]
        else:  # above the chrome and the datelines that end the page
            top = len(lines)
            while top > 0 and _footer_or_dateline(lines[top - 1]):
                top -= 1
    # Teasers of other stories: short lines (with their dates or pictures) just
    # above the footer, much shorter than the article's paragraphs. A byline
    # between them and the footer marks them as the article's own last lines.
    i = top - 1
    while i >= 0 and lines[i].verdict is not None:
        i -= 1
    below = _nonblank(lines, i + 1, 1)
    if below is not None and lines[below].meta is not None and lines[below].meta.id != "date-only":
        return
    limit = min(PROTECTED_LENGTH, TEASER_SHARE * anchor_median)
    found: list[int] = []
    teasers = dated = pictures = 0
    picture_pending = False
    j = i
    while j >= 0 and j != title:
        line = lines[j]
        if line.verdict is not None:
            if line.chrome is not None and (line.chrome.block == "list" or line.chrome.family == "related"):
                break  # the header of the list: what is above it is not in the list
            if line.chrome is not None and line.chrome.family == "caption" and found:
                picture_pending = True
            j -= 1
            continue
        if line.meta is not None:
            if line.meta.id != "date-only":
                break
            dated += 1
        elif line.n < limit and not _REFERENCE.match(line.text) and not line.text.endswith((":", "：")):
            teasers += 1
        else:
            break
        if picture_pending:  # a picture between two of them: teaser cards with thumbnails
            pictures += 1
            picture_pending = False
        found.append(j)
        j -= 1
    # Short closing paragraphs look the same, so a list of stories needs its
    # own evidence: dates, or pictures between the items.
    if teasers >= 3 and has_rule and (dated >= 2 or pictures >= 1):
        for k in found:
            lines[k].verdict = "teaser"


def classify_lines(
    text: str, *, rules: str | PathLike[str] | RuleSet | None = None, drop_meta: bool = False
) -> tuple[list[LineInfo], list[Edit]]:
    """Every line of `text` with its verdict, and the in-line edits (unwrapped titles).

    The analysis behind `strip_chrome` and `extract_meta`.
    """
    ruleset = _ruleset(rules)
    lines = _split(text)
    inline: list[Edit] = []
    _apply_rules(lines, ruleset, inline, text)
    if drop_meta:
        for line in lines:
            if line.meta is not None and not line.removed:
                line.verdict = line.meta.id
    _mark_blocks(lines)
    # Structure is read again on what is left until nothing more goes, so that
    # the output is a fixed point: running the filter twice changes nothing.
    # The first reading sees the rule-removed lines as context; later ones see
    # exactly what a second run of the filter would see.
    view = lines
    for _ in range(_MAX_READINGS):
        _mark_structure(view)
        left = [line for line in view if line.verdict is None]
        if len(left) == len(view):
            break
        view = left
    if inline:  # a line removed whole needs no in-line edit
        removed_at = {ln.start for ln in lines if ln.verdict is not None}
        line_starts = [ln.start for ln in lines]
        inline = [e for e in inline if line_starts[bisect_right(line_starts, e.start) - 1] not in removed_at]
    return lines, inline


_MAX_READINGS = 6


def _mark_structure(lines: list[LineInfo]) -> None:
    # `_is_anchor`, spelled out: this runs on every line, twice or more.
    anchors = [
        i
        for i, line in enumerate(lines)
        if line.body
        and line.verdict is None
        and line.meta is None
        and not (line.n < PROTECTED_LENGTH and _doubled(lines, i))
    ]
    if not anchors:
        # No body paragraph: a poem, a word list, a table, a page of short
        # lines. There is no head or tail to speak of; only rules apply.
        return
    first_anchor, last_anchor = anchors[0], anchors[-1]
    anchor_median = _median([lines[i].n for i in anchors])
    _mark_prefixes(lines)
    title = _choose_title(lines, first_anchor)
    _mark_head(lines, first_anchor, title)
    _mark_duplicates(lines, title)
    _mark_tail(lines, last_anchor, title, anchor_median)
    # Inside the body a short source line is an image credit, not the article's source.
    for line in lines[first_anchor + 1 : last_anchor]:
        if line.meta is not None and line.meta.field == "source" and line.n < 30 and not line.removed:
            line.verdict = "credit-in-body"


def find_chrome_edits(
    text: str, *, rules: str | PathLike[str] | RuleSet | None = None, drop_meta: bool = False
) -> list[Edit]:
    lines, inline = classify_lines(text, rules=rules, drop_meta=drop_meta)
    size = len(text)
    # A removed line takes its newline with it; the last line has none.
    edits = [
        Edit(line.start, line.end + 1 if line.end < size else line.end, "", line.verdict)
        for line in lines
        if line.verdict is not None
    ]
    if inline:  # the lines are in order; the in-line edits go between them
        edits = inline + edits
        edits.sort(key=lambda e: (e.start, e.end))
    return edits


def strip_chrome(
    text: str, *, rules: str | PathLike[str] | RuleSet | None = None, drop_meta: bool = False
) -> str:
    """Remove site chrome: menus, share bars, disclaimers, credits, promos, teasers, duplicated titles.

    Scraped article text carries the site around the article: navigation and
    breadcrumbs, share and like counters, disclaimers and copyright lines,
    image credits and machine alt-text, app and QR-code promos, lists of
    related stories, tag lists, stock tickers, banner greetings, the title
    printed twice. This filter removes those lines (and the content-farm
    wrapper around a title, ``今天小编分享的…:TITLE,欢迎阅读。``), and
    keeps metadata lines (byline, date, source) unless ``drop_meta=True``.

    It decides with rules (data files under ``cleantext/rules/``; pass your
    own file as ``rules="my.toml"``) and with the layout: chrome sits in
    blocks before the first and after the last body paragraph. A line of
    prose `PROTECTED_LENGTH` characters or longer is removed only by a rule.

    When it is wrong: an article that is itself a list of short lines (a
    poem, a table, a glossary) before its first paragraph can lose lines to
    the head rule; a page whose last paragraphs are all short, followed by a
    footer with a disclaimer, can lose them as teasers. Use
    ``explain`` to see which rule removed each line.

    >>> page = ("首页 > 科技 > 正文\\n量子计算迎来新突破\\n量子计算迎来新突破\\n"
    ...         "研究团队首次实现了逻辑比特的长时间相干，"
    ...         "这一结果发表在最新一期的物理学期刊上，引起同行关注。\\n"
    ...         "点赞 12\\n免责声明：本文仅供参考。")
    >>> print(strip_chrome(page))
    量子计算迎来新突破
    研究团队首次实现了逻辑比特的长时间相干，这一结果发表在最新一期的物理学期刊上，引起同行关注。
    <BLANKLINE>
    """
    return apply_edits(text, find_chrome_edits(text, rules=rules, drop_meta=drop_meta))


register(Filter("strip-chrome", strip_chrome, find_chrome_edits, deletes_only=True))
