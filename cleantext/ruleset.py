"""Line rules as data: loading and compiling the TOML rule files of strip-chrome.

A rule file holds ``[[rule]]`` tables. Each rule has:

``id``           unique name, reported by explain (``disclaimer-zh``)
``family``       what kind of chrome it is (``disclaimer``, ``share``, ``meta``...)
``description``  one sentence: what it removes and why
``pattern``      a Python regular expression matched at the start of the
                 stripped line (``re.match``); end it with ``$`` to require
                 the whole line. ``{HAN}``, ``{KANA}`` and ``{CJK_PUNCT}`` are
                 replaced by the character classes of `cleantext.patterns`.
                 Use scoped flags ``(?i:...)``, never global ones.
``positive``     example lines the rule must match
``negative``     example lines it must leave alone
``max_length``   optional: the rule only applies to lines up to this many
                 characters (default 120), so that a long paragraph that
                 happens to start with a disclaimer word is never removed
``block``        optional: the line heads a block of chrome: ``list`` (the
                 short lines and list items under it), ``summary`` (one
                 paragraph then list items), ``toc`` (list items only)
``action``       optional: ``unwrap`` keeps the named group ``keep`` and
                 deletes the rest of the match (a content-farm title wrapper)

A rule of family ``meta`` marks metadata (byline, date, source), which is kept
unless the caller asks to drop it; ``field`` (``author``, ``date``, ``source``,
``editor``) and a named group ``value`` let `extract_meta` read it.

The rule sets are built once per process and file (`load_rules` is cached),
each rule's regex compiled the first time a line needs it; a line is tried
only against the rules whose key characters it holds (see `RuleSet`).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from cleantext.patterns import CJK_PUNCT, HAN, KANA, class_body, code_runs

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["BUILTIN_RULE_FILES", "Rule", "RuleSet", "load_rules"]

BUILTIN_RULE_FILES = ("common.toml", "zh-hans.toml", "zh-hant.toml", "ja.toml")
DEFAULT_MAX_LENGTH = 120
# Lines up to this length are remembered by `RuleSet.classify`, at most this many.
_CACHED_LENGTH = 40
_CACHE_SIZE = 1 << 16
# Up to this many key characters are looked for in a whole page one by one (`may_unwrap`).
_FEW_KEY_CHARS = 8
_BLOCKS = ("list", "summary", "toc")
_PLACEHOLDERS = {"{HAN}": HAN, "{KANA}": KANA, "{CJK_PUNCT}": CJK_PUNCT}


@dataclass(frozen=True)
class Rule:
    """One line rule, as read from a rule file."""

    id: str
    family: str
    description: str
    pattern: str
    positive: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()
    max_length: int = DEFAULT_MAX_LENGTH
    block: str | None = None
    action: str | None = None
    field: str | None = None
    source: str = ""

    @property
    def is_meta(self) -> bool:
        return self.family == "meta"

    @property
    def regex(self) -> re.Pattern[str]:
        return _compile(self.pattern)

    def matches(self, line: str) -> bool:
        """Whether the rule fires on `line` (stripped, length-capped), as strip-chrome applies it."""
        line = line.strip()
        return len(line) <= self.max_length and self.regex.match(line) is not None


@cache
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(_expand(pattern))


def _expand(pattern: str) -> str:
    """A rule pattern with ``{HAN}``, ``{KANA}`` and ``{CJK_PUNCT}`` replaced by their character classes."""
    for key, value in _PLACEHOLDERS.items():
        pattern = pattern.replace(key, value)
    return pattern


# --- Key characters: which characters every match of a rule must contain ---
#
# A rule is read as a parse tree (the `re` module's own parser). A literal
# character is required; a sequence requires what any one of its items
# requires; an alternation requires one of the union of what its branches
# require; a repeat at least once requires what its body does; anything that
# can match without a known character (``.``, ``[^...]``, ``x*``) requires
# nothing. Of a sequence's items the least frequent set is chosen, so that
# few lines hold a rule's key characters. A pattern the walk does not know
# (a flag other than ``i``, a construct of a newer Python) has no key
# characters and is tried on every line: slower, never wrong.

if sys.version_info >= (3, 11):
    from re import _constants as _sre
    from re import _parser as _sre_parse
else:  # pragma: no cover - exercised on Python 3.10 only
    import sre_constants as _sre
    import sre_parse as _sre_parse

# Sets larger than this are no screen: a rule that needs "a digit or a letter" fits most lines.
_MAX_KEY_CHARS = 1000
_CATEGORIES = {_sre.CATEGORY_DIGIT: r"\d", _sre.CATEGORY_SPACE: r"\s"}
# How often characters occur in running CJK text, roughly: spaces, ASCII and
# common punctuation, and the most frequent hanzi and kana are poor keys.
_COMMON = (
    " \u3000\t0123456789.,:;-/()[]!?'\"·•、。，：；！？（）「」『』《》【】・…—"
    "的一是不了在人有我他这中大来上个国到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴切往"
    "のにはをたがでてとしれさるいなかすもまらりこっくけようあえおせそつねめやわんーです"
)


# Latin letters from the most to the least frequent in English; capitals are rarer still.
_LATIN_ORDER = "etaoinshrdlcumwfgypbvkjxqz"


def _char_weight(ch: str) -> int:
    rank = _LATIN_ORDER.find(ch.lower()) if ch.isascii() and ch.isalpha() else -1
    if rank >= 0:
        return (26 - rank) // (2 if ch.isupper() else 1) + 2
    return 20 if ch in _COMMON_SET or ch.isascii() else 1


_COMMON_SET = frozenset(_COMMON)
# A key is a set of (character, ignore_case) pairs.
_Key = frozenset[tuple[str, bool]]


def _weight(key: _Key) -> int:
    return sum(_char_weight(ch) * (2 if icase else 1) for ch, icase in key)


@cache
def _all_chars() -> str:
    """Every code point but the surrogates, in one string, to enumerate classes with `re` itself."""
    import array

    codes = array.array("I", range(0xD800))
    codes.extend(range(0xE000, 0x110000))
    return codes.tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be")


@cache
def _category_chars(category: object) -> frozenset[str]:
    known = _precomputed().get("categories", {}).get(_CATEGORIES[category])
    return _computed_category_chars(category) if known is None else _from_runs(known)


def _class_key(items: list, icase: bool) -> _Key | None:
    chars: set[str] = set()
    for op, av in items:
        if op is _sre.LITERAL:
            chars.add(chr(av))
        elif op is _sre.RANGE and av[1] - av[0] < _MAX_KEY_CHARS:
            chars.update(map(chr, range(av[0], av[1] + 1)))
        elif op is _sre.CATEGORY and av in _CATEGORIES:
            chars |= _category_chars(av)
        else:  # NEGATE, \w, a wide range: too many characters to be a key
            return None
        if len(chars) > _MAX_KEY_CHARS:
            return None
    return frozenset((ch, icase) for ch in chars)


def _node_key(op: object, av: object, icase: bool) -> _Key | None:
    if op is _sre.LITERAL:
        return frozenset({(chr(av), icase)})  # type: ignore[arg-type]
    if op is _sre.IN:
        return _class_key(av, icase)  # type: ignore[arg-type]
    if op is _sre.SUBPATTERN:
        _group, add, remove, sub = av  # type: ignore[misc]
        if (add | remove) & ~_sre.SRE_FLAG_IGNORECASE:
            return None
        inner = (icase or bool(add & _sre.SRE_FLAG_IGNORECASE)) and not remove & _sre.SRE_FLAG_IGNORECASE
        return _sequence_key(sub.data, inner)
    if op is _sre.BRANCH:
        union: set[tuple[str, bool]] = set()
        for branch in av[1]:  # type: ignore[index]
            key = _sequence_key(branch.data, icase)
            if key is None:
                return None
            union |= key
        return frozenset(union)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
        low, _high, sub = av  # type: ignore[misc]
        return _sequence_key(sub.data, icase) if low >= 1 else None
    if op is getattr(_sre, "ATOMIC_GROUP", None):
        return _sequence_key(av.data, icase)  # type: ignore[attr-defined]
    return None  # ., [^x], anchors, lookarounds, backreferences: no character required


def _sequence_key(items: list, icase: bool) -> _Key | None:
    best = None
    for op, av in items:
        key = _node_key(op, av, icase)
        if key is not None and (best is None or _weight(key) < _weight(best)):
            best = key
    return best


def _pattern_key(pattern: str) -> _Key | None:
    try:
        parsed = _sre_parse.parse(_expand(pattern))
        flags = parsed.state.flags
        if flags & ~(_sre.SRE_FLAG_IGNORECASE | _sre.SRE_FLAG_UNICODE):
            return None
        return _sequence_key(parsed.data, bool(flags & _sre.SRE_FLAG_IGNORECASE))
    except Exception:  # an unknown construct: no key, the rule is tried everywhere
        return None


def _key_chars(patterns: list[str]) -> list[frozenset[str] | None]:
    """For each pattern, characters one of which is in every string it matches (None: unknown).

    Case-insensitive characters are widened to every character that `re`
    matches them with (``k`` also matches the Kelvin sign), found by running
    `re` itself over all code points once.
    """
    keys = [_pattern_key(p) for p in patterns]
    folded = {ch for key in keys if key for ch, icase in key if icase}
    partners: dict[str, set[str]] = {ch: {ch} for ch in folded}
    if folded:
        pool = re.findall("(?i:[" + "".join(map(re.escape, sorted(folded))) + "])", _all_chars())
        for ch in folded:
            same = re.compile("(?i:" + re.escape(ch) + ")")
            partners[ch].update(c for c in pool if same.fullmatch(c))
    result: list[frozenset[str] | None] = []
    for key in keys:
        if key is None:
            result.append(None)
            continue
        chars: set[str] = set()
        for ch, icase in key:
            chars |= partners[ch] if icase else {ch}
        result.append(frozenset(chars))
    return result


# --- Key strings: a finer screen for the rules whose key characters are common ---
#
# The same walk over strings: a run of literal characters is a string every
# match contains; an alternation of such runs a set of them. A rule whose key
# characters are in a line is tried only if the line also holds one of its key
# strings, which one `re` search of their alternation finds.

_MAX_STRINGS = 64
_Strings = frozenset[tuple[str, bool]]  # (string, ignore_case)


def _string_score(strings: _Strings) -> tuple[int, int]:
    return min(len(s) for s, _ in strings), -len(strings)


def _node_strings(
    op: object, av: object, icase: bool
) -> tuple[set[tuple[str, bool]] | None, _Strings | None]:
    """(every string the node can match, if few; a set of strings one of which every match contains)."""
    if op is _sre.LITERAL:
        exact = {(chr(av), icase)}  # type: ignore[arg-type]
        return exact, frozenset(exact)
    if op is _sre.IN:
        key = _class_key(av, icase)  # type: ignore[arg-type]
        if key is None or len(key) > _MAX_STRINGS:
            return None, None
        return set(key), key
    if op is _sre.SUBPATTERN:
        _group, add, remove, sub = av  # type: ignore[misc]
        if (add | remove) & ~_sre.SRE_FLAG_IGNORECASE:
            return None, None
        inner = (icase or bool(add & _sre.SRE_FLAG_IGNORECASE)) and not remove & _sre.SRE_FLAG_IGNORECASE
        return _sequence_strings(sub.data, inner)
    if op is _sre.BRANCH:
        exact: set[tuple[str, bool]] | None = set()
        required: set[tuple[str, bool]] | None = set()
        for branch in av[1]:  # type: ignore[index]
            e, r = _sequence_strings(branch.data, icase)
            exact = None if e is None or exact is None else exact | e
            required = None if r is None or required is None else required | r
        if exact is not None and len(exact) > _MAX_STRINGS:
            exact = None
        return exact, (None if required is None else frozenset(required))
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
        low, high, sub = av  # type: ignore[misc]
        e, r = _sequence_strings(sub.data, icase)
        if low == 0:
            return ((e | {("", False)}) if high == 1 and e is not None else None), None
        return (e if low == high == 1 else None), r
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
        return {("", False)}, None
    if op is getattr(_sre, "ATOMIC_GROUP", None):
        return _sequence_strings(av.data, icase)  # type: ignore[attr-defined]
    return None, None


def _sequence_strings(items: list, icase: bool) -> tuple[set[tuple[str, bool]] | None, _Strings | None]:
    best: _Strings | None = None

    def consider(strings: _Strings | set[tuple[str, bool]] | None) -> None:
        nonlocal best
        if not strings or any(not s for s, _ in strings):
            return
        strings = frozenset(strings)
        if best is None or _string_score(strings) > _string_score(best):
            best = strings

    run: set[tuple[str, bool]] | None = {("", False)}  # the strings the items so far match exactly
    whole = True  # whether `run` covers every item so far
    for op, av in items:
        exact, required = _node_strings(op, av, icase)
        if exact is not None and run is not None:
            joined = {(a + b, ai or bi) for a, ai in run for b, bi in exact}
            if len(joined) <= _MAX_STRINGS:
                run = joined
                continue
        consider(run)
        consider(required)
        if exact is None:
            whole = False
        run = set(exact) if exact is not None else {("", False)}
    consider(run)
    return (run if whole else None), best


def _pattern_strings(pattern: str) -> _Strings | None:
    try:
        parsed = _sre_parse.parse(_expand(pattern))
        flags = parsed.state.flags
        if flags & ~(_sre.SRE_FLAG_IGNORECASE | _sre.SRE_FLAG_UNICODE):
            return None
        return _sequence_strings(parsed.data, bool(flags & _sre.SRE_FLAG_IGNORECASE))[1]
    except Exception:  # an unknown construct: no key strings
        return None


def _screen_strings(pattern: str) -> tuple[list[str], list[str]] | None:
    """The key strings of `pattern` that `_string_screens` searches for: (case-sensitive, folded), or None."""
    strings = _pattern_strings(pattern)
    if strings is None or max(len(s) for s, _ in strings) < 2:
        return None
    plain = sorted({s for s, icase in strings if not icase})
    folded = sorted({s.lower() for s, icase in strings if icase})
    if any(not s.isascii() for s in folded):
        return None
    return plain, folded


def _string_screens(pattern: str) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None] | None:
    """Searches for the key strings of `pattern`: (case-sensitive ones, folded ones), or None.

    Case-insensitive strings are searched in the line passed through `_fold`,
    lower case ASCII; a rule with a case-insensitive string outside ASCII
    letters has no screen. None as well when the strings are single
    characters: the key characters already screen for those.
    """
    stored = _precomputed().get("rules", {}).get(pattern)
    strings = _screen_strings(pattern) if stored is None else stored["strings"]
    if strings is None:
        return None
    plain, folded = strings
    return (
        re.compile(_any_of(plain)) if plain else None,
        re.compile(_any_of(folded)) if folded else None,
    )


def _any_of(strings: Iterable[str]) -> str:
    """A regex that finds any of `strings`, built so that `re` tries few branches at each position.

    A string that holds another one is dropped (a line with 免責事項 has 免責),
    and shared beginnings are factored out: ``不代表本(?:刊|台)`` rather than
    ``不代表本刊|不代表本台``, since `re` tries the branches of an alternation
    one after the other. The strings found are the same.
    """
    kept: list[str] = []
    for s in sorted(set(strings), key=len):
        if not any(k in s for k in kept):
            kept.append(s)
    return _prefix_tree(sorted(kept))


def _prefix_tree(strings: list[str]) -> str:
    # None of `strings` is a prefix of another, so no rest below is empty.
    by_first: dict[str, list[str]] = {}
    for s in strings:
        by_first.setdefault(s[0], []).append(s)
    branches = []
    for group in by_first.values():
        if len(group) == 1:
            branches.append(re.escape(group[0]))
        else:
            shared = os.path.commonprefix(group)  # noqa: RUF071 - a prefix of characters is what is meant
            rests = [s[len(shared) :] for s in group]
            branches.append(re.escape(shared) + "(?:" + _prefix_tree(rests) + ")")
    return "|".join(branches)


@cache
def _fold_table() -> dict[int, str]:
    """The characters other than A-Z that `re` matches with an ASCII letter ignoring case (Kelvin sign...)."""
    table = {}
    for ch in re.findall("(?i)[a-z]", _all_chars()):
        if not ch.isascii():
            table[ord(ch)] = next(c for c in "abcdefghijklmnopqrstuvwxyz" if re.fullmatch(f"(?i:{c})", ch))
    return table


def _fold(line: str) -> str:
    """The ASCII characters of `line` in lower case, where `re` would match them ignoring case.

    Characters that `re` matches with an ASCII letter ignoring case (the
    Kelvin sign, the long s...) become that letter; every other character
    outside ASCII is dropped. The case-insensitive key strings are ASCII, so
    one that is in the line is in its fold too; two runs that the dropping
    joins can only make a string look present where it is not, and then the
    rule itself is tried and fails: a screen may let a line through, never
    keep one out. Short and plain ASCII, the fold is also quick to search.
    """
    for ch in _fold_specials():
        if ch in line:
            line = line.translate(_fold_table())
            break
    return line.encode("ascii", "ignore").decode("ascii").lower()


@cache
def _fold_specials() -> tuple[str, ...]:
    return tuple(map(chr, _fold_table()))


# --- Guards: the same rule, compiled to fail fast ---
#
# `re` tries the branches of an alternation one after the other; a rule such
# as ``.{0,30}?(?:下载|打开|...)`` tries all of them at each of 30 positions.
# Before every alternation whose first character is known, the compiled rule
# gets a lookahead for that set of characters, ``(?=[下打...])``: implied by the
# alternation itself, so the rule matches exactly the same strings, but a
# position where no branch can start is rejected by one class test. The
# guards are added to the parse tree and compiled from it; if that fails (an
# older or newer `re`), the rule is compiled as written.

if sys.version_info >= (3, 11):
    from re import _compiler as _sre_compile
else:  # pragma: no cover - exercised on Python 3.10 only
    import sre_compile as _sre_compile


def _first_chars(items: list) -> tuple[set[str] | None, bool]:
    """The characters a match of the sequence can begin with (None: any), and whether it can be empty."""
    first: set[str] = set()
    for op, av in items:
        chars, nullable = _node_first(op, av)
        if chars is None:
            return None, False
        first |= chars
        if not nullable:
            return first, False
    return first, True


def _node_first(op: object, av: object) -> tuple[set[str] | None, bool]:
    if op is _sre.LITERAL:
        return {chr(av)}, False  # type: ignore[arg-type]
    if op is _sre.IN:
        key = _class_key(av, False)  # type: ignore[arg-type]
        return (None if key is None else {ch for ch, _ in key}), False
    if op is _sre.BRANCH:
        union: set[str] = set()
        empty = False
        for branch in av[1]:  # type: ignore[index]
            chars, nullable = _first_chars(branch.data)
            if chars is None:
                return None, False
            union |= chars
            empty = empty or nullable
        return union, empty
    if op is _sre.SUBPATTERN:
        _group, add, remove, sub = av  # type: ignore[misc]
        if add or remove:  # a flag scope: its characters are not compared the same way outside it
            return None, False
        return _first_chars(sub.data)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
        low, high, sub = av  # type: ignore[misc]
        if high == 0:
            return set(), True
        chars, nullable = _first_chars(sub.data)
        return chars, nullable or low == 0
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
        return set(), True  # zero width: the next item supplies the character
    if op is getattr(_sre, "ATOMIC_GROUP", None):
        return _first_chars(av.data)  # type: ignore[attr-defined]
    return None, False


def _pattern_first(pattern: str) -> set[str] | None:
    """The characters a match of `pattern` can begin with; None if any, or if it can be empty."""
    try:
        parsed = _sre_parse.parse(_expand(pattern))
        if parsed.state.flags & ~_sre.SRE_FLAG_UNICODE:  # (?i) and the like compare otherwise
            return None
        chars, nullable = _first_chars(parsed.data)
    except Exception:  # an unknown construct: any first character
        return None
    return None if nullable else chars


def _add_guards(sub: object) -> None:
    """Put a lookahead for its first characters before every alternation in the parse tree `sub`."""
    data = sub.data  # type: ignore[attr-defined]
    i = 0
    while i < len(data):
        op, av = data[i]
        if op is _sre.BRANCH:
            for branch in av[1]:
                _add_guards(branch)
            chars, nullable = _node_first(op, av)
            if chars and not nullable:
                items = [(_sre.IN, _class_items(chars))]
                guard = _sre_parse.SubPattern(sub.state, items)  # type: ignore[attr-defined]
                data.insert(i, (_sre.ASSERT, (1, guard)))
                i += 1
        elif op is _sre.SUBPATTERN:
            _add_guards(av[3])
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
            _add_guards(av[2])
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            _add_guards(av[1])
        elif op is getattr(_sre, "ATOMIC_GROUP", None):
            _add_guards(av)
        i += 1


def _class_items(chars: Iterable[str]) -> list:
    return [(_sre.LITERAL, first) if first == last else (_sre.RANGE, (first, last)) for first, last in code_runs(chars)]


def _guarded(pattern: str) -> re.Pattern[str]:
    """`pattern` compiled with guards: it matches what the plain pattern matches, faster."""
    try:
        parsed = _sre_parse.parse(_expand(pattern))
        # What the plain pattern would have, read off the tree rather than compiling it too.
        groups, groupindex = parsed.state.groups - 1, dict(parsed.state.groupdict)
        _add_guards(parsed)
        guarded = _sre_compile.compile(parsed, 0)
    except Exception:  # a parse tree this code does not know: the plain pattern is as good
        return _compile(pattern)
    if guarded.groupindex != groupindex or guarded.groups != groups:
        return _compile(pattern)
    return guarded


def _char_class(chars: Iterable[str]) -> str:
    """A regex class of the characters: ``\\d`` and ``\\s`` when it holds all of them, runs as ranges.

    `re` tests characters above U+FFFF against a list, one entry at a time,
    so the astral digits must stay inside ``\\d`` rather than be spelled out.
    """
    rest = set(chars)
    parts = []
    for category, spelled in _CATEGORIES.items():
        members = _category_chars(category)
        if members <= rest:
            parts.append(spelled)
            rest -= members
    return "[" + "".join(parts) + class_body(rest) + "]"


# --- The screens of the built-in rules, computed ahead ---
#
# Reading the key and first characters off every pattern, and listing what
# ``\d`` and ``\s`` match among all code points, takes a few tenths of a
# second, which every run of the command would pay before its first line.
# For the built-in rules they are computed ahead into
# ``cleantext/data/rule_screens.json`` by ``scripts/build_screen_data.py``
# (`screen_data`); a test checks that the file is what the code computes now.
# They depend on the Unicode database and on `re`, so the file is used only
# under the Python version and Unicode version it was computed with, and
# only for the patterns it holds: anything else is read off as before.

SCREEN_DATA = "rule_screens.json"


def _interpreter() -> dict[str, str]:
    import unicodedata

    return {"python": "{}.{}".format(*sys.version_info[:2]), "unicode": unicodedata.unidata_version}


def _runs(chars: Iterable[str] | None) -> list[list[int]] | None:
    return None if chars is None else [[first, last] for first, last in code_runs(chars)]


def _from_runs(runs: list[list[int]]) -> frozenset[str]:
    return frozenset(chr(code) for first, last in runs for code in range(first, last + 1))


def screen_data(patterns: Iterable[str]) -> dict:
    r"""What the screens of `patterns` need, and the ``\d`` and ``\s`` sets, as stored in `SCREEN_DATA`.

    Per pattern: its key characters, first characters and key strings.
    Characters are stored as runs of code points ``[first, last]``; None
    means the pattern has none (it is tried on every line, may begin with
    anything, has no string screen).
    """
    ordered = sorted(set(patterns))
    return {
        "interpreter": _interpreter(),
        "categories": {spelled: _runs(_computed_category_chars(cat)) for cat, spelled in _CATEGORIES.items()},
        "rules": {
            pattern: {
                "key": _runs(key),
                "first": _runs(_pattern_first(pattern)),
                "strings": _screen_strings(pattern),
            }
            for pattern, key in zip(ordered, _key_chars(ordered), strict=True)
        },
    }


@cache
def _precomputed() -> dict:
    """The stored screens, if they were computed under this interpreter; else nothing."""
    import json

    try:
        data = json.loads((resources.files("cleantext") / "data" / SCREEN_DATA).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if data.get("interpreter") != _interpreter():
        return {}
    rules = data.get("rules", {}).values()
    return data if all(entry.keys() >= {"key", "first", "strings"} for entry in rules) else {}


def _computed_category_chars(category: object) -> frozenset[str]:
    return frozenset(re.findall(_CATEGORIES[category], _all_chars()))


def _keys_and_firsts(patterns: list[str]) -> tuple[list[frozenset[str] | None], list[set[str] | None]]:
    """`_key_chars` and `_pattern_first` of each pattern, from the stored screens where they are."""
    stored = _precomputed().get("rules", {})
    missing = [p for p in dict.fromkeys(patterns) if p not in stored]
    found = {p: (key, _pattern_first(p)) for p, key in zip(missing, _key_chars(missing), strict=True)}
    for p in patterns:
        if p not in found:
            key, first = stored[p]["key"], stored[p]["first"]
            found[p] = (
                None if key is None else _from_runs(key),
                None if first is None else set(_from_runs(first)),
            )
    return [found[p][0] for p in patterns], [found[p][1] for p in patterns]


class _OnFirstUse(dict):
    """``table[i]`` is ``make(i)``, computed on the first lookup of `i`.

    A rule's regex and key-string screens are compiled only once a line gets
    that far: a short run tries a fraction of the rules. Hits cost a plain
    dict lookup.
    """

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[int], object]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, i: int) -> object:
        value = self[i] = self._make(i)
        return value


def _masks_by_char(char_sets: list) -> tuple[int, dict[str, int]]:
    """For rule i's character set (None: any character), the mask of rules with no set, and
    for each character the mask of the rules whose set holds it (bit i stands for rule i)."""
    unscreened = 0
    by_char: dict[str, int] = {}
    for i, chars in enumerate(char_sets):
        if chars is None:
            unscreened |= 1 << i
            continue
        for ch in chars:
            by_char[ch] = by_char.get(ch, 0) | 1 << i
    return unscreened, by_char


class RuleSet:
    """Compiled line rules: `classify` returns the first rule that fires on a line.

    Trying every rule on every line costs tens of microseconds a line (many
    rules scan up to 60 characters for a keyword). So what each rule needs is
    read off its pattern when the set is built: the characters its match can
    begin with, its key characters (one of which is in every line it can
    match: `_key_chars`) and its key strings (`_string_screens`). A line is
    tried only against the rules that fit its length, its first character
    and the key characters one class scan finds in it, one by one in
    precedence order, each after a search for its key strings, and with
    guards compiled into it (`_guarded`). Every screen is a necessary
    condition, so the answer is the same as trying every rule in order (the
    tests check it); a pattern the screens cannot read is simply tried on
    every line. For the built-in rules the screens are read from data computed
    ahead (`screen_data`), since reading them off costs a few tenths of a
    second at every start.
    """

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        self.by_id = {rule.id: rule for rule in rules}
        chrome = [r for r in rules if not r.is_meta and r.action != "unwrap"]
        meta = [r for r in rules if r.is_meta]
        self.unwrap = [r for r in rules if r.action == "unwrap"]
        # Bit i of a mask stands for rule i of `_ordered`: the chrome rules,
        # then the meta rules, then the unwrap rules, each in precedence order.
        self._ordered = chrome + meta + self.unwrap
        self._n_chrome = len(chrome)
        self._n_classified = len(chrome) + len(meta)
        # Compiled when a line first gets that far (see `_OnFirstUse`).
        self._regexes = _OnFirstUse(lambda i: _guarded(self._ordered[i].pattern))
        self._screens = _OnFirstUse(lambda i: _string_screens(self._ordered[i].pattern))
        keys, firsts = _keys_and_firsts([r.pattern for r in self._ordered])
        # _always: rules without key characters, tried on every line they fit.
        self._always, self._char_mask = _masks_by_char(keys)
        # Rules are matched at the start of the line: most can begin with a few characters only.
        # _any_first: rules that can begin with any character, or match empty.
        self._any_first, self._first_mask = _masks_by_char(firsts)
        self._keys = keys
        # One scan per set of rules a line length admits (long lines fit few rules: fewer key characters).
        self._key_scans: dict[int, re.Pattern[str] | None] = {}
        self._unwrap_scan: re.Pattern[str] | tuple[str, ...] | None = None
        # _fits[n]: the rules whose length cap admits a line of n characters.
        longest = max((r.max_length for r in self._ordered), default=0)
        fits = [0] * (longest + 1)
        for i, r in enumerate(self._ordered):
            for n in range(min(r.max_length, longest) + 1):
                fits[n] |= 1 << i
        self._fits = fits
        classified = (1 << self._n_classified) - 1
        self._fits_classified = [m & classified for m in fits]
        self._fits_unwrap = [m & ~classified for m in fits]
        self._seen: dict[str, tuple[Rule | None, Rule | None]] = {}

    def _candidates(self, line: str, fits: list[int]) -> int:
        """The mask of the rules that fit `line`'s length and whose key characters it holds."""
        n = len(line)
        if n >= len(fits):
            return 0
        allowed = fits[n] & (self._any_first | self._first_mask.get(line[:1], 0))
        if not allowed:
            return 0
        mask = self._always
        # One compiled scan per length class (not per first character: fewer to compile).
        try:
            scan = self._key_scans[fits[n]]
        except KeyError:
            scan = self._key_scans[fits[n]] = self._key_scan(fits[n])
        if scan is not None:
            char_mask = self._char_mask
            for ch in scan.findall(line):
                mask |= char_mask[ch]
        return mask & allowed

    def _key_scan(self, allowed: int) -> re.Pattern[str] | None:
        chars = self._key_chars_of(allowed)
        return re.compile(_char_class(chars)) if chars else None

    def _key_chars_of(self, allowed: int) -> set[str]:
        chars: set[str] = set()
        for i, key in enumerate(self._keys):
            if key is not None and allowed >> i & 1:
                chars |= key
        return chars

    def _fires(self, i: int, line: str, folded: list[str]) -> re.Match[str] | None:
        """The match of rule `i` on `line`, if its key strings are there and it matches."""
        screens = self._screens[i]
        if screens is not None:
            plain, insensitive = screens
            if plain is None or plain.search(line) is None:
                if insensitive is None:
                    return None
                if not folded:
                    folded.append(_fold(line))
                if insensitive.search(folded[0]) is None:
                    return None
        return self._regexes[i].match(line)

    def __reduce__(self) -> tuple[type[RuleSet], tuple[list[Rule]]]:
        # The guarded regexes are compiled from parse trees and do not pickle:
        # a rule set travels (to worker processes) as its rules and is rebuilt.
        return RuleSet, (self.rules,)

    def _scan(self, line: str) -> tuple[Rule | None, Rule | None]:
        mask = self._candidates(line, self._fits_classified)
        folded: list[str] = []
        while mask:
            low = mask & -mask
            i = low.bit_length() - 1
            mask ^= low
            if self._fires(i, line, folded) is not None:
                rule = self._ordered[i]
                # Every chrome rule comes before every meta rule: a meta rule
                # that fires first means no chrome rule did.
                return (rule, None) if i < self._n_chrome else (None, rule)
        return None, None

    def classify(self, line: str) -> tuple[Rule | None, Rule | None]:
        """The chrome rule, else the meta rule, that fires on the stripped `line`.

        Short lines are remembered: menus, buttons and footers repeat across
        the pages of a site, so a corpus run mostly looks them up.
        """
        if len(line) > _CACHED_LENGTH:
            return self._scan(line)
        found = self._seen.get(line)
        if found is None:
            found = self._scan(line)
            if len(self._seen) >= _CACHE_SIZE:
                self._seen.clear()
            self._seen[line] = found
        return found

    def chrome_rule(self, line: str) -> Rule | None:
        """The first chrome rule that fires on the stripped `line`, or None."""
        return self._scan(line)[0]

    def meta_rule(self, line: str) -> Rule | None:
        """The first meta rule that fires on the stripped `line`, or None."""
        mask = self._candidates(line, self._fits_classified) & ~((1 << self._n_chrome) - 1)
        folded: list[str] = []
        while mask:
            low = mask & -mask
            i = low.bit_length() - 1
            if self._fires(i, line, folded) is not None:
                return self._ordered[i]
            mask ^= low
        return None

    def may_unwrap(self, text: str) -> bool:
        """Whether an unwrap rule can fire on any line of `text` (one scan of the whole text)."""
        unwrap = ((1 << len(self._ordered)) - 1) & ~((1 << self._n_classified) - 1)
        if not unwrap:
            return False
        if self._always & unwrap:
            return True
        if self._unwrap_scan is None:
            chars = self._key_chars_of(unwrap)
            # `in` looks for one character at C speed, where `re` tests a class at
            # every position (40 times slower on a page): a few characters go one by one.
            self._unwrap_scan = tuple(chars) if len(chars) <= _FEW_KEY_CHARS else self._key_scan(unwrap)
        if isinstance(self._unwrap_scan, tuple):
            return any(ch in text for ch in self._unwrap_scan)
        return self._unwrap_scan is not None and self._unwrap_scan.search(text) is not None

    def unwrap_match(self, line: str) -> tuple[Rule, re.Match[str]] | None:
        """The first unwrap rule that fires on the stripped `line`, with its match, or None."""
        if isinstance(self._unwrap_scan, tuple) and not any(ch in line for ch in self._unwrap_scan):
            return None  # no key character of any unwrap rule (set by `may_unwrap`)
        mask = self._candidates(line, self._fits_unwrap)
        folded: list[str] = []
        while mask:
            low = mask & -mask
            i = low.bit_length() - 1
            m = self._fires(i, line, folded)
            if m is not None:
                return self._ordered[i], m
            mask ^= low
        return None


