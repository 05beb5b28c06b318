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
from bisect import bisect_right
from functools import lru_cache

from cleantext.core import Edit, Filter, apply_edits
from cleantext.patterns import CJK_PUNCT, HAN, HANGUL, KANA
from cleantext.registry import register

__all__ = ["PUNCT_SET", "normalize_punctuation", "space_cjk"]

# The characters normalize-punct may write, and the ASCII ones it may replace.
# Every change it makes turns one of PUNCT_ASCII into one of PUNCT_SET.
PUNCT_ASCII = frozenset(',:;?!()".-')
PUNCT_SET = frozenset("，：；？！（）“”「」…—")

_MARK_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}

# Character classes.
OTHER, CJK_LETTER, CJK_MARK, LATIN, DIGIT, SPACE, BREAK = 0, 1, 2, 3, 4, 5, 6
ASCII_MARK, FULL_MARK, ASCII_QUOTE, CURLY_QUOTE, CORNER_QUOTE = 7, 8, 9, 10, 11
ASCII_PAREN, FULL_PAREN, SEE_THROUGH = 12, 13, 14

# Classes that count as CJK context once a mark looks at them.
_CJKISH = frozenset((CJK_LETTER, CJK_MARK, FULL_MARK, CORNER_QUOTE, FULL_PAREN))
# Classes a mark looks through to find the character that decides.
_LOOK_THROUGH = frozenset((ASCII_QUOTE, CURLY_QUOTE, ASCII_PAREN, SEE_THROUGH))
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
    put("A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u1e00-\u1eff", LATIN)
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


_KANA_LETTER = re.compile("[\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff\uff66-\uff9d]")
_CJK_LETTER_RE = re.compile(f"[{HAN}{KANA}]")
_LATIN_WORD = re.compile("[A-Za-z]+")
_HAS_CJK_LINE = re.compile(f"[{HAN}{KANA}{CJK_PUNCT}]")

# What normalize-punct looks at: runs of ASCII marks, parentheses and quotes of
# both widths, ellipses, a double hyphen.
_CANDIDATE = re.compile('[,:;?!]+|[()（）"“”]|\\.{3,}|。{3,}|(?<!-)--(?!-)')

# Spans no filter here changes: inline code, URLs, e-mail addresses, HTML
# tags and comments, character entities.
_URL_CHARS = "A-Za-z0-9\\-._~:/?#\\[\\]@!$&'*+,;=%"
_PROTECTED = re.compile(
    "`[^`\n]+`"
    f"|(?:[A-Za-z][A-Za-z0-9+.-]*://|www\\.)[{_URL_CHARS}()]*[A-Za-z0-9/#=_~\\-]"
    "|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+"
    "|<!--.*?-->|</?[A-Za-z][^<>\n]*>"
    "|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"
)
_PROTECT_HINTS = ("://", "www.", "`", "@", "<", "&")

# Emoticons next to a parenthesis: the colon and the parenthesis both stay.
_EMOTICON_PREFIX = frozenset(":;=^-")


def _protected_spans(line: str) -> list[tuple[int, int]]:
    if not any(hint in line for hint in _PROTECT_HINTS):
        return []
    return [m.span() for m in _PROTECTED.finditer(line)]


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    k = bisect_right(starts, pos) - 1
    return k >= 0 and pos < spans[k][1]


class _Line:
    """One line under judgement, with the conversions decided so far."""

    __slots__ = ("_dominant", "converted", "line", "n", "table")

    def __init__(self, line: str, table: bytes) -> None:
        self.line = line
        self.n = len(line)
        self.table = table
        self.converted: dict[int, str] = {}
        self._dominant: bool | None = None

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
            if c == ASCII_MARK:
                return OTHER
            return c
        return OTHER

    def clause_has_cjk(self, i: int) -> bool:
        """Whether the clause ending at `i` (back to a mark, a period or an ellipsis) holds CJK."""
        table = self.table
        line = self.line
        for k in range(i - 1, max(-1, i - 200), -1):
            ch = line[k]
            c = table[ord(ch)]
            if c == CJK_LETTER:
                return True
            if c == ASCII_MARK or c == FULL_MARK or ch in ".。…":
                return False
        return False

    def cjk_dominant(self) -> bool:
        """Whether the line is CJK text with Latin words in it, rather than the other way round."""
        if self._dominant is None:
            cjk = len(_CJK_LETTER_RE.findall(self.line))
            words = len(_LATIN_WORD.findall(self.line))
            self._dominant = cjk >= words
        return self._dominant

    def mark_context(self, start: int, end: int) -> bool:
        """Whether a run of marks (or an ellipsis, a dash) at ``[start, end)`` sits in CJK text."""
        left = self.look(start - 1, -1)
        right = self.look(end, 1)
        if left == CJK_LETTER:
            return right != SPACE or self.cjk_dominant()
        if left == LATIN or left == DIGIT:
            if right == CJK_LETTER:
                return True
            return right == BREAK and self.clause_has_cjk(start)
        return right == CJK_LETTER


