"""Parquet in and out: clean one string column, batch by batch, keep everything else.

Needs pyarrow (``pip install 'cleantext-cjk[parquet]'``); it is imported when
`clean_parquet` runs, so ``import cleantext`` never needs it.

Memory is bounded by one batch (``batch_size`` rows), not by the file: rows
are read with `pyarrow.parquet.ParquetFile.iter_batches` and written with a
`pyarrow.parquet.ParquetWriter` as they come. The output has the input's
schema (column order, types, nullability and the schema metadata, such as the
pandas index description) and its compression codec; only the cleaned column's
values differ. Nulls stay null. The output is written to a temporary file
beside `dst` and renamed into place, so a failed or killed run leaves no half
file that a resumed run would take for done.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import TYPE_CHECKING, Any

from cleantext.interrupts import settle_worker
from cleantext.io import atomic_output
from cleantext.parallel import kill_workers
from cleantext.pipeline import Pipeline, Spec, build

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["ColumnError", "clean_parquet", "clean_values"]

DEFAULT_BATCH_SIZE = 2048


class ColumnError(ValueError):
    """The column to clean is missing or does not hold strings."""


def clean_values(pipeline: Callable[[str], str], values: Sequence[str | None]) -> list[str | None]:
    """Clean each string of `values` with `pipeline`; `None` (a null) stays `None`.

    >>> clean_values(Pipeline.from_spec("normalize-unicode"), ["ＡＩ模型", None])
    ['AI模型', None]
    """
    return [None if value is None else pipeline(value) for value in values]


def _require_pyarrow() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        msg = "Parquet needs pyarrow: pip install 'cleantext-cjk[parquet]'"
        raise ImportError(msg) from None
    return pq


def _string_column(schema: pa.Schema, column: str, where: str) -> int:
    if column not in schema.names:
        msg = f"{where}: no column {column!r}; its columns: {', '.join(schema.names)}"
        raise ColumnError(msg)
    index = schema.get_field_index(column)
    if index < 0:  # the name appears more than once
        msg = f"{where}: column name {column!r} is not unique"
        raise ColumnError(msg)
    kind = schema.field(index).type
    if not _holds_strings(kind):
        msg = f"{where}: column {column!r} holds {kind}, not strings"
        raise ColumnError(msg)
    return index


def _holds_strings(kind: pa.DataType) -> bool:
    """A string type, or a dictionary of strings (a pandas ``category`` column of text)."""
    import pyarrow as pa

    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return True
    return hasattr(pa.types, "is_string_view") and pa.types.is_string_view(kind)


def _source_compression(parquet_file: Any) -> str:
    """The codec of the input's first column chunk, so the output is as compact as the input."""
    meta = parquet_file.metadata
    if meta.num_row_groups and meta.num_columns:
        codec = str(meta.row_group(0).column(0).compression).lower()
        if codec in ("snappy", "gzip", "brotli", "zstd", "lz4", "none", "uncompressed"):
            return "none" if codec == "uncompressed" else codec
    return "snappy"


def _chunks(values: list[Any], parts: int) -> list[list[Any]]:
    size = max(1, -(-len(values) // parts))
    return [values[i : i + size] for i in range(0, len(values), size)]


def clean_parquet(
    src: str | os.PathLike[str],
    dst: str | os.PathLike[str],
    *,
    pipeline: Pipeline | Spec | None = None,
    column: str = "text",
    batch_size: int = DEFAULT_BATCH_SIZE,
    jobs: int = 1,
    executor: Executor | None = None,
    on_batch: Callable[[int, int], None] | None = None,
) -> int:
    """Clean `column` of the Parquet file `src` into `dst`; return the number of rows.

    `pipeline` is a `Pipeline`, or anything `cleantext.clean` takes as
    ``filters`` (``None`` is the default preset). `jobs` > 1 cleans each batch
    in that many worker processes (``0``: one per core), which receive the
    pipeline pickled once; or pass an `executor` (a
    `concurrent.futures.ProcessPoolExecutor`, a Dask or Ray executor...), which
    receives it with every chunk. Row order is kept either way. `on_batch`,
    if given, is called after each batch with the rows done and the file's
    total rows (for a progress bar). A dictionary-encoded column of strings
    stays dictionary-encoded.

    A `ColumnError` names the columns when `column` is missing, and the type
    when it holds something other than strings; a file that is not Parquet
    raises pyarrow's `ArrowInvalid` (a `ValueError`). `dst` may be `src`'s own path
    only because the output goes to a temporary file first.
    """
    pq = _require_pyarrow()
    import pyarrow as pa

    pipe = pipeline if isinstance(pipeline, Pipeline) else build(pipeline)
    source = pq.ParquetFile(src)
    schema = source.schema_arrow
    index = _string_column(schema, column, os.fspath(src))
    field = schema.field(index)
    total = source.metadata.num_rows

    if jobs == 0:
        jobs = os.cpu_count() or 1
    pool = None
    if executor is not None:
        parts = max(2, jobs) * 4

        def clean_batch(values: list[Any]) -> list[Any]:
            results = executor.map(partial(clean_values, pipe), _chunks(values, parts))
            return [v for chunk in results for v in chunk]

    elif jobs > 1:
        import multiprocessing
        import sys
        from concurrent.futures import ProcessPoolExecutor

        # Not multiprocessing.Pool: when the kernel kills one of its workers (out of
        # memory), its map waits forever; this executor raises BrokenProcessPool.
        context = multiprocessing.get_context("spawn" if sys.platform == "win32" else "fork")
        pool = ProcessPoolExecutor(
            jobs, mp_context=context, initializer=_init_worker, initargs=(pipe, os.getpid())
        )

        def clean_batch(values: list[Any]) -> list[Any]:
            results = pool.map(_clean_chunk_in_worker, _chunks(values, jobs * 4))
            return [v for chunk in results for v in chunk]

    else:

        def clean_batch(values: list[Any]) -> list[Any]:
            return clean_values(pipe, values)

    rows = 0
    try:
        with atomic_output(os.fspath(dst), "wb") as sink, pq.ParquetWriter(
            sink, schema, compression=_source_compression(source)
        ) as writer:
            for batch in source.iter_batches(batch_size=batch_size):
                values = batch.column(index).to_pylist()
                cleaned = pa.array(clean_batch(values), type=field.type)
                arrays = [cleaned if i == index else batch.column(i) for i in range(batch.num_columns)]
                writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
                rows += batch.num_rows
                if on_batch is not None:
                    on_batch(rows, total)
    except BrokenProcessPool:
        kill_workers(pool)
        raise
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        source.close()
    return rows


# -- worker processes (one pipeline per process, set once by the initializer) --

_PIPELINE: Pipeline | None = None


def _init_worker(pipeline: Pipeline, parent_pid: int) -> None:
    global _PIPELINE
    _PIPELINE = pipeline
    settle_worker(parent_pid)


def _clean_chunk_in_worker(values: list[str | None]) -> list[str | None]:
    assert _PIPELINE is not None
    return clean_values(_PIPELINE, values)
