"""Share work between this process and forked copies of it, one per core.

Forked workers see the whole build (settings, content, templates) without pickling any
of it; each returns only what it found (plain values: counts, names, digests, records),
pickled through a pipe. Pickled rather than as JSON: a value met twice is sent once and
is one object again on arrival (the records of 15000 pages name the same few lists of
names and the same tokens again and again: as JSON they were 60 MB more at the end of
a first build at 20000 articles).
"""

import gc
import os
import pickle
import traceback


class WorkerFailed(RuntimeError):
    pass


CHUNK = 256


def shares(items: list, workers: int) -> list[list]:
    """Runs of CHUNK consecutive items (fewer on a short list), dealt in turn. A worker
    copies each memory page it touches (reference counts are written), so a worker given
    every other page touched, and copied, nearly all the content (at 20000 articles a
    rebuild took 39 s instead of 31 with one run per worker); neighbours share their
    content. One run per worker left one process idle while the other rendered the
    listings, which come last and are most of a rebuild's work: adding an article at
    20000 took 17,6-19,7 s with one run per worker, 14,1-14,6 s with runs of 256."""
    size = max(1, min(CHUNK, -(-len(items) // (workers * 4))))  # a few runs each, at least
    runs = [items[start : start + size] for start in range(0, len(items), size)]
    return [[item for run in runs[index::workers] for item in run] for index in range(workers)]


def workers_for(settings, count: int) -> int:
    """How many processes share `count` items: FAST_BUILD["workers"] (None: one per core),
    or one below FAST_BUILD["parallel_from"] items, where forking costs more than it saves."""
    options = settings.get("FAST_BUILD", {})
    if count < options.get("parallel_from", 200):
        return 1
    return options.get("workers") or os.cpu_count() or 1


def run_shared(items: list, work, workers: int) -> list:
    """`work(share)` on each share, share 0 here and the others in forked workers."""
    parts = shares(items, max(1, min(workers, len(items))))
    children = []
    gc.freeze()  # the collector would touch, and so copy, every shared object in each
    # worker, and in this process scan them again and again; objects stay frozen until
    # the build ends (plugin.on_finalized)
    for part in parts[1:]:
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: do the share, report, leave without cleanup handlers
            os.close(reader)
            code = 0
            try:
                report = {"ok": work(part)}
            except BaseException:  # noqa: BLE001 - carried to the parent whole
                report, code = {"error": traceback.format_exc()}, 1
            try:
                with os.fdopen(writer, "wb") as pipe:
                    pickle.dump(report, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            finally:  # never back into the parent's code, whatever happened
                os._exit(code)
        os.close(writer)
        children.append((pid, reader))
    results = [work(parts[0])] if parts else []
    errors = []
    for pid, reader in children:
        with os.fdopen(reader, "rb") as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
        try:
            report = pickle.loads(data)
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
            report = {"error": "the worker stopped without a whole report"}
        if "error" in report:
            errors.append(report["error"])
        else:
            results.append(report["ok"])
    if errors:
        raise WorkerFailed("a build worker failed:\n" + "\n".join(errors))
    return results
