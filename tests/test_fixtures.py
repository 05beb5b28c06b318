"""One test for every example case kept as data under fixtures/ (schema: fixtures/README.md)."""

import json
from pathlib import Path

import pytest

import cleantext
from cleantext import replay

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CASE_KEYS = {"label", "input", "expected", "expect", "comment", "options", "filter"}


def _load():
    for path in sorted(FIXTURES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            yield path.stem, data, case


CASES = list(_load())


def _id(item):
    stem, _data, case = item
    return f"{stem}:{case['label']}"


def test_fixtures_exist():
    assert CASES, "no fixture cases found"


@pytest.mark.parametrize("item", CASES, ids=[_id(c) for c in CASES])
def test_case(item):
    stem, data, case = item
    assert set(case) <= CASE_KEYS, f"unknown keys {set(case) - CASE_KEYS}"
    assert {"label", "input", "expected"} <= set(case)
    assert case.get("expect", "pass") in ("pass", "fail")
    spec = case.get("filter", data["filter"])
    steps = cleantext.Pipeline.from_spec(spec).filters
    if case.get("options"):
        assert len(steps) == 1, "options apply to a single filter"
        steps = (steps[0].configure(**case["options"]),)
    pipe = cleantext.Pipeline(list(steps))
    if case.get("expect", "pass") == "fail":
        pytest.xfail(case.get("comment", "known failure"))  # strictness: see test_known_failures_still_fail
    out, changes = pipe.explain(case["input"])
    assert out == case["expected"]
    assert pipe(case["input"]) == out
    if len(steps) == 1:
        assert replay(case["input"], changes) == out


@pytest.mark.parametrize(
    "item", [c for c in CASES if c[2].get("expect") == "fail"], ids=[_id(c) for c in CASES if c[2].get("expect") == "fail"]
)
def test_known_failures_still_fail(item):
    """A known failure that starts passing must be marked as passing (strict xfail)."""
    _stem, data, case = item
    pipe = cleantext.Pipeline.from_spec(case.get("filter", data["filter"]))
    if case.get("options"):
        pipe = cleantext.Pipeline([pipe.filters[0].configure(**case["options"])])
    assert pipe(case["input"]) != case["expected"], f"{case['label']} now passes: set expect to pass"
