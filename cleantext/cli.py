"""The ``cleantext`` command: a Unix filter over text files and JSON Lines.

    cleantext [OPTIONS] [FILE ...]

Reads the files in order (standard input when there are none, or for ``-``),
writes the cleaned text to standard output or to ``-o FILE``. Exit status: 0
ok, 1 input error (a message naming the file and position), 2 usage error,
130 after Ctrl-C, 143 after SIGTERM.
Errors are one line on stderr; an output file is written whole or not at all.
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import signal
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import IO, Any

import cleantext
from cleantext import interrupts
from cleantext.io import DecodeError, atomic_output, decode_bytes, json_line, json_line_bytes
from cleantext.core import Change
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
    """What a worker needs to clean its items (pickled to worker processes)."""

    pipeline: Pipeline
    changes: bool = False  # compute the changes (for --explain, --stats, --removed)
    explain: bool = False  # write each change to stderr
    removed: bool = False  # write each removed span to --removed
    skip_bad: bool = False  # pass bad records (and undecodable text files) through instead of stopping
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
        epilog=_filter_help()
        + "\n\nexit status: 0 ok, 1 input error, 2 usage error, 130 interrupted, 143 terminated",
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
        "--skip-bad",
        action="store_true",
        help="warn about a malformed JSON Lines record, or a text file that cannot be decoded, and pass it through",
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
    parser.add_argument("--version", action=_VersionAction)
    return parser


class _VersionAction(argparse.Action):
    """``--version``: reads the installed version (importlib.metadata, slow to import) only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="show program's version number and exit")

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        sys.stdout.write(f"{PROG} (cleantext-cjk) {cleantext.__version__}\n")
        parser.exit()


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

# JSON Lines are read and cleaned in blocks of whole lines of about this size:
# a worker gets one block and returns its output in one piece, so the parent
# only moves bytes, whatever the size of the records. Small enough that the
# workers finish together (the last block is the only one a worker may wait on).
BLOCK_SIZE = 1 << 18

_OPTIONS: Options | None = None


def _init_worker(options: Options) -> None:
    global _OPTIONS
    _OPTIONS = options
    if interrupts.is_worker():  # the parent runs this too, for the first chunk
        interrupts.settle_worker(interrupts.main_pid())


@dataclass
class Batch:
    """What cleaning a block of records, or one document, gives the parent to write and count."""

    output: list[bytes] = field(default_factory=list)  # UTF-8, encoded in the worker
    records: int = 0  # blank lines between records are copied, not counted
    bad: int = 0  # of them, bad records passed through (--skip-bad)
    bytes_in: int = 0
    bytes_out: int = 0
    by_rule: Counter[str] = field(default_factory=Counter)
    explain: list[str] = field(default_factory=list)  # JSON lines for stderr
    removed: list[str] = field(default_factory=list)  # JSON lines for --removed
    warnings: list[str] = field(default_factory=list)  # bad records passed through (--skip-bad)
    error: str | None = None  # the bad item that stops the run, after the output before it

    def add(self, options: Options, where: dict[str, Any], output: str | bytes, size_in: int,
            changes: Sequence[Change] = (), *, record: bool = True) -> None:
        """Count and keep one item's output: text is encoded as UTF-8, bytes pass as they are."""
        self.records += record
        self.bytes_in += size_in
        encoded = output if isinstance(output, bytes) else output.encode("utf-8")
        self.bytes_out += len(encoded)
        self.output.append(encoded)
        for change in changes:
            self.by_rule[f"{change.filter}:{change.rule}"] += 1
            if options.explain:
                self.explain.append(json_line({**where, **change.to_dict()}))
            if options.removed and change.old and not change.new:
                span = {"filter": change.filter, "rule": change.rule, "start": change.start, "end": change.end,
                        "text": change.old}
                self.removed.append(json_line({**where, **span}))


def _clean_text(options: Options, text: str, source: str = "") -> tuple[str, list[Change]]:
    pipeline = options.pipeline
    if options.boilerplate is not None:
        # The lines learned for this source go first, before other filters change them.
        pipeline = Pipeline([options.boilerplate.filter(source), *pipeline.filters])
    if options.changes:
        return pipeline.explain(text)
    return pipeline(text), []


# What a JSON value that is not a string is, in JSON's words, for error messages.
_JSON_KINDS = {type(None): "null", bool: "a boolean", int: "a number", float: "a number", list: "an array",
               dict: "an object"}


