"""Write the data the filters would otherwise compute at every start-up.

    python scripts/build_screen_data.py          # after changing a built-in rule, or on a new Python

`cleantext/data/rule_screens.json`: the key and first characters of every
built-in strip-chrome rule, and the ``\\d`` and ``\\s`` sets (see
`cleantext.ruleset.screen_data`). The data are used only under the Python and
Unicode versions they were computed with; tests/test_rules.py checks that the
committed file is what this script writes now.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleantext.ruleset import SCREEN_DATA, builtin_rules, screen_data  # noqa: E402


def render(data: dict) -> str:
    """JSON with one line per category and per rule, so that a changed rule is a one-line diff."""

    def one(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def block(items: dict) -> str:
        return "{\n" + ",\n".join(f"  {one(k)}: {one(v)}" for k, v in sorted(items.items())) + "\n }"

    return (
        f'{{\n "interpreter": {one(data["interpreter"])},\n'
        f' "categories": {block(data["categories"])},\n'
        f' "rules": {block(data["rules"])}\n}}\n'
    )


def main() -> None:
    path = ROOT / "cleantext" / "data" / SCREEN_DATA
    path.write_text(render(screen_data(r.pattern for r in builtin_rules())), encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