def _read_rules(text: str, source: str, *, check_patterns: bool = True) -> list[Rule]:
    """The rules of a rule file; `check_patterns` compiles each pattern to report a bad one here, by name."""
    data = tomllib.loads(text)
    rules = []
    for i, entry in enumerate(data.get("rule", [])):
        missing = [k for k in ("id", "family", "description", "pattern") if k not in entry]
        if missing:
            msg = f"{source}: rule #{i + 1} lacks {', '.join(missing)}"
            raise ValueError(msg)
        block = entry.get("block")
        if block is not None and block not in _BLOCKS:
            msg = f"{source}: rule {entry['id']!r}: block must be one of {', '.join(_BLOCKS)}, not {block!r}"
            raise ValueError(msg)
        action = entry.get("action")
        if action not in (None, "unwrap"):
            msg = f"{source}: rule {entry['id']!r}: the only action is 'unwrap', not {action!r}"
            raise ValueError(msg)
        if check_patterns:
            try:
                regex = _compile(entry["pattern"])
            except re.error as e:
                msg = f"{source}: rule {entry['id']!r}: bad pattern: {e}"
                raise ValueError(msg) from None
            if action == "unwrap" and "keep" not in regex.groupindex:
                msg = f"{source}: rule {entry['id']!r}: an unwrap rule needs a named group 'keep'"
                raise ValueError(msg)
        rules.append(
            Rule(
                id=entry["id"],
                family=entry["family"],
                description=entry["description"],
                pattern=entry["pattern"],
                positive=tuple(entry.get("positive", ())),
                negative=tuple(entry.get("negative", ())),
                max_length=int(entry.get("max_length", DEFAULT_MAX_LENGTH)),
                block=block,
                action=action,
                field=entry.get("field"),
                source=source,
            )
        )
    return rules


def builtin_rules() -> list[Rule]:
    """The rules shipped with cleantext, in precedence order."""
    rules: list[Rule] = []
    folder = resources.files("cleantext") / "rules"
    for name in BUILTIN_RULE_FILES:
        # Their patterns are compiled when first needed, not here: the tests check them
        # (test_rules.py), and compiling all of them would slow down every start.
        rules += _read_rules((folder / name).read_text(encoding="utf-8"), name, check_patterns=False)
    return rules


@lru_cache(maxsize=16)
def load_rules(path: str | None = None, *, with_builtin: bool = True) -> RuleSet:
    """The compiled rule set: the built-in rules, then those of the file at `path`.

    Cached per process: a corpus run compiles each rule file once. A user's
    rules come after the built-in ones (so an id may not repeat); pass
    ``with_builtin=False`` to use only the user's file.
    """
    rules = builtin_rules() if with_builtin else []
    if path is not None:
        p = Path(path)
        rules += _read_rules(p.read_text(encoding="utf-8"), str(p))
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            msg = f"rule id {rule.id!r} is defined twice ({rule.source})"
            raise ValueError(msg)
        seen.add(rule.id)
    return RuleSet(rules)