def _clean_record(options: Options, batch: Batch, name: str, lineno: int, raw: bytes) -> bool:
    """Clean one JSON Lines record into `batch`; False when it is bad and stops the run."""
    where: dict[str, Any] = {"file": name, "line": lineno}
    body = raw
    if lineno == 1 and raw.startswith(codecs.BOM_UTF8) and options.encoding in ("auto", "utf-8", "utf8"):
        body = raw[len(codecs.BOM_UTF8):]  # a file saved "with BOM": the mark is not part of the record
    if not body.strip():
        batch.add(options, where, body, len(raw), record=False)
        return True
    try:
        record = json.loads(body.decode("utf-8" if options.encoding == "auto" else options.encoding))
    except UnicodeDecodeError as err:
        bad = f"not valid {err.encoding}: byte 0x{body[err.start]:02x} at offset {err.start} of the line"
        return _bad(options, batch, where, raw, bad)
    except ValueError as err:
        return _bad(options, batch, where, raw, f"not a JSON record ({err})")
    if not isinstance(record, dict):
        kind = _JSON_KINDS.get(type(record), "a value")
        return _bad(options, batch, where, raw, f"{kind}, not a JSON object")
    value = record.get(options.field)
    if not isinstance(value, str):
        kind = _JSON_KINDS.get(type(value), "a value")
        what = "missing" if options.field not in record else f"{kind}, not a string"
        return _bad(options, batch, where, raw, f"field {options.field!r} is {what}")
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
    batch.add(options, where, json_line_bytes(record), len(raw), changes)
    return True


def _bad(options: Options, batch: Batch, where: dict[str, Any], raw: bytes, message: str) -> bool:
    message = f"{where['file']}: line {where['line']}: {message}"
    if not options.skip_bad:
        batch.error = message
        return False
    batch.warnings.append(f"{PROG}: warning: {message}; passed through unchanged\n")
    batch.bad += 1
    batch.add(options, where, raw, len(raw))  # the bytes as they were, even those that are not UTF-8
    return True


def _clean_block(item: tuple[str, int, bytes | InputError]) -> Batch:
    """Clean a block of whole JSON Lines records; `lineno` is the line number of its first."""
    options = _OPTIONS
    assert options is not None
    name, lineno, data = item
    batch = Batch()
    if isinstance(data, InputError):
        batch.error = str(data)
        return batch
    lines = data.split(b"\n")
    last = len(lines) - 1
    for i, line in enumerate(lines):
        if i == last:
            if not line:
                break  # the block ended with a newline
            raw = line  # the file's last line, without one
        else:
            raw = line + b"\n"
        if not _clean_record(options, batch, name, lineno + i, raw):
            break
    return batch


def _clean_document(item: tuple[str, bytes | InputError]) -> Batch:
    """Decode and clean one whole text file."""
    options = _OPTIONS
    assert options is not None
    name, data = item
    batch = Batch()
    if isinstance(data, InputError):
        batch.error = str(data)
        return batch
    try:
        text, _encoding = decode_bytes(data, options.encoding)
    except DecodeError as err:
        if options.skip_bad:  # one undecodable file in a corpus: passed through, as a bad record is
            batch.warnings.append(f"{PROG}: warning: {name}: {err}; passed through unchanged\n")
            batch.bad += 1
            batch.add(options, {"file": name}, data, len(data))
        else:
            batch.error = f"{name}: {err}"
        return batch
    out, changes = _clean_text(options, text)
    batch.add(options, {"file": name}, out, len(data), changes)
    return batch


# -- reading -----------------------------------------------------------------


def _open_input(name: str) -> IO[bytes]:
    if name == "-":
        return sys.stdin.buffer
    try:
        return open(name, "rb")
    except OSError as err:
        raise InputError(f"{name}: cannot read: {err.strerror}") from None


def _check_inputs(names: Sequence[str]) -> None:
    """Stop before any output is written when a named input is missing or a directory.

    A mistyped name at the end of a long list would otherwise be found after
    hours of work, with ``-o DIR`` half done and standard output cut short.
    """
    for name in names:
        if name == "-":
            continue
        if os.path.isdir(name):
            raise InputError(f"{name}: cannot read: it is a directory")
        if not os.path.exists(name):
            raise InputError(f"{name}: cannot read: No such file or directory")


# A file that cannot be read becomes an item carrying the error, not an
# exception in the reader: the reader runs ahead of the writer when there are
# workers, and the output before the bad file must be the same as with -j 1.

