"""normalize-whitespace: line endings, stray spaces, blank runs, machine-translation gaps."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cleantext.core import Edit, Filter, apply_edits, chain_edits
from cleantext.patterns import CJK_PUNCT, HAN_KANA, HAS_KANA, range_pattern, screened_finditer
from cleantext.registry import register

__all__ = ["normalize_whitespace"]

_LINE_ENDING = re.compile("\r\n|[\r\x85\u2028\u2029]")

# Spaces other than the ideographic one, which CJK typesetting uses on purpose.
_SPACE = " \t\u00a0\u2000-\u200a\u202f\u205f"
_GAP_SPACE = " \u00a0\u2000-\u200a\u202f\u205f"
_CJK_SIDE = HAN_KANA + CJK_PUNCT.replace("\u3000-", "\u3001-")

_WHITESPACE_DAMAGE = re.compile(
    # Leading blank lines of the document.
    f"(?P<leading_blank>\\A(?:[{_SPACE}\u3000]*\n)+)"
    # Whitespace at the end of a line or of the text.
    f"|(?P<trailing_space>[{_SPACE}\u3000]+(?=\n|\\Z))"
    # Two or more blank lines (possibly holding spaces) become one; at the end of the text, none.
    f"|(?P<blank_lines>\n(?:[{_SPACE}\u3000]*\n)+)"
    # A space between two CJK characters: decided per line, see _keep_gap.
    f"|(?P<cjk_gap>(?<=[{_CJK_SIDE}])[{_GAP_SPACE}]+(?=[{_CJK_SIDE}]))"
    # A space between a number and a date or counter unit, in Japanese lines: 2025 年 1 月.
    f"|(?P<number_gap>(?<=[0-9])[{_GAP_SPACE}](?=[年月日時分秒万億兆件人円回個歳]))"
    f"|(?P<unit_gap>(?<=[年月])[{_GAP_SPACE}](?=[0-9]+[{_GAP_SPACE}]?[月日]))"
    # No-break and typographic spaces become plain spaces.
    f"|(?P<nbsp>[\u00a0\u2000-\u200a\u202f\u205f])"
)

# Every match above begins with a space, or with a line break before a space or
# another line break (or at the start of the text). One class first, so that
# `re` scans for it in C, and the line breaks of plain lines are not stopped at.
_WHITESPACE_SCREEN = re.compile(f"[{_SPACE}\u3000\n](?:(?<=[{_SPACE}\u3000])|(?=[{_SPACE}\u3000\n]))")

# A sentence stop marks a line as running prose, where a space between CJK
# characters is damage (machine translation, word segmentation) rather than a
# separator as in a headline or a list of names. Commas, enumeration commas and
# colons do not: headlines have them too (天文台：今年首個寒潮下周襲港 最低氣溫或跌至8度,
# 首相、衆院解散を表明 来月投開票). One character class first, so that `re` scans
# for it at C speed.
_PROSE_MARK = re.compile("[。！？；.!?;](?:(?<=[。！？；])|(?=[ \n]|\\Z))")


def _whitespace_matches(text: str) -> Iterator[re.Match[str]]:
    # Leading blank lines are the one match that may begin at the first character.
    head = _WHITESPACE_DAMAGE.match(text)
    if head is not None and head.lastgroup == "leading_blank":
        yield head
        rest = screened_finditer(_WHITESPACE_SCREEN, _WHITESPACE_DAMAGE, text)
        yield from (m for m in rest if m.start() >= head.end())
    else:
        yield from screened_finditer(_WHITESPACE_SCREEN, _WHITESPACE_DAMAGE, text)


_RULE_IDS = {name: name.replace("_", "-") for name in _WHITESPACE_DAMAGE.groupindex}
_GAP_RULES = frozenset(("cjk_gap", "number_gap", "unit_gap"))

# The fast path, for text with plain spaces and "\n" line breaks only (most
# text; `_SLOW_PATH_CHARS` sends the rest to the full pattern; other line
# breaks are gone, `find_line_ending_edits` runs first). One scan with
# the alternation above tries every branch, lookbehinds included, at every
# space and line break; a pattern that begins with a literal is scanned at
# memchr speed. So the rules are found by literal-first patterns, one for the
# spaces and one for the line breaks, and the matches are merged in order of
# position, dropping those inside an earlier one (spaces on a blank line belong
# to its blank run): the matches one scan with the alternation gives
# (tests/test_whitespace.py checks).
_SLOW_PATH_CHARS = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
_SLOW_PATH_RUN = "\u2000-\u200a"
# The gap rules, space first.
# The first lookbehind holds the characters of the three after it: most spaces
# (between Latin words, after punctuation) fail it at once, and it changes no match.
_SPACE_GAP = re.compile(
    f" (?<=[{_CJK_SIDE}0-9] )(?:(?<=[{_CJK_SIDE}] )(?P<cjk_gap> *)(?=[{_CJK_SIDE}])"
    "|(?<=[0-9] )(?P<number_gap>)(?=[年月日時分秒万億兆件人円回個歳])"
    "|(?<=[年月] )(?P<unit_gap>)(?=[0-9]+ ?[月日]))"
)
_S = " \t\u3000"
_LEADING_BLANK = re.compile(f"(?P<leading_blank>(?:[{_S}]*\n)+)")
# A paragraph break ("\n\n") is left as it is, so only the blank runs that change are matched:
# one with spaces, two or more blank lines, or one at the end of the text.
_BLANK_LINES = re.compile(f"(?P<blank_lines>\n(?=[{_S}]|\n[{_S}]*\n|\n[{_S}]*\\Z)(?:[{_S}]*\n)+)")
# The line breaks where a rule may apply: after a space (trailing space), or
# where `_BLANK_LINES` may begin. Literal first, so scanned at memchr speed.
_BUSY_LINE_END = re.compile(f"\n(?:(?<=[{_S}]\n)|(?=[{_S}]|\n[{_S}]*\n|\n[{_S}]*\\Z))")
_TRAILING_SPACE = re.compile(f"(?P<trailing_space>[{_S}]+)(?=\n|\\Z)")


def _needs_slow_path(text: str) -> bool:
    """Whether `text` holds a character of `_SLOW_PATH_CHARS`."""
    # One `in` per character outside the run U+2000-U+200A, and one scan for the run,
    # each several times faster than one scan for the class (see `range_pattern`).
    return (
        "\u00a0" in text
        or "\u202f" in text
        or "\u205f" in text
        or range_pattern(_SLOW_PATH_RUN).search(text) is not None
    )


def _plain_space_matches(text: str) -> Iterator[re.Match[str]]:
    end = 0
    head = _LEADING_BLANK.match(text)
    if head is not None:
        end = head.end()
        yield head
    # Both streams are in order of position: merged as they come (a text with many
    # gaps would otherwise hold all their matches at once), a line end first on a tie.
    line_ends = _line_end_matches(text, end)
    line_end = next(line_ends, None)
    for gap in _SPACE_GAP.finditer(text, end):
        gap_start = gap.start()
        while line_end is not None and line_end.start() <= gap_start:
            if line_end.start() >= end:
                end = line_end.end()
                yield line_end
            line_end = next(line_ends, None)
        if gap_start >= end:
            end = gap.end()
            yield gap
    while line_end is not None:
        if line_end.start() >= end:
            end = line_end.end()
            yield line_end
        line_end = next(line_ends, None)


def _line_end_matches(text: str, pos: int) -> Iterator[re.Match[str]]:
    """The matches of `_BLANK_LINES` and of `_TRAILING_SPACE` from `pos` on, in order of position.

    Some may lie inside an earlier one; `_plain_space_matches` drops those. The
    line breaks inside a blank run are skipped (whatever starts there is dropped),
    so that a long run is matched once, not once per line.
    """
    search = _BUSY_LINE_END.search
    hit = search(text, pos)
    while hit is not None:
        line_end = hit.start()
        if line_end > pos and text[line_end - 1] in _S:
            yield _trailing_space_before(text, line_end, pos)
        blank = _BLANK_LINES.match(text, line_end)
        if blank is not None:
            yield blank
            hit = search(text, blank.end())
        else:
            hit = search(text, line_end + 1)
    if text.endswith((" ", "\t", "\u3000")):
        yield _trailing_space_before(text, len(text), pos)


def _trailing_space_before(text: str, line_end: int, pos: int) -> re.Match[str]:
    start = line_end - 1
    while start > pos and text[start - 1] in _S:
        start -= 1
    return _TRAILING_SPACE.match(text, start)  # type: ignore[return-value]


def _whitespace_edits(text: str) -> list[Edit]:
    """The edits after the line endings: `text` breaks lines with "\n" only."""
    if _needs_slow_path(text):
        matches = _whitespace_matches(text)
    else:
        matches = _plain_space_matches(text)
    return _edits_for(text, matches)


def _edits_for(text: str, matches: Iterator[re.Match[str]]) -> list[Edit]:
    edits = []
    append = edits.append
    line_end = -1  # the end of the line the last gap was in
    line = ""
    prose: bool | None = None  # that line's kind, each read when it first decides a gap
    japanese: bool | None = None
    content_end = len(text.rstrip())
    for m in matches:
        rule = m.lastgroup or ""
        start = m.start()
        if rule in _GAP_RULES:
            if start > line_end:  # a new line
                line_start = text.rfind("\n", 0, start) + 1
                line_end = text.find("\n", start)
                line_end = len(text) if line_end < 0 else line_end
                line = text[line_start:line_end]
                prose = japanese = None
            # A gap goes in prose, a number or unit gap in Japanese prose only. Each test reads the
            # line, so it is made once per line, and not at all where the other one has decided.
            if rule != "cjk_gap":
                if japanese is None:
                    japanese = bool(HAS_KANA.search(line))
                if not japanese:
                    continue
            if prose is None:
                prose = bool(_PROSE_MARK.search(line))
            if prose:
                append(Edit(start, m.end(), "", _RULE_IDS[rule]))
            continue
        if rule == "blank_lines":
            # At the end of the text only the final newline stays.
            new = "\n" if m.end() >= content_end else "\n\n"
        elif rule == "nbsp":
            new = " "
        else:
            new = ""
        if new != m.group():
            append(Edit(start, m.end(), new, _RULE_IDS[rule]))
    return edits


def find_line_ending_edits(text: str) -> list[Edit]:
    """``\r\n``, ``\r``, NEL, LS and PS as ``\n``: shared with normalize-unicode, which runs before the line filters."""
    if "\r" not in text and "\x85" not in text and "\u2028" not in text and "\u2029" not in text:
        return []
    return [Edit(m.start(), m.end(), "\n", "line-ending") for m in _LINE_ENDING.finditer(text)]


def _line_endings_normalized(text: str) -> str:
    """``apply_edits(text, find_line_ending_edits(text))``, by `str.replace` in C.

    The public functions need only the text, not edits composed over the
    input, and a text with CR LF line breaks has one edit per line.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for ending in "\x85\u2028\u2029":
        if ending in text:
            text = text.replace(ending, "\n")
    return text


