"""Dask: clean bags, dataframes and whole directories of shards on a cluster.

Needs ``pip install 'cleantext-cjk[dask]'`` (dask[dataframe] and distributed);
dask is imported when these functions run, so ``import cleantext`` never
needs it. The pipeline is built once on the client and shipped to the workers
pickled (filters pickle by reference to their module-level functions); each
worker process builds the heavy objects (OpenCC converters, compiled rule
sets) once and reuses them for every partition.

Point `run_shards` at an existing cluster with its scheduler address::

    from cleantext.dask import run_shards
    run_shards("shards/*.jsonl", "out/", scheduler="tcp://10.0.0.5:8786")

or ``scheduler="local"`` for a `distributed.LocalCluster` on this machine.
Input and output paths must be visible to every worker (a shared file system).
"""

from __future__ import annotations

import glob
import json
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from cleantext.io import atomic_output, json_line_bytes
from cleantext.pipeline import Pipeline, Spec, build

__all__ = ["ShardError", "ShardResult", "clean_bag", "clean_dataframe", "clean_jsonl_file", "run_shards"]

SHARD_KINDS = ("jsonl", "parquet")


def _pipeline(filters: Pipeline | Spec | None) -> Pipeline:
    return filters if isinstance(filters, Pipeline) else build(filters)


# -- bags and dataframes ---------------------------------------------------------


def _clean_strings(items: list[Any], pipeline: Pipeline) -> list[Any]:
    return [pipeline(item) if isinstance(item, str) else item for item in items]


def _clean_records(items: list[Any], pipeline: Pipeline, field: str) -> list[Any]:
    out = []
    for record in items:
        value = record.get(field) if isinstance(record, dict) else None
        if isinstance(value, str):
            record = {**record, field: pipeline(value)}  # a new dict: bags may share their inputs
        elif value is not None or not isinstance(record, dict) or field not in record:
            what = (
                type(record).__name__
                if not isinstance(record, dict)
                else ("a record without it" if field not in record else f"a {type(value).__name__}")
            )
            msg = f"clean_bag(field={field!r}) expects dicts with a string there, got {what}"
            raise TypeError(msg)
        out.append(record)
    return out


def clean_bag(bag: Any, filters: Pipeline | Spec | None = None, *, field: str | None = None) -> Any:
    """A `dask.bag.Bag` with its strings cleaned (or the `field` of its dicts).

    Without `field` the bag holds strings; anything else (``None``) passes
    unchanged. With `field`, each dict gets a copy with that field cleaned; a
    null field stays null, and a record without the field is a `TypeError`
    when the bag is computed. `filters` is a spec, a list of filters or a
    `Pipeline`; `None` is the default preset. Lazy, like every bag method.
    """
    pipeline = _pipeline(filters)
    if field is None:
        return bag.map_partitions(_clean_strings, pipeline)
    return bag.map_partitions(_clean_records, pipeline, field)


def _clean_frame(frame: Any, pipeline: Pipeline, column: str) -> Any:
    import pandas as pd

    values = frame[column]
    cleaned = pd.Series(
        [pipeline(v) if isinstance(v, str) else v for v in values], index=values.index, dtype=values.dtype
    )
    frame = frame.copy(deep=False)
    frame[column] = cleaned
    return frame


def clean_dataframe(ddf: Any, column: str = "text", filters: Pipeline | Spec | None = None) -> Any:
    """A `dask.dataframe.DataFrame` with the strings of `column` cleaned, every other column as it was.

    Partition by partition (`map_partitions`); the result has the same
    columns, dtypes, index and divisions. Missing values stay missing. A
    `KeyError` names the columns when `column` is not one of them, a
    `TypeError` when its dtype cannot hold strings.
    """
    import pandas as pd

    if column not in ddf.columns:
        msg = f"no column {column!r}; the columns: {', '.join(map(str, ddf.columns))}"
        raise KeyError(msg)
    dtype = ddf.dtypes[column]
    if not (pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype)):
        msg = f"column {column!r} has dtype {dtype}, not strings"
        raise TypeError(msg)
    pipeline = _pipeline(filters)
    return ddf.map_partitions(_clean_frame, pipeline, column, meta=ddf._meta)


