"""cleantext: clean text scraped from Chinese and Japanese web pages.

>>> import cleantext
>>> cleantext.clean("ＧＰＴ－４o 发布\u200b了")
'GPT-4o 发布了'
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from cleantext import filters as _filters  # noqa: F401  (registers the built-in filters)
from cleantext.core import Change, Edit, Filter, apply_edits, chain_edits, replay, undo
from cleantext.meta import extract_meta
from cleantext.detect import ScriptGuess, detect_script
from cleantext.pipeline import Pipeline, clean
from cleantext.registry import DEFAULT_PRESET, FILTERS, get_filter, register

try:
    __version__ = version("cleantext-cjk")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

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
