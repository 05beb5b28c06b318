"""cleantext: clean text scraped from Chinese and Japanese web pages.

>>> import cleantext
>>> cleantext.clean("ＧＰＴ－４o 发布\u200b了")
'GPT-4o 发布了'
"""

from __future__ import annotations

from cleantext import filters as _filters  # noqa: F401  (registers the built-in filters)
from cleantext.core import Change, Edit, Filter, apply_edits, chain_edits, replay, undo
from cleantext.meta import extract_meta
from cleantext.detect import ScriptGuess, detect_script
from cleantext.pipeline import Pipeline, clean
from cleantext.registry import DEFAULT_PRESET, FILTERS, get_filter, register


def __getattr__(name: str) -> str:
    # The version is read on first use: importlib.metadata costs a few
    # hundredths of a second at import, which every CLI run would pay.
    if name != "__version__":
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    from importlib.metadata import PackageNotFoundError, version

    global __version__
    try:
        __version__ = version("cleantext-cjk")
    except PackageNotFoundError:  # running from a source tree that was never installed
        __version__ = "0+unknown"
    return __version__


__all__ = [
    "DEFAULT_PRESET",
    "FILTERS",
    "Change",
    "Edit",
    "Filter",
    "Pipeline",
    "ScriptGuess",
    "__version__",
    "apply_edits",
    "chain_edits",
    "clean",
    "extract_meta",
    "detect_script",
    "get_filter",
    "register",
    "replay",
    "undo",
]
