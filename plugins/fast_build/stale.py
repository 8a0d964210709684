"""Files a page, article or photo left behind when it was deleted or renamed.

A clean build writes none of them, so an incremental build must remove them, or a
deleted article would still be served. Only files an earlier build wrote through the
writer or copied as static files (its list is kept under CACHE_PATH) are ever removed,
never anything else in the output folder. Listing the output folder instead would cost
seconds on a large site: a folder per page.
"""

import hashlib
import json
import marshal
import os
import pickle
from pathlib import Path

KEEP = 20  # lists of output folders kept


def per_output(settings, folder: str, suffix: str) -> Path:
    """A file under CACHE_PATH/folder for this build's output folder: builds into other
    folders (make check, tests) keep their own."""
    output = os.path.realpath(settings["OUTPUT_PATH"])
    name = hashlib.blake2b(output.encode(), digest_size=12).hexdigest()
    return Path(settings["CACHE_PATH"]) / folder / f"{name}{suffix}"


# A kept dict's first byte says how the rest is written: by marshal when every value in it
# is one marshal writes as it is (str, bytes, numbers, None, and tuples, lists, sets and
# dicts of them), by pickle otherwise (a custom class, say). Marshal wrote the records of
# 31000 pages in 36 ms instead of pickle's 88, body_patch's state in 15 ms instead of 83
# (a build at 20000 articles), and reads them no slower.
KEPT_SUFFIX = ".kept"
_MARSHALLED, _PICKLED = b"M", b"P"


def load_kept(path: Path) -> dict | None:
    """A dict a build kept under CACHE_PATH (save_kept); None when missing or unreadable."""
    try:
        with open(path, "rb") as handle:
            data = memoryview(handle.read())
    except OSError:
        return None
    kind, body = bytes(data[:1]), data[1:]
    try:
        if kind == _MARSHALLED:
            value = marshal.loads(body)
        elif kind == _PICKLED:
            value = pickle.loads(body)
        else:  # an older build's file, or no kept file at all
            return None
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        return None  # cut short, or a class that is gone
    return value if isinstance(value, dict) else None


def save_kept(path: Path, value: dict) -> None:
    """Written whole or not at all: a build that stops halfway leaves the old file."""
    try:
        data = _MARSHALLED + marshal.dumps(value)
    except ValueError:  # a value marshal does not write as it is
        data = _PICKLED + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_suffix(f".{os.getpid()}.tmp")
    with open(scratch, "wb") as handle:
        handle.write(data)
    os.replace(scratch, path)


def manifest_path(settings) -> Path:
    return per_output(settings, "outputs", ".json")


def save_manifest(settings, files: set[str]) -> None:
    """What this build wrote, for the next build to compare."""
    target = manifest_path(settings)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(sorted(files), ensure_ascii=False), encoding="utf-8")
    kept = sorted(target.parent.glob("*.json"), key=lambda p: p.stat().st_mtime)[:-KEEP]
    for old in kept:  # lists of scratch builds (make check, tests) do not pile up
        old.unlink(missing_ok=True)


def remove_stale(settings, kept: set[str], started: float) -> list[str]:
    """Remove what the last build wrote, this one did not, and nothing wrote since
    `started`; returns the removed paths. Theme files are the theme copy's business."""
    try:
        previous = json.loads(manifest_path(settings).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    output = Path(settings["OUTPUT_PATH"])
    protected = [settings["THEME_STATIC_DIR"].strip("/") + "/"]
    if settings.get("SEARCH_INDEX_URL"):  # the search index keeps its own folder
        protected.append(settings["SEARCH_INDEX_URL"].strip("/") + "/")
    removed = []
    for name in sorted(set(previous) - kept):
        path = output / name
        if name.startswith(tuple(protected)) or not path.is_file():
            continue
        if path.stat().st_mtime >= started:
            continue
        path.unlink()
        removed.append(name)
        folder = path.parent
        while folder != output and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    return removed
