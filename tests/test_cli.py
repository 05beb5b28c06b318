"""The command line: a Unix filter with documented exit codes and no tracebacks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cleantext
from cleantext.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
SEED_002 = ROOT / "seeds" / "002_91121606f727e814.txt"


def run(args, stdin=b"", **kw):
    """The installed entry point, as a user's shell runs it."""
    return subprocess.run(
        [sys.executable, "-m", "cleantext", *args], input=stdin, capture_output=True, timeout=60, **kw
    )


@pytest.mark.parametrize("seed", SEEDS, ids=[s.name[:3] for s in SEEDS])
def test_seed_end_to_end(seed):
    """Each seed goes through the default preset: same result as the library, valid UTF-8, no error."""
    proc = run([str(seed)])
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b""
    text = seed.read_text(encoding="utf-8")
    out = proc.stdout.decode("utf-8")
    assert out == cleantext.clean(text)
    assert cleantext.clean(out) == out, "the default preset is idempotent on a real article"


def test_stdin_and_dash():
    proc = run(["-f", "normalize-unicode", "-"], stdin="ＡＩ\u200b模型\n".encode())
    assert proc.stdout.decode() == "AI模型\n"
    assert run(["-f", "normalize-unicode"], stdin="ＡＩ\n".encode()).stdout.decode() == "AI\n"


def test_normalize_whitespace_on_seed_002_changes_only_mt_gaps():
    proc = run(["-f", "normalize-whitespace", "--explain", str(SEED_002)])
    assert proc.returncode == 0
    changes = [json.loads(line) for line in proc.stderr.decode().splitlines()]
    assert changes, "the MT gaps of seed 002 are explained"
    assert {c["rule"] for c in changes} <= {"cjk-gap", "number-gap", "unit-gap"}
    assert all(c["old"] == " " and c["new"] == "" and c["file"] == str(SEED_002) for c in changes)
    original = SEED_002.read_text(encoding="utf-8")
    out = proc.stdout.decode()
    assert "コアデータベース" in out and "2025年1月31日" in out
    # nothing else changed: the output is the input with exactly those spaces removed
    fields = ("filter", "rule", "start", "end", "old", "new")
    assert out == cleantext.replay(original, [cleantext.Change(**{k: c[k] for k in fields}) for c in changes])


@pytest.mark.parametrize("encoding", ["gbk", "big5", "shift_jis", "euc_jp", "euc_kr", "utf-16"])
def test_legacy_encodings_on_stdin_come_out_as_utf8(encoding):
    text = {
        "gbk": "中文新闻报道，今天发布了新的模型。",
        "big5": "這是一段繁體中文的新聞報導，今天發布。",
        "shift_jis": "これは日本語の記事です。データベースを公開した。",
        "euc_jp": "これは日本語の記事です。データベースを公開した。",
        "euc_kr": "이것은 한국어 기사입니다. 오늘 발표했습니다.",
        "utf-16": "中文新闻报道，今天发布。",
    }[encoding]
    proc = run(["-f", "normalize-unicode"], stdin=text.encode(encoding))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode("utf-8") == text


def test_explicit_encoding_and_decode_error_names_offset(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes("好".encode() + b"\xff\xfe\xfa")
    proc = run(["--encoding", "utf-8", str(bad)])
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert err.count("\n") == 1 and "bad.txt" in err and "offset 3" in err and "Traceback" not in err
    assert run(["--encoding", "gbk"], stdin="中文".encode("gbk")).stdout.decode() == "中文"


def test_jsonl_keeps_fields_and_order():
    records = [{"id": i, "text": f"第{i}条\u200b新闻。 ", "url": f"https://example.com/{i}"} for i in range(50)]
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    proc = run(["--jsonl", "-f", "normalize-unicode,normalize-whitespace"], stdin=data)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [r["id"] for r in out] == list(range(50))
    assert out[7] == {"id": 7, "text": "第7条新闻。", "url": "https://example.com/7"}


def test_jsonl_other_field_and_jobs():
    data = b"".join(json.dumps({"body": f"ＡＩ{i}"}).encode() + b"\n" for i in range(200))
    proc = run(["--jsonl", "--field", "body", "-j", "2", "-f", "normalize-unicode"], stdin=data)
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(x)["body"] for x in proc.stdout.decode().splitlines()] == [f"AI{i}" for i in range(200)]


def test_jsonl_bad_line_is_an_error_naming_the_line(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "好"}\n{"text": 3}\nnot json\n', encoding="utf-8")
    proc = run(["--jsonl", str(src)])
    assert proc.returncode == 1
    assert "in.jsonl: line 2" in proc.stderr.decode() and "Traceback" not in proc.stderr.decode()
    proc = run(["--jsonl", "--skip-bad", str(src)])
    assert proc.returncode == 0
    assert proc.stdout.decode().splitlines()[1:] == ['{"text": 3}', "not json"]
    assert proc.stderr.decode().count("warning") == 2


def test_output_file_is_whole_or_absent(tmp_path):
    good = tmp_path / "a.txt"
    good.write_text("ＡＩ\n", encoding="utf-8")
    target = tmp_path / "out.txt"
    assert run([str(good), "-o", str(target)]).returncode == 0
    assert target.read_text(encoding="utf-8") == "AI\n"
    # a failing run leaves the old output in place and no temporary file behind
    bad = tmp_path / "b.txt"
    bad.write_bytes(b"\xff\xfe\xfa\x80")
    proc = run([str(good), str(bad), "--encoding", "utf-8", "-o", str(target)])
    assert proc.returncode == 1
    assert target.read_text(encoding="utf-8") == "AI\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt", "out.txt"]


def test_usage_errors_exit_2():
    for args in (["-f", "no-such-filter"], ["--to", "latin"], ["--jobs", "-1"], ["--meta"], ["--bogus"]):
        proc = run(args)
        assert proc.returncode == 2, args
        assert "Traceback" not in proc.stderr.decode()


def test_missing_file_exit_1():
    proc = run(["/nonexistent/file.txt"])
    assert proc.returncode == 1
    assert proc.stderr.decode().startswith("cleantext: error: /nonexistent/file.txt")


def test_list_filters_and_version():
    proc = run(["--list-filters"])
    listed = [line.split()[0] for line in proc.stdout.decode().splitlines()]
    assert listed == list(cleantext.FILTERS)
    assert run(["--version"]).stdout.decode().startswith("cleantext (cleantext-cjk) ")


def test_help_lists_every_filter():
    out = run(["--help"]).stdout.decode()
    for name, f in cleantext.FILTERS.items():
        assert name in out and f.summary in out


def test_broken_pipe_ends_quietly():
    big = "".join(p.read_text(encoding="utf-8") for p in SEEDS) * 20
    proc = subprocess.run(
        f"{sys.executable} -m cleantext | head -c 100", shell=True, input=big.encode(), capture_output=True,
        timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 0
    assert proc.stderr == b""


@settings(max_examples=30, deadline=None)
@given(data=st.binary(max_size=300))
def test_random_bytes_never_traceback(data, tmp_path_factory):
    """Any bytes: exit 0 with some decoding, or exit 1 with one line naming the offset."""
    code = main_in_process(data, tmp_path_factory.mktemp("r"))
    assert code in (0, 1)


def main_in_process(data, tmp):
    path = tmp / "in.bin"
    path.write_bytes(data)
    out = tmp / "out.txt"
    return main([str(path), "-o", str(out)])
