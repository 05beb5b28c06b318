"""Corpus-level boilerplate: learned per source, removed as `corpus-repeat`, explained, pickled."""

import pickle
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from cleantext import replay
from cleantext.boilerplate import (
    BoilerplateModel,
    learn_boilerplate,
    learn_boilerplate_files,
    line_digest,
    remove_corpus_repeats,
    source_of,
)
from tests.strategies import any_text, cjk_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
PARAGRAPHS = [p for s in SEEDS for p in s.split("\n") if len(p.strip()) > 30]

SITE_CHROME = ["打开APP，阅读全文", "关注我们的官方微信公众号，获取更多资讯", "返回首页"]


def _site(n: int, chrome=SITE_CHROME, url="https://www.news.example.cn/a/{i}.html"):
    """`n` pages of one site: distinct content lines (from the seeds) framed by the site's chrome."""
    return [
        {
            "url": url.format(i=i),
            "text": "\n".join([chrome[0], PARAGRAPHS[i % len(PARAGRAPHS)] + f"（{i}）", *chrome[1:]]) + "\n",
        }
        for i in range(n)
    ]


def test_chrome_repeated_across_a_source_is_learned_and_removed_with_its_rule():
    pages = _site(8)
    model = learn_boilerplate(pages)
    assert set(model.digests) == {"news.example.cn"}
    assert model.documents == {"news.example.cn": 8}
    assert model.lines == len(SITE_CHROME)
    out, changes = model.filter_for(pages[3]).explain(pages[3]["text"])
    assert out == PARAGRAPHS[3] + "（3）\n"
    assert [c.rule for c in changes] == ["corpus-repeat"] * 3
    assert [c.old.strip() for c in changes] == SITE_CHROME
    assert all(c.new == "" and c.filter == "strip-corpus-boilerplate" for c in changes)


def test_threshold_min_docs():
    # In 4 documents of 4 (100% share) but under 5 documents: not boilerplate.
    assert learn_boilerplate(_site(4)).lines == 0
    assert learn_boilerplate(_site(5)).lines == len(SITE_CHROME)
    assert learn_boilerplate(_site(4), min_docs=4).lines == len(SITE_CHROME)


def test_threshold_share_protects_lines_a_few_pages_share_in_a_big_source():
    quote = "“我们对中国市场充满信心。”"
    pages = [{"source": "big", "text": f"第{i}篇的正文。"} for i in range(200)]
    for page in pages[:12]:  # 12 documents: over min_docs, but 6% of the source
        page["text"] += "\n" + quote
    for page in pages[::4]:  # 50 documents, 25%: a section's chrome
        page["text"] += "\n国际频道 | 财经频道 | 科技频道"
    model = learn_boilerplate(pages)
    assert model.clean(pages[0]["text"], "big") == f"第0篇的正文。\n{quote}\n"
    assert model.lines == 1


def test_a_line_repeated_inside_one_document_counts_once():
    pages = [{"source": "s", "text": "评论\n" * 10 + f"正文{i}"} for i in range(4)]
    assert learn_boilerplate(pages).lines == 0


def test_sources_are_kept_apart():
    pages = _site(6) + _site(2, url="https://other.example.jp/{i}")
    model = learn_boilerplate(pages)
    other = pages[-1]
    # The same chrome words on a site with too few pages are not removed there.
    assert model.filter_for(other)(other["text"]) == other["text"]
    assert model.filter_for(pages[0])(pages[0]["text"]) != pages[0]["text"]


def test_sources_by_key_and_by_pairs():
    texts = [f"{chrome}\n正文{i}" for i in range(6) for chrome in ["本站声明：转载请注明出处"]]
    by_key = learn_boilerplate(texts, key=lambda _text: "file-a.txt")
    by_pair = learn_boilerplate([("file-a.txt", t) for t in texts])
    assert by_key.digests == by_pair.digests != {}
    assert by_key.clean(texts[0], "file-a.txt") == "正文0"
    assert by_key.clean(texts[0], "file-b.txt") == texts[0]


