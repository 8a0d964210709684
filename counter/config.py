"""Settings from COUNTER_* environment variables: one place, documented in the README."""

import ipaddress
import os
from dataclasses import dataclass, field


def _list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _flag(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


@dataclass
class Config:
    store: str = "sqlite:///counter.sqlite3"  # or redis://127.0.0.1:6379/0
    host: str = "127.0.0.1"
    port: int = 8001
    prefix: str = ""  # when a proxy forwards /bo-dem/... unchanged
    origins: list[str] = field(default_factory=list)  # CORS: the portal's origin(s)
    trusted_proxies: list = field(default_factory=list)  # networks allowed to set X-Forwarded-For
    honour_dnt: bool = True  # Do-Not-Track / Global Privacy Control: not counted
    site: str = "portal"  # part of the visitor hash: one visitor differs between sites
    rate: float = 4.0  # requests per second per visitor ...
    burst: int = 8  # ... with this much room for a burst
    read_cache_seconds: float = 3.0
    store_timeout: float = 1.0  # a hit waits at most this long for the store, then 503
    sqlite_synchronous: str = "NORMAL"  # WAL + NORMAL survives a killed process; FULL a power cut
    redis_prefix: str = "qnc:"
    start_total: int | None = None  # the old portal's total, set once at the first start

    @classmethod
    def from_env(cls, env=None) -> "Config":
        env = os.environ if env is None else env
        get = env.get
        config = cls()
        config.store = get("COUNTER_STORE", config.store)
        config.host = get("COUNTER_HOST", config.host)
        config.port = int(get("COUNTER_PORT", config.port))
        config.prefix = get("COUNTER_PREFIX", config.prefix).rstrip("/")
        config.origins = _list(get("COUNTER_ORIGINS", ""))
        config.trusted_proxies = [
            ipaddress.ip_network(net, strict=False)
            for net in _list(get("COUNTER_TRUSTED_PROXIES", ""))
        ]
        config.honour_dnt = _flag(get("COUNTER_HONOUR_DNT", "true"))
        config.site = get("COUNTER_SITE", config.site)
        config.rate = float(get("COUNTER_RATE", config.rate))
        config.burst = int(get("COUNTER_BURST", config.burst))
        config.read_cache_seconds = float(get("COUNTER_READ_CACHE", config.read_cache_seconds))
        config.store_timeout = float(get("COUNTER_STORE_TIMEOUT", config.store_timeout))
        config.sqlite_synchronous = get("COUNTER_SQLITE_SYNCHRONOUS", config.sqlite_synchronous)
        config.redis_prefix = get("COUNTER_REDIS_PREFIX", config.redis_prefix)
        if get("COUNTER_START_TOTAL"):
            config.start_total = int(get("COUNTER_START_TOTAL"))
        return config
