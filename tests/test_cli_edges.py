"""The command line on the input a corpus run meets by accident: each case once broke the house rules.

Bad input gets one line on stderr and exit 1 (2 for usage), never a traceback,
never a half-written output, never silent loss; -j 2 writes what -j 1 writes.
"""

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleantext import cli
from cleantext.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _lines(*records) -> bytes:
    return b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in records)


# -- JSON Lines ------------------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_utf8_bom_before_the_first_record_is_dropped(tmp_path, jobs):
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"\xef\xbb\xbf" + _lines({"text": "ＡＩ模型"}, {"text": "第二条"}))
    out = tmp_path / "out.jsonl"
    assert main(["--jsonl", "-j", jobs, "-f", "normalize-unicode", str(src), "-o", str(out)]) == 0
    assert out.read_bytes() == _lines({"text": "AI模型"}, {"text": "第二条"})
    src.write_bytes(b"\xef\xbb\xbf\r\n" + _lines({"text": "ＡＩ"}))  # the mark alone on a blank first line
    assert main(["--jsonl", "-j", jobs, "-f", "normalize-unicode", str(src), "-o", str(out)]) == 0
    assert out.read_bytes() == b"\r\n" + _lines({"text": "AI"})


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_skip_bad_passes_a_record_that_is_not_utf8_through_byte_for_byte(tmp_path, capsys, jobs):
    bad = b'{"text": "\xb9\xfa\xbc\xd2"}\n'  # GBK bytes in a UTF-8 file
    src = tmp_path / "in.jsonl"
    src.write_bytes(_lines({"text": "ＡＩ"}) + bad + _lines({"text": "好"}))
    out = tmp_path / "out.jsonl"
    args = ["--jsonl", "--skip-bad", "-j", jobs, "-f", "normalize-unicode"]
    assert main([*args, str(src), "-o", str(out)]) == 0
    assert out.read_bytes() == _lines({"text": "AI"}) + bad + _lines({"text": "好"})
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "line 2: not valid utf-8: byte 0xb9 at offset 10" in err



@pytest.mark.parametrize("jobs", ["1", "2"])
def test_skip_bad_passes_a_text_file_that_cannot_be_decoded_through_and_goes_on(tmp_path, capsys, jobs):
    names = ["a.txt", "bad.txt", "c.txt"]
    bodies = ["ＡＩ新闻。\n".encode(), "第\uff21".encode() + b"\xff\xfe\x00\n", "ＡＩ报道。\n".encode()]
    for name, body in zip(names, bodies, strict=True):
        (tmp_path / name).write_bytes(body)
    out = tmp_path / "out"
    args = ["--skip-bad", "-j", jobs, "-f", "normalize-unicode", "-o", f"{out}/"]
    assert main([*args, *(str(tmp_path / n) for n in names)]) == 0
    assert [(out / n).read_bytes() for n in names] == ["AI新闻。\n".encode(), bodies[1], "AI报道。\n".encode()]
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.txt: not UTF-8" in err and err.endswith("; passed through unchanged\n")
    # Without the flag the same file stops the run, with the one line and exit 1.
    assert main(["-f", "normalize-unicode", "-o", f"{tmp_path / 'out2'}/", *(str(tmp_path / n) for n in names)]) == 1


