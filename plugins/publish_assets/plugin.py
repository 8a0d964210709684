"""Signal wiring for publish_assets: only in the production build (publishconf.py)."""

import json
import time
from pathlib import Path

from pelican import signals

from .fingerprint import fingerprint_assets
from .precompress import precompress

STAMP = ".build-info.json"


def finish_output(pelican):
    settings = pelican.settings
    output = Path(pelican.output_path)
    renamed = fingerprint_assets(output) if settings.get("FINGERPRINT_ASSETS") else {}
    compressed = precompress(output) if settings.get("PRECOMPRESS") else 0
    # The deploy script copies only a build that finished, with its checks, to the end.
    stamp = {
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "siteurl": settings["SITEURL"],
        "fingerprinted": renamed,
        "compressed_files": compressed,
    }
    (output / STAMP).write_text(json.dumps(stamp, indent=1), encoding="utf-8")


def register():
    signals.finalized.connect(finish_output)
