"""Corpus runs from the command line: audit of removals, stats, workers, resumable shards."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import cleantext
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


def test_jobs_keep_text_file_order(tmp_path):
    files = []
    for i in range(12):
        p = tmp_path / f"{i:02d}.txt"
        p.write_text(f"第{i}篇\u200b\n", encoding="utf-8")
        files.append(str(p))
    out = tmp_path / "out.txt"
    assert main(["-j", "2", "-o", str(out), *files]) == 0
    assert out.read_text(encoding="utf-8") == "".join(f"第{i}篇\n" for i in range(12))


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
