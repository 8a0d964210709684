"""Where the counts live: SQLite (one file, default) or Redis (several web servers)."""

from dataclasses import dataclass

VISIT_WINDOW = 30 * 60  # a visit: a visitor's first hit after 30 minutes without one
ONLINE_WINDOW = 5 * 60  # online: distinct visitors active in the last 5 minutes
SALT_LIFETIME = 48 * 3600


@dataclass(frozen=True)
class Figures:
    total: int  # visits so far, the starting total included ("Lượt truy cập")
    today: int  # visits today, portal time ("Hôm nay")
    online: int  # visitors active in the last five minutes ("Trực tuyến")
    pageviews: int  # every counted page view: acknowledged hits add up to this


class StoreUnavailable(Exception):
    """The store cannot take or give counts now; the service answers 503 and retries later."""


class StartTotalConflict(Exception):
    """The starting total is set once: a different value needs an explicit replace."""


def open_store(url: str, **options):
    if url.startswith("sqlite://"):
        from .sqlite import SqliteStore

        return SqliteStore(
            url.removeprefix("sqlite://").removeprefix("/") or "counter.sqlite3",
            synchronous=options.get("synchronous", "NORMAL"),
        )
    if url.startswith(("redis://", "rediss://", "unix://")):
        from .redis import RedisStore

        return RedisStore(
            url, prefix=options.get("prefix", "qnc:"), timeout=options.get("timeout", 1.0)
        )
    raise ValueError(f"COUNTER_STORE must start with sqlite:// or redis://, not {url!r}")
