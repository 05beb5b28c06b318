"""Properties every registered filter keeps, on any string.

Never raises; idempotent; explain agrees with the plain call; its changes are
sorted spans of the input that replay to the output; a filter declared
`deletes_only` only ever removes text.
"""

import pytest
from hypothesis import example, given

import cleantext
from cleantext import replay
from tests.strategies import any_text

FILTER_NAMES = sorted(cleantext.FILTERS)


@pytest.mark.parametrize("name", FILTER_NAMES)
@given(text=any_text)
@example(text="")
@example(text="\n\n\n")
def test_filter_properties(name, text):
    f = cleantext.get_filter(name)
    out = f(text)
    assert isinstance(out, str)
    assert f(out) == out, "not idempotent"
    explained, changes = f.explain(text)
    assert explained == out, "explain disagrees with the plain call"
    assert replay(text, changes) == out, "changes do not replay to the output"
    pos = 0
    for c in changes:
        assert pos <= c.start <= c.end <= len(text)
        assert c.old == text[c.start : c.end]
        assert c.filter == name and c.rule
        pos = c.end
    assert cleantext.undo(out, changes) == text, "changes do not undo to the input"
    if f.deletes_only:
        assert all(c.new == "" for c in changes)


@given(text=any_text)
def test_default_pipeline_properties(text):
    pipe = cleantext.Pipeline.from_spec(None)
    out, changes = pipe.explain(text)
    assert out == cleantext.clean(text)
    # each filter's changes replay on that filter's input
    current = text
    for f in pipe:
        own = [c for c in changes if c.filter == f.name]
        current_out = f(current)
        assert replay(current, own) == current_out
        current = current_out
    assert current == out
