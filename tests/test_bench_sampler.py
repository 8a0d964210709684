"""The build benchmark's memory sampler: what it adds up, and how often it looks."""

import os
import time

from bench.build_bench import sample_interval, tree_usage


def test_a_process_tree_is_counted_with_its_forked_children():
    alone, cpu = tree_usage(os.getpid())
    assert alone > 0 and cpu > 0
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child works a tenth of a second, then waits to be counted
        os.close(writer)
        until = time.process_time() + 0.1
        while time.process_time() < until:
            pass
        os.read(reader, 1)
        os._exit(0)
    try:
        time.sleep(0.5)
        memory, tree_cpu = tree_usage(os.getpid())
        assert memory > 0
        assert tree_cpu - cpu >= 0.09  # the child's tenth of a second is counted
    finally:
        os.close(writer)
        os.close(reader)
        os.waitpid(pid, 0)
    assert tree_usage(pid) == (0, 0.0)  # a process that is gone counts nothing


def test_a_build_on_one_core_is_sampled_often_and_one_on_both_seldom():
    assert sample_interval(0.5, 2.0) == 0.02  # a build's first second
    assert sample_interval(40, 1.0) == 0.02  # one core busy: the sampler takes the other
    assert sample_interval(40, 1.9) == 0.5  # both busy: reading PSS costs the build time
