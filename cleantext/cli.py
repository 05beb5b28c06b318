"""The ``cleantext`` command: a Unix filter over text files and JSON Lines.

    cleantext [OPTIONS] [FILE ...]

Reads the files in order (standard input when there are none, or for ``-``),
writes the cleaned text to standard output or to ``-o FILE``. Exit status: 0
ok, 1 input error (a message naming the file and position), 2 usage error.
Errors are one line on stderr; an output file is written whole or not at all.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import IO, Any

import cleantext
from cleantext.io import DecodeError, atomic_output, decode_bytes
from cleantext.parallel import ordered_map
from cleantext.pipeline import SCRIPT_TARGETS, Pipeline, build
from cleantext.registry import DEFAULT_PRESET, FILTERS

__all__ = ["main"]

PROG = "cleantext"

# CLI flags that set an option of one filter, applied when that filter is in the pipeline.
FILTER_FLAGS: dict[str, tuple[str, str]] = {
    "remove_irrecoverable": ("fix-mojibake", "remove_irrecoverable"),
    "rules": ("strip-chrome", "rules"),
    "drop_meta": ("strip-chrome", "drop_meta"),
}


class InputError(Exception):
    """Bad input: reported on one line, exit status 1."""


@dataclass
class Options:
    """What a worker needs to clean one item (pickled to worker processes)."""

    pipeline: Pipeline
    explain: bool = False
    field: str = "text"
    encoding: str = "auto"
    meta: bool = False
    boilerplate: Any = None  # a BoilerplateModel from --learn-boilerplate


def _filter_help() -> str:
    lines = ["filters (default preset marked *):"]
    width = max((len(n) for n in FILTERS), default=10)
    for name, f in FILTERS.items():
        mark = "*" if name in DEFAULT_PRESET else " "
        lines.append(f"  {mark} {name:<{width}}  {f.summary}")
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Clean text scraped from Chinese and Japanese web pages.",
        epilog=_filter_help() + "\n\nexit status: 0 ok, 1 input error, 2 usage error",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="input files; standard input when none or '-'")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    parser.add_argument(
        "-f", "--filters", metavar="SPEC", help="comma-separated filter names (default: the default preset)"
    )
    parser.add_argument("--to", choices=SCRIPT_TARGETS, help="convert the script after cleaning")
    parser.add_argument(
        "--explain", action="store_true", help="write every change as a JSON line on standard error"
    )
    parser.add_argument("--list-filters", action="store_true", help="list the filters and exit")
    parser.add_argument(
        "--encoding", default="auto", metavar="ENC",
        help="input encoding (default auto: UTF-8, a BOM, or GB18030/Big5/Shift_JIS/EUC-JP/EUC-KR/UTF-16)",
    )
    parser.add_argument("--jsonl", action="store_true", help="input is JSON Lines: clean one field of each record")
    parser.add_argument("--field", default="text", metavar="NAME", help="the field --jsonl cleans (default: text)")
    parser.add_argument(
        "--skip-bad", action="store_true", help="with --jsonl: warn about a malformed record and pass it through"
    )
    parser.add_argument(
        "-j", "--jobs", type=int, default=1, metavar="N", help="worker processes (default 1; 0 = all cores)"
    )
    parser.add_argument(
        "--remove-irrecoverable", action="store_true",
        help="fix-mojibake: remove irrecoverable damage (锟斤拷, runs of U+FFFD) instead of reporting it",
    )
    parser.add_argument("--rules", metavar="FILE", help="strip-chrome: a rule file of your own (TOML)")
    parser.add_argument("--drop-meta", action="store_true", help="strip-chrome: also remove byline/date/source lines")
    parser.add_argument("--meta", action="store_true", help="with --jsonl: add the extracted meta fields to records")
    parser.add_argument(
        "--parquet", action="store_true",
        help="input and output are Parquet files: clean the column --field, keep the rest (needs -o; extra [parquet])",
    )
    parser.add_argument(
        "--dask", metavar="SCHEDULER",
        help="run the input shards (JSONL or Parquet, a glob) on a Dask cluster: an address, or 'local' (needs -o DIR)",
    )
    parser.add_argument(
        "--learn-boilerplate", action="store_true",
        help="two passes: first learn lines repeated across many documents of a source, then remove them (corpus-repeat)",
    )
    parser.add_argument(
        "--removed", metavar="FILE",
        help="write every removed span as a JSON line (file, line, filter, rule, offsets, text) for audit",
    )
    parser.add_argument("--stats", action="store_true", help="a summary on stderr at the end: records, bytes, changes by rule")
    parser.add_argument("--progress", action="store_true", help="show a progress bar even when stderr is not a terminal")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar, even on a terminal")
    parser.add_argument("--version", action="version", version=f"{PROG} (cleantext-cjk) {cleantext.__version__}")
    return parser


def _configure(pipeline: Pipeline, args: argparse.Namespace, parser: argparse.ArgumentParser) -> Pipeline:
    steps = list(pipeline.filters)
    for flag, (name, option) in FILTER_FLAGS.items():
        value = getattr(args, flag)
        if value in (None, False):
            continue
        if name not in FILTERS:
            parser.error(f"--{flag.replace('_', '-')} needs the {name} filter, which this version does not have")
        positions = [i for i, f in enumerate(steps) if f.name == name]
        if not positions:
            parser.error(f"--{flag.replace('_', '-')} applies to {name}, which is not in the pipeline")
        for i in positions:
            steps[i] = steps[i].configure(**{option: value})
    return Pipeline(steps)


# -- the work, done in this process or in workers ----------------------------

_OPTIONS: Options | None = None


def _init_worker(options: Options) -> None:
    global _OPTIONS
    _OPTIONS = options


def _clean_text(options: Options, text: str, source: str = "") -> tuple[str, list[dict[str, Any]]]:
    pipeline = options.pipeline
    if options.boilerplate is not None:
        # The lines learned for this source go first, before other filters change them.
        pipeline = Pipeline([options.boilerplate.filter(source), *pipeline.filters])
    if options.explain:
        out, changes = pipeline.explain(text)
        return out, [c.to_dict() for c in changes]
    return pipeline(text), []


@dataclass
class Result:
    """One cleaned item, as a worker returns it."""

    where: dict[str, Any]  # file, and line and record id for JSON Lines
    ok: bool
    output: str  # the cleaned text or record; for a bad item, the message
    changes: list[dict[str, Any]]
    size_in: int
    raw: str = ""  # a bad record, to pass through with --skip-bad


def _clean_record(item: tuple[str, int, bytes]) -> Result:
    """Clean one JSON Lines record."""
    options = _OPTIONS
    assert options is not None
    name, lineno, raw = item
    where: dict[str, Any] = {"file": name, "line": lineno}
    if not raw.strip():
        return Result(where, True, raw.decode("utf-8", "replace"), [], len(raw))
    try:
        record = json.loads(raw.decode("utf-8" if options.encoding == "auto" else options.encoding))
    except (UnicodeDecodeError, ValueError) as err:
        return _bad(where, raw, f"not a JSON record ({err})")
    if not isinstance(record, dict):
        return _bad(where, raw, "not a JSON object")
    value = record.get(options.field)
    if not isinstance(value, str):
        what = "missing" if options.field not in record else f"a {type(value).__name__}, not a string"
        return _bad(where, raw, f"field {options.field!r} is {what}")
    if "id" in record:
        where["id"] = record["id"]
    source = ""
    if options.boilerplate is not None:
        from cleantext.boilerplate import source_of

        source = source_of(record, os.path.basename(name))
    out, changes = _clean_text(options, value, source)
    record[options.field] = out
    if options.meta:
        record.update(cleantext.extract_meta(value))  # type: ignore[attr-defined]
    return Result(where, True, json.dumps(record, ensure_ascii=False) + "\n", changes, len(raw))


def _bad(where: dict[str, Any], raw: bytes, message: str) -> Result:
    return Result(where, False, message, [], len(raw), raw.decode("utf-8", "replace"))


def _clean_document(item: tuple[str, bytes]) -> Result:
    """Decode and clean one whole text file."""
    options = _OPTIONS
    assert options is not None
    name, data = item
    where = {"file": name}
    try:
        text, _encoding = decode_bytes(data, options.encoding)
    except DecodeError as err:
        return Result(where, False, str(err), [], len(data))
    out, changes = _clean_text(options, text)
    return Result(where, True, out, changes, len(data))


# -- reading -----------------------------------------------------------------


def _open_input(name: str) -> IO[bytes]:
    if name == "-":
        return sys.stdin.buffer
    try:
        return open(name, "rb")
    except OSError as err:
        raise InputError(f"{name}: cannot read: {err.strerror}") from None


def _read_documents(names: Sequence[str]) -> Iterator[tuple[str, bytes]]:
    for name in names:
        stream = _open_input(name)
        try:
            yield ("<stdin>" if name == "-" else name), stream.read()
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()


def _read_lines(names: Sequence[str]) -> Iterator[tuple[str, int, bytes]]:
    for name in names:
        yield from _read_lines_of(name)


def _read_lines_of(name: str) -> Iterator[tuple[str, int, bytes]]:
    shown = "<stdin>" if name == "-" else name
    stream = _open_input(name)
    try:
        for lineno, raw in enumerate(stream, start=1):
            yield shown, lineno, raw
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


# -- running -----------------------------------------------------------------


class Reporter:
    """Everything written besides the output: explain lines, removed spans, progress, the --stats summary."""

    def __init__(self, args: argparse.Namespace, total_bytes: int | None, removed: IO[str] | None) -> None:
        self.explain = args.explain
        self.removed = removed
        self.records = 0
        self.bytes_in = 0
        self.bytes_out = 0
        self.by_rule: Counter[str] = Counter()
        show = args.progress or (not args.quiet and sys.stderr.isatty())
        self.bar = None
        if show:
            from tqdm import tqdm

            self.bar = tqdm(total=total_bytes, unit="B", unit_scale=True, unit_divisor=1024, file=sys.stderr,
                            desc=PROG, dynamic_ncols=True, smoothing=0.1)

    def record(self, result: Result) -> None:
        self.records += 1
        self.bytes_in += result.size_in
        self.bytes_out += len(result.output.encode("utf-8"))
        for change in result.changes:
            self.by_rule[f"{change['filter']}:{change['rule']}"] += 1
            if self.explain:
                sys.stderr.write(json.dumps({**result.where, **change}, ensure_ascii=False) + "\n")
            if self.removed is not None and change["old"] and not change["new"]:
                span = {k: change[k] for k in ("filter", "rule", "start", "end")} | {"text": change["old"]}
                self.removed.write(json.dumps({**result.where, **span}, ensure_ascii=False) + "\n")
        if self.bar is not None:
            self.bar.update(result.size_in)
            self.bar.set_postfix(records=self.records, refresh=False)

    def close(self, stats: bool) -> None:
        if self.bar is not None:
            self.bar.close()
        if stats:
            lines = [f"{PROG}: {self.records} records, {self.bytes_in} bytes in, {self.bytes_out} bytes out"]
            lines += [f"  {count:>8}  {rule}" for rule, count in self.by_rule.most_common()]
            sys.stderr.write("\n".join(lines) + "\n")


def _clean_inputs(names: Sequence[str], args: argparse.Namespace, options: Options, out: IO[str],
                  report: Reporter) -> None:
    """Clean text files (each one document) or JSON Lines streams (each line a record) into `out`."""
    jobs = (os.cpu_count() or 1) if args.jobs == 0 else args.jobs
    pool = {"jobs": jobs, "initializer": _init_worker, "initargs": (options,)}
    if args.jsonl:
        results = ordered_map(_clean_record, _read_lines(names), chunk_size=256, **pool)
    else:
        results = ordered_map(_clean_document, _read_documents(names), chunk_size=1, **pool)
    for result in results:
        if not result.ok:
            where = result.where["file"] + (f": line {result.where['line']}" if "line" in result.where else "")
            message = f"{where}: {result.output}"
            if not (args.skip_bad and args.jsonl):
                raise InputError(message)
            sys.stderr.write(f"{PROG}: warning: {message}; passed through unchanged\n")
            result.output = result.raw
        report.record(result)
        out.write(result.output)


def _size(name: str) -> int:
    try:
        return os.path.getsize(name)
    except OSError:
        return 0


def _total_size(names: Sequence[str]) -> int | None:
    if "-" in names:
        return None
    return sum(_size(n) for n in names)


def _run(args: argparse.Namespace, options: Options) -> None:
    names = args.files or ["-"]
    if args.output and os.path.isdir(args.output):
        _run_shards(names, args, options)
        return
    removed_cm = atomic_output(args.removed) if args.removed else nullcontext(None)
    with removed_cm as removed:
        report = Reporter(args, _total_size(names), removed)
        try:
            if args.output:
                with atomic_output(args.output) as out:
                    _clean_inputs(names, args, options, out, report)
            else:
                out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=False)
                try:
                    _clean_inputs(names, args, options, out, report)
                    out.flush()
                finally:
                    out.detach()
        finally:
            report.close(args.stats)


def _run_shards(names: Sequence[str], args: argparse.Namespace, options: Options) -> None:
    """One output shard per input in the directory ``-o DIR``, each renamed into place when whole.

    A shard already there is skipped, so a killed run resumes where it stopped.
    With ``--removed DIR2`` each shard's removed spans go to ``DIR2/<name>.removed.jsonl``,
    committed just before the shard, so a resumed run keeps the audit of the shards done.
    """
    if "-" in names:
        raise InputError("-o DIR takes named input files, not standard input")
    if args.removed and not os.path.isdir(args.removed):
        raise InputError(f"with -o DIR, --removed names a directory too: {args.removed} is not one")
    report = Reporter(args, _total_size(names), None)
    try:
        for name in names:
            target = os.path.join(args.output, os.path.basename(name))
            if os.path.exists(target):
                continue
            removed_path = os.path.join(args.removed, os.path.basename(name) + ".removed.jsonl") if args.removed else None
            removed_cm = atomic_output(removed_path) if removed_path else nullcontext(None)
            with atomic_output(target) as out, removed_cm as removed:
                report.removed = removed
                _clean_inputs([name], args, options, out, report)
    finally:
        report.close(args.stats)


def _learn(args: argparse.Namespace) -> Any:
    """The first pass of --learn-boilerplate: it reads every input once more, so stdin cannot be used."""
    from cleantext.boilerplate import learn_boilerplate_files

    names = args.files or ["-"]
    if "-" in names:
        raise InputError("--learn-boilerplate reads the input twice: give files, not standard input")
    for name in names:
        if not os.path.isfile(name):
            raise InputError(f"{name}: cannot read: no such file")
    model = learn_boilerplate_files(names, jsonl=args.jsonl, field=args.field, encoding=args.encoding)
    if args.stats:
        sys.stderr.write(f"{PROG}: learned {model.lines} repeated lines\n")
    return model


def _missing_extra(extra: str, module: str) -> InputError:
    return InputError(f"this needs {module}: pip install 'cleantext-cjk[{extra}]'")


def _run_parquet(args: argparse.Namespace, pipeline: Pipeline) -> int:
    try:
        from cleantext.parquet import ColumnError, clean_parquet

        import pyarrow  # noqa: F401
    except ImportError:
        raise _missing_extra("parquet", "pyarrow") from None
    names = args.files
    if not names or "-" in names:
        raise InputError("--parquet reads named files, not standard input")
    jobs = (os.cpu_count() or 1) if args.jobs == 0 else args.jobs
    to_dir = os.path.isdir(args.output)
    if len(names) > 1 and not to_dir:
        raise InputError("several Parquet inputs need -o DIR")
    rows = 0
    for name in names:
        target = os.path.join(args.output, os.path.basename(name)) if to_dir else args.output
        if to_dir and os.path.exists(target):
            continue  # done by an earlier run
        try:
            rows += clean_parquet(name, target, pipeline=pipeline, column=args.field, jobs=jobs)
        except ColumnError as err:
            raise InputError(f"{name}: {err}") from None
        except OSError as err:
            raise InputError(f"{name}: {err}") from None
    if args.stats:
        sys.stderr.write(f"{PROG}: {rows} rows\n")
    return 0


def _run_dask(args: argparse.Namespace, pipeline: Pipeline) -> int:
    try:
        from cleantext.dask import run_shards

        import distributed  # noqa: F401
    except ImportError:
        raise _missing_extra("dask", "dask[distributed]") from None
    if not args.files:
        raise InputError("--dask needs input shards: a glob such as 'shards/*.jsonl'")
    patterns = args.files[0] if len(args.files) == 1 else list(args.files)
    try:
        results = run_shards(patterns, args.output, scheduler=args.dask, filters=pipeline, field=args.field)
    except (FileNotFoundError, ValueError) as err:
        raise InputError(str(err)) from None
    if args.stats:
        done = sum(r.status == "done" for r in results)
        records = sum(r.records for r in results)
        sys.stderr.write(f"{PROG}: {done} shards cleaned, {len(results) - done} skipped, {records} records\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.list_filters:
        width = max(len(n) for n in FILTERS)
        for name, f in FILTERS.items():
            sys.stdout.write(f"{name:<{width}}  {f.summary}\n")
        return 0
    if args.jobs < 0:
        parser.error("--jobs must be 0 (all cores) or a positive number")
    if args.meta and not args.jsonl:
        parser.error("--meta goes with --jsonl")
    if args.meta and not hasattr(cleantext, "extract_meta"):
        parser.error("--meta needs meta extraction, which this version does not have")
    try:
        pipeline = build(args.filters, None)
        if args.to:
            pipeline = build(pipeline, args.to)
    except ValueError as err:
        parser.error(str(err))
    pipeline = _configure(pipeline, args, parser)
    if args.parquet or args.dask:
        mode = "--parquet" if args.parquet else "--dask"
        for flag in ("explain", "removed", "learn_boilerplate", "meta", "skip_bad"):
            if getattr(args, flag):
                parser.error(f"{mode} does not go with --{flag.replace('_', '-')}")
        if not args.output:
            parser.error(f"{mode} writes files: give -o FILE or -o DIR")
        if args.dask and not os.path.isdir(args.output):
            parser.error("--dask writes one shard per input: -o must be an existing directory")
    explain = args.explain or args.stats or bool(args.removed)
    options = Options(pipeline, explain=explain, field=args.field, encoding=args.encoding, meta=args.meta)
    try:
        if args.dask:
            return _run_dask(args, pipeline)
        if args.parquet:
            return _run_parquet(args, pipeline)
        if args.learn_boilerplate:
            options.boilerplate = _learn(args)
        _run(args, options)
    except InputError as err:
        sys.stderr.write(f"{PROG}: error: {err}\n")
        return 1
    except BrokenPipeError:
        # The reader went away (`cleantext big.txt | head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