def find_whitespace_edits(text: str) -> list[Edit]:
    return chain_edits(text, find_line_ending_edits, _whitespace_edits)


def normalize_whitespace(text: str) -> str:
    r"""Tidy whitespace: line endings, trailing spaces, blank runs, NBSP, and machine-translation gaps.

    Line endings become ``\n``; spaces at the end of a line go; a run of blank
    lines becomes one blank line (leading and trailing blank lines go, a final
    newline stays); no-break and typographic spaces become plain spaces.

    Machine translation and word segmentation leave spaces between CJK
    characters (``コア データベース``, ``2025 年 1 月 31 日``). In a line of
    running prose (one with a sentence stop: 。！？；) a space between two CJK
    characters is removed, and in Japanese prose also a space between a number
    and a date or counter unit. Spaces between CJK and Latin text, inside Latin
    text, and the ideographic space U+3000 are kept.

    When it is wrong: a headline or a list line without a sentence stop
    keeps its spaces, since there a space often separates two clauses
    (``天文台：今年首個寒潮下周襲港 最低氣溫或跌至8度``), and so does a line of
    damaged prose cut before its stop; Chinese text spaced in the pangu style
    around numbers (``今年 6 月``) keeps that style.

    >>> normalize_whitespace("DeepSeek はコア データベースを公開した。\r\n\r\n\r\n2025 年 1 月 31 日 更新されました。  ")
    'DeepSeek はコアデータベースを公開した。\n\n2025年1月31日更新されました。'
    """
    # The passes of find_whitespace_edits, applied one after the other.
    text = _line_endings_normalized(text)
    return apply_edits(text, _whitespace_edits(text))


register(Filter("normalize-whitespace", normalize_whitespace, find_whitespace_edits))
