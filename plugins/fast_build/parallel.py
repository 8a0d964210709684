"""Share work between this process and forked copies of it, one per core.

Forked workers see the whole build (settings, content, templates) without pickling any
of it; each returns only what it found (plain values: counts, names, digests, records),
pickled through a pipe. Pickled rather than as JSON: a value met twice is sent once and
is one object again on arrival (the records of 15000 pages name the same few lists of
names and the same tokens again and again: as JSON they were 60 MB more at the end of
a first build at 20000 articles).
"""

import atexit
import contextlib
import functools
import gc
import os
import pickle
import select
import tempfile
import traceback


class WorkerFailed(RuntimeError):
    pass


RUN = 64  # consecutive items a process takes at a time
MOST_RUNS = 1024  # the queue's numbers (4 bytes each) fit in one page, the least a pipe
# holds (Linux gives new pipes one page once a user's pipes hold too much): written at once


_THRESHOLDS = gc.get_threshold()


def keep_alive() -> None:
    """Everything made so far lives until the build ends (let_go), and a build makes
    next to no cyclic garbage: the collector is off until then. Its runs traversed what
    the build keeps again and again, to free almost nothing: in an addition at 20000
    articles, 1100 collections took 0,25 s of the build's process and freed some 3500
    objects; in a first build, 0,36 s of that process, and its workers ran it too. (With
    the collector on, frozen objects' threshold had to be raised besides: once frozen,
    the oldest generation looks empty, and a first build made 14 full collections a
    process.) What was made so far is frozen too, so that a collection someone asks for
    leaves it alone, and does not copy into a forked worker every object it touches."""
    gc.freeze()
    gc.disable()


def let_go() -> None:
    """The end of a build (or of one that stopped halfway): its objects are freed as
    usual, and the collector runs again."""
    gc.unfreeze()
    gc.set_threshold(*_THRESHOLDS)
    gc.enable()


