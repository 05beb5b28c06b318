"""Pipelines: filters run one after another, with one explanation for all."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Union

from cleantext.core import Change, Filter
from cleantext.registry import default_filters, get_filter

__all__ = ["Pipeline", "Spec", "clean", "resolve"]

# What users may pass wherever filters are asked for: a spec string
# ("fix-mojibake,strip-chrome"), a list of names or filters, or a pipeline.
Spec = Union[str, Filter, "Pipeline", Iterable[Union[str, Filter]]]

SCRIPT_TARGETS = ("hans", "hant", "tw", "twp", "hk")


def resolve(spec: Spec | None) -> list[Filter]:
    """The filters a spec names; `None` is the default preset."""
    if spec is None:
        return default_filters()
    if isinstance(spec, Pipeline):
        return list(spec.filters)
    if isinstance(spec, Filter):
        return [spec]
    if isinstance(spec, str):
        names = [part.strip() for part in spec.split(",")]
        if spec.strip() == "" or "" in names:
            msg = f"empty filter name in spec {spec!r}; write names separated by commas"
            raise ValueError(msg)
        return [get_filter(name) for name in names]
    filters = []
    for item in spec:
        if isinstance(item, Filter):
            filters.append(item)
        elif isinstance(item, str):
            filters.append(get_filter(item.strip()))
        else:
            msg = f"expected a filter name or Filter, got {type(item).__name__}"
            raise TypeError(msg)
    return filters


def script_filter(to: str) -> Filter:
    """The conversion filter for ``to=`` / ``--to``."""
    if to not in SCRIPT_TARGETS:
        msg = f"unknown script target {to!r}; choose one of {', '.join(SCRIPT_TARGETS)}"
        raise ValueError(msg)
    return get_filter(f"to-{to}")


class Pipeline:
    """Filters composed in order: ``Pipeline([a, b])``, ``a | b`` or ``Pipeline.from_spec("a,b")``.

    >>> from cleantext import Pipeline
    >>> pipe = Pipeline.from_spec("normalize-unicode,normalize-whitespace")
    >>> pipe("ＤｅｅｐＳｅｅｋ 发布\u200b了 新模型。 ")
    'DeepSeek 发布了新模型。'
    >>> [c.rule for c in pipe.explain("ＡＩ\u200b模型")[1]]
    ['fullwidth-ascii', 'invisible']
    """

    __slots__ = ("filters",)

    def __init__(self, filters: Sequence[Filter | str] = ()) -> None:
        self.filters: tuple[Filter, ...] = tuple(resolve(list(filters)))

    @classmethod
    def from_spec(cls, spec: Spec | None) -> Pipeline:
        return cls(resolve(spec))

    def __call__(self, text: str) -> str:
        for step in self.filters:
            text = step(text)
        return text

    def explain(self, text: str) -> tuple[str, list[Change]]:
        """The result and every change; each change's span is in the input of its own filter."""
        changes: list[Change] = []
        for step in self.filters:
            text, step_changes = step.explain(text)
            changes.extend(step_changes)
        return text, changes

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.filters]

    def __or__(self, other: Filter | Pipeline | str) -> Pipeline:
        return Pipeline([*self.filters, *resolve(other)])

    def __iter__(self) -> Iterator[Filter]:
        return iter(self.filters)

    def __len__(self) -> int:
        return len(self.filters)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pipeline) and self.filters == other.filters

    def __hash__(self) -> int:
        return hash(self.filters)

    def __repr__(self) -> str:
        return f"Pipeline.from_spec({','.join(self.names)!r})"

    def __getstate__(self) -> tuple[Filter, ...]:
        return self.filters

    def __setstate__(self, state: tuple[Filter, ...]) -> None:
        self.filters = state


def build(filters: Spec | None = None, to: str | None = None) -> Pipeline:
    steps = resolve(filters)
    if to is not None:
        steps.append(script_filter(to))
    return Pipeline(steps)


def clean(text: str, filters: Spec | None = None, to: str | None = None) -> str:
    """Clean `text` with the default preset, or with `filters`; then convert the script if `to` is given.

    `filters` is a spec string (``"fix-mojibake,strip-chrome"``), a list of
    names or filter objects, or a `Pipeline`; `to` is one of ``hans``,
    ``hant``, ``tw``, ``twp``, ``hk``.

    >>> import cleantext
    >>> cleantext.clean("ＡＩ\u200b大模型\\r\\n\\r\\n\\r\\n正在  改变世界。 ", filters="normalize-unicode,normalize-whitespace")
    'AI大模型\\n\\n正在改变世界。'
    """
    if not isinstance(text, str):
        msg = (
            f"clean() takes str, not {type(text).__name__}; decode bytes first, "
            "e.g. data.decode('utf-8'), or let the CLI detect the encoding"
        )
        raise TypeError(msg)
    return build(filters, to)(text)