def _read_documents(names: Sequence[str]) -> Iterator[tuple[str, bytes | InputError]]:
    for name in names:
        shown = "<stdin>" if name == "-" else name
        try:
            stream = _open_input(name)
        except InputError as err:
            yield shown, err
            return
        try:
            data = stream.read()
        except OSError as err:
            yield shown, InputError(f"{shown}: cannot read: {err.strerror}")
            return
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()
        yield shown, data


def _read_blocks(names: Sequence[str]) -> Iterator[tuple[str, int, bytes | InputError]]:
    for name in names:
        try:
            yield from _read_blocks_of(name)
        except InputError as err:
            yield name, 0, err
            return


def _read_blocks_of(name: str) -> Iterator[tuple[str, int, bytes]]:
    """(name, number of the first line, whole lines): blocks cut at line ends.

    `read1` returns what is there, so a pipe (`tail -f log | cleantext
    --jsonl`) is cleaned as it arrives; a record longer than a block makes
    its block longer, so memory is bounded by the largest record.
    """
    shown = "<stdin>" if name == "-" else name
    stream = _open_input(name)
    read = getattr(stream, "read1", stream.read)
    lineno = 1
    # The start of a line not yet ended, in pieces: joined once its end comes,
    # and only the new chunk is searched for it, so a record of many blocks
    # costs time in proportion to its length, not to its length squared.
    carry: list[bytes] = []
    try:
        while True:
            try:
                chunk = read(BLOCK_SIZE)
            except OSError as err:
                raise InputError(f"{shown}: cannot read: {err.strerror}") from None
            if not chunk:
                break
            cut = chunk.rfind(b"\n") + 1
            if cut == 0:
                carry.append(chunk)
                continue
            block = b"".join([*carry, chunk[:cut]]) if carry else chunk[:cut]
            carry = [chunk[cut:]] if cut < len(chunk) else []
            yield shown, lineno, block
            lineno += block.count(b"\n")
        if carry:
            yield shown, lineno, b"".join(carry)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


# -- running -----------------------------------------------------------------


class Reporter:
    """Everything written besides the output: explain lines, removed spans, progress, the --stats summary."""

    def __init__(self, args: argparse.Namespace, total_bytes: int | None, removed: IO[str] | None) -> None:
        self.removed = removed
        self.records = 0
        self.bad = 0
        self.bytes_in = 0
        self.bytes_out = 0
        self.by_rule: Counter[str] = Counter()
        show = args.progress or (not args.quiet and sys.stderr.isatty())
        self.bar = None
        if show:
            from tqdm import tqdm

            self.bar = tqdm(total=total_bytes, unit="B", unit_scale=True, unit_divisor=1024, file=sys.stderr,
                            desc=PROG, dynamic_ncols=True, smoothing=0.1)

    def record(self, batch: Batch) -> None:
        self.records += batch.records
        self.bad += batch.bad
        self.bytes_in += batch.bytes_in
        self.bytes_out += batch.bytes_out
        self.by_rule.update(batch.by_rule)
        if batch.explain:
            sys.stderr.write("".join(batch.explain))
        if self.removed is not None and batch.removed:
            self.removed.write("".join(batch.removed))
        if self.bar is not None:
            self.bar.update(batch.bytes_in)
            self.bar.set_postfix(records=self.records, refresh=False)

    def close(self, stats: bool) -> None:
        if self.bar is not None:
            self.bar.close()
        if stats:
            bad = f" ({self.bad} bad, passed through unchanged)" if self.bad else ""
            lines = [f"{PROG}: {self.records} records{bad}, {self.bytes_in} bytes in, {self.bytes_out} bytes out"]
            lines += [f"  {count:>8}  {rule}" for rule, count in self.by_rule.most_common()]
            sys.stderr.write("\n".join(lines) + "\n")


def _clean_inputs(names: Sequence[str], args: argparse.Namespace, options: Options, out: IO[bytes],
                  report: Reporter) -> None:
    """Clean text files (each one document) or JSON Lines streams (each line a record) into `out`."""
    jobs = (os.cpu_count() or 1) if args.jobs == 0 else args.jobs
    # No separate warm-up: the filters build their rules and tables on first use,
    # only those the input needs (a clean corpus never builds fix-mojibake's
    # scoring tables), and `ordered_map` cleans the first block here, so that
    # forked workers inherit what it built.
    pool = {"jobs": jobs, "chunk_size": 1, "initializer": _init_worker, "initargs": (options,)}
    if args.jsonl:
        batches = ordered_map(_clean_block, _read_blocks(names), **pool)
    else:
        batches = ordered_map(_clean_document, _read_documents(names), **pool)
    with interrupts.deferred(jobs > 1):
        try:
            for batch in batches:
                interrupts.raise_if_signalled()
                if batch.warnings:
                    sys.stderr.write("".join(batch.warnings))
                report.record(batch)
                out.write(b"".join(batch.output))
                if batch.error is not None:
                    raise InputError(batch.error)
        finally:
            batches.close()  # the pool, if any, shuts down here, with the signals still deferred
    interrupts.raise_if_signalled()