def run_size(count: int, workers: int) -> int:
    """RUN items, fewer on a short list (each process gets a few runs), more on a list
    of over MOST_RUNS runs."""
    size = max(1, min(RUN, -(-count // (workers * 4))))
    return max(size, -(-count // MOST_RUNS))


def _taken(lanes: list[tuple[list, int]], size: int):
    """The items of each run this process takes from the queues of `lanes` ((items,
    queue) pairs), one lane after the other, until none is left.

    Processes take runs as they get through them, rather than being dealt theirs in
    advance: pages cost from 50 µs (a page found unchanged) to 40 ms, and a share dealt
    in advance could leave one core idle for a second. Runs keep neighbours together:
    a worker copies each memory page it touches (reference counts are written), and a
    worker given every other item copied nearly all the content (at 20000 articles a
    rebuild took 39 s instead of 31). A read of 4 bytes from a pipe is whole: each run
    number goes to exactly one process."""
    for items, queue in lanes:
        while number := os.read(queue, 4):
            start = int.from_bytes(number, "little") * size
            yield from items[start : start + size]


def _queue(count: int, size: int) -> int:
    """A pipe holding every run's number, closed for writing: read to its end, it is empty."""
    reader, writer = os.pipe()
    runs = range(-(-count // size))
    os.write(writer, b"".join(n.to_bytes(4, "little") for n in runs))
    os.close(writer)
    return reader


def _work_and_leave(work, output: int | str) -> None:
    """In a forked worker: `work()`, its result or its error pickled to `output` (a pipe's
    descriptor or a file's path), then leave without cleanup handlers, never back into
    the parent's code."""
    code = 0
    try:
        report = {"ok": work()}
    except BaseException:  # noqa: BLE001 - carried to the parent whole
        report, code = {"error": traceback.format_exc()}, 1
    try:
        with open(output, "wb") as handle:
            pickle.dump(report, handle, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        os._exit(code)


def _report(data: bytes) -> dict:
    """A worker's report as this process reads it: {"ok": result} or {"error": text}."""
    try:
        return pickle.loads(data)
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return {"error": "the worker stopped without a whole report"}


def workers_for(settings, count: int) -> int:
    """How many processes share `count` items: FAST_BUILD["workers"] (None: one per core),
    or one below FAST_BUILD["parallel_from"] items, where forking costs more than it saves."""
    options = settings.get("FAST_BUILD", {})
    if count < options.get("parallel_from", 200):
        return 1
    return options.get("workers") or os.cpu_count() or 1


def run_shared(items: list, work, workers: int) -> list:
    """`work(share)` in this process and in forked workers, one result each: a share is
    an iterator over the runs of items that process takes (see _taken)."""
    return run_in_lanes([items], work, workers)


def run_in_lanes(lanes: list[list], work, workers: int) -> list:
    """run_shared over items of several kinds, one list (lane) each: process number n
    (this one is 0, then the workers in the order of the results) takes the runs of lane
    n first, modulo the number of lanes, then those of the next lanes in turn. Work that
    items of one kind share (a listing's items, rendered once a process and remembered)
    is then done by one process, not by each; a process whose lane runs out helps with
    the others, so both still finish together."""
    keep_alive()  # the collector would touch, and so copy, every shared object in each
    # worker, and in this process scan them again and again
    lanes = [lane for lane in lanes if lane]
    total = sum(len(lane) for lane in lanes)
    workers = max(1, min(workers, total))
    if workers == 1:
        return [work(item for lane in lanes for item in lane)]
    size = run_size(total, workers)
    queued = [(lane, _queue(len(lane), size)) for lane in lanes]

    def share(number: int):
        first = number % len(queued)
        return _taken(queued[first:] + queued[:first], size)

    try:
        children = _forked(workers - 1, lambda number: work(share(number)), first=1)
        results = [work(share(0))]
    finally:
        for _, queue in queued:
            os.close(queue)
    return results + _reports({reader: [] for reader in children}, children)


def run_beside(items: list, work, workers: int, meanwhile, every: float = 0.05) -> list:
    """`work(share)` in `workers` forked workers (their results), while this process
    does `meanwhile()` every `every` seconds until they are done: it takes in what they
    make, and does not make it itself. A process that reads sources is left with the
    garbage of reading between the objects it keeps, and a worker forked from it later
    copies each memory page it touches: after a first build at 20000 articles read on
    both cores, a renderer touched some 45% of a 267 MB heap."""
    keep_alive()
    workers = max(1, min(workers, len(items)))
    size = run_size(len(items), workers)
    queue = _queue(len(items), size)
    try:
        children = _forked(workers, lambda _: work(_taken([(items, queue)], size)))
    finally:
        os.close(queue)
    pieces: dict[int, list] = {reader: [] for reader in children}
    waiting = set(pieces)
    try:
        while waiting:
            meanwhile()
            ready, _, _ = select.select(list(waiting), [], [], every)
            for reader in ready:
                piece = os.read(reader, 1 << 16)
                if piece:
                    pieces[reader].append(piece)
                else:
                    waiting.discard(reader)
    except BaseException:
        with contextlib.suppress(WorkerFailed):  # `meanwhile` failed: the workers are
            _reports(pieces, children)  # waited for, their work left
        raise
    return _reports(pieces, children)


def _forked(count: int, work, first: int = 0) -> dict[int, int]:
    """`count` forked workers, numbered from `first`, each doing `work(its number)`:
    {pipe its report comes through: pid}."""
    children = {}
    for number in range(first, first + count):
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: do its share, report, leave (it never comes back)
            os.close(reader)
            _work_and_leave(functools.partial(work, number), writer)
        os.close(writer)
        children[reader] = pid
    return children


def _reports(pieces: dict[int, list], children: dict[int, int]) -> list:
    """Each worker's result, in the order they were forked, once it has left; what was
    read of its pipe so far is in `pieces`."""
    results, errors = [], []
    for reader, pid in children.items():
        with os.fdopen(reader, "rb") as pipe:
            data = b"".join(pieces[reader]) + pipe.read()
        os.waitpid(pid, 0)
        report = _report(data)
        if "error" in report:
            errors.append(report["error"])
        else:
            results.append(report["ok"])
    if errors:
        raise WorkerFailed("a build worker failed:\n" + "\n".join(errors))
    return results


class Started:
    """`work()` running in a forked process while this one goes on; `result()` waits
    for it. The result goes through a file, not a pipe: a worker never waits for this
    process to read it. A result never asked for (the build stopped on an error) is
    waited for and its file removed when this process ends."""

    def __init__(self, work):
        handle, self.path = tempfile.mkstemp(prefix="fast_build-", suffix=".pickle")
        os.close(handle)
        keep_alive()  # as run_shared: the collector would copy every shared object
        self.pid = os.fork()
        if self.pid == 0:
            _work_and_leave(work, self.path)
        atexit.register(self.discard)

    def discard(self) -> None:
        """Its build stopped before it wanted the result: wait for it, keep nothing."""
        with contextlib.suppress(WorkerFailed, ChildProcessError):
            self.result()

    def result(self):
        atexit.unregister(self.discard)
        os.waitpid(self.pid, 0)
        try:
            with open(self.path, "rb") as handle:
                report = _report(handle.read())
        except OSError:
            report = {"error": "the worker stopped without a report"}
        finally:
            with contextlib.suppress(OSError):
                os.unlink(self.path)
        if "error" in report:
            raise WorkerFailed("a build worker failed:\n" + report["error"])
        return report["ok"]


class Shared:
    """`work(share)` over `items`, begun now by a forked worker (after `prepare()`) and
    finished by this process when it asks for the results: it takes the runs the worker
    has not taken yet, from the same queue (see _taken). The content digests are begun
    while this process has Pelican note the pages, and this process used to wait for
    the worker afterwards: 0,1–1,4 s of a build at 20000 articles."""

    def __init__(self, items: list, work, prepare=lambda: None):
        self.items, self.work = items, work
        self.size = run_size(len(items), 2)
        self.queue = _queue(len(items), self.size)

        def worker():
            prepare()
            return work(_taken([(items, self.queue)], self.size))

        self.started = Started(worker)

    def results(self) -> list:
        """This process's share, then the worker's (waited for)."""
        try:
            here = self.work(_taken([(self.items, self.queue)], self.size))
        finally:
            self._close()
        return [here, self.started.result()]

    def discard(self) -> None:
        """Its build stopped: the worker takes every run left, and is waited for."""
        self._close()
        self.started.discard()

    def _close(self) -> None:
        if self.queue is not None:
            os.close(self.queue)
            self.queue = None
