"""The registry: filter names to `Filter` objects.

The registry is the one list the CLI (``--filters``, ``--list-filters``), the
pipeline spec strings, the generated help and the property tests read. A
filter module registers its filters when it is imported; users register their
own with `register`.
"""

from __future__ import annotations

from collections.abc import Callable

from cleantext.core import EditFinder, Filter

__all__ = ["DEFAULT_PRESET", "FILTERS", "get_filter", "register"]

FILTERS: dict[str, Filter] = {}

# The default preset repairs what is broken and removes what is not the
# article, in this order. Style changes (punctuation, script conversion) are
# opt-in. Names not registered (yet) are skipped.
DEFAULT_PRESET: tuple[str, ...] = (
    "fix-mojibake",
    "normalize-unicode",
    "strip-ruby",
    "strip-noise",
    "strip-chrome",
    "dedupe-lines",
    "normalize-whitespace",
)


def register(
    filter_or_name: Filter | str,
    function: Callable[..., str] | None = None,
    find_edits: EditFinder | None = None,
    *,
    deletes_only: bool = False,
    replace: bool = False,
) -> Filter:
    """Add a filter to the registry, by object or as ``register(name, function)``.

    A plain ``str -> str`` function is enough: its changes are then explained
    as one whole-text rewrite. Registering a name twice is an error unless
    ``replace=True``.

    >>> import cleantext
    >>> f = cleantext.register("drop-brackets", lambda text: text.replace("【", "").replace("】", ""))
    >>> cleantext.clean("【快讯】央行降准", filters=["drop-brackets"])
    '快讯央行降准'
    >>> del cleantext.FILTERS["drop-brackets"]
    """
    if isinstance(filter_or_name, Filter):
        new = filter_or_name
    else:
        if function is None:
            msg = "register(name, function): the function is missing"
            raise TypeError(msg)
        new = Filter(filter_or_name, function, find_edits, deletes_only=deletes_only)
    if new.name in FILTERS and not replace:
        msg = f"a filter named {new.name!r} is already registered (pass replace=True to replace it)"
        raise ValueError(msg)
    FILTERS[new.name] = new
    return new


def get_filter(name: str) -> Filter:
    """The registered filter called `name`; a `ValueError` lists the known names."""
    try:
        return FILTERS[name]
    except KeyError:
        msg = f"unknown filter {name!r}; known filters: {', '.join(sorted(FILTERS))}"
        raise ValueError(msg) from None


def default_filters() -> list[Filter]:
    return [FILTERS[name] for name in DEFAULT_PRESET if name in FILTERS]