def _size(name: str) -> int:
    try:
        return os.path.getsize(name)
    except OSError:
        return 0


def _total_size(names: Sequence[str]) -> int | None:
    if "-" in names:
        return None
    return sum(_size(n) for n in names)


def _check_output(path: str) -> None:
    """A file can be written at `path`: its directory exists (checked before the work, not after)."""
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise InputError(f"{path}: cannot write: no directory {os.path.dirname(path) or directory}")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise InputError(f"{path}: cannot write: permission denied in {os.path.dirname(path) or directory}")


def _shard_targets(names: Sequence[str], out_dir: str) -> list[tuple[str, str]]:
    """(input, output) for ``-o DIR``: the input's file name in `out_dir`.

    Checked before any work: two inputs of the same name (``a/x.jsonl``,
    ``b/x.jsonl``) would write the same shard, and the second would be
    skipped as done; an input already in `out_dir` is its own output and
    would be skipped too. Either would lose data without a word.
    """
    if "-" in names:
        raise InputError("-o DIR takes named input files, not standard input")
    pairs = []
    seen: dict[str, str] = {}
    for name in names:
        target = os.path.join(out_dir, os.path.basename(name))
        key = os.path.realpath(target)
        if key in seen:
            raise InputError(f"{seen[key]} and {name} would both be written to {target}: "
                             "give the inputs distinct file names")
        if os.path.realpath(name) == key:
            raise InputError(f"{name}: -o {out_dir} is the input's own directory; choose another")
        seen[key] = name
        pairs.append((name, target))
    return pairs


def _run(args: argparse.Namespace, options: Options) -> None:
    names = args.files or ["-"]
    if args.output and os.path.isdir(args.output):
        _run_shards(names, args, options)
        return
    if args.output:
        _check_output(args.output)
    if args.removed:
        _check_output(args.removed)
    removed_cm = atomic_output(args.removed) if args.removed else nullcontext(None)
    with removed_cm as removed:
        report = Reporter(args, _total_size(names), removed)
        try:
            if args.output:
                with atomic_output(args.output, "wb") as out:
                    _clean_inputs(names, args, options, out, report)
            else:
                _clean_inputs(names, args, options, sys.stdout.buffer, report)
                sys.stdout.buffer.flush()
        finally:
            report.close(args.stats)


def _run_shards(names: Sequence[str], args: argparse.Namespace, options: Options) -> None:
    """One output shard per input in the directory ``-o DIR``, each renamed into place when whole.

    A shard already there is skipped, so a killed run resumes where it stopped.
    With ``--removed DIR2`` each shard's removed spans go to ``DIR2/<name>.removed.jsonl``,
    committed just before the shard, so a resumed run keeps the audit of the shards done.
    """
    if args.removed and not os.path.isdir(args.removed):
        raise InputError(f"with -o DIR, --removed names a directory too: {args.removed} is not one")
    pairs = _shard_targets(names, args.output)
    report = Reporter(args, _total_size(names), None)
    try:
        for name, target in pairs:
            if os.path.exists(target):
                continue
            removed_path = os.path.join(args.removed, os.path.basename(name) + ".removed.jsonl") if args.removed else None
            removed_cm = atomic_output(removed_path) if removed_path else nullcontext(None)
            with atomic_output(target, "wb") as out, removed_cm as removed:
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
    model = learn_boilerplate_files(names, jsonl=args.jsonl, field=args.field, encoding=args.encoding)
    if args.stats:
        sys.stderr.write(f"{PROG}: learned {model.lines} repeated lines\n")
    return model


def _missing_extra(extra: str, module: str) -> InputError:
    return InputError(f"this needs {module}: pip install 'cleantext-cjk[{extra}]'")


