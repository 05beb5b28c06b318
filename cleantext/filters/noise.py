"""strip-noise: watermarks injected into every paragraph, and stray symbols sprinkled between hanzi.

Scraper and mirror sites defend their copies in two ways that leave junk
inside the lines of an article:

- a **watermark**, a short string naming the site, often with its domain,
  pasted into paragraph after paragraph (``爱掏网 - it200.com``);
- **stray symbols** from unrelated scripts dropped between characters to
  break copy-and-paste and search (``核心观¨Ξ点``, ``发达经济体Ã的``,
  ``美元ૌ外溢``).

Both are removed inside the line; the line itself stays.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict

from cleantext.core import Edit, Filter, apply_edits, chain_edits
from cleantext.patterns import CJK_PUNCT, HAN, HAN_KANA, lazy_compile, range_pattern
from cleantext.registry import register

__all__ = ["find_noise_edits", "strip_noise"]

# -- watermarks --------------------------------------------------------------

# Top-level domains a watermark names. With the lookahead of _DOMAIN (no
# ``.name`` after it) this keeps ``java.io.File`` and ``System.out`` out.
_TLDS = (
    "com|net|org|cn|co|io|cc|me|tv|info|biz|top|xyz|vip|club|site|online|tech|app|dev|ai|"
    "hk|tw|jp|kr|mo|sg|uk|us|de|fr|ru|in|wang|ren|ink|shop|store|live|pro|mobi|asia|link|"
    "work|fun|icu|ltd|group|life|news|blog|cloud|space|website|love|cx|la|ws|so"
)
_TLD_SET = frozenset(_TLDS.split("|"))
_DOMAIN = re.compile(
    # Not inside a longer name, a path, an e-mail address or a URL.
    r"(?<![A-Za-z0-9_.@/\\-])"
    r"(?P<name>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+)"
    # Any short lower-case last label: a watermark's copies may be clipped
    # (``lezhi.ne``); a group counts only if its usual ending is a real TLD.
    r"(?P<tld>[a-z]{1,7})"
    r"(?![A-Za-z0-9_-]|\.[A-Za-z0-9]|/[A-Za-z0-9?#%~._-])"
)
# Where a sentence or clause ends: a watermark's context is cut there.
_BOUNDARY = frozenset("。！？!?；;，,、\n\t…")
# A watermark carries the site's name before its domain, set off by one of these:
# hyphen and dashes, bars, colons, @ / _, opening brackets, dots. (A space
# alone does not count: ``的 it200.com 第`` is prose.)
_SEPARATOR = re.compile("[-\u2013\u2014|\uff5c:：@/_(（【\\[「\u3014·•]")
_CONTEXT = 16
_SENTENCE_END = frozenset("。！？!?")
_OPENERS = "(（【[「\u3014"  # ( （ 【 [ 「 〔
_OPENER = re.compile(f"[{re.escape(_OPENERS)}]")
_CLOSERS = ")）】]」\u3015 "  # ) ） 】 ] 」 〕 and a space


# _DOMAIN starts with a lookbehind, so `re` would try it at every position of
# the text. A domain holds a dot before a lower-case letter, which `re` finds at
# C speed, and starts where a run of the characters its lookbehind rejects
# starts: it is tried there only, once per run.
_DOT_LETTER = re.compile(r"\.[a-z]")
_RUN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.@/\\-")


def _domains(text: str) -> list[re.Match[str]]:
    """`list(_DOMAIN.finditer(text))`, tried only at the starts of runs that hold a dot and a letter."""
    found = []
    match_at = _DOMAIN.match
    previous_dot = previous_start = -1
    for hit in _DOT_LETTER.finditer(text):
        dot = start = hit.start()
        while start > 0 and text[start - 1] in _RUN_CHARS:
            start -= 1
            if start == previous_dot:  # the run of the previous dot: tried already
                start = previous_start
                break
        same_run = start == previous_start
        previous_dot, previous_start = dot, start
        if not same_run:
            m = match_at(text, start)
            if m is not None:
                found.append(m)
    return found


def _watermark_edits(text: str, *, min_lines: int = 3) -> list[Edit]:
    if "." not in text:
        return []
    groups: dict[str, list[re.Match[str]]] = defaultdict(list)
    for m in _domains(text):
        # ``it200.com`` and a clipped ``it200.co`` are one site.
        groups[m.group("name").lower()].append(m)
    if not any(len(matches) >= 2 for matches in groups.values()):
        return []
    newlines = [m.start() for m in re.finditer("\n", text)]
    edits: list[Edit] = []
    for found in groups.values():
        tlds = Counter(m.group("tld") for m in found if m.group("tld") in _TLD_SET)
        if not tlds:
            continue
        tld = tlds.most_common(1)[0][0]
        matches = [m for m in found if tld.startswith(m.group("tld"))]
        lines = {bisect_left(newlines, m.start()) for m in matches}
        if len(lines) < min_lines:
            continue
        lefts = [_left_context(text, m.start()) for m in matches]
        rights = [_right_context(text, m.end()) for m in matches]
        quorum = max(2, -(-len(matches) * 3 // 4))  # 75 %, rounded up
        left = _shared_end(lefts, quorum, suffix=True)
        opener = max(left.rfind(ch) for ch in _OPENERS)
        if opener > 0:
            left = left[opener:]  # a bracketed watermark starts at its bracket
        right = _shared_end(rights, quorum, suffix=False)
        if _OPENER.search(left):
            # A closing bracket after the domain belongs to the watermark with its opener.
            right = right[: len(right) - len(right.lstrip(_CLOSERS))]
        elif _is_marked(left) or not _is_marked(right):
            right = ""  # the name comes before the domain, or there is none
        if not (_is_marked(left) or _is_marked(right)):
            # A bare domain is a watermark only where it is never part of a
            # sentence: right after one ends, every time, in many lines.
            starts = (text[m.start() - 1 : m.start()] for m in matches)
            if any(before not in _SENTENCE_END for before in starts):
                continue
            left = ""
        for m, before, after in zip(matches, lefts, rights, strict=True):
            start = m.start() - len(left) if before.endswith(left) else m.start()
            end = m.end() + len(right) if after.startswith(right) else m.end()
            edits.append(Edit(start, end, "", "watermark"))
        if left:
            # Copies clipped inside the top-level domain (``lezhi.ne``), which
            # the domain pattern does not see.
            partial = "".join(f"(?:{re.escape(ch)}" for ch in tld) + ")?" * len(tld)
            clipped = re.compile(re.escape(left + matches[0].group("name")) + partial + "(?![A-Za-z0-9])")
            edits.extend(Edit(c.start(), c.end(), "", "watermark") for c in clipped.finditer(text))
    edits.sort(key=lambda e: (e.start, -e.end))
    return _drop_overlaps(edits)


def _is_marked(context: str) -> bool:
    """Whether the text beside a domain names the site: letters and a separator other than a space."""
    return bool(_SEPARATOR.search(context.replace(" ", ""))) and any(ch.isalnum() for ch in context)


def _left_context(text: str, pos: int) -> str:
    """Up to `_CONTEXT` characters before `pos`, cut after the last boundary."""
    window = text[max(0, pos - _CONTEXT) : pos]
    for i in range(len(window) - 1, -1, -1):
        if window[i] in _BOUNDARY:
            return window[i + 1 :]
    return window


def _right_context(text: str, pos: int) -> str:
    window = text[pos : pos + _CONTEXT]
    for i, ch in enumerate(window):
        if ch in _BOUNDARY:
            return window[:i]
    return window


def _shared_end(contexts: list[str], quorum: int, *, suffix: bool) -> str:
    """The longest suffix (or prefix) that at least `quorum` contexts share."""
    shared = ""
    for size in range(1, _CONTEXT + 1):
        ends = Counter(c[-size:] if suffix else c[:size] for c in contexts if len(c) >= size)
        if not ends:
            break
        end, count = ends.most_common(1)[0]
        if count < quorum:
            break
        shared = end
    return shared


def _drop_overlaps(edits: list[Edit]) -> list[Edit]:
    kept: list[Edit] = []
    for edit in edits:
        if kept and edit.start < kept[-1].end:
            continue
        kept.append(edit)
    return kept


# -- stray symbols -----------------------------------------------------------

# Letters and symbols of scripts that have no business standing alone between
# two hanzi: Latin-1 letters and odd Latin-1 signs (not ° ± × ÷ · § © ® µ ¹²³
# ¼½¾, which Chinese text uses), Latin Extended, IPA, modifier letters (not the
# zhuyin tones ˇˉˊˋ˙), Armenian to Sinhala, Thai to Mongolian.
_STRONG = (
    "\u00a1\u00a4\u00a6\u00a8\u00aa\u00ac\u00af\u00b4\u00b8\u00ba\u00bf"
    "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0250-\u02c6\u02c8\u02cc-\u02d8\u02da-\u02ff"
    "\u0530-\u0dff\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u10a0-\u10ff\u1200-\u137f"
    "\u13a0-\u13ff\u1400-\u167f\u1780-\u18af"
)
# Symbols that Chinese and Japanese text does use next to hanzi now and then
# (α粒子, β版, Ω, «», circled letters, block and shape signs), so they go only
# in a document that the strong kind already shows to be salted. The bullets
# ■□▲△▶▷▼▽◀◁◆◇○◎●◯ and box-drawing dashes (──) are never touched.
_WEAK = (
    "\u0370-\u03ff\u0400-\u04ff\u00ab\u00bb\u24b6-\u24e9\u2580-\u259f"
    "\u25a2-\u25b1\u25b4\u25b5\u25b8-\u25bb\u25be\u25bf\u25c2-\u25c5\u25c8-\u25ca\u25cc\u25cd"
    "\u25d0-\u25ee\u25f0-\u25ff"
)
_STRAY_CHAR = lazy_compile(f"[{_STRONG}{_WEAK}]")
# One or two, not three: spelled [x][x]? rather than [x]{1,2}, which matches the
# same, so that `re` sees the leading class and scans for it at C speed.
_STRAY_RUN = re.compile(f"[{_STRONG}{_WEAK}][{_STRONG}{_WEAK}]?(?![{_STRONG}{_WEAK}])")
_STRONG_CHAR = lazy_compile(f"[{_STRONG}]")
# The letters a stray symbol is wedged between: hanzi, kana (not the middle dot
# ・, the long-vowel mark ー or the halfwidth voicing marks, which kaomoji such
# as (´・ω・`) and (´ー`) are made of).
_HAN_KANA_CHAR = lazy_compile(f"[{HAN}\u3041-\u3096\u30a1-\u30fa\uff66-\uff9d]")
# What may stand on the other side of a stray symbol that touches a hanzi.
_CJK_SIDE = lazy_compile(f"[{HAN_KANA}{CJK_PUNCT}\u201c\u201d\u2018\u2019,.:;!?()\"']")
_SPACES_THEN_CJK = lazy_compile(f"( +)[{HAN_KANA}]")
_LATIN1_LETTERS = re.compile("[\u00c0-\u00ff]{2}")

# Every character of _STRAY_CHAR lies in one of these two ranges (tests/test_inline.py
# checks), and clean CJK text has almost nothing in either (a ·, a ©, a ▼): two
# range scans (see `range_pattern`) settle most documents at a fraction of the
# cost of one scan for the class of _STRAY_RUN.
_STRAY_RANGES = ("\u00a1-\u18af", "\u24b6-\u25ff")
# Past this many characters of the ranges that are not stray symbols, the
# document is rich in them (Latin, Greek, shapes) and the full scan is cheaper.
_MAX_INNOCENT_HITS = 16


def _may_hold_stray_symbols(text: str) -> bool:
    """False only if `text` has no character of `_STRAY_CHAR`, so that `_STRAY_RUN` cannot match it."""
    innocent = 0
    for chars in _STRAY_RANGES:
        for hit in range_pattern(chars).finditer(text):
            if _STRAY_CHAR.match(text, hit.start()):
                return True
            innocent += 1
            if innocent > _MAX_INNOCENT_HITS:
                return True
    return False


def _stray_symbol_edits(text: str, *, weak_evidence: int = 2) -> list[Edit]:
    if not _may_hold_stray_symbols(text):
        return []  # no stray symbol can be there: _STRAY_RUN would find nothing
    return _scanned_stray_symbol_edits(text, weak_evidence=weak_evidence)


def _scanned_stray_symbol_edits(text: str, *, weak_evidence: int = 2) -> list[Edit]:
    candidates = []
    strong_runs = 0
    for m in _STRAY_RUN.finditer(text):
        start, end = m.span()
        before = text[start - 1] if start else "\n"
        after = text[end] if end < len(text) else "\n"
        if before.isascii() and after.isascii() and before != "\n":
            continue  # inside a Latin word or a pinyin gloss (fā): no hanzi on either side, no line start
        if start > 0 and _STRAY_CHAR.match(text, start - 1):
            continue  # part of a longer run: a word of that script, or mojibake
        run = m.group()
        if _LATIN1_LETTERS.fullmatch(run):
            continue  # two Latin-1 letters: mojibake (ÖÐ) for fix-mojibake, not noise
        left_han = bool(_HAN_KANA_CHAR.match(before))
        right_han = bool(_HAN_KANA_CHAR.match(after))
        if not (left_han or right_han):
            # A symbol opening a line before a space and CJK text (``છ 来源:``)
            # goes with its space, in a salted document only.
            spaces = _SPACES_THEN_CJK.match(text, end)
            if before == "\n" and spaces and _STRONG_CHAR.match(run):
                candidates.append((start, spaces.end(1), False))
            continue
        if not ((left_han or before == "\n" or _CJK_SIDE.match(before)) and (
            right_han or after == "\n" or _CJK_SIDE.match(after)
        )):
            continue
        strong = bool(_STRONG_CHAR.search(run))
        strong_runs += strong
        candidates.append((start, end, strong))
    salted = strong_runs >= weak_evidence
    return [Edit(s, e, "", "stray-symbol") for s, e, strong in candidates if strong or salted]


def find_noise_edits(text: str, *, min_lines: int = 3, weak_evidence: int = 2) -> list[Edit]:
    """Watermarks (rule ``watermark``), then stray symbols (rule ``stray-symbol``), as deletions."""
    watermarks = _watermark_edits(text, min_lines=min_lines)
    if not watermarks:
        # What chain_edits gives when its first pass finds nothing, without its frame: most pages.
        return _stray_symbol_edits(text, weak_evidence=weak_evidence)
    return chain_edits(
        text,
        lambda t: watermarks,  # found above: the first pass is given `text` itself
        lambda t: _stray_symbol_edits(t, weak_evidence=weak_evidence),
    )


def strip_noise(text: str, *, min_lines: int = 3, weak_evidence: int = 2) -> str:
    """Remove scraper watermarks and stray anti-scraping symbols from inside lines.

    A **watermark** is found by repetition and shape, not by a list of sites:
    a domain (``it200.com``) that recurs in at least `min_lines` lines of the
    document, together with the site name and separator that stand beside it
    in three quarters of its copies (``爱掏网 - it200.com``,
    ``kabu.jp - 株ニュース``, ``(出典:kabu-news.jp)``). A bare domain with no
    name is taken only when it always starts a sentence, which prose
    mentioning a site rarely does. A clipped copy (``it200.co``) goes with
    the full one.

    A **stray symbol** is one or two characters of an unrelated script or
    symbol block touching a hanzi or kana, with CJK text or punctuation on its
    other side: ``核心观¨Ξ点``, ``发达经济体Ã的``, ``美元ૌ外溢``. Latin-1
    letters, Indic, Arabic and other scripts count always; Greek, Cyrillic,
    circled letters and box shapes, which do appear in sound text (``α粒子``,
    ``β版``), count only in a document with at least `weak_evidence` of the
    first kind; so does a symbol opening a line before a space (``છ 来源:``).
    Never touched: ``·`` in names, ``°C``, ``×``, ``±``, ``²``,
    letters inside a Latin word (``Pokémon``, ``Zoé``), and runs of three or
    more (mojibake such as ``ÖÐÎÄ`` is fix-mojibake's to repair).

    When it is wrong: a watermark without a domain (a bare site name pasted
    into each paragraph) is not found; an article that cites the same source
    as ``(来源:xinhua.net)`` in three paragraphs loses the citations; when
    every copy of a watermark happens to be followed by the same character,
    that character goes too; a lone Greek letter used as a variable in a
    salted document goes.

    >>> strip_noise("核心观¨Ξ点\\n分区域看,发达经济体Ã的通胀压力,我们以美国作Ο为分析的出发点,ç理由有三")
    '核心观点\\n分区域看,发达经济体的通胀压力,我们以美国作为分析的出发点,理由有三'
    >>> strip_noise("α粒子的能量约为5MeV,埃里克·施密特说。")
    'α粒子的能量约为5MeV,埃里克·施密特说。'
    """
    return apply_edits(text, find_noise_edits(text, min_lines=min_lines, weak_evidence=weak_evidence))


register(Filter("strip-noise", strip_noise, find_noise_edits, deletes_only=True))
