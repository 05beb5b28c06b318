"""Write the data the filters would otherwise compute at every start-up.

    python scripts/build_screen_data.py    # after changing a built-in rule or a screen, or on a new Python

- `cleantext/data/rule_screens.json`: the key and first characters and the key
  strings of every built-in strip-chrome rule, and the ``\\d`` and ``\\s`` sets
  (`cleantext.ruleset.screen_data`);
- `cleantext/data/mojibake_screens.json`: the regex sources of fix-mojibake's
  screens, built from the codec tables (`cleantext.filters.mojibake.screen_data`).

Each file is used only under the Python, Unicode (and ftfy) versions it was
computed with; tests check that the committed files are what this script
writes now.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleantext import ruleset  # noqa: E402
from cleantext.filters import mojibake  # noqa: E402


def _one(value: object) -> str:
    # Lone surrogates (in the screens' control-character class) cannot be
    # written as UTF-8: they stay JSON escapes.
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text)


def _block(items: dict) -> str:
    return "{\n" + ",\n".join(f"  {_one(k)}: {_one(v)}" for k, v in sorted(items.items())) + "\n }"


def render(data: dict) -> str:
    """JSON with one line per entry of each table, so that a changed rule or screen is a one-line diff."""
    fields = [f" {_one(k)}: {_one(v) if k == 'interpreter' else _block(v)}" for k, v in sorted(data.items())]
    return "{\n" + ",\n".join(fields) + "\n}\n"


def expected() -> dict[Path, str]:
    """Each data file and the text it should hold."""
    data = ROOT / "cleantext" / "data"
    return {
        data / ruleset.SCREEN_DATA: render(ruleset.screen_data(r.pattern for r in ruleset.builtin_rules())),
        data / mojibake.SCREEN_DATA: render(mojibake.screen_data()),
    }


def main() -> None:
    for path, text in expected().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
