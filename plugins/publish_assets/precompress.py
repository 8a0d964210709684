"""gzip and Brotli copies beside every compressible file, for nginx's gzip_static/brotli_static.

Compressed once at build time (gzip -9, Brotli 9: close to the best ratio at a fraction
of quality 11's time), instead of on every request.
A copy is kept only when it is smaller than the original.
"""

import gzip
from pathlib import Path

import brotli

# Text, and the search index's shards (.bin: words and page numbers, which compress well).
COMPRESSIBLE = {".html", ".css", ".js", ".xml", ".json", ".csv", ".svg", ".txt", ".vcf", ".bin"}
MIN_SIZE = 256  # below this the headers cost more than compression saves


def precompress(output: Path) -> int:
    """Writes .gz and .br copies; returns how many files were compressed."""
    count = 0
    for path in sorted(output.rglob("*")):
        if path.suffix not in COMPRESSIBLE or not path.is_file():
            continue
        data = path.read_bytes()
        if len(data) < MIN_SIZE:
            continue
        for suffix, packed in (
            (".gz", gzip.compress(data, 9, mtime=0)),
            (".br", brotli.compress(data, quality=9)),
        ):
            if len(packed) < len(data):
                path.with_name(path.name + suffix).write_bytes(packed)
        count += 1
    return count
