"""The build benchmark's memory sampler: what it adds up, and how often it looks."""

import os

from bench.build_bench import sample_interval, tree_memory


def test_a_process_tree_is_counted_with_its_forked_children():
    alone, processes = tree_memory(os.getpid())
    assert alone > 0
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child waits until the parent has counted it
        os.close(writer)
        os.read(reader, 1)
        os._exit(0)
    try:
        together, counted = tree_memory(os.getpid())
        assert counted == processes + 1
        assert together > 0
    finally:
        os.close(writer)
        os.close(reader)
        os.waitpid(pid, 0)
    assert tree_memory(pid) == (0, 0)  # a process that is gone counts nothing


def test_one_process_is_sampled_often_and_a_busy_tree_seldom():
    assert sample_interval(0.5, 3) == 0.02  # a build's first second
    assert sample_interval(40, 1) == 0.02  # one process: the other core is free
    assert sample_interval(40, 2) == 0.5  # both cores busy: reading PSS costs a build time
