"""Corpus runs from the command line: audit of removals, stats, workers, resumable shards."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import cleantext
from cleantext import cli
from cleantext.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _drop_bracket_tags(text: str) -> str:
    """A deleting test filter: removes 【...】 tags."""
    return cleantext.apply_edits(text, _bracket_edits(text))


def _bracket_edits(text: str) -> list:
    import re

    return [cleantext.Edit(m.start(), m.end(), "", "bracket-tag") for m in re.finditer("【[^【】\n]*】", text)]


def test_removed_round_trips(tmp_path, capsys):
    name = "test-drop-brackets"
    cleantext.register(cleantext.Filter(name, _drop_bracket_tags, _bracket_edits, deletes_only=True), replace=True)
    try:
        records = [{"id": f"doc{i}", "text": f"【快讯】第{i}条【图】新闻。"} for i in range(5)]
        src = tmp_path / "in.jsonl"
        src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        out, removed = tmp_path / "out.jsonl", tmp_path / "removed.jsonl"
        assert main(["--jsonl", "-f", f"{name},normalize-whitespace", str(src), "-o", str(out),
                     "--removed", str(removed)]) == 0
        spans = [json.loads(line) for line in removed.read_text(encoding="utf-8").splitlines()]
        assert {s["rule"] for s in spans} == {"bracket-tag"} and len(spans) == 10
        cleaned = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        for record, original in zip(cleaned, records, strict=True):
            mine = [cleantext.Change(s["filter"], s["rule"], s["start"], s["end"], s["text"], "")
                    for s in spans if s["id"] == record["id"]]
            assert cleantext.undo(record["text"], mine) == original["text"]
    finally:
        del cleantext.FILTERS[name]


def test_stats_summary(tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_text("ＡＩ\u200b模型\n", encoding="utf-8")
    assert main([str(src), "--stats", "-o", str(tmp_path / "o.txt")]) == 0
    err = capsys.readouterr().err
    assert err.startswith("cleantext: 1 records") and "normalize-unicode:fullwidth-ascii" in err



@pytest.mark.parametrize("jobs", ["1", "2"])
def test_stats_count_records_not_blank_lines(tmp_path, capsys, jobs):
    # Blank lines between records are copied through; a bad record passed through is counted, and said to be bad.
    lines = ['{"text": "第一条。"}', "", "not json", "", '{"text": "第二条。"}']
    src = tmp_path / "a.jsonl"
    src.write_text("\n".join(lines * 40) + "\n", encoding="utf-8")
    args = ["--jsonl", str(src), "--skip-bad", "--stats", "-j", jobs, "-o", str(tmp_path / "o.jsonl")]
    assert main(args) == 0
    summary = [line for line in capsys.readouterr().err.splitlines() if "warning" not in line][0]
    assert summary.startswith("cleantext: 120 records (40 bad, passed through unchanged), ")


def test_jobs_keep_text_file_order(tmp_path):
    files = []
    for i in range(12):
        p = tmp_path / f"{i:02d}.txt"
        p.write_text(f"第{i}篇\u200b\n", encoding="utf-8")
        files.append(str(p))
    out = tmp_path / "out.txt"
    assert main(["-j", "2", "-o", str(out), *files]) == 0
    assert out.read_text(encoding="utf-8") == "".join(f"第{i}篇\n" for i in range(12))


def _jsonl_of(sizes):
    return "".join(json.dumps({"id": i, "text": "新闻\u200b" * n}, ensure_ascii=False) + "\n"
                   for i, n in enumerate(sizes))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_jsonl_blocks_cut_at_line_ends(tmp_path, monkeypatch, jobs):
    # Blocks far smaller than the records: every record spans several reads.
    monkeypatch.setattr(cli, "BLOCK_SIZE", 50)
    sizes = [1, 40, 3, 0, 200, 7]
    src = tmp_path / "in.jsonl"
    src.write_text(_jsonl_of(sizes) + "\n" + _jsonl_of([5]).rstrip("\n"), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["--jsonl", "-j", jobs, "-f", "normalize-unicode", str(src), "-o", str(out)]) == 0
    expected = _jsonl_of(sizes).replace("\u200b", "") + "\n" + _jsonl_of([5]).replace("\u200b", "")
    assert out.read_text(encoding="utf-8") == expected


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_jsonl_bad_record_is_named_by_its_line_across_blocks(tmp_path, monkeypatch, capsys, jobs):
    monkeypatch.setattr(cli, "BLOCK_SIZE", 64)
    src = tmp_path / "in.jsonl"
    # Short records first, so that one block holds several lines.
    src.write_text(_jsonl_of([0, 0, 0, 0, 30, 2]) + "{not json\n" + _jsonl_of([4]), encoding="utf-8")
    assert main(["--jsonl", "-j", jobs, str(src), "-o", str(tmp_path / "out.jsonl")]) == 1
    assert "in.jsonl: line 7: not a JSON record" in capsys.readouterr().err
    assert not (tmp_path / "out.jsonl").exists()
    assert main(["--jsonl", "-j", jobs, "--skip-bad", str(src), "-o", str(tmp_path / "out.jsonl")]) == 0
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines[6] == "{not json" and len(lines) == 8
    assert "line 7: not a JSON record" in capsys.readouterr().err


def _shards(tmp_path, n=6, copies=40):
    shard_dir = tmp_path / "shards"
    shard_dir.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    for s in range(n):
        with open(shard_dir / f"part-{s}.jsonl", "w", encoding="utf-8") as f:
            for i in range(copies):
                f.write(json.dumps({"id": f"{s}-{i}", "text": texts[i % len(texts)]}, ensure_ascii=False) + "\n")
    return sorted(str(p) for p in shard_dir.iterdir())


def test_killed_shard_run_resumes_to_the_same_output(tmp_path):
    shards = _shards(tmp_path)
    whole, resumed = tmp_path / "whole", tmp_path / "resumed"
    for d in (whole, resumed, tmp_path / "whole-removed", tmp_path / "resumed-removed"):
        d.mkdir()
    cmd = [sys.executable, "-m", "cleantext", "--jsonl", *shards, "-o"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([*cmd, str(whole), "--removed", str(tmp_path / "whole-removed")], check=True, env=env, timeout=300)

    resume_cmd = [*cmd, str(resumed), "--removed", str(tmp_path / "resumed-removed")]
    proc = subprocess.Popen(resume_cmd, env=env)
    deadline = time.time() + 120
    while not list(resumed.glob("part-*.jsonl")) and time.time() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = sorted(p.name for p in resumed.glob("part-*.jsonl"))
    assert 0 < len(done) < len(shards), "the kill should land mid-run; make the shards larger if not"
    for name in done:  # every shard present is whole
        assert (resumed / name).read_bytes() == (whole / name).read_bytes()

    subprocess.run(resume_cmd, check=True, env=env, timeout=300)
    for shard in shards:
        name = Path(shard).name
        assert (resumed / name).read_bytes() == (whole / name).read_bytes()
        audit = f"{name}.removed.jsonl"
        assert (tmp_path / "resumed-removed" / audit).read_bytes() == (tmp_path / "whole-removed" / audit).read_bytes()
    assert (tmp_path / "whole-removed" / f"{Path(shards[0]).name}.removed.jsonl").stat().st_size > 0