# -- shards on a cluster -----------------------------------------------------------


@dataclass(frozen=True)
class ShardResult:
    """What became of one input shard: ``status`` is ``done`` or ``skipped`` (output already there).

    Inside `run_shards` a shard may also come back ``failed``, with the reason in
    ``error``; `run_shards` raises a `ShardError` for it.
    """

    src: str
    dst: str
    status: str
    records: int = 0
    error: str = ""


class ShardError(ValueError):
    """A shard could not be cleaned (a bad record, not Parquet, unreadable); the message names it."""


def clean_jsonl_file(
    src: str | os.PathLike[str],
    dst: str | os.PathLike[str],
    *,
    pipeline: Pipeline | Spec | None = None,
    field: str = "text",
) -> int:
    """Clean the `field` of each JSON Lines record of `src` into `dst`, atomically; return the records.

    Streams line by line, so memory is bounded by the longest record. The
    output lines are written as the CLI writes them (``ensure_ascii=False``,
    a lone surrogate kept as its ``\\u`` escape); blank lines pass through, a
    UTF-8 byte-order mark is dropped. A line that is not a JSON object, or whose field
    is not a string, is a `ValueError` naming the file and line; the output
    then is not created.
    """
    pipe = _pipeline(pipeline)
    src_name = os.fspath(src)
    dst_name = os.fspath(dst)
    records = 0
    with open(src_name, "rb") as inp, atomic_output(dst_name, "wb") as out:
        for lineno, raw in enumerate(inp, start=1):
            if not raw.strip():
                out.write(raw)
                continue
            try:
                record = json.loads(raw)
            except ValueError as err:
                msg = f"{src_name}: line {lineno}: not a JSON record ({err})"
                raise ValueError(msg) from None
            value = record.get(field) if isinstance(record, dict) else None
            if not isinstance(value, str):
                msg = f"{src_name}: line {lineno}: no string field {field!r}"
                raise ValueError(msg)
            record[field] = pipe(value)
            out.write(json_line_bytes(record))
            records += 1
    return records


def _clean_shard(src: str, dst: str, kind: str, pipeline: Pipeline, field: str) -> ShardResult:
    if os.path.exists(dst):  # another attempt finished it meanwhile
        return ShardResult(src, dst, "skipped")
    # Bad input is a result, not a task failure: a failed task makes the
    # workers log tracebacks, where one line naming the shard says it all.
    try:
        if kind == "parquet":
            from cleantext.parquet import clean_parquet

            records = clean_parquet(src, dst, pipeline=pipeline, column=field)
        else:
            records = clean_jsonl_file(src, dst, pipeline=pipeline, field=field)
    except (ValueError, OSError) as err:
        message = str(err) if src in str(err) else f"{src}: {err}"
        return ShardResult(src, dst, "failed", error=message)
    return ShardResult(src, dst, "done", records)


def _shard_kind(path: str) -> str:
    name = path.lower()
    if name.endswith(".parquet") or name.endswith(".pq"):
        return "parquet"
    return "jsonl"


