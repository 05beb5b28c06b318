"""The frame every filter plugs into: edits, changes, and the `Filter` object.

A filter finds *edits* in its input: non-overlapping spans ``[start, end)``, each
with its replacement and the id of the rule that asked for it. Applying the
edits gives the filter's output; the same edits, with the text they replace,
are the filter's explanation. Because both come from one list, the output and
the explanation cannot disagree: replaying the changes gives the output.

A filter that works in several passes (first this, then that) builds its edits
with `chain_edits`, which composes the passes into one list of edits over the
original input, so a change always points into the text the filter was given.
"""

from __future__ import annotations

import inspect
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from cleantext.pipeline import Pipeline

__all__ = ["Change", "Edit", "Filter", "apply_edits", "chain_edits", "replay", "undo"]


class Edit(NamedTuple):
    """Replace ``text[start:end]`` by `new`, because of `rule`."""

    start: int
    end: int
    new: str
    rule: str


@dataclass(frozen=True, slots=True)
class Change:
    """One change a filter made, as its explanation reports it.

    `start` and `end` index the input of that filter (not of the pipeline),
    `old` is ``input[start:end]`` and `new` what replaced it; a removal has
    ``new == ""``. `rule` names the rule (or rules, joined by ``+``, where two
    passes of one filter touched the same span).
    """

    filter: str
    rule: str
    start: int
    end: int
    old: str
    new: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


