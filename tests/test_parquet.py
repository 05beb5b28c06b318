"""Parquet: the cleaned column changes, nothing else does; the output appears whole or not at all."""

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

import cleantext  # noqa: E402
from cleantext.cli import main  # noqa: E402
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


@pytest.mark.parametrize(
    "text_type",
    [pa.string(), pa.large_string(), pa.dictionary(pa.int32(), pa.string())],  # dictionary: pandas' category
    ids=["string", "large_string", "dictionary"],
)
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


@pytest.mark.parametrize("content", [b"", b'{"text": "not parquet"}\n'], ids=["empty", "jsonl"])
def test_a_file_that_is_not_parquet_is_one_line_on_the_command_line(tmp_path, capsys, content):
    (tmp_path / "in.parquet").write_bytes(content)
    assert main(["--parquet", str(tmp_path / "in.parquet"), "-o", str(tmp_path / "out.parquet")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"cleantext: error: {tmp_path / 'in.parquet'}: not a readable Parquet")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.parquet"]


def test_a_wrong_column_names_the_file_once_and_the_flag(tmp_path, capsys):
    pq.write_table(_table(), tmp_path / "in.parquet")
    args = ["--parquet", "--field", "id", str(tmp_path / "in.parquet")]
    assert main([*args, "-o", str(tmp_path / "o.parquet")]) == 1
    err = capsys.readouterr().err
    assert err.count("in.parquet") == 1
    assert err.rstrip().endswith("not strings; name the text column with --field")


def test_two_inputs_of_one_name_into_a_directory_is_an_error(tmp_path, capsys):
    for folder in ("a", "b", "out"):
        (tmp_path / folder).mkdir()
    for folder in ("a", "b"):
        pq.write_table(_table(), tmp_path / folder / "part.parquet")
    args = ["--parquet", str(tmp_path / "a" / "part.parquet"), str(tmp_path / "b" / "part.parquet")]
    assert main([*args, "-o", str(tmp_path / "out")]) == 1
    assert "would both be written to" in capsys.readouterr().err
    assert list((tmp_path / "out").iterdir()) == []
