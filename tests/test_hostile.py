"""Hostile input: every filter finishes each pathological document quickly and never raises.

The inputs are the ones a scraper meets once in a billion lines: a rule's
trigger repeated a million times, unbalanced brackets, one 4 MB line, a
million blank lines, controls and bidi overrides. A regex with nested
quantifiers or a quadratic loop shows here as a timeout, not in production.
"""

import gc
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cleantext

LIMIT_SECONDS = 2.0

PROSE = "DeepSeek在数学、代码和自然语言推理等任务上的表现与OpenAI o1正式版相当，训练成本却不到十分之一。"
HOSTILE = {
    "trigger-x200k": "图源:" * 200_000,
    "parens-300k": "(" * 300_000 + "中" + ")" * 300_000,
    "ruby-x100k": "發(fā)" * 100_000,
    "prose-4mb": PROSE * (4_000_000 // len(PROSE.encode("utf-8"))),
    "blank-lines-1m": "\n" * 1_000_000,
    # 250,000 machine-translation gaps, each a change: linear, about 0.6 s.
    "spaced-hanzi-250k": "中 " * 250_000 + "。",
    "controls-mixed": ("\x00\u202e\ud800\u200b\x1b[31m發(fā)，Ã" + "あ한\ufffd") * 50_000,
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
@pytest.mark.parametrize("name", sorted(cleantext.FILTERS))
def test_hostile_input_finishes(name, case):
    f = cleantext.get_filter(name)
    text = HOSTILE[case]
    gc.collect()  # garbage left by earlier tests is not this filter's time
    started = time.process_time()  # CPU time: other processes on the machine are not counted
    out = f(text)
    elapsed = time.process_time() - started
    assert isinstance(out, str)
    assert elapsed < LIMIT_SECONDS, f"{name} took {elapsed:.2f}s on {case}"


big_mixed = st.lists(
    st.one_of(
        st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
        st.sampled_from(["中文", "。", "，", "(", ")", "發(fā)", "\n", " ", "\u3000", "图源:", "锟斤拷", "ｶﾞ"]),
    ).map(lambda piece: piece * 3),
    max_size=200,
).map("".join)


@settings(max_examples=40, deadline=None)
@given(text=big_mixed)
def test_default_pipeline_on_adversarial_text(text):
    """Never raises, and explains itself: each filter's changes replay on its own input.

    (Idempotence is a property of each filter, tested on any string; the
    pipeline as a whole is only idempotent on real text, see test_cli: a later
    filter can turn nonsense into what an earlier one repairs.)
    """
    pipe = cleantext.Pipeline.from_spec(None)
    out, changes = pipe.explain(text)
    assert out == cleantext.clean(text)
    current = text
    for f in pipe:
        nxt = f(current)
        assert cleantext.replay(current, [c for c in changes if c.filter == f.name]) == nxt
        current = nxt
