"""The datatrove step, run by datatrove's own local executor."""

import gzip
import json
import pickle
from pathlib import Path

import pytest

pytest.importorskip("datatrove")

from datatrove.data import Document
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

import cleantext
from cleantext.integrations.datatrove import CleanTextFormatter

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
DOCS = [*SEEDS, "ＡＩ\u200b大模型 发布。 ", "コア データベース を公開した。"]


def _read_jsonl_folder(folder: Path) -> dict[str, str]:
    out = {}
    for path in sorted(folder.glob("*.jsonl*")):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                out[record["id"]] = record["text"]
    return out


def test_local_executor_two_tasks_cleans_like_the_library(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for k in range(2):
        with open(raw / f"part{k}.jsonl", "w", encoding="utf-8") as f:
            for i, doc in enumerate(DOCS[k::2]):
                f.write(json.dumps({"id": f"{k}-{i}", "text": doc}, ensure_ascii=False) + "\n")
    executor = LocalPipelineExecutor(
        [JsonlReader(str(raw)), CleanTextFormatter(), JsonlWriter(str(tmp_path / "clean"), compression=None)],
        tasks=2,
        workers=2,
        logging_dir=str(tmp_path / "logs"),
    )
    executor.run()
    got = _read_jsonl_folder(tmp_path / "clean")
    expected = {f"{k}-{i}": cleantext.clean(doc) for k in range(2) for i, doc in enumerate(DOCS[k::2])}
    assert got == expected
    assert got != {f"{k}-{i}": doc for k in range(2) for i, doc in enumerate(DOCS[k::2])}  # it did clean


def test_documents_as_first_step_with_a_spec(tmp_path):
    docs = [Document(text="计算机 软件\u200b。 ", id="a"), Document(text="データ", id="b")]
    formatter = CleanTextFormatter("normalize-whitespace,normalize-unicode")
    LocalPipelineExecutor(
        [docs, formatter, JsonlWriter(str(tmp_path), compression=None)], logging_dir=str(tmp_path / "logs")
    ).run()
    got = _read_jsonl_folder(tmp_path)
    pipe = cleantext.Pipeline.from_spec("normalize-whitespace,normalize-unicode")
    assert got == {"a": pipe("计算机 软件\u200b。 "), "b": "データ"}
    assert got["a"] == "计算机软件。"


def test_step_pickles_and_counts_changed_documents():
    step = pickle.loads(pickle.dumps(CleanTextFormatter("normalize-unicode")))
    docs = list(step.run([Document(text="ＡＩ", id="1"), Document(text="中文", id="2")]))
    assert [d.text for d in docs] == ["AI", "中文"]
    assert step.stats["changed"].total == 1
    assert step.stats["total"].total == 2


def test_empty_and_null_texts_pass_through():
    # JsonlReader gives a record whose text is null a None text.
    step = CleanTextFormatter()
    docs = [Document(text="", id="1"), Document(text=None, id="2"), Document(text="ＡＩ", id="3")]
    docs = list(step.run(docs))
    assert [d.text for d in docs] == ["", None, "AI"]
    assert step.stats["changed"].total == 1