def _content_kind(line: str, start: int, end: int, table: bytes) -> int:
    """CJK_LETTER if ``line[start:end]`` holds a CJK letter, LATIN if only Latin letters or digits, else OTHER."""
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
        kana = len(_KANA_LETTER.findall(text))
        cjk = len(_CJK_LETTER_RE.findall(text))
        cache["doc"] = cjk > 0 and kana >= 0.2 * cjk
    return cache["doc"]


def _pair_edits(state: _Line, parens: list[int], quotes: list[int], quote_style: str) -> None:
    """Decide the parentheses and double quotes of a line; record them in `state.converted`."""
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


def _judge_paren_pair(state: _Line, o: int, c: int) -> None:
    line = state.line
    ascii_open, ascii_close = line[o] == "(", line[c] == ")"
    if not (ascii_open or ascii_close):
        return
    if ascii_open != ascii_close:
        convert = True  # one side already fullwidth: match it
    elif o > 0 and line[o - 1] in "]":  # Markdown link [text](url)
        convert = False
    elif c == o + 1 or (line[o - 1 : o] in _EMOTICON_PREFIX and o > 0):
        convert = False  # foo(), and :( ... ) is more likely a face than a bracket
    else:
        kind = _content_kind(line, o + 1, c, state.table)
        if kind == CJK_LETTER:
            convert = True
        elif kind == OTHER:  # (^_^), (*): symbols only
            convert = False
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
        kind = _content_kind(line, o + 1, c, state.table)
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


def _line_punct_edits(line: str, base: int, text: str, quotes: str, cache: dict[str, bool]) -> list[Edit]:
    candidates = [m.span() for m in _CANDIDATE.finditer(line)]
    if not candidates:
        return []
    spans = _protected_spans(line)
    if spans:
        starts = [s for s, _e in spans]
        candidates = [(s, e) for s, e in candidates if not _inside(spans, starts, s)]
    table = _class_table()
    state = _Line(line, table)
    parens, quote_marks, marks, runs = [], [], [], []
    for s, e in candidates:
        ch = line[s]
        if ch in "()（）":
            parens.append(s)
        elif ch in '"“”':
            quote_marks.append(s)
        elif ch in ",:;?!":
            marks.append((s, e))
        else:
            runs.append((s, e))
    # 1. brackets and quotes, judged from width-blind context
    if parens or quote_marks:
        style = quotes
        if quote_marks and quotes == "auto":
            style = "corner" if _is_japanese(line, text, cache) else "curly"
        _pair_edits(state, parens, quote_marks, style)
    converted = state.converted
    # 2. marks, looking through the brackets and quotes as converted
    for s, e in marks:
        run = line[s:e]
        if run[-1] in ":;=" and e < len(line) and line[e] in "()" and e not in converted:
            continue  # an emoticon :) ;( next to an unconverted parenthesis
        if state.mark_context(s, e):
            for k in range(s, e):
                converted[k] = _MARK_FULL[line[k]]
    edits = [
        Edit(base + k, base + k + 1, new, "cjk-quote" if new in "“”「」" else "cjk-paren" if new in "（）" else "cjk-mark")
        for k, new in converted.items()
    ]
    # 3. ellipses and dashes, with the marks as converted
    for s, e in runs:
        ch = line[s]
        if ch == "-":
            if line[s - 1 : s] in "<!" and s > 0 or line[e : e + 1] == ">":
                continue
            if state.mark_context(s, e):
                edits.append(Edit(base + s, base + e, "——", "cjk-dash"))
        elif ch == "。" or state.mark_context(s, e) or (e - s >= 6 and state.clause_has_cjk(s)):
            edits.append(Edit(base + s, base + e, "……", "cjk-ellipsis"))
    edits.sort()
    return edits