def plan_shards(
    pattern: str | Sequence[str], out_dir: str | os.PathLike[str]
) -> list[tuple[str, str]]:
    """The (input, output) pairs for the shards `pattern` matches: same file name, in `out_dir`.

    `pattern` is a glob (``**`` recurses) or a list of globs and paths, as a
    shell that expanded the pattern itself passes them.
    """
    patterns = [pattern] if isinstance(pattern, str) else list(pattern)
    sources = sorted({s for p in patterns for s in glob.glob(p, recursive=True) if os.path.isfile(s)})
    if not sources:
        msg = f"no shard matches {' '.join(patterns)!r}"
        raise FileNotFoundError(msg)
    out = os.fspath(out_dir)
    pairs = [(s, os.path.join(out, os.path.basename(s))) for s in sources]
    seen: dict[str, str] = {}
    for src, dst in pairs:
        if dst in seen:
            msg = f"{seen[dst]} and {src} would both be written to {dst}: give shards distinct file names"
            raise ValueError(msg)
        if os.path.abspath(dst) == os.path.abspath(src):
            msg = f"{src}: the output directory is the input's own; choose another"
            raise ValueError(msg)
        seen[dst] = src
    return pairs


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Start processes that ignore Ctrl-C, which reaches the whole process group.

    An ignored signal stays ignored in a child, even a spawned one, and Python
    then installs no KeyboardInterrupt handler there: the local cluster's
    processes leave Ctrl-C to this one, which closes the cluster, instead of
    each printing a traceback as it dies. The price: a Ctrl-C while the
    cluster starts (about a second) is ignored too, and must be pressed again.
    """
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: nothing to change
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def run_shards(
    pattern: str | Sequence[str],
    out_dir: str | os.PathLike[str],
    *,
    scheduler: Any,
    filters: Pipeline | Spec | None = None,
    kind: str | None = None,
    field: str = "text",
    n_workers: int | None = None,
    on_result: Callable[[ShardResult], None] | None = None,
) -> list[ShardResult]:
    """Clean every shard `pattern` matches on a Dask cluster, one output shard per input shard.

    `scheduler` is a scheduler address (``"tcp://host:8786"``), ``"local"``
    for a `distributed.LocalCluster` of `n_workers` processes (default: one
    per core), or a `distributed.Client` already connected. `kind` is
    ``"jsonl"`` or ``"parquet"`` (default: from each file's extension);
    `field` is the JSON field or Parquet column cleaned. Each output goes to
    ``out_dir/<input file name>`` through a temporary file and a rename, so a
    shard's output exists only once it is complete; shards whose output
    already exists are skipped, which makes an interrupted run resumable by
    running it again. `on_result` is called as each shard finishes (progress).
    Results are returned in the order of the sorted input names. A shard that
    cannot be cleaned (a bad record, a file that is not Parquet) stops the run
    with a `ShardError` naming it; the shards finished before it are kept.
    """
    if kind is not None and kind not in SHARD_KINDS:
        msg = f"kind must be one of {', '.join(SHARD_KINDS)}, not {kind!r}"
        raise ValueError(msg)
    pipeline = _pipeline(filters)
    pairs = plan_shards(pattern, out_dir)
    os.makedirs(out_dir, exist_ok=True)
    results: dict[str, ShardResult] = {}
    todo = []
    for src, dst in pairs:
        if os.path.exists(dst):
            results[src] = ShardResult(src, dst, "skipped")
            if on_result is not None:
                on_result(results[src])
        else:
            todo.append((src, dst))
    if todo:
        local = isinstance(scheduler, str) and scheduler == "local"
        cluster = client = None
        own_client = False
        try:
            from distributed import Client, LocalCluster, as_completed

            if isinstance(scheduler, Client):
                client = scheduler
            elif local:
                import logging

                with _sigint_ignored():
                    cluster = LocalCluster(
                        n_workers=n_workers or os.cpu_count() or 1,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=None,
                        silence_logs=logging.ERROR,  # not warnings about tasks cancelled at the end
                    )
                client, own_client = Client(cluster), True
            else:
                client, own_client = Client(scheduler), True
            shipped = client.scatter(pipeline, broadcast=True)
            futures = [
                client.submit(_clean_shard, src, dst, kind or _shard_kind(src), shipped, field, pure=False)
                for src, dst in todo
            ]
            for future in as_completed(futures):
                result = future.result()
                if result.status == "failed":
                    client.cancel(futures)
                    raise ShardError(result.error)
                results[result.src] = result
                if on_result is not None:
                    on_result(result)
        finally:
            if own_client and client is not None:
                client.close()
            if cluster is not None:
                cluster.close()
    return [results[src] for src, _dst in pairs]
