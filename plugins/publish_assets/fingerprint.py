"""Content hashes in CSS and JS file names, so browsers may cache them for a year.

portal.css becomes portal.1a2b3c4d5e.css and every page is rewritten to name the new
file; a changed stylesheet gets a new name, so nothing stale is ever served.
"""

import hashlib
from pathlib import Path

ASSET_SUFFIXES = (".css", ".js")
REFERENCING = ("*.html", "*.css", "*.js")


def fingerprint_assets(output: Path, folders=("theme",)) -> dict[str, str]:
    """Rename assets under `folders`; returns {old path: new path}, relative to output."""
    renamed = {}
    for folder in folders:
        for path in sorted((output / folder).rglob("*")):
            if path.suffix not in ASSET_SUFFIXES or not path.is_file():
                continue
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
            target = path.with_name(f"{path.stem}.{digest}{path.suffix}")
            path.rename(target)
            renamed[path.relative_to(output).as_posix()] = target.relative_to(output).as_posix()
    if renamed:
        _rewrite_references(output, renamed)
    return renamed


def _rewrite_references(output: Path, renamed: dict[str, str]) -> None:
    for pattern in REFERENCING:
        for path in output.rglob(pattern):
            text = path.read_text(encoding="utf-8")
            new = text
            for old, fresh in renamed.items():
                new = new.replace(f"/{old}", f"/{fresh}")
            if new != text:
                path.write_text(new, encoding="utf-8")
