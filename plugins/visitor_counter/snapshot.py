"""Figures read once per build, so pages are right without JavaScript.

A short timeout and no retry: a counter that is down must never fail or slow a build;
the page then shows "—" until the script fetches live figures.
"""

import json
import logging
import urllib.error
import urllib.request

log = logging.getLogger(__name__)
FIGURES = ("total", "today", "online")


def fetch_figures(endpoint: str, timeout: float = 1.0) -> dict | None:
    """{'total': int, 'today': int, 'online': int} from `endpoint`/counts, or None."""
    if not endpoint.startswith(("http://", "https://")):
        return None  # a same-origin path such as /bo-dem: nothing to ask at build time
    try:
        with urllib.request.urlopen(endpoint.rstrip("/") + "/counts", timeout=timeout) as reply:
            data = json.loads(reply.read(4096))
    except (OSError, urllib.error.URLError, ValueError) as error:
        log.warning("Bộ đếm truy cập không trả lời (%s): trang hiện '—' cho đến khi có số.", error)
        return None
    if not isinstance(data, dict):
        return None
    figures = {name: data.get(name) for name in FIGURES}
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in figures.values()):
        return None
    return figures


def page_path(output_file: str) -> str:
    """The public path of a written file: 'tin-tuc/index.html' -> '/tin-tuc/'."""
    path = "/" + output_file.replace("\\", "/")
    return path.removesuffix("index.html")
