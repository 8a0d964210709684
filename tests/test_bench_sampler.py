"""The build benchmark's figures: what the sampler adds up, which peak counts, and how a
first build is run again."""

import os
import signal
import subprocess
import sys
import time

from bench.build_bench import (
    ROOT,
    from_nothing,
    in_turns,
    measure,
    peak_of,
    repeated,
    tree_memory,
)
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


def test_a_repeated_first_build_starts_from_nothing_each_time(tmp_path):
    output, cache = tmp_path / "site" / "output", tmp_path / "site" / "cache"
    seen = []

    def build():  # finds no output and no cache, then leaves both, as a first build does
        seen.append((output.exists(), cache.exists()))
        for tree in (output, cache):
            tree.mkdir(parents=True)
            (tree / "trang.html").write_text(str(len(seen)), encoding="utf-8")
        return {"seconds": [3.0, 1.0, 2.0][len(seen) - 1]}

    middle = repeated(3, from_nothing([output, cache], tmp_path, build))
    assert seen == [(False, False)] * 3
    assert middle == {"seconds": 2.0, "runs": "3.0 1.0 2.0"}  # the median run, every run
    aside = sorted(p.read_text(encoding="utf-8") for p in tmp_path.glob("discarded/*/*"))
    assert aside == ["1", "1", "2", "2"]  # set aside, to be deleted once all is timed


def test_our_first_builds_and_hugos_run_in_turns_and_each_round_gives_a_ratio():
    order, ours_times, hugo_times = [], iter([12.0, 14.0, 30.0]), iter([10.0, 10.0, 20.0])

    def ours(n):
        order.append(f"ours {n}")
        return {"seconds": next(ours_times), "peak_mb": 300}

    def hugo(n):
        order.append(f"hugo {n}")
        return {"seconds": next(hugo_times), "peak_mb": 1200}

    mine, theirs, ratios = in_turns(3, ours, hugo)
    # each round begun by the tool that went second in the round before
    assert order == ["ours 0", "hugo 0", "hugo 1", "ours 1", "ours 2", "hugo 2"]
    assert ratios == [1.2, 1.4, 1.5]  # a slow third round slows both: its ratio holds
    assert (mine["seconds"], mine["runs"]) == (14.0, "12.0 14.0 30.0")
    assert (theirs["seconds"], theirs["runs"]) == (10.0, "10.0 10.0 20.0")
