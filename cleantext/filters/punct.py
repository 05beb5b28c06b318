"""normalize-punct and space-cjk: CJK punctuation and CJK/Latin spacing.

`normalize_punctuation` gives CJK text back the fullwidth marks that NFKC or a
careless converter flattened to ASCII; `space_cjk` puts spaces between CJK and
Latin letters or digits (opt-in style, as pangu and autocorrect do).

How a mark is judged: every character falls in one class of a table built
once per process (CJK letter, CJK punctuation, Latin letter, digit, space,
line break, a quote or bracket that context looks through, other). A mark is
judged by its nearest neighbours on the same line, looking through quotes,
ASCII parentheses, ``%`` and ``]`` to the first character that says
something. Everything is decided line by line: a line without CJK characters
is never touched.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from functools import lru_cache

from cleantext.core import Edit, Filter, apply_edits
from cleantext.patterns import CJK_PUNCT, HAN, HANGUL, KANA, lazy_compile
from cleantext.registry import register

__all__ = [
    "PUNCT_REPLACED",
    "PUNCT_SET",
    "find_cjk_space_edits",
    "find_punct_edits",
    "normalize_punctuation",
    "space_cjk",
]

# The characters normalize-punct may replace (PUNCT_REPLACED: ASCII marks, and 。 in
# an ellipsis 。。。) and the ones it may write (PUNCT_SET). Nothing else ever changes.
PUNCT_REPLACED = frozenset(',:;?!()".-。')
PUNCT_SET = frozenset("，：；？！（）“”「」…—")

_MARK_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}

# Character classes.
OTHER, CJK_LETTER, CJK_MARK, LATIN, DIGIT, SPACE, BREAK = 0, 1, 2, 3, 4, 5, 6
ASCII_MARK, FULL_MARK, ASCII_QUOTE, CURLY_QUOTE, CORNER_QUOTE = 7, 8, 9, 10, 11
ASCII_PAREN, FULL_PAREN, SEE_THROUGH = 12, 13, 14

# Classes that count as CJK context once a mark looks at them.
_CJKISH = frozenset((CJK_LETTER, CJK_MARK, FULL_MARK, CORNER_QUOTE, FULL_PAREN))
# Classes a mark looks through to find the character that decides.
# Marks of both widths too, so that a verdict never depends on whether a neighbouring mark
# has been converted yet.
_LOOK_THROUGH = frozenset((ASCII_QUOTE, CURLY_QUOTE, ASCII_PAREN, SEE_THROUGH, ASCII_MARK, FULL_MARK))
_LOOK_LIMIT = 6


def _expand(spec: str) -> list[tuple[int, int]]:
    """``"a-cx"`` (a regex class body) as inclusive code point ranges."""
    ranges = []
    i = 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            ranges.append((ord(spec[i]), ord(spec[i + 2])))
            i += 3
        else:
            ranges.append((ord(spec[i]), ord(spec[i])))
            i += 1
    return ranges


@lru_cache(maxsize=1)
def _class_table() -> bytes:
    """One byte per code point: its class. Later assignments override earlier ones."""
    table = bytearray(0x110000)

    def put(spec: str, cls: int) -> None:
        for lo, hi in _expand(spec):
            table[lo : hi + 1] = bytes((cls,)) * (hi - lo + 1)

    put(CJK_PUNCT, CJK_MARK)
    put(HAN + KANA, CJK_LETTER)
    put("\u30fb", CJK_MARK)  # katakana middle dot: punctuation, and part of kaomoji
    put("\uff10-\uff19\uff21-\uff3a\uff41-\uff5a", CJK_LETTER)  # fullwidth alnum: typeset as CJK
    # Latin, Greek, Cyrillic letters and hangul: text that uses ASCII punctuation.
    put(
        "A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u1e00-\u1eff",
        LATIN,
    )
    put(HANGUL, LATIN)
    put("0-9", DIGIT)
    put(" \t\u00a0\u2000-\u200a\u202f\u205f\u3000", SPACE)
    put("\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029", BREAK)
    put(",:;?!", ASCII_MARK)
    put("，：；？！", FULL_MARK)
    put('"', ASCII_QUOTE)
    put("'\u2018\u2019\u201c\u201d", CURLY_QUOTE)
    put("「」『』﹁﹂﹃﹄", CORNER_QUOTE)
    put("()", ASCII_PAREN)
    put("（）", FULL_PAREN)
    put("%]*", SEE_THROUGH)
    return bytes(table)


def _class_chars(classes: tuple[int, ...]) -> str:
    """A regex class body for the characters of `classes` (BMP, plus the supplementary ideographs)."""
    table = _class_table()
    ranges: list[list[int]] = []
    for cp in range(0x80, 0x10000):
        if table[cp] in classes:
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    body = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges
    )
    return body + ("\U00020000-\U0003134f" if CJK_LETTER in classes else "")


_KANA_LETTER = re.compile("[\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff\uff66-\uff9d]")
_CJK_LETTER_RE = lazy_compile(f"[{HAN}{KANA}]")
_LATIN_WORD = re.compile("[A-Za-z]+")
_HAS_CJK_LINE = lazy_compile(f"[{HAN}{KANA}{CJK_PUNCT}]")

# What normalize-punct looks at: runs of ASCII marks, parentheses and quotes of
# both widths, ellipses, a double hyphen.
# A mark right after a CJK character and before CJK or an ASCII letter or digit is CJK,
# whatever else the line holds (the judge below would say the same: see _Line.mark_context).
# Such easy marks are most marks in CJK text and are found at C speed; a run of two marks
# is never easy. Inline code and HTML tags may hold CJK and must be left alone, so in a text
# with a backtick or a "<" every mark goes to the judge.
# CJK characters that decide by themselves: not the fullwidth marks, which the judge looks
# through (a mark never decides for its neighbour, so conversions cannot cascade).
_MarkPatterns = tuple[tuple[str, re.Pattern[str]], ...]


@lru_cache(maxsize=1)
def _mark_patterns() -> tuple[_MarkPatterns, _MarkPatterns]:
    """(easy, hard): per mark, the pattern of its easy and of its other occurrences.

    Built on first use, not at import: the classes are large (a tenth of a
    second to build and compile) and normalize-punct is not in the default pipeline.
    """
    cjk_before = _class_chars((CJK_LETTER, CJK_MARK, CORNER_QUOTE, FULL_PAREN))
    cjk_or_alnum = cjk_before + "A-Za-z0-9"
    easy_tail = (
        f'(?:(?<=[{cjk_before}].)|(?<=[{cjk_before}]["\u201d\u2019].))(?=["\u201c\u2018]?[{cjk_or_alnum}])'
    )
    # One pattern per mark: a literal first character scans fast, and a fixed replacement
    # needs no callback. Replacing one mark never makes another easy (neither width of a
    # mark is in the classes around an easy mark), so the order does not matter.
    easy = tuple((mark, re.compile(re.escape(mark) + easy_tail)) for mark in ",:;?!")
    # Python's re scans fast for a literal first character and slowly for a character class,
    # so every scan below starts with one literal character.
    hard = tuple(
        (
            mark,
            re.compile(
                re.escape(mark)
                + f'(?:(?<![{cjk_before}].)(?<![{cjk_before}]["\u201d\u2019].)'
                + f'|(?!["\u201c\u2018]?[{cjk_or_alnum}]))'
            ),
        )
        for mark in ",:;?!"
    )
    return easy, hard


_LITERAL = {ch: re.compile(re.escape(ch)) for ch in ',:;?!()（）"'}
# Every other candidate: marks that are not easy, parentheses of both widths, straight quotes.
# (Curly quotes matter only for pairing with straight ones: the judge finds them in its line.)


@lru_cache(maxsize=1)
def _easy_pair_pattern() -> re.Pattern[str]:
    """An ASCII pair right after a CJK character, holding no bracket and some letter or digit.

    The judge converts every such pair (see _judge_paren_pair): the character before it
    makes the context CJK, and the content is neither empty nor symbols only.
    """
    table = _class_table()
    side_cps = [cp for cp in range(0x3000, 0x10000) if table[cp] in (CJK_LETTER, CJK_MARK)]
    ranges = []
    for cp in side_cps:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    side = "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges) + "\U00020000-\U0003134f"
    letter = f"A-Za-z0-9{HAN}\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff"
    return re.compile(f"\\((?<=[{side}]\\()(?=[^()（）\n]*?[{letter}])[^()（）\n]*\\)")


_CURLY_DOUBLE = re.compile("[\u201c\u201d]")
# Ellipses and a double hyphen, each with a literal prefix so that the scan is fast.
_RUN_PATTERNS = (
    (re.compile("\\.\\.\\.+"), "..."),
    (re.compile("。。。+"), "。。。"),
    (re.compile("--+"), "--"),
)
# After a CJK character, a mark is CJK unless a space (or a quote to look through) follows.
_DIRECT_LEFT = frozenset((CJK_LETTER, CJK_MARK, CORNER_QUOTE, FULL_PAREN))
_DIRECT_RIGHT = frozenset((CJK_LETTER, CJK_MARK, CORNER_QUOTE, FULL_PAREN, LATIN, DIGIT, BREAK, OTHER))
_RULE = {new: "cjk-mark" for new in "，：；？！"} | {"（": "cjk-paren", "）": "cjk-paren"}
_RULE |= {q: "cjk-quote" for q in "“”「」"}

# Spans no filter here changes: inline code, URLs, e-mail addresses, HTML
# tags and comments, character entities.
_URL_CHARS = "A-Za-z0-9\\-._~:/?#\\[\\]@!$&'*+,;=%"
_PROTECTED = lazy_compile(
    "`[^`\n]+`"
    f"|(?:[A-Za-z][A-Za-z0-9+.-]*://|www\\.)[{_URL_CHARS}()]*[A-Za-z0-9/#=_~\\-]"
    "|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+"
    "|<!--.*?-->|</?[A-Za-z][^<>\n]*>"
    "|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"
)
_PROTECT_HINTS = ("://", "www.", "`", "@", "<", "&")


def _has_protect_hint(text: str) -> bool:
    return any(hint in text for hint in _PROTECT_HINTS)


def _protected_spans(line: str) -> list[tuple[int, int]]:
    if not _has_protect_hint(line):
        return []
    return [m.span() for m in _PROTECTED.finditer(line)]


def _protected_spans_of_text(text: str) -> list[tuple[int, int]]:
    """`_protected_spans` of every line that has a hint of one, as spans of `text`."""
    line_starts = set()
    for hint in _PROTECT_HINTS:
        i = text.find(hint)
        while i >= 0:
            line_starts.add(text.rfind("\n", 0, i) + 1)
            end = text.find("\n", i)
            if end < 0:
                break
            i = text.find(hint, end)
    spans: list[tuple[int, int]] = []
    for start in sorted(line_starts):
        end = text.find("\n", start)
        spans.extend(m.span() for m in _PROTECTED.finditer(text, start, len(text) if end < 0 else end))
    return spans


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    k = bisect_right(starts, pos) - 1
    return k >= 0 and pos < spans[k][1]


class _Line:
    """One line under judgement, with the conversions decided so far."""

    __slots__ = ("_dominant", "_letters", "converted", "line", "n", "table")

    def __init__(self, line: str, table: bytes) -> None:
        self.line = line
        self.n = len(line)
        self.table = table
        self.converted: dict[int, str] = {}
        self._dominant: bool | None = None
        self._letters: tuple[list[int], list[int]] | None = None

    def content_kind(self, start: int, end: int) -> int:
        """`_content_kind` of ``line[start:end]``; long spans use positions built once per line.

        Nested brackets, ``((((中))))``, would otherwise rescan the same span for
        every pair: quadratic on a hostile line.
        """
        if end - start <= _SHORT_SPAN:
            return _content_kind(self.line, start, end, self.table)
        if self._letters is None:
            cjk, latin = [], []
            for k, ch in enumerate(self.line):
                c = self.table[ord(ch)]
                if c == CJK_LETTER:
                    cjk.append(k)
                elif c == LATIN or c == DIGIT:
                    latin.append(k)
            self._letters = (cjk, latin)
        cjk, latin = self._letters
        if bisect_left(cjk, end) > bisect_left(cjk, start):
            return CJK_LETTER
        return LATIN if bisect_left(latin, end) > bisect_left(latin, start) else OTHER

    def cls(self, i: int) -> int:
        """Class of the character at `i` as it will be after the conversions decided so far."""
        if i < 0 or i >= self.n:
            return BREAK
        ch = self.converted.get(i)
        if ch is None:
            ch = self.line[i]
        return self.table[ord(ch[0])]

    def side(self, i: int) -> int:
        """Context for a bracket or quote pair: CJK, LATIN (letters and digits) or OTHER.

        Marks, quotes and brackets of either width count as OTHER, so the
        verdict does not change once they have been converted.
        """
        if i < 0 or i >= self.n:
            return OTHER
        c = self.table[ord(self.line[i])]
        if c == CJK_LETTER or c == CJK_MARK:
            return CJK_LETTER
        if c == LATIN or c == DIGIT:
            return LATIN
        return OTHER

    def look(self, i: int, step: int) -> int:
        """The class that decides, looking from `i` in direction `step`."""
        for _ in range(_LOOK_LIMIT):
            c = self.cls(i)
            if c in _LOOK_THROUGH:
                i += step
                continue
            if c in _CJKISH:
                return CJK_LETTER
            return c
        return OTHER

    def clause_has_cjk(self, i: int) -> bool:
        """Whether the clause ending at `i` holds CJK, or follows a mark that ends CJK text.

        The clause runs back to a mark of either width (then what decides is the
        character before that mark, so the verdict does not depend on whether
        the mark is converted yet), an ideographic full stop (CJK), or a period
        or an ellipsis (not CJK).
        """
        table = self.table
        line = self.line
        for k in range(i - 1, max(-1, i - 200), -1):
            ch = line[k]
            c = table[ord(ch)]
            if c == CJK_LETTER or ch == "。":
                return True
            if c == ASCII_MARK or c == FULL_MARK:
                return k > 0 and self.look(k - 1, -1) == CJK_LETTER
            if ch in ".…":
                return False
        return False

    def closes_quote(self, i: int) -> bool:
        """Whether a closing curly quote follows `i`, past any marks (as converted so far)."""
        for _ in range(_LOOK_LIMIT):
            c = self.cls(i)
            if c == ASCII_MARK or c == FULL_MARK:
                i += 1
                continue
            return 0 <= i < self.n and self.converted.get(i, self.line[i]) in "\u201d\u2019"
        return False

    def latin_quotation(self, i: int) -> bool:
        """Whether the text between the last opening curly quote and `i` holds no CJK letter."""
        table, converted, line = self.table, self.converted, self.line
        for k in range(i - 1, max(-1, i - 200), -1):
            ch = converted.get(k, line[k])
            if ch in "\u201c\u2018":
                return True
            if table[ord(ch)] == CJK_LETTER:
                return False
        return False

    def cjk_dominant(self) -> bool:
        """Whether the line is CJK text with Latin words in it, rather than the other way round."""
        if self._dominant is None:
            # Letters only: the count must not change when marks are converted.
            line = self.line
            self._dominant = len(_CJK_LETTER_RE.findall(line)) >= len(_LATIN_WORD.findall(line))
        return self._dominant

    def mark_context(self, start: int, end: int) -> bool:
        """Whether a run of marks (or an ellipsis, a dash) at ``[start, end)`` sits in CJK text."""
        left = self.look(start - 1, -1)
        right = self.look(end, 1)
        if left == CJK_LETTER:
            return right != SPACE or self.cjk_dominant()
        if left == LATIN or left == DIGIT:
            if right == CJK_LETTER:
                # ... but not at the end of a Latin quotation: “See you soon!”他说
                return not (self.closes_quote(end) and self.latin_quotation(start))
            return right == BREAK and self.clause_has_cjk(start)
        return right == CJK_LETTER


_SHORT_SPAN = 64


def _single_char_edits(base: int, conversions: Iterable[tuple[int, str]]) -> list[Edit]:
    """Edits for one-character conversions, a run of neighbours with one rule as one edit.

    ``((((`` converted is one change, not four: fewer objects on hostile lines,
    and the same explanation.
    """
    edits: list[Edit] = []
    run_start = run_end = -1
    run_rule = ""
    parts: list[str] = []
    for k, new in sorted(conversions):
        rule = _RULE[new]
        if k == run_end and rule == run_rule:
            parts.append(new)
            run_end += 1
            continue
        if parts:
            edits.append(Edit(base + run_start, base + run_end, "".join(parts), run_rule))
        run_start, run_end, run_rule, parts = k, k + 1, rule, [new]
    if parts:
        edits.append(Edit(base + run_start, base + run_end, "".join(parts), run_rule))
    return edits


def _content_kind(line: str, start: int, end: int, table: bytes) -> int:
    """CJK_LETTER if ``line[start:end]`` holds a CJK letter, LATIN if only letters or digits, else OTHER."""
    kind = OTHER
    for k in range(start, end):
        c = table[ord(line[k])]
        if c == CJK_LETTER:
            return CJK_LETTER
        if c == LATIN or c == DIGIT:
            kind = LATIN
    return kind


def _is_japanese(line: str, text: str, cache: dict[str, bool]) -> bool:
    if _KANA_LETTER.search(line):
        return True
    if "doc" not in cache:
        if not _KANA_LETTER.search(text):
            cache["doc"] = False
            return False
        kana = len(_KANA_LETTER.findall(text))
        cjk = len(_CJK_LETTER_RE.findall(text))
        cache["doc"] = cjk > 0 and kana >= 0.2 * cjk
    return cache["doc"]


def _pair_edits(
    state: _Line, parens: list[int], quotes: list[int], quote_style: str, carry: bool = False
) -> tuple[int, bool]:
    """Decide the parentheses and double quotes of a line; record them in `state.converted`.

    `carry` says that the line before ends with a quotation left open (see the return
    value); when this line has an odd number of straight quotes, its first one closes
    that quotation. Returns the position of a straight quote left open at the end of
    this line after CJK (or -1), and whether the carried quotation was closed here.
    """
    line, converted = state.line, state.converted
    # Parentheses: match with a stack, both widths together.
    stack: list[int] = []
    unmatched: list[int] = []
    for i in parens:
        if line[i] in "(（":
            stack.append(i)
        elif stack:
            o = stack.pop()
            _judge_paren_pair(state, o, i)
        else:
            unmatched.append(i)
    unmatched.extend(stack)
    for i in unmatched:
        if line[i] in "()" and state.side(i - 1) == CJK_LETTER and state.side(i + 1) == CJK_LETTER:
            converted[i] = "（" if line[i] == "(" else "）"
    # Double quotes: a straight quote closes an open quote, otherwise it opens one.
    open_quotes: list[int] = []
    closed_carry = False
    if carry and sum(line[i] == '"' for i in quotes) % 2 == 1:
        first = next(i for i in quotes if line[i] == '"')
        if all(line[i] == "”" or i >= first for i in quotes) and state.side(first - 1) == CJK_LETTER:
            converted[first] = "」" if quote_style == "corner" else "”"
            closed_carry = True
            quotes = [i for i in quotes if i > first]
    for i in quotes:
        ch = line[i]
        if ch == "“" or (ch == '"' and not open_quotes):
            open_quotes.append(i)
        elif open_quotes:
            o = open_quotes.pop()
            _judge_quote_pair(state, o, i, quote_style)
    # A lone straight quote opening the line: a quotation running over paragraphs.
    if (
        len(open_quotes) == 1
        and line[open_quotes[0]] == '"'
        and not line[: open_quotes[0]].strip()
        and state.side(open_quotes[0] + 1) == CJK_LETTER
    ):
        converted[open_quotes[0]] = "「" if quote_style == "corner" else "“"
    elif (
        len(open_quotes) == 1
        and line[open_quotes[0]] == '"'
        and open_quotes[0] not in converted
        and state.side(open_quotes[0] + 1) == CJK_LETTER
    ):
        return open_quotes[0], closed_carry
    return -1, closed_carry


# (C), (R), (TM): copyright and trademark signs, not brackets, unless a CJK word
# precedes them (then (A) (B) (C) are more likely options in a list).
_SIGN_LETTERS = frozenset(("C", "c", "R", "r", "TM", "tm"))


def _judge_paren_pair(state: _Line, o: int, c: int) -> None:
    line = state.line
    ascii_open, ascii_close = line[o] == "(", line[c] == ")"
    if not (ascii_open or ascii_close):
        return
    if ascii_open != ascii_close:
        convert = True  # one side already fullwidth: match it
    elif o > 0 and line[o - 1] in "]":  # Markdown link [text](url)
        convert = False
    elif c == o + 1:
        convert = False  # foo()
    else:
        kind = state.content_kind(o + 1, c)
        if kind == CJK_LETTER:
            convert = True
        elif kind == OTHER:  # (^_^), (*): symbols only
            convert = False
        elif line[o + 1 : c] in _SIGN_LETTERS and state.side(o - 1) != CJK_LETTER:
            convert = False  # a sign spelled with letters: /(C)日刊, Foo(R)製品
        else:
            convert = state.side(o - 1) == CJK_LETTER or state.side(c + 1) == CJK_LETTER
    if convert:
        if ascii_open:
            state.converted[o] = "（"
        if ascii_close:
            state.converted[c] = "）"


def _judge_quote_pair(state: _Line, o: int, c: int, quote_style: str) -> None:
    line = state.line
    ascii_open, ascii_close = line[o] == '"', line[c] == '"'
    if not (ascii_open or ascii_close):
        return
    if ascii_open != ascii_close:
        convert = True
    elif c == o + 1:
        convert = False
    else:
        kind = state.content_kind(o + 1, c)
        if kind == CJK_LETTER:
            convert = True
        else:
            left, right = state.side(o - 1), state.side(c + 1)
            convert = (left == CJK_LETTER and right != LATIN) or (right == CJK_LETTER and left != LATIN)
    if convert:
        corner = quote_style == "corner" and ascii_open and ascii_close
        if ascii_open:
            state.converted[o] = "「" if corner else "“"
        if ascii_close:
            state.converted[c] = "」" if corner else "”"


_QUOTE_STYLES = ("auto", "curly", "corner")


def _line_punct_edits(
    line: str,
    base: int,
    singles: list[int],
    runs: list[tuple[int, int]],
    text: str,
    quotes: str,
    cache: dict[str, bool],
    hints: bool,
    pre: dict[int, str],
    carry: bool = False,
) -> tuple[list[Edit], int, bool]:
    """Edits for one line; `singles` and `runs` are candidate positions in `line`.

    Also returns where a quotation is left open at the end of the line (or -1), and
    whether this line closed the one `carry` says the line before left open.
    """
    spans = _protected_spans(line) if hints else None
    if spans:
        starts = [s for s, _e in spans]
        singles = [s for s in singles if not _inside(spans, starts, s)]
        runs = [r for r in runs if not _inside(spans, starts, r[0])]
    table = _class_table()
    state = _Line(line, table)
    if pre:
        state.converted.update(pre)
    parens, quote_marks, marks = [], [], []
    for s in singles:
        ch = line[s]
        if ch in ",:;?!":
            if marks and marks[-1][1] == s:
                marks[-1][1] = s + 1
            else:
                marks.append([s, s + 1])
        elif ch in "()（）":
            parens.append(s)
        else:
            quote_marks.append(s)
    if quote_marks:
        quote_marks.extend(m.start() for m in _CURLY_DOUBLE.finditer(line))
        quote_marks.sort()
    # 1. brackets and quotes, judged from width-blind context
    lone, closed_carry, style = -1, False, quotes
    if parens or quote_marks:
        if quote_marks and quotes == "auto":
            style = "corner" if _is_japanese(line, text, cache) else "curly"
        lone, closed_carry = _pair_edits(state, parens, quote_marks, style, carry)
    converted = state.converted
    # 2. marks, looking through the brackets and quotes as converted
    n = len(line)
    for s, e in marks:
        if line[e - 1] in ":;" and e < n and line[e] in "()" and e not in converted:
            continue  # an emoticon :) ;( next to an unconverted parenthesis
        # The common case, decided without looking further: CJK before, CJK or Latin after.
        left = table[ord(converted.get(s - 1, line[s - 1]))] if s else BREAK
        right = table[ord(converted.get(e, line[e]))] if e < n else BREAK
        if (left in _DIRECT_LEFT and right in _DIRECT_RIGHT) or state.mark_context(s, e):
            for k in range(s, e):
                converted[k] = _MARK_FULL[line[k]]
    edits = _single_char_edits(base, ((k, new) for k, new in converted.items() if k not in pre))
    # 3. ellipses and dashes, with the marks as converted
    for s, e in runs:
        ch = line[s]
        if ch == "-":
            if line[max(0, s - 2) : s] == "<!" or line[e : e + 1] == ">":  # an HTML comment
                continue
            if state.mark_context(s, e):
                edits.append(Edit(base + s, base + e, "——", "cjk-dash"))
        elif ch == "。" or state.mark_context(s, e) or (e - s >= 6 and state.clause_has_cjk(s)):
            edits.append(Edit(base + s, base + e, "……", "cjk-ellipsis"))
    if runs:
        edits.sort()
    elif len(converted) > 1:
        edits.sort()
    return edits, lone, closed_carry


def find_punct_edits(text: str, *, quotes: str = "auto") -> list[Edit]:
    if quotes not in _QUOTE_STYLES:
        msg = f"quotes must be one of {', '.join(_QUOTE_STYLES)}, not {quotes!r}"
        raise ValueError(msg)
    if not _HAS_CJK_LINE.search(text):
        return []
    hard = "`" in text or "<" in text
    judged = _judged_edits(text, quotes, hard=hard)
    if hard:
        return judged
    easy = []
    for mark, pattern in _mark_patterns()[0]:
        if mark in text:
            full = _MARK_FULL[mark]
            easy.extend(Edit(m.start(), m.end(), full, "cjk-mark") for m in pattern.finditer(text))
    easy.extend(judged)
    easy.sort()
    return easy


def _judged_edits(text: str, quotes: str, *, hard: bool) -> list[Edit]:
    """The edits of every candidate but the easy marks (all of them when `hard`)."""
    pre: dict[int, str] = {}
    hints = _has_protect_hint(text)
    singles: list[int] = []
    if hard:
        for ch, pattern in _LITERAL.items():
            if ch in text:
                singles.extend(m.start() for m in pattern.finditer(text))
    else:
        for mark, pattern in _mark_patterns()[1]:
            if mark in text:
                singles.extend(m.start() for m in pattern.finditer(text))
        for ch in '（）"':
            if ch in text:
                singles.extend(m.start() for m in _LITERAL[ch].finditer(text))
        if "(" in text or ")" in text:
            # Easy pairs are converted without the judge; one that overlaps a URL, an
            # address or code goes to the judge, which sees it with its line's protected spans.
            protected = _protected_spans_of_text(text) if hints else []
            protected_starts = [a for a, _b in protected]
            for m in _easy_pair_pattern().finditer(text):
                o, c = m.start(), m.end() - 1
                if protected:
                    k = bisect_right(protected_starts, c) - 1
                    if k >= 0 and protected[k][1] > o:
                        continue
                pre[o] = "（"
                pre[c] = "）"
            for ch in "()":
                if ch in text:
                    singles.extend(m.start() for m in _LITERAL[ch].finditer(text) if m.start() not in pre)
    singles.sort()
    runs = []
    for pattern, literal in _RUN_PATTERNS:
        if literal in text:
            runs.extend(
                m.span() for m in pattern.finditer(text) if literal != "--" or m.end() - m.start() == 2
            )
    if len(runs) > 1:
        runs.sort()
    edits: list[Edit] = [Edit(k, k + 1, new, "cjk-paren") for k, new in pre.items()]
    if not singles and not runs:
        return edits
    pre_positions = sorted(pre)
    # Group the candidates by line; a line without CJK is never touched.
    cache: dict[str, bool] = {}
    carry_from = carry_end = -1  # a quotation the last judged line left open, and where that line ends
    i = j = 0
    n_singles, n_runs = len(singles), len(runs)
    while i < n_singles or j < n_runs:
        pos = min(singles[i] if i < n_singles else len(text), runs[j][0] if j < n_runs else len(text))
        start = text.rfind("\n", 0, pos) + 1
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end + 1
        k = bisect_left(singles, end, i)
        line_singles = [p - start for p in singles[i:k]]
        i = k
        line_runs = []
        while j < n_runs and runs[j][0] < end:
            line_runs.append((runs[j][0] - start, runs[j][1] - start))
            j += 1
        if _HAS_CJK_LINE.search(text, start, end):
            line_pre = {}
            if pre_positions:
                for k in range(bisect_right(pre_positions, start - 1), bisect_right(pre_positions, end - 1)):
                    line_pre[pre_positions[k] - start] = pre[pre_positions[k]]
            line_edits, lone, closed_carry = _line_punct_edits(
                text[start:end],
                start,
                line_singles,
                line_runs,
                text,
                quotes,
                cache,
                hints,
                line_pre,
                carry=carry_from >= 0 and carry_end == start,
            )
            edits.extend(line_edits)
            if closed_carry:  # open the quotation the line before left open
                japanese = quotes == "corner" or (
                    quotes == "auto" and _is_japanese(text[start:end], text, cache)
                )
                edits.append(Edit(carry_from, carry_from + 1, "「" if japanese else "“", "cjk-quote"))
            carry_from, carry_end = (start + lone, end) if lone >= 0 else (-1, -1)
    edits.sort()
    return edits


def normalize_punctuation(text: str, *, quotes: str = "auto") -> str:
    """Give CJK text its fullwidth punctuation back: ``,:;?!()`` and straight quotes between hanzi or kana.

    NFKC, ftfy's width fixer and careless converters turn the fullwidth
    ``，：；？！（）`` of Chinese and Japanese text into ASCII; some pipelines do
    it on purpose. This filter puts them back where the text around them is
    CJK, judged on each line from the nearest characters on both sides
    (looking through quotes, ASCII parentheses, other marks, ``%``, ``*`` and
    ``]``; the rules are applied brackets and quotes first, then marks, then
    ellipses and dashes, and no verdict depends on whether a neighbouring mark
    has been converted yet, which keeps the filter idempotent):

    * a run of ``, : ; ? !`` becomes fullwidth when the character before it is
      CJK (``作者:John`` → ``作者：John``; before a space only in a line that is
      mostly CJK), or when a Latin word or number before it is followed by CJK
      (``GPT-4o,售价``) unless it ends a Latin quotation (``“See you!”他说``),
      or ends a line whose clause holds CJK (``你认识Sam?``); between two Latin
      letters or digits it never changes (``1,000``, ``12:30``,
      ``GPT-5,Mustafa``), nor before a space after Latin (``Hello, 世界``);
    * a parenthesis pair becomes ``（ ）`` when it holds CJK or touches CJK on
      either side (``奥特曼(Sam Altman)突然``, ``今(22)日``, ``(1)首先``); not
      ``foo()``, ``(^_^)``, ``:(``, a Markdown link, or a pair between Latin
      words or spaces (``图源:X(Twitter)``, ``模型 (Model) 是``). Pairs nest
      and match across widths on one line; an unmatched one (``1)`` as a list
      marker) changes only between two CJK letters;
    * a pair of straight double quotes around CJK text, or touching CJK on
      one side and not Latin on the other, becomes ``“ ”``, or ``「 」`` in
      Japanese (a line with kana, or a document that is mostly Japanese);
      option ``quotes``: ``"auto"``, ``"curly"`` (always ``“ ”``) or
      ``"corner"`` (always ``「 」``). A lone quote opening a line (a
      quotation that runs over paragraphs) opens; a quote left open at the
      end of a line is closed by the first quote of the next line when that
      line has an odd number of them (a quotation wrapped over a line break);
    * ``...`` (or more dots) and ``。。。`` become ``……``, ``--`` becomes
      ``——``, in CJK context.

    URLs, e-mail addresses, inline code, HTML tags and entities, emoticons
    (``:)``) are left alone, and so is every line without CJK characters.
    Only the characters ``,:;?!()".-`` (and ``。`` in ``。。。``) are ever
    replaced, and only by ``，：；？！（）“”「」…—``; spaces are not touched
    (that is `space_cjk`'s and normalize-whitespace's job). The fullwidth tilde and
    percent sign, which NFKC also folds, are not restored.

    When it is wrong: a mark between two Latin words inside CJK text stays
    ASCII (``GPT-5,Mustafa`` and ``（Large Language Model,LLM）`` were
    probably ``，``); an English word ending a CJK clause before a CJK
    character gets a fullwidth mark even where the author typed ASCII
    (``Yahoo!日本``); a single ``…`` that NFKC flattened to ``...`` comes
    back as ``……``; a pinyin gloss ``發(fā)`` becomes ``發（fā）`` (run
    strip-ruby first).

    >>> normalize_punctuation('CEO奥特曼(Sam Altman)突然被开除,106个小时后:"复职"。')
    'CEO奥特曼（Sam Altman）突然被开除，106个小时后：“复职”。'
    >>> normalize_punctuation('GPT-4o("ほとんどの質問に最適")を選ぶ?1,000件は12:30まで')
    'GPT-4o（「ほとんどの質問に最適」）を選ぶ？1,000件は12:30まで'
    """
    if quotes not in _QUOTE_STYLES or "`" in text or "<" in text or not _HAS_CJK_LINE.search(text):
        return apply_edits(text, find_punct_edits(text, quotes=quotes))
    # Same result as applying find_punct_edits: easy marks are replaced one for one (so the
    # positions of the judged edits still hold) and never touch what the judge looks at.
    judged = _judged_edits(text, quotes, hard=False)
    for mark, pattern in _mark_patterns()[0]:
        if mark in text:
            text = pattern.sub(_MARK_FULL[mark], text)
    return apply_edits(text, judged)


register(Filter("normalize-punct", normalize_punctuation, find_punct_edits))


# -- space-cjk --------------------------------------------------------------------

_HAN_KANA_LETTER = f"{HAN}\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff"
# A CJK letter before an ASCII letter or digit, or the other way round; the space goes after
# the matched character.
_CJK_LATIN_CONTACT = lazy_compile(f"[{_HAN_KANA_LETTER}](?=[A-Za-z0-9])|[A-Za-z0-9](?=[{_HAN_KANA_LETTER}])")
# Date and counter units that bind the number before them: 2023年5月28日, 5号, 10時.
_DATE_UNITS = frozenset("年月日号號時")
# What space-cjk never spaces inside: what normalize-punct protects, and file paths
# (which may hold CJK directory names with digits: /home/用户2/).
_SPACE_PROTECTED = lazy_compile(
    _PROTECTED.pattern
    + "|(?<![A-Za-z0-9_/])(?:~|\\.{1,2})?/[\\w.\\-]+(?:/[\\w.\\-]*)+|\\b[A-Za-z]:\\\\[^\\s]*"
)


def find_cjk_space_edits(text: str) -> list[Edit]:
    if not _HAS_CJK_LINE.search(text):
        return []
    spans = [m.span() for m in _SPACE_PROTECTED.finditer(text)] if _SPACE_HINT.search(text) else []
    starts = [s for s, _e in spans]
    edits = []
    for m in _CJK_LATIN_CONTACT.finditer(text):
        pos = m.end()
        before, after = text[pos - 1], text[pos]
        if before.isdigit() and after in _DATE_UNITS:
            continue
        if after.isdigit():
            end = pos
            while end < len(text) and text[end].isascii() and text[end].isdigit():
                end += 1
            if text[end : end + 1] in _DATE_UNITS and end < len(text):
                continue
        if spans:
            k = bisect_right(starts, pos - 1) - 1
            if k >= 0 and pos < spans[k][1]:
                continue
        edits.append(Edit(pos, pos, " ", "cjk-latin-space"))
    return edits


_SPACE_HINT = re.compile("://|www\\.|[`@<&/\\\\]")


def space_cjk(text: str) -> str:
    """Put a space between CJK letters and ASCII letters or digits, pangu style (opt-in).

    Some style guides (and the pangu and autocorrect tools) want ``在 2024 年
    发布 GPT-4o 模型`` rather than ``在2024年发布GPT-4o模型``. This filter adds
    one space wherever a hanzi or kana touches an ASCII letter or digit, in
    Chinese and Japanese text. It is a style choice, not a repair, so it is not
    in the default preset.

    A number directly followed by a date or counter unit (年 月 日 号 號 時)
    stays bound to its neighbours, so dates read ``2023年5月28日`` and not
    ``2023 年 5 月 28 日``: that is the usual choice of Chinese and Japanese
    publishers (pangu would space them). Nothing is inserted inside URLs,
    e-mail addresses, inline code, HTML tags, or file paths; punctuation,
    brackets (``foo()``) and hangul are not touched, and no existing space is
    doubled.

    When it is wrong: a text that deliberately writes CJK and Latin tight (most
    Japanese print, many Chinese newsrooms) is restyled; a unit other than
    those above (``106个``) is spaced: ``106 个``.

    >>> space_cjk("OpenAI在2024年5月发布了GPT-4o,售价20美元。")
    'OpenAI 在2024年5月发布了 GPT-4o,售价 20 美元。'
    >>> space_cjk("詳しくはhttps://example.jp/a1を参照、2025年1月31日更新")
    '詳しくは https://example.jp/a1 を参照、2025年1月31日更新'
    """
    return apply_edits(text, find_cjk_space_edits(text))


register(Filter("space-cjk", space_cjk, find_cjk_space_edits))