def test_a_field_that_is_not_a_string_is_named_in_json_words(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"text": null}\n{"text": 5}\n[{"text": "a"}]\n')
    assert main(["--jsonl", "--skip-bad", str(src), "-o", str(tmp_path / "out.jsonl")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert [line.split(": ", 4)[-1] for line in err] == [
        "field 'text' is null, not a string; passed through unchanged",
        "field 'text' is a number, not a string; passed through unchanged",
        "an array, not a JSON object; passed through unchanged",
    ]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_lone_surrogates_are_written_back_as_escapes(tmp_path, jobs):
    # JSON may escape half an emoji; UTF-8 cannot hold it, so it stays an escape.
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"text": "\\u4e2d\\u6587 \\ud83d", "title": "\\ud83d\\ude00\\ude00"}\n')
    out = tmp_path / "out.jsonl"
    assert main(["--jsonl", "-j", jobs, "-f", "normalize-whitespace", str(src), "-o", str(out)]) == 0
    assert json.loads(out.read_bytes().decode("utf-8")) == {"text": "中文 \ud83d", "title": "😀\ude00"}


def test_unknown_encoding_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--jsonl", "--encoding", "utf-9"])
    assert exit_.value.code == 2
    assert "unknown encoding 'utf-9'" in capsys.readouterr().err


def test_learning_boilerplate_reads_the_named_encoding(tmp_path, capsys):
    records = [{"text": f"第{i}篇报道的正文。\n本站所有文章均为原创首发\n"} for i in range(8)]
    src = tmp_path / "gbk.jsonl"
    src.write_bytes(_lines(*records).decode().encode("gb18030"))
    out = tmp_path / "out.jsonl"
    args = ["--jsonl", "--encoding", "gb18030", "--learn-boilerplate", "--stats", "-f", "normalize-unicode"]
    assert main([*args, str(src), "-o", str(out)]) == 0
    assert "learned 1 repeated lines" in capsys.readouterr().err
    assert [json.loads(x)["text"] for x in out.read_text(encoding="utf-8").splitlines()] == [
        f"第{i}篇报道的正文。\n" for i in range(8)
    ]


def test_a_record_across_thousands_of_reads(tmp_path, monkeypatch):
    # Reads far smaller than the record: the reader keeps the pieces and joins them once.
    monkeypatch.setattr(cli, "BLOCK_SIZE", 16)
    text = "长记录" * 20000
    src = tmp_path / "in.jsonl"
    src.write_bytes(_lines({"text": "a"}, {"text": text}) + b'{"text": "z"}')
    blocks = list(cli._read_blocks_of(str(src)))
    assert b"".join(b for _n, _l, b in blocks) == src.read_bytes()
    assert [line for _n, line, _b in blocks][-1] == 3 and all(b.endswith(b"\n") for _n, _l, b in blocks[:-1])


# -- files and directories ----------------------------------------------------------


def test_same_file_name_from_two_folders_is_an_error_before_any_output(tmp_path, capsys):
    for folder, text in (("a", "ＡＩ一"), ("b", "ＡＩ二")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    assert main([str(tmp_path / "a" / "x.txt"), str(tmp_path / "b" / "x.txt"), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "would both be written to" in err
    assert list(out.iterdir()) == []


def test_an_output_dir_holding_the_input_is_an_error(tmp_path, capsys):
    src = tmp_path / "x.txt"
    src.write_text("ＡＩ", encoding="utf-8")
    assert main([str(src), "-o", str(tmp_path)]) == 1
    assert "the input's own directory" in capsys.readouterr().err
    assert src.read_text(encoding="utf-8") == "ＡＩ"


def test_output_in_a_missing_directory_is_one_line(tmp_path, capsys):
    src = tmp_path / "x.txt"
    src.write_text("ＡＩ", encoding="utf-8")
    assert main([str(src), "-o", str(tmp_path / "no" / "out.txt")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write: no directory" in err


@pytest.mark.parametrize("removed", ["dir", "output", "input"])
def test_removed_that_would_be_lost_or_clobber_a_file_is_a_usage_error(tmp_path, capsys, removed):
    src = tmp_path / "x.txt"
    src.write_text("ＡＩ", encoding="utf-8")
    out = tmp_path / "out.txt"
    target = {"dir": tmp_path, "output": out, "input": src}[removed]
    with pytest.raises(SystemExit) as exit_:
        main([str(src), "-o", str(out), "--removed", str(target)])
    assert exit_.value.code == 2
    assert "--removed" in capsys.readouterr().err.splitlines()[-1]
    assert not out.exists() and src.read_text(encoding="utf-8") == "ＡＩ"


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("bad", ["missing.txt", "a-directory"])
def test_a_bad_name_in_the_middle_of_the_list_stops_before_any_output(tmp_path, capsysbinary, jobs, bad):
    names = []
    for i in range(4):
        (tmp_path / f"{i}.txt").write_text(f"ＡＩ{i}", encoding="utf-8")
        names.append(str(tmp_path / f"{i}.txt"))
    (tmp_path / "a-directory").mkdir()
    names.insert(2, str(tmp_path / bad))
    assert main(["-j", jobs, *names]) == 1
    out, err = capsysbinary.readouterr()
    assert out == b"" and err.count(b"\n") == 1 and bad.encode() in err
    shards = tmp_path / "shards"
    shards.mkdir()
    assert main(["-j", jobs, *names, "-o", str(shards)]) == 1
    assert list(shards.iterdir()) == []


def test_a_file_unreadable_mid_run_ends_the_output_where_j1_ends_it(tmp_path, monkeypatch, capsysbinary):
    names = []
    for i in range(6):
        (tmp_path / f"{i}.txt").write_text(f"ＡＩ{i}\n", encoding="utf-8")
        names.append(str(tmp_path / f"{i}.txt"))
    opener = cli._open_input

    def refuse_the_fourth(name):
        if name == names[3]:
            raise cli.InputError(f"{name}: cannot read: Permission denied")
        return opener(name)

    monkeypatch.setattr(cli, "_open_input", refuse_the_fourth)
    outputs = []
    for jobs in ("1", "2"):
        assert main(["-j", jobs, "-f", "normalize-unicode", *names]) == 1
        out, err = capsysbinary.readouterr()
        assert err.count(b"\n") == 1 and b"Permission denied" in err
        outputs.append(out)
    assert outputs[0] == outputs[1] == b"AI0\nAI1\nAI2\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_is_one_line(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(_lines(*({"text": SEEDS[0]} for _ in range(40))))
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([sys.executable, "-m", "cleantext", "--jsonl", str(src)], stdout=full,
                              stderr=subprocess.PIPE, env=ENV, timeout=60)
    assert (proc.returncode, proc.stderr) == (1, b"cleantext: error: No space left on device\n")


def test_output_files_get_the_permissions_of_a_new_file_or_keep_the_old(tmp_path):
    src = tmp_path / "x.txt"
    src.write_text("ＡＩ", encoding="utf-8")
    out = tmp_path / "out.txt"
    old_umask = os.umask(0o022)
    try:
        assert main([str(src), "-o", str(out)]) == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o644  # not mkstemp's 0600: others on the cluster read it
        out.chmod(0o640)
        assert main([str(src), "-o", str(out)]) == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o640
    finally:
        os.umask(old_umask)


# -- signals and workers --------------------------------------------------------


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(c) for c in f.read().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """About 3 MB of JSON Lines: a -j 2 run lasts long enough to be interrupted mid-way."""
    path = tmp_path_factory.mktemp("corpus") / "in.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for i in range(1000):
            f.write(json.dumps({"id": i, "text": SEEDS[i % len(SEEDS)]}, ensure_ascii=False) + "\n")
            if f.tell() > 3_000_000:
                break
    return path


def _start_two_workers(corpus: Path, out: Path) -> tuple[subprocess.Popen, list[int]]:
    mode = "--parquet" if corpus.suffix == ".parquet" else "--jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "cleantext", mode, "-j", "2", "-q", str(corpus), "-o", str(out)],
        stderr=subprocess.PIPE, env=ENV, start_new_session=True,  # its own group, as a shell job has
    )
    deadline = time.time() + 20
    while len(_children(proc.pid)) < 2 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.01)
    workers = _children(proc.pid)
    assert len(workers) == 2, "the run should be mid-way, with its two workers"
    return proc, workers


@pytest.mark.parametrize(("how", "code", "said"), [
    ("ctrl-c", 130, b"cleantext: interrupted\n"),  # the terminal signals the whole group
    ("kill", 143, b"cleantext: terminated\n"),  # `timeout`, `kill`: the parent alone
])
def test_a_signal_mid_run_leaves_no_output_no_temporary_file_and_no_worker(tmp_path, corpus, how, code, said):
    out = tmp_path / "out.jsonl"
    proc, workers = _start_two_workers(corpus, out)
    if how == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        os.kill(proc.pid, signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=20)
    finally:
        for pid in [*_children(proc.pid), proc.pid, *workers]:  # an orphan would outlive the test
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert (proc.returncode, err) == (code, said)
    assert list(tmp_path.iterdir()) == []
    assert not any(_alive(pid) for pid in workers)


@pytest.mark.parametrize("mode", ["jsonl", "parquet"])
def test_a_worker_killed_mid_run_is_one_line(tmp_path, corpus, mode):
    if mode == "parquet":
        pa = pytest.importorskip("pyarrow")
        pq = pytest.importorskip("pyarrow.parquet")
        records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
        corpus = tmp_path.parent / f"{tmp_path.name}-in.parquet"  # not in tmp_path, which must stay empty
        pq.write_table(pa.table({"text": [r["text"] for r in records]}), corpus)
    out = tmp_path / f"out.{mode}"
    proc, workers = _start_two_workers(corpus, out)
    os.kill(workers[0], signal.SIGKILL)  # what the out-of-memory killer does
    try:
        _, err = proc.communicate(timeout=20)
    finally:
        for pid in [*_children(proc.pid), proc.pid, *workers]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert proc.returncode == 1
    assert err == b"cleantext: error: a worker process died (killed, or out of memory)\n"
    assert list(tmp_path.iterdir()) == []


def test_output_with_a_trailing_slash_is_a_directory_made_if_missing(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "ＡＩ"}\n', encoding="utf-8")
    out = tmp_path / "new" / "out"
    assert main(["--jsonl", "-f", "normalize-unicode", str(src), "-o", f"{out}/"]) == 0
    assert (out / "in.jsonl").read_text(encoding="utf-8") == '{"text": "AI"}\n'


def test_dask_output_is_a_directory_made_if_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "_run_dask", lambda args, pipeline: 0)  # no cluster: the flags only
    out = tmp_path / "out"
    assert main(["--dask", "local", str(tmp_path / "*.jsonl"), "-o", str(out)]) == 0
    assert out.is_dir()
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["--dask", "local", str(tmp_path / "*.jsonl"), "-o", str(tmp_path / "a-file")])
    assert exit_.value.code == 2