EditFinder = Callable[..., list[Edit]]


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Splice sorted, non-overlapping `edits` into `text`."""
    parts = []
    pos = 0
    for start, end, new, _rule in edits:
        parts.append(text[pos:start])
        parts.append(new)
        pos = end
    if not parts:
        return text
    parts.append(text[pos:])
    return "".join(parts)


def replay(text: str, changes: Sequence[Change]) -> str:
    """Apply one filter's `changes` to that filter's input.

    >>> replay("中 文", [Change("normalize-whitespace", "cjk-gap", 1, 2, " ", "")])
    '中文'
    """
    return apply_edits(text, (Edit(c.start, c.end, c.new, c.rule) for c in changes))


def undo(output: str, changes: Sequence[Change]) -> str:
    """Recover one filter's input from its output and its changes: the inverse of `replay`.

    With `--removed`, every span a deleting filter removed is kept, so the
    original can be restored for audit.

    >>> undo("中文", [Change("normalize-whitespace", "cjk-gap", 1, 2, " ", "")])
    '中 文'
    """
    parts = []
    pos = 0  # in `output`
    shift = 0  # output position minus input position, before the current change
    for c in changes:
        out_start = c.start + shift
        parts.append(output[pos:out_start])
        parts.append(c.old)
        pos = out_start + len(c.new)
        shift += len(c.new) - (c.end - c.start)
    parts.append(output[pos:])
    return "".join(parts)


def _join_rules(rules: list[str]) -> str:
    seen: list[str] = []
    for rule in rules:
        for part in rule.split("+"):
            if part not in seen:
                seen.append(part)
    return "+".join(seen)


def _compose(text0: str, first: list[Edit], second: list[Edit]) -> list[Edit]:
    """Edits on `text0` equal to applying `first`, then `second` on the result.

    Both lists are laid out on the intermediate text; touching intervals from
    the two lists are merged into one edit over the original span (its rule
    names both), the rest keep their own span and rule.
    """
    if not first:
        return second
    if not second:
        return first
    text1 = apply_edits(text0, first)
    # Where each edit of `first` sits in text1, and the text1 - text0 offset after it.
    spans1: list[tuple[int, int]] = []
    shift_after: list[int] = []
    shift = 0
    for edit in first:
        start1 = edit.start + shift
        spans1.append((start1, start1 + len(edit.new)))
        shift += len(edit.new) - (edit.end - edit.start)
        shift_after.append(shift)
    ends1 = [end for _start, end in spans1]

    def to_text0(pos1: int) -> int:
        # Only called for positions outside the interior of every hunk.
        k = bisect_right(ends1, pos1)
        return pos1 - (shift_after[k - 1] if k else 0)

    # Sweep both lists in text1 order, clustering intervals that touch.
    items = [(s, e, 0, i) for i, (s, e) in enumerate(spans1)]
    items += [(e.start, e.end, 1, i) for i, e in enumerate(second)]
    items.sort(key=lambda item: (item[0], item[1]))
    clusters: list[list[tuple[int, int, int, int]]] = []
    cluster_end = -1
    for item in items:
        if clusters and item[0] <= cluster_end:
            clusters[-1].append(item)
            cluster_end = max(cluster_end, item[1])
        else:
            clusters.append([item])
            cluster_end = item[1]

    merged: list[Edit] = []
    for cluster in clusters:
        kinds = {kind for _s, _e, kind, _i in cluster}
        if kinds == {0}:  # only `first` here: unchanged by `second`
            merged.extend(first[i] for _s, _e, _k, i in cluster)
            continue
        if kinds == {1}:  # only `second`, over text `first` left alone
            for _s, _e, _k, i in cluster:
                e = second[i]
                merged.append(Edit(to_text0(e.start), to_text0(e.end), e.new, e.rule))
            continue
        start1 = min(item[0] for item in cluster)
        end1 = max(item[1] for item in cluster)
        hunks = [first[i] for _s, _e, kind, i in cluster if kind == 0]
        inner = sorted((second[i] for _s, _e, kind, i in cluster if kind == 1), key=lambda e: (e.start, e.end))
        # Edges of the cluster are hunk edges or lie outside every hunk.
        start0 = min([h.start for h in hunks] + [to_text0(e.start) for e in inner if e.start == start1])
        end0 = max([h.end for h in hunks] + [to_text0(e.end) for e in inner if e.end == end1])
        new_text = apply_edits(text1[start1:end1], [Edit(e.start - start1, e.end - start1, e.new, e.rule) for e in inner])
        rules = [_item_rule(first, second, item) for item in cluster]
        merged.append(Edit(start0, end0, new_text, _join_rules(rules)))
    merged.sort(key=lambda e: (e.start, e.end))
    return merged


def _item_rule(first: list[Edit], second: list[Edit], item: tuple[int, int, int, int]) -> str:
    return (first if item[2] == 0 else second)[item[3]].rule


def chain_edits(text: str, *passes: Callable[[str], list[Edit]]) -> list[Edit]:
    """Run `passes` one after the other; return their edits over the original `text`.

    >>> passes = (lambda t: [Edit(0, 1, "中", "a")], lambda t: [Edit(1, 2, "", "b")])
    >>> chain_edits("x 文", *passes)
    [Edit(start=0, end=2, new='中', rule='a+b')]
    """
    edits: list[Edit] = []
    current = text
    last = len(passes) - 1
    for i, find in enumerate(passes):
        step = find(current)
        if step:
            edits = _compose(text, edits, step)
            if i < last:  # the last pass's output is not needed
                current = apply_edits(current, step)
    return edits


def _whole_text_edits(function: Callable[..., str]) -> EditFinder:
    """Edits for a filter that only knows how to return its output: one edit, or none."""

    def find(text: str, **options: Any) -> list[Edit]:
        out = function(text, **options)
        return [] if out == text else [Edit(0, len(text), out, "rewrite")]

    return find


class Filter:
    """A named, documented step ``str -> str`` that can explain what it changed.

    `function` is the plain verb function (``normalize_whitespace``): its
    docstring is the filter's documentation and its first line the summary.
    `find_edits` takes the same arguments and returns the edits; where it is
    omitted (a user's own function), a change is reported as one whole-text
    rewrite. `deletes_only` declares that every edit removes text and inserts
    nothing, which the property tests then hold it to.

    Filters pickle by reference to their module-level functions, so they can be
    shipped to worker processes; anything heavy is built lazily inside them.
    """

    __slots__ = ("deletes_only", "find_edits", "function", "name", "options")

    def __init__(
        self,
        name: str,
        function: Callable[..., str],
        find_edits: EditFinder | None = None,
        *,
        deletes_only: bool = False,
        options: dict[str, Any] | None = None,
    ) -> None:
        self.name = name
        self.function = function
        self.find_edits = find_edits if find_edits is not None else _whole_text_edits(function)
        self.deletes_only = deletes_only
        self.options = dict(options or {})

    # -- running -----------------------------------------------------------
    def __call__(self, text: str) -> str:
        return self.function(text, **self.options)

    def edits(self, text: str) -> list[Edit]:
        return self.find_edits(text, **self.options)

    def explain(self, text: str) -> tuple[str, list[Change]]:
        """The output and every change, spans in `text`.

        >>> from cleantext import get_filter
        >>> out, changes = get_filter("normalize-whitespace").explain("コア データベースを公開した。")
        >>> out, changes[0].rule, changes[0].start, changes[0].old
        ('コアデータベースを公開した。', 'cjk-gap', 2, ' ')
        """
        edits = self.edits(text)
        changes = [Change(self.name, e.rule, e.start, e.end, text[e.start : e.end], e.new) for e in edits]
        return apply_edits(text, edits), changes

    # -- describing ----------------------------------------------------------
    @property
    def doc(self) -> str:
        return inspect.getdoc(self.function) or ""

    @property
    def summary(self) -> str:
        return self.doc.split("\n", 1)[0].strip()

    def configure(self, **options: Any) -> Filter:
        """The same filter with some options set: ``get_filter("fix-mojibake").configure(remove_irrecoverable=True)``."""
        params = inspect.signature(self.function).parameters
        unknown = [k for k in options if k not in params or params[k].kind is not inspect.Parameter.KEYWORD_ONLY]
        if unknown:
            known = [k for k, p in params.items() if p.kind is inspect.Parameter.KEYWORD_ONLY]
            msg = f"filter {self.name!r} has no option {unknown[0]!r}; its options: {', '.join(known) or 'none'}"
            raise ValueError(msg)
        return Filter(
            self.name,
            self.function,
            self.find_edits,
            deletes_only=self.deletes_only,
            options={**self.options, **options},
        )

    # -- composing -----------------------------------------------------------
    def __or__(self, other: Filter | Pipeline) -> Pipeline:
        from cleantext.pipeline import Pipeline

        return Pipeline([self]) | other

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Filter)
            and (self.name, self.function, self.options) == (other.name, other.function, other.options)
        )

    def __hash__(self) -> int:
        return hash((self.name, self.function))

    def __repr__(self) -> str:
        opts = "".join(f", {k}={v!r}" for k, v in self.options.items())
        return f"Filter({self.name!r}{opts})"

    def __getstate__(self) -> dict[str, Any]:
        return {slot: getattr(self, slot) for slot in self.__slots__}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for slot, value in state.items():
            setattr(self, slot, value)
