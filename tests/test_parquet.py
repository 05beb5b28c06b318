"""Parquet: the cleaned column changes, nothing else does; the output appears whole or not at all."""

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

import cleantext  # noqa: E402
from cleantext.parquet import ColumnError, clean_parquet  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
TEXTS = [*SEEDS, None, "ＡＩ\u200b大模型 发布。 ", "", "コア データベース を公開した。"] * 3
SPEC = "normalize-unicode,normalize-whitespace"


def _table(text_type=None):
    schema = pa.schema(
        [
            pa.field("id", pa.int32(), nullable=False),
            pa.field("text", text_type or pa.string()),
            pa.field("tags", pa.list_(pa.string())),
        ],
        metadata={b"origin": b"crawl-2025-05"},
    )
    n = len(TEXTS)
    return pa.table(
        {"id": list(range(n)), "text": TEXTS, "tags": [["新闻", str(i)] for i in range(n)]}, schema=schema
    )


@pytest.mark.parametrize("text_type", [pa.string(), pa.large_string()], ids=["string", "large_string"])
def test_column_cleaned_schema_and_other_columns_kept(tmp_path, text_type):
    table = _table(text_type)
    pq.write_table(table, tmp_path / "in.parquet", compression="zstd", row_group_size=7)
    progress = []
    rows = clean_parquet(
        tmp_path / "in.parquet",
        tmp_path / "out.parquet",
        pipeline=SPEC,
        batch_size=5,
        on_batch=lambda done, total: progress.append((done, total)),
    )
    out = pq.read_table(tmp_path / "out.parquet")
    assert rows == len(TEXTS)
    assert progress[-1] == (rows, rows) and len(progress) >= rows // 5
    assert out.schema.equals(pq.read_schema(tmp_path / "in.parquet"), check_metadata=True)
    pipe = cleantext.Pipeline.from_spec(SPEC)
    assert out.column("text").to_pylist() == [None if t is None else pipe(t) for t in TEXTS]
    assert out.column("id").equals(table.column("id"))
    assert out.column("tags").equals(table.column("tags"))
    meta = pq.ParquetFile(tmp_path / "out.parquet").metadata
    assert str(meta.row_group(0).column(0).compression).lower() == "zstd"


def test_workers_and_executor_give_the_same_output(tmp_path):
    pq.write_table(_table(), tmp_path / "in.parquet")
    clean_parquet(tmp_path / "in.parquet", tmp_path / "one.parquet", batch_size=6)
    clean_parquet(tmp_path / "in.parquet", tmp_path / "two.parquet", batch_size=6, jobs=2)
    with ProcessPoolExecutor(2) as executor:
        clean_parquet(tmp_path / "in.parquet", tmp_path / "ex.parquet", batch_size=6, executor=executor)
    one = pq.read_table(tmp_path / "one.parquet")
    assert one.column("text").to_pylist() == [None if t is None else cleantext.clean(t) for t in TEXTS]
    assert pq.read_table(tmp_path / "two.parquet").equals(one)
    assert pq.read_table(tmp_path / "ex.parquet").equals(one)


def test_missing_and_non_string_columns_are_named(tmp_path):
    pq.write_table(_table(), tmp_path / "in.parquet")
    with pytest.raises(ColumnError, match=r"no column 'body'; its columns: id, text, tags"):
        clean_parquet(tmp_path / "in.parquet", tmp_path / "out.parquet", column="body")
    with pytest.raises(ColumnError, match=r"column 'id' holds int32, not strings"):
        clean_parquet(tmp_path / "in.parquet", tmp_path / "out.parquet", column="id")
    assert os.listdir(tmp_path) == ["in.parquet"]


def _explode(text: str) -> str:
    if "コア" in text:
        msg = "boom"
        raise RuntimeError(msg)
    return text


def test_a_failure_midway_leaves_the_old_output_and_no_temporary_file(tmp_path):
    pq.write_table(_table(), tmp_path / "in.parquet")
    (tmp_path / "out.parquet").write_bytes(b"previous")
    failing = cleantext.Pipeline([cleantext.Filter("explode", _explode)])
    with pytest.raises(RuntimeError, match="boom"):
        clean_parquet(tmp_path / "in.parquet", tmp_path / "out.parquet", pipeline=failing, batch_size=3)
    assert sorted(os.listdir(tmp_path)) == ["in.parquet", "out.parquet"]
    assert (tmp_path / "out.parquet").read_bytes() == b"previous"


def test_empty_file_gives_an_empty_file_with_the_schema(tmp_path):
    empty = _table().slice(0, 0)
    pq.write_table(empty, tmp_path / "in.parquet")
    assert clean_parquet(tmp_path / "in.parquet", tmp_path / "out.parquet") == 0
    out = pq.read_table(tmp_path / "out.parquet")
    assert out.num_rows == 0 and out.schema.equals(empty.schema)


def test_in_place(tmp_path):
    pq.write_table(_table(), tmp_path / "data.parquet")
    clean_parquet(tmp_path / "data.parquet", tmp_path / "data.parquet")
    texts = pq.read_table(tmp_path / "data.parquet").column("text").to_pylist()
    assert texts == [None if t is None else cleantext.clean(t) for t in TEXTS]