def find_punct_edits(text: str, *, quotes: str = "auto") -> list[Edit]:
    if quotes not in _QUOTE_STYLES:
        msg = f"quotes must be one of {', '.join(_QUOTE_STYLES)}, not {quotes!r}"
        raise ValueError(msg)
    if not _HAS_CJK_LINE.search(text):
        return []
    edits: list[Edit] = []
    cache: dict[str, bool] = {}
    pos = 0
    for line in text.splitlines(keepends=True):
        if _HAS_CJK_LINE.search(line):
            edits.extend(_line_punct_edits(line, pos, text, quotes, cache))
        pos += len(line)
    return edits


def normalize_punctuation(text: str, *, quotes: str = "auto") -> str:
    """Give CJK text its fullwidth punctuation back: ``,:;?!()`` and straight quotes between hanzi or kana.

    NFKC, ftfy's width fixer and careless converters turn the fullwidth
    ``，：；？！（）`` of Chinese and Japanese text into ASCII; some pipelines do
    it on purpose. This filter puts them back where the text around them is
    CJK, judged on each line from the nearest characters on both sides
    (looking through quotes, ASCII parentheses, ``%`` and ``]``):

    * a run of ``, : ; ? !`` becomes fullwidth when the character before it is
      CJK (``作者:John`` → ``作者：John``; before a space only in a line that is
      mostly CJK), or when a Latin word or number before it is followed by CJK
      (``GPT-4o,售价``), or ends a line whose clause holds CJK (``你认识Sam?``);
      between two Latin letters or digits it never changes (``1,000``,
      ``12:30``, ``GPT-5,Mustafa``);
    * a parenthesis pair becomes ``（ ）`` when it holds CJK or touches CJK on
      either side (``奥特曼(Sam Altman)突然``); not ``foo()``, ``(^_^)``, a
      Markdown link, or a pair between Latin words. Pairs nest and match
      across widths; an unmatched one changes only between two CJK letters;
    * a pair of straight double quotes around CJK text, or touching CJK on
      one side and not Latin on the other, becomes ``“ ”``, or ``「 」`` in
      Japanese (a line with kana, or a document that is mostly Japanese);
      option ``quotes``: ``"auto"``, ``"curly"`` (always ``“ ”``) or
      ``"corner"`` (always ``「 」``). A lone quote opening a line (a
      quotation that runs over paragraphs) opens;
    * ``...`` (or more dots) and ``。。。`` become ``……``, ``--`` becomes
      ``——``, in CJK context.

    URLs, e-mail addresses, inline code, HTML tags and entities, emoticons
    (``:)``) are left alone, and so is every line without CJK characters.
    Only the characters ``,:;?!()".-`` are ever replaced, and only by
    ``，：；？！（）“”「」…—``; spaces are not touched (that is `space_cjk`'s
    and normalize-whitespace's job).

    When it is wrong: a mark between two Latin words inside CJK text stays
    ASCII (``GPT-5,Mustafa`` was probably ``，``); Latin text quoted in a
    CJK line may get fullwidth marks at its edges; a pinyin gloss ``發(fā)``
    becomes ``發（fā）`` (run strip-ruby first).

    >>> normalize_punctuation('CEO奥特曼(Sam Altman)突然被开除,106个小时后:"复职"。')
    'CEO奥特曼（Sam Altman）突然被开除，106个小时后：“复职”。'
    >>> normalize_punctuation('GPT-4o("ほとんどの質問に最適")を選ぶ?1,000件は12:30まで')
    'GPT-4o（「ほとんどの質問に最適」）を選ぶ？1,000件は12:30まで'
    """
    return apply_edits(text, find_punct_edits(text, quotes=quotes))


register(Filter("normalize-punct", normalize_punctuation, find_punct_edits))
