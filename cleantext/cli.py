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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

import cleantext
from cleantext.io import DecodeError, atomic_output, decode_bytes
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


def _clean_text(options: Options, text: str) -> tuple[str, list[dict[str, Any]]]:
    if options.explain:
        out, changes = options.pipeline.explain(text)
        return out, [c.to_dict() for c in changes]
    return options.pipeline(text), []


def _clean_record(item: tuple[int, bytes]) -> tuple[int, str, bytes | str, list[dict[str, Any]]]:
    """Clean one JSON Lines record; return (line number, status, output, changes)."""
    options = _OPTIONS
    assert options is not None
    lineno, raw = item
    if not raw.strip():
        return lineno, "ok", raw, []
    try:
        record = json.loads(raw.decode("utf-8" if options.encoding == "auto" else options.encoding))
    except (UnicodeDecodeError, ValueError) as err:
        return lineno, "bad", raw, [{"error": f"not a JSON record ({err})"}]
    if not isinstance(record, dict):
        return lineno, "bad", raw, [{"error": "not a JSON object"}]
    value = record.get(options.field)
    if not isinstance(value, str):
        what = "missing" if options.field not in record else f"a {type(value).__name__}, not a string"
        return lineno, "bad", raw, [{"error": f"field {options.field!r} is {what}"}]
    out, changes = _clean_text(options, value)
    record[options.field] = out
    if options.meta:
        record.update(cleantext.extract_meta(value))  # type: ignore[attr-defined]
    return lineno, "ok", json.dumps(record, ensure_ascii=False) + "\n", changes


def _clean_document(item: tuple[str, bytes]) -> tuple[str, str, str, list[dict[str, Any]]]:
    """Decode and clean one whole text file; return (name, status, output or message, changes)."""
    options = _OPTIONS
    assert options is not None
    name, data = item
    try:
        text, _encoding = decode_bytes(data, options.encoding)
    except DecodeError as err:
        return name, "bad", str(err), []
    out, changes = _clean_text(options, text)
    return name, "ok", out, changes


def _mapper(jobs: int, options: Options) -> Any:
    """`map` in this process, or an ordered `imap` over worker processes."""
    _init_worker(options)
    if jobs == 1:
        return map, None
    import multiprocessing

    pool = multiprocessing.get_context("spawn" if sys.platform == "win32" else "fork").Pool(
        jobs, initializer=_init_worker, initargs=(options,)
    )
    return (lambda fn, items: pool.imap(fn, items, chunksize=16)), pool


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


def _read_lines(name: str) -> Iterator[tuple[int, bytes]]:
    stream = _open_input(name)
    try:
        yield from enumerate(stream, start=1)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


# -- running -----------------------------------------------------------------


def _emit_changes(changes: Iterable[dict[str, Any]], where: dict[str, Any]) -> None:
    for change in changes:
        sys.stderr.write(json.dumps({**where, **change}, ensure_ascii=False) + "\n")


def _run(args: argparse.Namespace, options: Options, out: IO[str]) -> None:
    names = args.files or ["-"]
    jobs = (os.cpu_count() or 1) if args.jobs == 0 else args.jobs
    mapper, pool = _mapper(jobs, options)
    try:
        if args.jsonl:
            for name in names:
                shown = "<stdin>" if name == "-" else name
                for lineno, status, result, changes in mapper(_clean_record, _read_lines(name)):
                    if status == "bad":
                        message = f"{shown}: line {lineno}: {changes[0]['error']}"
                        if not args.skip_bad:
                            raise InputError(message)
                        sys.stderr.write(f"{PROG}: warning: {message}; passed through unchanged\n")
                        result = result.decode("utf-8", "replace") if isinstance(result, bytes) else result
                        changes = []
                    elif isinstance(result, bytes):  # a blank line, passed through
                        result = result.decode("utf-8", "replace")
                    if options.explain:
                        _emit_changes(changes, {"file": shown, "line": lineno})
                    out.write(result)
        else:
            for name, status, result, changes in mapper(_clean_document, _read_documents(names)):
                if status == "bad":
                    raise InputError(f"{name}: {result}")
                if options.explain:
                    _emit_changes(changes, {"file": name})
                out.write(result)
    finally:
        if pool is not None:
            pool.terminate()


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
    options = Options(pipeline, explain=args.explain, field=args.field, encoding=args.encoding, meta=args.meta)
    try:
        if args.output:
            with atomic_output(args.output) as out:
                _run(args, options, out)
        else:
            out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=False)
            try:
                _run(args, options, out)
                out.flush()
            finally:
                out.detach()
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
