"""The data computed ahead for start-up (cleantext/data/*_screens.json) are what the code computes now."""

import importlib.util
import json
from pathlib import Path

import pytest

from cleantext import ruleset
from cleantext.filters import mojibake

ROOT = Path(__file__).resolve().parent.parent


def _script():
    path = ROOT / "scripts" / "build_screen_data.py"
    spec = importlib.util.spec_from_file_location("build_screen_data", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_stored_screens_are_what_the_script_writes_now(monkeypatch):
    """Rerun scripts/build_screen_data.py after changing a built-in rule or fix-mojibake's screens."""
    paths = (ROOT / "cleantext" / "data").glob("*_screens.json")
    stored = {path: path.read_text(encoding="utf-8") for path in paths}
    for path, text in stored.items():
        interpreter = json.loads(text)["interpreter"]
        if interpreter not in (ruleset._interpreter(), mojibake._interpreter()):
            pytest.skip(f"{path.name} was computed under {interpreter}, so it is not used here")
    # From scratch: nothing read back from the stored files.
    monkeypatch.setattr(ruleset, "_precomputed", lambda: {})
    ruleset._category_chars.cache_clear()
    try:
        expected = _script().expected()
    finally:
        ruleset._category_chars.cache_clear()
    assert set(expected) == set(stored)
    for path, text in expected.items():
        assert stored[path] == text, f"{path.name} is stale: run scripts/build_screen_data.py"


def test_the_stored_screens_are_the_ones_in_use():
    """Under the interpreter they were computed with, the filters read the files instead of computing."""
    if ruleset._precomputed() == {}:
        pytest.skip("rule_screens.json was computed under another interpreter")
    assert set(mojibake._stored_screen_sources()) == mojibake._SCREEN_NAMES
    assert ruleset._precomputed()["rules"].keys() == {r.pattern for r in ruleset.builtin_rules()}
