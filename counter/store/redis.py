"""Redis store: several web servers share one count; each hit is one atomic script call.

Keys: a day's salt (SET NX, expires after 48 h, so every node uses the first one made),
"seen" keys that expire after 30 minutes (a visit starts when none exists), a sorted set
of visitors by last activity for "online", and INCR counters for visits and page views.
Durability is Redis's: run it with appendonly yes.
"""

import secrets

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from ..identity import SALT_BYTES, previous_day
from . import (
    ONLINE_WINDOW,
    SALT_LIFETIME,
    VISIT_WINDOW,
    Figures,
    StartTotalConflict,
    StoreUnavailable,
)

# KEYS: seen:cur, seen:prev, online, visits, pageviews, visits:day, pageviews:day
# ARGV: now, heartbeat (0/1), cur id, prev id, visit window, seen-key lifetime,
#       day-key lifetime
RECORD = """
local now = tonumber(ARGV[1])
local function recent(key)
  local last = redis.call('GET', key)
  return last and now - tonumber(last) <= tonumber(ARGV[5])
end
local seen = recent(KEYS[1])
if not seen and KEYS[2] ~= KEYS[1] and recent(KEYS[2]) then
  seen = true
  redis.call('DEL', KEYS[2])
  redis.call('ZREM', KEYS[3], ARGV[4])
end
local new_visit = 0
if ARGV[2] == '1' then
  if seen then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[6]) end
else
  if not seen then new_visit = 1 end
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[6])
  redis.call('INCR', KEYS[5])
  redis.call('INCR', KEYS[7])
  redis.call('EXPIRE', KEYS[7], ARGV[7])
end
if new_visit == 1 then
  redis.call('INCR', KEYS[4])
  redis.call('INCR', KEYS[6])
  redis.call('EXPIRE', KEYS[6], ARGV[7])
end
redis.call('ZADD', KEYS[3], ARGV[1], ARGV[3])
return new_visit
"""
# "Seen" keys hold the last hit's time: the visit window is judged on it, and the key's
# own expiry (a little longer) only clears memory.
SEEN_KEY_LIFETIME = VISIT_WINDOW + 300
DAY_KEY_LIFETIME = 8 * 24 * 3600


class RedisStore:
    def __init__(self, url: str, prefix: str = "qnc:", timeout: float = 1.0):
        self.url, self.prefix = url, prefix
        self._client = aioredis.Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry_on_timeout=False,
            health_check_interval=15,
        )
        self._record = self._client.register_script(RECORD)
        self._salts: dict[str, bytes] = {}

    def _key(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)

    async def open(self) -> None:
        """Nothing to open: the client connects on first use, and again after a restart."""

    async def close(self) -> None:
        await self._client.aclose()

    async def _call(self, coroutine):
        try:
            return await coroutine
        except (RedisError, OSError) as error:
            raise StoreUnavailable(f"Redis: {error}") from None

    async def salt(self, day: str) -> bytes:
        if day in self._salts:
            return self._salts[day]
        key = self._key("salt", day)
        fresh = secrets.token_bytes(SALT_BYTES)
        await self._call(self._client.set(key, fresh, nx=True, ex=SALT_LIFETIME))
        salt = await self._call(self._client.get(key))
        if salt is None:
            raise StoreUnavailable("Redis lost the day's salt")
        self._salts[day] = salt
        for old in [d for d in self._salts if d < previous_day(day)]:
            del self._salts[old]
        return salt

    async def record(self, cur, prev, heartbeat, now, day) -> bool:
        keys = [
            self._key("seen", cur),
            self._key("seen", prev or cur),
            self._key("online"),
            self._key("visits"),
            self._key("pageviews"),
            self._key("visits", day),
            self._key("pageviews", day),
        ]
        args = [
            now,
            int(heartbeat),
            cur,
            prev or cur,
            VISIT_WINDOW,
            SEEN_KEY_LIFETIME,
            DAY_KEY_LIFETIME,
        ]
        return bool(await self._call(self._record(keys=keys, args=args)))

    async def figures(self, now: float, day: str) -> Figures:
        pipe = self._client.pipeline(transaction=True)
        pipe.zremrangebyscore(self._key("online"), "-inf", now - ONLINE_WINDOW)
        pipe.zcard(self._key("online"))
        pipe.mget(
            self._key("start_total"),
            self._key("visits"),
            self._key("visits", day),
            self._key("pageviews"),
        )
        _, online, (start, visits, today, pageviews) = await self._call(pipe.execute())
        return Figures(
            int(start or 0) + int(visits or 0), int(today or 0), online, int(pageviews or 0)
        )

    async def set_start_total(self, value: int, replace: bool = False) -> int:
        key = self._key("start_total")
        if replace:
            await self._call(self._client.set(key, value))
            return value
        if not await self._call(self._client.set(key, value, nx=True)):
            current = int(await self._call(self._client.get(key)))
            if current != value:
                raise StartTotalConflict(f"đã đặt tổng ban đầu {current}")
        return value

    async def ping(self) -> None:
        await self._call(self._client.ping())
