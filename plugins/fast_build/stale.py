"""Files a page, article or photo left behind when it was deleted or renamed.

A clean build writes none of them, so an incremental build must remove them, or a
deleted article would still be served. Only files an earlier build wrote (its list is
kept under CACHE_PATH) are ever removed, never anything else in the output folder.
"""

import hashlib
import json
import os
from pathlib import Path

PROTECTED = ("pagefind/",)  # Pagefind keeps its own folder
KEEP = 20  # lists of output folders kept


def manifest_path(settings) -> Path:
    output = os.path.realpath(settings["OUTPUT_PATH"])
    name = hashlib.blake2b(output.encode(), digest_size=12).hexdigest()
    return Path(settings["CACHE_PATH"]) / "outputs" / f"{name}.json"


def output_files(output_path: str) -> set[str]:
    """Every file under the output folder, relative to it (scandir: no stat per file)."""
    found, folders = set(), [""]
    while folders:
        folder = folders.pop()
        with os.scandir(os.path.join(output_path, folder)) as entries:
            for entry in entries:
                name = f"{folder}{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    folders.append(name + "/")
                elif not name.startswith(PROTECTED):
                    found.add(name)
    return found


def save_manifest(settings) -> None:
    """What this build left in the output folder, for the next build to compare."""
    target = manifest_path(settings)
    target.parent.mkdir(parents=True, exist_ok=True)
    files = sorted(output_files(settings["OUTPUT_PATH"]))
    target.write_text(json.dumps(files, ensure_ascii=False), encoding="utf-8")
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
    protected = (*PROTECTED, settings["THEME_STATIC_DIR"].strip("/") + "/")
    removed = []
    for name in sorted(set(previous) - kept):
        path = output / name
        if name.startswith(protected) or not path.is_file() or path.stat().st_mtime >= started:
            continue
        path.unlink()
        removed.append(name)
        folder = path.parent
        while folder != output and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    return removed
