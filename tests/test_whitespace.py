"""normalize-whitespace: the fast path finds what the full pattern finds."""

import re

from hypothesis import example, given
from hypothesis import strategies as st

from cleantext.core import Edit, apply_edits
from cleantext.filters import whitespace


def _line_breaks_normalized(text):
    # What _whitespace_edits is given: find_line_ending_edits runs first.
    return apply_edits(text, whitespace.find_line_ending_edits(text))


# Pieces around which the gap rules decide: CJK on both sides, digits before
# date units, sentence punctuation that makes a line prose, and every kind of
# space and line break, so that both paths are taken.
_PIECES = ["中", "文", "コア", "の", "年", "月", "日", "件", "2025", "1", "a", "Z", "。", "，", ".", "!",
           " ", "  ", "\t", "\u3000", "\u00a0", "\n", "\n\n", "\n\n\n", " \n", "\u3000\n", "\t \n", "\r", "x "]
gap_text = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


@given(gap_text)
def test_fast_path_agrees_with_the_full_pattern(text):
    text = _line_breaks_normalized(text)
    full = whitespace._edits_for(text, whitespace._whitespace_matches(text))
    assert whitespace._whitespace_edits(text) == full


def test_fast_path_agrees_on_every_shape():
    # Runs of spaces, gaps next to line ends and digits, in prose and in headlines; blank runs with
    # spaces, at the start and at the end.
    for text in ["中  文。", "中 文", "コア データ。", "2025 年 1 月 31 日。", "2025  年。", "年 12 月。",
                 "中 a 文。\n文 中。", "1 件 2 人。", "中 \n文 字。", " \n\n中 文。  \n \t\n\n文 字。 ",
                 "中。\n\n", "中。\n \n", "\u3000\n中 文。\n\n\n", "中 \t\n文",
                 # Trailing spaces right before a blank run, on a blank line, and at the very end.
                 "中 \n \n\n文 \t", "\n\n 中  \n\t\n", "文。 \n\n\n", "a\n  \n\nb  ", " ", "\n", "中\n \t",
                 # A long blank run (its line breaks are skipped, not matched again) and gaps after it.
                 "中 文。\n" + " \n\t\n\n" * 20 + "中 文。 \n\n\n中 文。"]:
        text = _line_breaks_normalized(text)
        full = whitespace._edits_for(text, whitespace._whitespace_matches(text))
        assert whitespace._whitespace_edits(text) == full, text


def test_fast_path_is_taken_on_clean_prose():
    text = "DeepSeek はコア データベースを公開した。\n\n2025 年 1 月 31 日に更新された。\n"
    assert not whitespace._needs_slow_path(text)
    rules = [e.rule for e in whitespace._whitespace_edits(text)]
    assert rules == ["cjk-gap", "number-gap", "unit-gap", "number-gap", "unit-gap", "number-gap"]


def test_slow_path_characters_are_the_ones_the_fast_path_does_not_know():
    # Every space of the full pattern but " ", "\t" and "\u3000" sends text to it.
    import re

    spaces = re.compile(f"[{whitespace._SPACE}\u3000\n]")
    known = {" ", "\t", "\u3000", "\n"}
    expected = {chr(c) for c in range(0x3001) if spaces.match(chr(c))} - known
    assert set(whitespace._SLOW_PATH_CHARS) == expected


_ENDINGS = st.lists(st.sampled_from(["中", " ", "\r", "\n", "\r\n", "\r\r\n", "\x85", "\u2028", "\u2029", "。"]),
                    max_size=30).map("".join)


@given(_ENDINGS | gap_text)
def test_public_functions_apply_the_passes_one_after_the_other(text):
    # normalize_whitespace and normalize_unicode replace the line endings with str.replace and apply
    # each pass in turn; the composed edits over the input must give the same text.
    from cleantext.filters.unicode import find_unicode_edits, normalize_unicode

    assert whitespace._line_endings_normalized(text) == _line_breaks_normalized(text)
    assert whitespace.normalize_whitespace(text) == apply_edits(text, whitespace.find_whitespace_edits(text))
    assert normalize_unicode(text) == apply_edits(text, find_unicode_edits(text))


@given(gap_text)
def test_screened_full_pattern_finds_what_the_unscreened_one_finds(text):
    # The slow path tries the full pattern only where its screen stops; finditer tries it everywhere.
    text = _line_breaks_normalized(text)
    damage = whitespace._WHITESPACE_DAMAGE
    head = damage.match(text)
    if head is not None and head.lastgroup == "leading_blank":
        expected = [head] + [m for m in damage.finditer(text) if m.start() >= head.end()]
    else:
        expected = list(damage.finditer(text))
    found = list(whitespace._whitespace_matches(text))
    assert [(m.span(), m.lastgroup) for m in found] == [(m.span(), m.lastgroup) for m in expected]


_SPACE_CHARS = ["中", "a", " ", "\n", "\u3000", "\u00a0", "\u2000", "\u2005", "\u200a", "\u200b", "\u202f", "\u205f",
                "\u1fff", "\u2010"]
_SPACES = st.lists(st.sampled_from(_SPACE_CHARS), max_size=12).map("".join)


@given(_SPACES | gap_text)
def test_slow_path_check_finds_each_slow_path_character(text):
    assert whitespace._needs_slow_path(text) == any(ch in text for ch in whitespace._SLOW_PATH_CHARS)


@given(gap_text | _SPACES)
def test_space_gap_first_lookbehind_changes_no_match(text):
    # _SPACE_GAP without its first lookbehind, which only fails early what the branches would fail.
    without = re.compile(whitespace._SPACE_GAP.pattern.replace(f"(?<=[{whitespace._CJK_SIDE}0-9] )", "", 1))
    assert without.pattern != whitespace._SPACE_GAP.pattern
    spans = [(m.span(), m.lastgroup) for m in whitespace._SPACE_GAP.finditer(text)]
    assert spans == [(m.span(), m.lastgroup) for m in without.finditer(text)]


def _edits_for_every_line_read(text, matches):
    """_edits_for as first written: each line with a gap tested for prose and for kana at once."""
    edits = []
    line_end = -1
    prose = japanese = False
    content_end = len(text.rstrip())
    for m in matches:
        rule = m.lastgroup or ""
        start = m.start()
        if rule in whitespace._GAP_RULES:
            if start > line_end:
                line_start = text.rfind("\n", 0, start) + 1
                line_end = text.find("\n", start)
                line_end = len(text) if line_end < 0 else line_end
                line = text[line_start:line_end]
                prose = bool(whitespace._PROSE_MARK.search(line))
                japanese = bool(whitespace.HAS_KANA.search(line))
            if prose and (japanese or rule == "cjk_gap"):
                edits.append(Edit(start, m.end(), "", whitespace._RULE_IDS[rule]))
            continue
        if rule == "blank_lines":
            new = "\n" if m.end() >= content_end else "\n\n"
        else:
            new = " " if rule == "nbsp" else ""
        if new != m.group():
            edits.append(Edit(start, m.end(), new, whitespace._RULE_IDS[rule]))
    return edits


@given(gap_text)
@example("2025 年 1 月。\n中 文。\n2025 年 1 月のこと\n中 文")
def test_lines_are_read_only_where_they_decide(text):
    text = _line_breaks_normalized(text)
    expected = _edits_for_every_line_read(text, whitespace._whitespace_matches(text))
    assert whitespace._edits_for(text, whitespace._whitespace_matches(text)) == expected
    assert whitespace._whitespace_edits(text) == expected
