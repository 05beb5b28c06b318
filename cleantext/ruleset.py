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

The rule sets are compiled once per process and file (`load_rules` is cached):
all line rules of a set become one alternation, tried once per line.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from cleantext.patterns import CJK_PUNCT, HAN, KANA

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
_TIER_LIMITS = (16, 40, 80, 160)
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
    for key, value in _PLACEHOLDERS.items():
        pattern = pattern.replace(key, value)
    return re.compile(pattern)


_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


def _expand(pattern: str) -> str:
    """The pattern with placeholders filled and named groups made plain, to sit in an alternation."""
    for key, value in _PLACEHOLDERS.items():
        pattern = pattern.replace(key, value)
    return _NAMED_GROUP.sub("(?:", pattern)


@dataclass
class _Tier:
    """The rules that apply to lines of at most `limit` characters, as one alternation."""

    limit: int
    regex: re.Pattern[str] | None
    rules: list[Rule] = field(default_factory=list)


class RuleSet:
    """Compiled line rules: `classify` returns the first rule that fires on a line.

    Rules are split into chrome rules and meta rules; each kind is compiled
    into one alternation per length tier, so a line is tested once per kind,
    and long lines (body paragraphs) only against the few rules meant for them.
    """

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        self.by_id = {rule.id: rule for rule in rules}
        self._chrome = self._tiers([r for r in rules if not r.is_meta and r.action != "unwrap"])
        self._meta = self._tiers([r for r in rules if r.is_meta])
        self.unwrap = [r for r in rules if r.action == "unwrap"]
        self._seen: dict[str, tuple[Rule | None, Rule | None]] = {}

    @staticmethod
    def _tiers(rules: list[Rule]) -> list[_Tier]:
        # A few length tiers, not one per distinct max_length: each tier is one
        # big alternation to compile. A rule's exact cap is checked on a match.
        longest = max((r.max_length for r in rules), default=0)
        limits = [t for t in _TIER_LIMITS if t < longest] + [longest]
        tiers = []
        lower = 0
        for limit in limits:
            members = [r for r in rules if r.max_length > lower]
            lower = limit
            # Group names must be identifiers and unique: g0, g1... mapped back to rules.
            body = "|".join(f"(?P<g{i}>{_expand(r.pattern)})" for i, r in enumerate(members))
            tiers.append(_Tier(limit, re.compile(body) if members else None, members))
        return tiers

    @staticmethod
    def _first(tiers: list[_Tier], line: str) -> Rule | None:
        n = len(line)
        for tier in tiers:
            if n <= tier.limit:
                if tier.regex is None:
                    return None
                m = tier.regex.match(line)
                if m is None or m.lastgroup is None:
                    return None
                rule = tier.rules[int(m.lastgroup[1:])]
                if n <= rule.max_length:
                    return rule
                # The first rule that matched is capped below this line's length:
                # try the rest one by one (rare).
                return next((r for r in tier.rules if n <= r.max_length and r.regex.match(line)), None)
        return None

    def classify(self, line: str) -> tuple[Rule | None, Rule | None]:
        """The chrome rule, else the meta rule, that fires on the stripped `line`.

        Short lines are remembered: menus, buttons and footers repeat across
        the pages of a site, so a corpus run mostly looks them up.
        """
        if len(line) > _CACHED_LENGTH:
            chrome = self._first(self._chrome, line)
            return chrome, (None if chrome is not None else self._first(self._meta, line))
        found = self._seen.get(line)
        if found is None:
            chrome = self._first(self._chrome, line)
            found = chrome, (None if chrome is not None else self._first(self._meta, line))
            if len(self._seen) >= _CACHE_SIZE:
                self._seen.clear()
            self._seen[line] = found
        return found

    def chrome_rule(self, line: str) -> Rule | None:
        """The first chrome rule that fires on the stripped `line`, or None."""
        return self._first(self._chrome, line)

    def meta_rule(self, line: str) -> Rule | None:
        """The first meta rule that fires on the stripped `line`, or None."""
        return self._first(self._meta, line)


def _read_rules(text: str, source: str) -> list[Rule]:
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
        rules += _read_rules((folder / name).read_text(encoding="utf-8"), name)
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
