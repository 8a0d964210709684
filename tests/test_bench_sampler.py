"""The build benchmark's memory figures: what the sampler adds up, and which peak counts."""

import os
import signal
import subprocess
import sys
import time

from bench.build_bench import ROOT, measure, peak_of, tree_memory
from bench.generate import NEWEST, generate, published_after_all


def test_a_process_tree_is_counted_with_its_forked_children():
    alone = tree_memory(os.getpid())
    assert alone > 0
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child makes 100 MB of its own, then waits to be counted (and killed)
        os.close(reader)
        held = bytearray(100 << 20)
        os.write(writer, b"!")
        time.sleep(30)
        os._exit(len(held) and 0)
    os.close(writer)
    try:
        os.read(reader, 1)
        assert tree_memory(os.getpid()) - alone >= 95 << 10  # kB: the child's own memory
    finally:
        os.close(reader)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    assert tree_memory(pid) == 0  # a process that is gone counts nothing


def test_a_one_process_tools_peak_is_the_kernels_high_water_mark_when_higher():
    assert peak_of(270_000, 334_000, one_process=True) == 334_000  # a spike between samples
    assert peak_of(300_000, 290_000, one_process=True) == 300_000
    assert peak_of(300_000, 334_000, one_process=False) == 300_000  # a tree: sampled


def test_a_brief_peak_between_samples_is_measured_for_a_one_process_tool(tmp_path):
    # 200 MB held for a twentieth of a second, after the sampler's first second
    code = "import time; time.sleep(1.2); b = bytearray(200 << 20); time.sleep(0.05)"
    result = measure([sys.executable, "-c", code], tmp_path, cwd=ROOT, one_process=True)
    assert result["peak_mb"] >= 200
    assert 1.2 <= result["seconds"] < 5
    sampled = measure([sys.executable, "-c", "import time; time.sleep(0.1)"], tmp_path)
    assert 0 < sampled["peak_mb"] < 100  # a tree's samples alone


def test_each_build_starts_with_what_ran_before_written_out(tmp_path, monkeypatch):
    events = []
    monkeypatch.setattr(os, "sync", lambda: events.append("sync"))
    real_popen = subprocess.Popen

    def popen(*args, **kwargs):
        events.append("build")
        return real_popen(*args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", popen)
    measure([sys.executable, "-c", "pass"], tmp_path, cwd=ROOT)
    assert events == ["sync", "build"]


def test_the_added_article_is_newer_than_every_generated_one(tmp_path):
    files = generate(30, tmp_path / "site")
    dates = [
        line[6:]
        for path in (tmp_path / "site" / "content" / "tin-tuc").rglob("*.md")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("Date: ")
    ]
    original = files[3].read_text(encoding="utf-8").splitlines()
    added = published_after_all("\n".join(original), 2).splitlines()
    assert max(dates) < f"{NEWEST:%Y-%m-%d %H:%M}"
    changed = [(old, new) for old, new in zip(original, added, strict=True) if old != new]
    assert changed == [(original[1], f"Date: {NEWEST:%Y-%m-%d} 02:00")]  # nothing else
