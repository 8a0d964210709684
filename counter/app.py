"""The ASGI app: POST /hit, GET /hit.gif, GET /counts, GET /health. Nothing else.

Plain ASGI, no framework: four routes do not need one, and every microsecond here is
paid 2000 times a second.
"""

import asyncio
import ipaddress
import json
import logging
import time

from .config import Config
from .filters import drop_reason
from .hits import MAX_BODY, Hit, Rejected, parse_beacon, parse_pixel
from .identity import day_of, previous_day, visitor_id
from .ratelimit import RateLimiter
from .store import Figures, StartTotalConflict, StoreUnavailable, open_store

log = logging.getLogger("counter")

# The smallest transparent GIF (43 bytes), for readers without JavaScript.
PIXEL = bytes.fromhex(
    "47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b"
)
NO_STORE = (b"cache-control", b"no-store")


class CounterApp:
    def __init__(self, config: Config, store=None, clock=time.time):
        self.config = config
        self.store = store or open_store(
            config.store,
            synchronous=config.sqlite_synchronous,
            prefix=config.redis_prefix,
            timeout=config.store_timeout,
        )
        self.clock = clock
        self.limiter = RateLimiter(config.rate, config.burst)
        self._figures: tuple[float, Figures] | None = None
        self._last_error_log = 0.0
        prefix = config.prefix
        self.routes = {
            ("POST", f"{prefix}/hit"): self.beacon,
            ("GET", f"{prefix}/hit.gif"): self.pixel,
            ("GET", f"{prefix}/counts"): self.counts,
            ("GET", f"{prefix}/health"): self.health,
        }

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            await self.lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        cors = self.cors_headers(headers.get("origin"))
        if scope["method"] == "OPTIONS":
            await respond(send, 204, cors + [(b"access-control-max-age", b"86400")])
            return
        handler = self.routes.get((scope["method"], scope["path"]))
        if handler is None:
            known = any(path == scope["path"] for _, path in self.routes)
            await respond(send, 405 if known else 404, cors)
            return
        await handler(scope, receive, send, headers, cors)

    async def lifespan(self, receive, send):
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await self.store.open()
                await self.apply_start_total()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.store.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def apply_start_total(self) -> None:
        """COUNTER_START_TOTAL takes effect once; a different value later is refused."""
        if self.config.start_total is None:
            return
        try:
            await self.store.set_start_total(self.config.start_total)
        except StartTotalConflict as error:
            log.warning("COUNTER_START_TOTAL=%s ignored: %s", self.config.start_total, error)

    def cors_headers(self, origin: str | None) -> list:
        if origin and (origin in self.config.origins or "*" in self.config.origins):
            return [
                (b"access-control-allow-origin", origin.encode("latin-1")),
                (b"access-control-allow-methods", b"GET, POST, OPTIONS"),
                (b"access-control-allow-headers", b"content-type"),
                (b"vary", b"origin"),
            ]
        return [(b"vary", b"origin")]

    # -- routes
    async def beacon(self, scope, receive, send, headers, cors):
        try:
            body = await read_body(receive, MAX_BODY)
            hit = parse_beacon(body)
        except Rejected as rejected:
            await self.ignored(send, rejected, cors)
            return
        await self.count(scope, send, headers, hit, cors, [])

    async def pixel(self, scope, receive, send, headers, cors):
        gif = [(b"content-type", b"image/gif"), NO_STORE]
        try:
            hit = parse_pixel(scope["query_string"])
        except Rejected as rejected:
            await respond(
                send,
                200 if rejected.status == 204 else rejected.status,
                cors + gif + [ignored_header(rejected.reason)],
                PIXEL,
            )
            return
        await self.count(scope, send, headers, hit, cors, gif, PIXEL)

    async def count(self, scope, send, headers, hit: Hit, cors, extra, body=b""):
        ok = 200 if body else 204
        reason = drop_reason(headers, self.config.honour_dnt)
        if reason:
            await respond(send, ok, cors + extra + [ignored_header(reason)], body)
            return
        now = self.clock()
        day = day_of(now)
        ip = self.client_ip(scope, headers)
        user_agent = headers.get("user-agent", "")
        try:
            salt = await asyncio.wait_for(self.store.salt(day), self.config.store_timeout)
            previous = await asyncio.wait_for(
                self.store.salt(previous_day(day)), self.config.store_timeout
            )
            cur = visitor_id(salt, self.config.site, ip, user_agent)
            wait = self.limiter.allow(cur, now)
            if wait:
                await respond(
                    send,
                    429,
                    cors
                    + extra
                    + [
                        (b"retry-after", self.limiter.retry_after(wait).encode()),
                        ignored_header("rate-limited"),
                    ],
                    body,
                )
                return
            prev = visitor_id(previous, self.config.site, ip, user_agent)
            await asyncio.wait_for(
                self.store.record(cur, prev, hit.heartbeat, now, day), self.config.store_timeout
            )
        except (StoreUnavailable, TimeoutError) as error:
            self.log_store_error(error)
            await respond(send, 503, cors + extra + [(b"retry-after", b"5")], body)
            return
        await respond(send, ok, cors + extra + [NO_STORE], body)

    async def counts(self, scope, receive, send, headers, cors):
        now = self.clock()
        cached = self._figures
        if cached is None or now - cached[0] >= self.config.read_cache_seconds:
            try:
                figures = await asyncio.wait_for(
                    self.store.figures(now, day_of(now)), self.config.store_timeout
                )
            except (StoreUnavailable, TimeoutError) as error:
                self.log_store_error(error)
                await respond(send, 503, cors + [(b"retry-after", b"5")])
                return
            cached = self._figures = (now, figures)
        age = int(self.config.read_cache_seconds)
        payload = json.dumps(cached[1].__dict__).encode()
        await respond(
            send,
            200,
            cors
            + [
                (b"content-type", b"application/json"),
                (b"cache-control", f"public, max-age={age}".encode()),
            ],
            payload,
        )

    async def health(self, scope, receive, send, headers, cors):
        try:
            await asyncio.wait_for(self.store.ping(), self.config.store_timeout)
        except (StoreUnavailable, TimeoutError) as error:
            await respond(
                send,
                503,
                [(b"content-type", b"application/json"), NO_STORE],
                json.dumps({"status": "unavailable", "error": str(error)}).encode(),
            )
            return
        await respond(
            send, 200, [(b"content-type", b"application/json"), NO_STORE], b'{"status": "ok"}'
        )

    # -- helpers
    async def ignored(self, send, rejected: Rejected, cors):
        await respond(send, rejected.status, cors + [ignored_header(rejected.reason)])

    def client_ip(self, scope, headers) -> str:
        """X-Forwarded-For counts only when the direct peer is a trusted proxy."""
        peer = (scope.get("client") or ("", 0))[0]
        chain = [peer]
        forwarded = headers.get("x-forwarded-for")
        if forwarded and self.trusted(peer):
            chain = [part.strip() for part in forwarded.split(",") if part.strip()] + [peer]
        for address in reversed(chain):
            if not self.trusted(address):
                return address
        return chain[0]

    def trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.config.trusted_proxies)

    def log_store_error(self, error) -> None:
        now = time.monotonic()
        if now - self._last_error_log > 10:  # one line per ten seconds, not one per hit
            self._last_error_log = now
            log.error("counter store unavailable: %s", error or type(error).__name__)


def ignored_header(reason: str):
    return (b"x-counter-ignored", reason.encode())


async def read_body(receive, limit: int) -> bytes:
    body = b""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Rejected(400, "malformed")
        body += message.get("body", b"")
        if len(body) > limit:
            raise Rejected(413, "too-large")
        if not message.get("more_body"):
            return body


async def respond(send, status: int, headers: list, body: bytes = b"") -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": headers + [(b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def create_app() -> CounterApp:
    """The factory `uvicorn --factory counter.app:create_app` starts."""
    return CounterApp(Config.from_env())
