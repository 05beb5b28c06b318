"""Dask: a real two-process LocalCluster gives the same output as one process."""

import json
import os
from pathlib import Path

import pytest

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

import dask.bag as db  # noqa: E402

import cleantext  # noqa: E402
from cleantext.cli import main  # noqa: E402
from cleantext.dask import ShardError, clean_bag, clean_dataframe, clean_jsonl_file, run_shards  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
# Seeds and their paragraphs, with damage the default preset repairs written in.
DOCS = SEEDS + [para.replace("，", ", ") + "\u200b " for s in SEEDS for para in s.split("\n\n")[:4]]


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2,
        processes=True,
        threads_per_worker=1,
        dashboard_address=None,
        worker_dashboard_address=None,
    )
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def test_bag_of_strings_equals_single_process(client):
    bag = db.from_sequence(DOCS, npartitions=4)
    out = clean_bag(bag).compute()
    assert out == [cleantext.clean(d) for d in DOCS]
    assert out != DOCS  # the damage was there to repair


def test_bag_of_records_cleans_the_field_only(client):
    records = [{"id": i, "text": d, "title": d[:20]} for i, d in enumerate(DOCS)]
    out = clean_bag(
        db.from_sequence(records, npartitions=3), "normalize-unicode,normalize-whitespace", field="text"
    ).compute()
    pipe = cleantext.Pipeline.from_spec("normalize-unicode,normalize-whitespace")
    assert out == [{**r, "text": pipe(r["text"])} for r in records]
    assert records[0]["text"] == DOCS[0]  # inputs not mutated


def test_bag_of_records_without_the_field_fails_loudly(client):
    with pytest.raises(TypeError, match="'body'"):
        clean_bag(db.from_sequence([{"text": "中文"}]), field="body").compute()


def test_dataframe_keeps_columns_dtypes_and_nulls(client):
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    frame = pd.DataFrame({"id": range(len(DOCS) + 1), "text": [*DOCS, None], "n": [1.5] * (len(DOCS) + 1)})
    ddf = dd.from_pandas(frame, npartitions=3)
    result = clean_dataframe(ddf, "text")
    assert list(result.dtypes) == list(ddf.dtypes)
    out = result.compute()
    assert list(out.columns) == ["id", "text", "n"]
    assert list(out.dtypes) == list(ddf.compute().dtypes)
    assert out["text"].iloc[:-1].tolist() == [cleantext.clean(d) for d in DOCS]
    assert pd.isna(out["text"].iloc[-1])
    assert out["id"].tolist() == frame["id"].tolist()


def test_dataframe_column_errors():
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    ddf = dd.from_pandas(pd.DataFrame({"text": ["中文"], "n": [1]}), npartitions=1)
    with pytest.raises(KeyError, match=r"'body'.*text, n"):
        clean_dataframe(ddf, "body")
    with pytest.raises(TypeError, match="'n'"):
        clean_dataframe(ddf, "n")