def test_normalized_lines_match_across_width_case_and_spacing():
    assert line_digest("ＡＰＰ 下载") == line_digest("app下载") == line_digest("App\u3000下载 ")
    assert line_digest("2025年1月31日") != line_digest("2025年1月30日")
    assert line_digest(" \u3000\t") is None


def test_source_of():
    assert source_of({"source": "xinhua", "url": "https://a.cn"}) == "xinhua"
    assert source_of({"url": "https://www.sina.com.cn/x"}) == "sina.com.cn"
    assert source_of({"url": "m.163.com/news"}) == "m.163.com"
    assert source_of({"text": "x"}, "f.jsonl") == "f.jsonl"


def test_model_and_filter_pickle():
    model = learn_boilerplate(_site(6))
    again = pickle.loads(pickle.dumps(model))
    assert again == model
    page = _site(6)[0]
    assert pickle.loads(pickle.dumps(model.filter_for(page)))(page["text"]) == model.filter_for(page)(
        page["text"]
    )


lines = st.lists(st.one_of(cjk_text, st.sampled_from(SITE_CHROME)), max_size=12)


@given(
    lines,
    st.lists(st.sampled_from(SITE_CHROME + PARAGRAPHS[:3]), max_size=4),
    st.sampled_from(["\n", "\r\n"]),
)
def test_removal_properties(doc_lines, learned, newline):
    text = newline.join(doc_lines)
    digests = frozenset(d for d in map(line_digest, learned) if d is not None)
    f = BoilerplateModel({"s": digests}).filter("s")
    out, changes = f.explain(text)
    assert out == f(text) == remove_corpus_repeats(text, digests=digests)
    assert replay(text, changes) == out
    assert f(out) == out  # idempotent
    assert all(c.new == "" for c in changes)
    # Only learned lines go, whole; every other line stays, in order.
    assert all(line_digest(c.old) in digests for c in changes)
    kept = [line for line in text.splitlines() if line_digest(line) not in digests]
    assert out.splitlines() == kept


@given(any_text)
def test_never_raises_and_no_digests_changes_nothing(text):
    assert remove_corpus_repeats(text) == text
    learn_boilerplate([text, {"text": text, "url": text}, (text, text)])


def test_learning_from_files_and_the_second_pass_pipeline(tmp_path):
    import json

    pages = _site(6)
    with open(tmp_path / "a.jsonl", "w", encoding="utf-8") as f:
        for page in pages:
            f.write(json.dumps(page, ensure_ascii=False) + "\n")
        f.write("not json\n\n")
    # Records without source or url: their file is the source.
    with open(tmp_path / "b.jsonl", "w", encoding="utf-8") as f:
        for i in range(6):
            f.write(
                json.dumps({"text": f"正文{i}\n本文转载自网络，如有侵权请联系删除"}, ensure_ascii=False)
                + "\n"
            )
    model = learn_boilerplate_files([tmp_path / "a.jsonl", tmp_path / "b.jsonl"])
    assert model.documents == {"news.example.cn": 6, "b.jsonl": 6}
    assert model.filter_for({"text": ""}, "b.jsonl")("正文9\n本文转载自网络，如有侵权请联系删除") == "正文9\n"
    pipe = model.pipeline("news.example.cn", "normalize-whitespace")
    assert pipe.names == ["strip-corpus-boilerplate", "normalize-whitespace"]
    assert pipe(pages[0]["text"]) == PARAGRAPHS[0] + "（0）\n"

    for i in range(5):
        (tmp_path / f"{i}.txt").write_text(f"正文{i}\n返回首页\n", encoding="utf-8")
    texts = learn_boilerplate_files(sorted(tmp_path.glob("*.txt")), jsonl=False)
    assert texts.clean("正文\n返回首页\n") == "正文\n"
