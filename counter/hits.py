"""Parsing what browsers send: the beacon's text/plain JSON body and the pixel's query."""

import json
from dataclasses import dataclass
from urllib.parse import parse_qs

MAX_BODY = 2048
MAX_PATH = 2048


class Rejected(Exception):
    """A request that is not counted: `status` is the answer, `reason` says why."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Hit:
    path: str
    heartbeat: bool = False


def _check_path(path) -> str:
    if not isinstance(path, str) or not path.startswith("/"):
        raise Rejected(400, "malformed")
    if len(path.encode("utf-8", "surrogatepass")) > MAX_PATH:
        raise Rejected(400, "path-too-long")
    return path


def parse_beacon(body: bytes) -> Hit:
    """{"p": "/path", "h": heartbeat?, "w": navigator.webdriver?, "r": prerendering?}"""
    if len(body) > MAX_BODY:
        raise Rejected(413, "too-large")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Rejected(400, "malformed") from None
    if not isinstance(data, dict):
        raise Rejected(400, "malformed")
    if data.get("w") is True:
        raise Rejected(204, "headless")
    if data.get("r") is True:
        raise Rejected(204, "prefetch")
    heartbeat = data.get("h", False)
    if not isinstance(heartbeat, bool):
        raise Rejected(400, "malformed")
    return Hit(_check_path(data.get("p")), heartbeat)


def parse_pixel(query: bytes) -> Hit:
    if len(query) > MAX_BODY + 16:
        raise Rejected(413, "too-large")
    try:
        values = parse_qs(query.decode("ascii"), strict_parsing=False, max_num_fields=4)
    except (UnicodeDecodeError, ValueError):
        raise Rejected(400, "malformed") from None
    paths = values.get("p", [])
    return Hit(_check_path(paths[0] if len(paths) == 1 else None))
