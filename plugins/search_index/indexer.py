"""Indexing the output folder after a build, on every core, and publishing it whole.

Each index goes into a folder named by its digest (<folder>/<digest>/, the folder is
SEARCH_INDEX_URL) and <folder>/index.json names the current one, written last: a reader's
search never mixes two builds' files, and the folders can be cached for a year. A replaced
version is kept for an hour (RETIRED_KEPT) for readers whose index.json is a little older.
"""

import json
import logging
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from array import array
from pathlib import Path

from .builder import newest_first, postings, write_index
from .extract import PageRecord, extract

log = logging.getLogger(__name__)
SKIPPED = {"theme", "feeds"}  # folders with no page of their own
RETIRED_KEPT = 3600  # seconds; nginx lets index.json be 5 minutes old
_running: subprocess.Popen | None = None
_records: list[PageRecord] = []  # read by forked workers


def page_files(output: Path, index_folder: str) -> list[str]:
    found = []
    for folder, subfolders, files in os.walk(output):
        if folder == str(output):
            subfolders[:] = [s for s in subfolders if s not in SKIPPED | {index_folder}]
        found += [os.path.join(folder, f) for f in files if f.endswith(".html")]
    return sorted(os.path.relpath(f, output) for f in found)


def _read(job: tuple[str, list[str]]) -> list[PageRecord]:
    output, names = job
    records = []
    for name in names:
        with open(os.path.join(output, name), "rb") as handle:
            record = extract(handle.read(), name)
        if record is not None:
            records.append(record)
    return records


def _postings(span: tuple[int, int]) -> dict:
    start, end = span
    found = postings(_records[start:end], first=start)
    return {pair: (array("I", t), array("I", o)) for pair, (t, o) in found.items()}


def _parts(items: int, workers: int) -> list[tuple[int, int]]:
    step = max(1, -(-items // (workers * 4)))
    return [(start, min(items, start + step)) for start in range(0, items, step)]


def read_site(output: Path, index_folder: str, workers: int) -> tuple[list[PageRecord], dict]:
    """The pages' records, newest first, and their postings."""
    global _records
    names = page_files(output, index_folder)
    if workers < 2 or len(names) < 200:
        _records = newest_first(_read((str(output), names)))
        return _records, postings(_records)
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        jobs = [(str(output), names[a:b]) for a, b in _parts(len(names), workers)]
        _records = newest_first([r for part in pool.map(_read, jobs) for r in part])
    with context.Pool(workers) as pool:  # forked again: the workers see the records
        found: dict = {}
        for part in pool.imap(_postings, _parts(len(_records), workers)):
            for pair, (title, other) in part.items():
                lists = found.get(pair)
                if lists is None:
                    found[pair] = (title, other)
                else:
                    lists[0].extend(title)
                    lists[1].extend(other)
    records, _records = _records, []
    return records, found


def build_index(output: Path, folder: str, workers: int | None = None) -> dict:
    """Indexes `output` into output/folder; returns index.json's content."""
    started = time.perf_counter()
    target = output / folder
    target.mkdir(parents=True, exist_ok=True)
    records, found = read_site(output, folder, workers or os.cpu_count() or 1)
    scratch = Path(tempfile.mkdtemp(prefix=".new-", dir=target))
    try:
        manifest, digest = write_index(records, found, scratch)
        version = target / digest
        if version.exists():
            shutil.rmtree(scratch)
        else:
            scratch.rename(version)
        os.utime(version)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    manifest["path"] = digest + "/"
    retire(target, keep=version)
    entry = target / f".index.{os.getpid()}.json"
    entry.write_text(json.dumps(manifest, ensure_ascii=False, separators=(",", ":")), "utf-8")
    os.replace(entry, target / "index.json")
    log.info(
        "search_index: %d pages indexed in %.1f s (%d shards)",
        manifest["pages"],
        time.perf_counter() - started,
        manifest["shards"],
    )
    return manifest


def retire(target: Path, keep: Path) -> None:
    """Marks the version index.json names now as replaced (its time is the retirement's)
    and removes versions replaced more than RETIRED_KEPT ago and unfinished scratches."""
    try:
        current = json.loads((target / "index.json").read_text("utf-8"))["path"].strip("/")
    except (OSError, ValueError, KeyError, TypeError):
        current = None
    now = time.time()
    for folder in target.iterdir():
        if not folder.is_dir() or folder == keep:
            continue
        if folder.name == current:
            os.utime(folder, (now, now))
        elif now - folder.stat().st_mtime > RETIRED_KEPT:
            shutil.rmtree(folder, ignore_errors=True)


def index_folder(settings) -> str:
    """The index's folder in the output (SEARCH_INDEX_URL)."""
    return settings["SEARCH_INDEX_URL"].strip("/")


def index_for(settings, background: bool | None = None) -> None:
    """After a build or a patch: index as SEARCH_INDEX says (nothing when it is off);
    `background` overrides its choice."""
    options = settings.get("SEARCH_INDEX")
    if options:
        behind = options.get("background", False) if background is None else background
        index_site(settings["OUTPUT_PATH"], index_folder(settings), behind)


def index_site(output_path: str, folder: str, background: bool = False) -> None:
    """In the background (dev server) a newer build's indexing replaces an unfinished one."""
    global _running
    if _running is not None and _running.poll() is None:
        _running.terminate()
        _running.wait(5)
    if not background:
        build_index(Path(output_path), folder)
        return
    argv, env = command(output_path, folder)
    _running = subprocess.Popen(argv, env={**os.environ, **env}, stdout=subprocess.DEVNULL)


def command(output_path, folder: str) -> tuple[list[str], dict]:
    """The indexing as a command of its own (the dev server's background, benchmarks):
    its arguments and the environment it needs."""
    plugins = str(Path(__file__).resolve().parents[1])
    path = os.pathsep.join(p for p in (plugins, os.environ.get("PYTHONPATH")) if p)
    return [sys.executable, "-m", "search_index", str(output_path), folder], {"PYTHONPATH": path}
