"""Running Pagefind (the binary ships in the `pagefind[bin]` wheel) over the output folder.

Only pages that mark their main content with data-pagefind-body are indexed (articles,
pages, questions, procedures, units); listings never are. Folding "d" to "đ" for readers
who type without it happens at query time, in theme/static/js/search.js.
"""

import logging
import subprocess
import sys

log = logging.getLogger(__name__)
_running: subprocess.Popen | None = None


def command(output_path: str) -> list[str]:
    return [sys.executable, "-m", "pagefind", "--site", str(output_path), "--silent"]


def index_site(output_path: str, background: bool = False) -> None:
    """In the background (dev server) a newer build's indexing replaces an unfinished one."""
    global _running
    if _running is not None and _running.poll() is None:
        _running.terminate()
        _running.wait(5)
    if background:
        _running = subprocess.Popen(
            command(output_path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        return
    result = subprocess.run(command(output_path), capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"Pagefind could not index {output_path}: {result.stderr.strip()}")