def _write_shards(directory: Path) -> list[Path]:
    directory.mkdir()
    paths = []
    for k in range(3):
        path = directory / f"part-{k}.jsonl"
        lines = [
            json.dumps({"id": f"{k}-{i}", "text": d, "url": "https://example.cn/a"}, ensure_ascii=False)
            for i, d in enumerate(DOCS[k::3])
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_run_shards_jsonl_equals_the_cli_and_resumes(client, tmp_path):
    shards = _write_shards(tmp_path / "in")
    out_dir = tmp_path / "out"
    seen = []
    results = run_shards(str(tmp_path / "in" / "*.jsonl"), out_dir, scheduler=client, on_result=seen.append)
    assert [r.status for r in results] == ["done"] * 3
    assert sorted(r.src for r in seen) == sorted(map(str, shards))
    for shard in shards:
        expected = tmp_path / f"cli-{shard.name}"
        assert main(["--jsonl", str(shard), "-o", str(expected)]) == 0
        assert (out_dir / shard.name).read_bytes() == expected.read_bytes()
    assert sum(r.records for r in results) == len(DOCS)
    assert not [p for p in os.listdir(out_dir) if p.startswith(".")]  # no temporary files left

    # Resumable: a lost shard is redone, the finished ones are skipped untouched.
    (out_dir / "part-1.jsonl").unlink()
    before = (out_dir / "part-0.jsonl").stat().st_mtime_ns
    again = run_shards(str(tmp_path / "in" / "*.jsonl"), out_dir, scheduler=client)
    assert [r.status for r in again] == ["skipped", "done", "skipped"]
    assert (out_dir / "part-0.jsonl").stat().st_mtime_ns == before
    assert (out_dir / "part-1.jsonl").read_bytes() == (tmp_path / "cli-part-1.jsonl").read_bytes()


def test_run_shards_parquet(client, tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    (tmp_path / "in").mkdir()
    for k in range(2):
        table = pa.table({"text": DOCS[k::2], "k": [k] * len(DOCS[k::2])})
        pq.write_table(table, tmp_path / "in" / f"p{k}.parquet")
    results = run_shards(str(tmp_path / "in" / "*.parquet"), tmp_path / "out", scheduler=client)
    assert [r.status for r in results] == ["done", "done"]
    for k in range(2):
        out = pq.read_table(tmp_path / "out" / f"p{k}.parquet")
        assert out.column("text").to_pylist() == [cleantext.clean(d) for d in DOCS[k::2]]
        assert out.column("k").to_pylist() == [k] * len(DOCS[k::2])


def test_bad_record_fails_the_shard_and_leaves_no_output(tmp_path):
    src = tmp_path / "bad.jsonl"
    src.write_text('{"text": "中文"}\n{"text": 3}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="line 2"):
        clean_jsonl_file(src, tmp_path / "out.jsonl")
    assert os.listdir(tmp_path) == ["bad.jsonl"]


def test_no_matching_shard(tmp_path):
    with pytest.raises(FileNotFoundError):
        run_shards(str(tmp_path / "*.jsonl"), tmp_path / "out", scheduler="local")


def test_run_shards_on_its_own_local_cluster(tmp_path):
    """``scheduler="local"`` starts (and stops) a LocalCluster of its own, as ``--dask local`` does."""
    shards = _write_shards(tmp_path / "in")
    results = run_shards(
        [str(s) for s in shards],  # as a shell passes an expanded glob
        tmp_path / "out",
        scheduler="local",
        n_workers=1,
        filters="normalize-unicode",
    )
    assert [r.status for r in results] == ["done"] * 3
    pipe = cleantext.Pipeline.from_spec("normalize-unicode")
    for shard in shards:
        records = [json.loads(line) for line in shard.read_text(encoding="utf-8").splitlines()]
        expected = "".join(
            json.dumps({**r, "text": pipe(r["text"])}, ensure_ascii=False) + "\n" for r in records
        )
        assert (tmp_path / "out" / shard.name).read_text(encoding="utf-8") == expected


def test_a_shard_with_a_bom_crlf_and_half_an_emoji_is_cleaned_as_the_cli_cleans_it(tmp_path):
    src = tmp_path / "in.jsonl"
    first = '{"text": "ＡＩ", "title": "\\ud83d"}'.encode()
    src.write_bytes(b"\xef\xbb\xbf" + first + b'\r\n\r\n{"text": "\\ud83d"}\r\n')
    assert clean_jsonl_file(src, tmp_path / "out.jsonl", pipeline="normalize-whitespace") == 2
    assert main(["--jsonl", "-f", "normalize-whitespace", str(src), "-o", str(tmp_path / "cli.jsonl")]) == 0
    assert (tmp_path / "out.jsonl").read_bytes() == (tmp_path / "cli.jsonl").read_bytes()
    lines = (tmp_path / "out.jsonl").read_bytes().decode("utf-8").split("\n")
    records = [json.loads(x) for x in lines if x.strip()]
    assert records == [{"text": "ＡＩ", "title": "\ud83d"}, {"text": "\ud83d"}]


def test_a_bad_shard_stops_the_run_with_one_message_and_no_worker_traceback(client, tmp_path):
    _write_shards(tmp_path / "in")
    (tmp_path / "in" / "part-9.jsonl").write_text('{"text": "中文"}\n{"text": 3}\n', encoding="utf-8")
    with pytest.raises(ShardError, match=r"part-9.jsonl: line 2"):
        run_shards(str(tmp_path / "in" / "*.jsonl"), tmp_path / "out", scheduler=client)
    assert not (tmp_path / "out" / "part-9.jsonl").exists()
    # Bad input is not a failed task, which each worker would log with its traceback on stderr.
    logged = [message for logs in client.get_worker_logs().values() for _level, message in logs]
    assert not [m for m in logged if "part-9.jsonl" in m]


def test_local_cluster_processes_are_started_deaf_to_ctrl_c():
    """Ctrl-C reaches the whole process group: the cluster's processes must leave it to the client.

    `run_shards` starts its LocalCluster inside `_sigint_ignored`; a process
    spawned there (as the cluster's are, by fork and exec) ignores SIGINT
    instead of dying with a KeyboardInterrupt traceback. Checked with a bare
    interpreter, not a cluster, to stay fast.
    """
    import signal
    import subprocess
    import sys

    from cleantext.dask import _sigint_ignored

    probe = [sys.executable, "-c", "import signal; print(signal.getsignal(signal.SIGINT) == signal.SIG_IGN)"]
    before = signal.getsignal(signal.SIGINT)
    with _sigint_ignored():
        inside = subprocess.run(probe, capture_output=True, text=True, check=True).stdout
    outside = subprocess.run(probe, capture_output=True, text=True, check=True).stdout
    assert (inside.strip(), outside.strip()) == ("True", "False")
    assert signal.getsignal(signal.SIGINT) == before  # restored here