def _run_parquet(args: argparse.Namespace, pipeline: Pipeline) -> int:
    try:
        from cleantext.parquet import ColumnError, clean_parquet

        import pyarrow
    except ImportError:
        raise _missing_extra("parquet", "pyarrow") from None
    names = args.files
    if not names or "-" in names:
        raise InputError("--parquet reads named files, not standard input")
    jobs = (os.cpu_count() or 1) if args.jobs == 0 else args.jobs
    to_dir = os.path.isdir(args.output)
    if len(names) > 1 and not to_dir:
        raise InputError("several Parquet inputs need -o DIR")
    _check_inputs(names)
    if to_dir:
        pairs = _shard_targets(names, args.output)
    else:
        _check_output(args.output)
        pairs = [(names[0], args.output)]
    rows = 0
    for name, target in pairs:
        if to_dir and os.path.exists(target):
            continue  # done by an earlier run
        try:
            with interrupts.deferred(jobs > 1):
                rows += clean_parquet(name, target, pipeline=pipeline, column=args.field, jobs=jobs,
                                      on_batch=lambda _done, _total: interrupts.raise_if_signalled())
            interrupts.raise_if_signalled()
        except ColumnError as err:
            raise InputError(f"{err}; name the text column with --field") from None
        except pyarrow.ArrowException as err:  # not Parquet, or damaged
            raise InputError(f"{name}: not a readable Parquet file: {err}") from None
        except OSError as err:
            raise InputError(f"{name}: {err.strerror or err}") from None
    if args.stats:
        sys.stderr.write(f"{PROG}: {rows} rows\n")
    return 0


def _run_dask(args: argparse.Namespace, pipeline: Pipeline) -> int:
    import importlib.util

    from cleantext.dask import run_shards

    # Found, not imported: importing distributed takes a second, and run_shards does it when it must.
    if importlib.util.find_spec("distributed") is None:
        raise _missing_extra("dask", "dask[distributed]")
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
    if args.encoding != "auto":
        try:
            codecs.lookup(args.encoding)
        except LookupError:
            parser.error(f"--encoding: unknown encoding {args.encoding!r}")
    if args.output and (args.dask or args.output.endswith(("/", os.sep))) and not os.path.exists(args.output):
        # `-o out/` names a directory, and so does any -o of --dask (one shard per input): made if missing.
        try:
            os.makedirs(args.output, exist_ok=True)
        except OSError as err:
            parser.error(f"-o {args.output}: cannot make the directory: {err.strerror}")
    if args.removed and not args.parquet and not args.dask:
        _check_removed(args, parser)
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
            parser.error(f"--dask writes one shard per input: -o {args.output} is not a directory")
        if args.encoding != "auto":
            parser.error(f"{mode} reads UTF-8 only: --encoding does not apply")
    options = Options(pipeline, changes=args.explain or args.stats or bool(args.removed), explain=args.explain,
                      removed=bool(args.removed), skip_bad=args.skip_bad, field=args.field,
                      encoding=args.encoding, meta=args.meta)
    previous_handlers = interrupts.catch_signals()
    previous_hook = sys.unraisablehook
    sys.unraisablehook = interrupts.DroppedInterrupts(previous_hook)
    try:
        if args.dask:
            return _run_dask(args, pipeline)
        if args.parquet:
            return _run_parquet(args, pipeline)
        _check_inputs(args.files)
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
    except OSError as err:  # a write failed: disk full, a directory gone meanwhile
        where = f"{err.filename}: " if err.filename else ""
        sys.stderr.write(f"{PROG}: error: {where}{err.strerror or err}\n")
        return 1
    except KeyboardInterrupt as err:
        return interrupts.report(err, PROG)
    except RuntimeError as err:
        interrupt = interrupts.interrupt_behind(err)
        if interrupt is not None:
            return interrupts.report(interrupt, PROG)
        if type(err).__name__ != "BrokenProcessPool":
            raise
        sys.stderr.write(f"{PROG}: error: a worker process died (killed, or out of memory)\n")
        return 1
    finally:
        for signum, handler in previous_handlers.items():
            signal.signal(signum, handler)
        if isinstance(sys.unraisablehook, interrupts.DroppedInterrupts):  # not replaced by interrupts.report
            sys.unraisablehook = previous_hook
    return 0


def _check_removed(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """--removed names a file beside -o FILE, a directory beside -o DIR, and never an input or the output."""
    to_dir = bool(args.output) and os.path.isdir(args.output)
    if os.path.isdir(args.removed) and not to_dir:
        parser.error(f"--removed {args.removed} is a directory: that goes with -o DIR; give a file name")
    if to_dir:
        return
    target = os.path.realpath(args.removed)
    if args.output and os.path.realpath(args.output) == target:
        parser.error("--removed and -o name the same file")
    if any(name != "-" and os.path.realpath(name) == target for name in args.files):
        parser.error(f"--removed {args.removed} is an input file: it would be overwritten")


if __name__ == "__main__":
    sys.exit(main())
