"""One suite, both stores: visits, online, heartbeat, midnight, start total, limits, filters.

Time is injected: the clock starts at 08/11/2018 10:00 in Hạ Long and moves by hand.
"""

import json
import uuid

import pytest

from counter.identity import day_of
from counter.store import StartTotalConflict

from .support import BROWSER_UA, call, figures, hit, with_app

MINUTE = 60


@pytest.fixture(params=["sqlite", "redis"])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/counter.sqlite3"
    server = request.getfixturevalue("redis_server")
    return server.url


@pytest.fixture
def run_app(store_url):
    prefix = f"t{uuid.uuid4().hex[:8]}:"  # each test its own keys on the shared redis

    def run(scenario, **values):
        return with_app(store_url, scenario, redis_prefix=prefix, **values)

    return run


def test_a_visit_is_the_first_hit_after_30_quiet_minutes(run_app):
    async def scenario(app, clock):
        assert (await hit(app, "/")).status == 204
        clock.advance(10 * MINUTE)
        await hit(app, "/tin-tuc/")
        clock.advance(29 * MINUTE)
        await hit(app, "/tin-tuc/2018/a/")
        assert await figures(app) == {"total": 1, "today": 1, "online": 1, "pageviews": 3}
        clock.advance(31 * MINUTE)
        await hit(app, "/")
        return await figures(app)

    assert run_app(scenario) == {"total": 2, "today": 2, "online": 1, "pageviews": 4}


def test_visitors_are_told_apart_by_address_and_agent(run_app):
    async def scenario(app, clock):
        await hit(app, "/", client="203.0.113.7")
        await hit(app, "/", client="203.0.113.8")
        await hit(app, "/", client="203.0.113.7", user_agent=BROWSER_UA + " Zalo")
        await hit(app, "/", client="203.0.113.7")
        return await figures(app)

    assert run_app(scenario) == {"total": 3, "today": 3, "online": 3, "pageviews": 4}


def test_online_is_the_last_five_minutes(run_app):
    async def scenario(app, clock):
        await hit(app, "/", client="198.51.100.1")
        clock.advance(3 * MINUTE)
        await hit(app, "/", client="198.51.100.2")
        first = (await figures(app))["online"]
        clock.advance(2 * MINUTE + 1)
        second = (await figures(app))["online"]
        clock.advance(3 * MINUTE)
        return first, second, (await figures(app))["online"]

    assert run_app(scenario) == (2, 1, 0)


def test_heartbeat_keeps_a_reader_online_and_never_adds_a_visit(run_app):
    async def scenario(app, clock):
        await hit(app, "/tin-tuc/2018/a/")
        for _ in range(40):  # forty minutes on one long article, page visible
            clock.advance(MINUTE)
            assert (await hit(app, "/tin-tuc/2018/a/", fields={"h": True})).status == 204
        during = await figures(app)
        await hit(app, "/tin-tuc/")  # the next page still belongs to the same visit
        after = await figures(app)
        await hit(app, "/", client="192.0.2.9", fields={"h": True})  # never seen: no visit
        return during, after, await figures(app)

    during, after, stranger = run_app(scenario)
    assert during == {"total": 1, "today": 1, "online": 1, "pageviews": 1}
    assert after == {"total": 1, "today": 1, "online": 1, "pageviews": 2}
    assert stranger == {"total": 1, "today": 1, "online": 2, "pageviews": 2}


def test_midnight_rotates_the_salt_and_a_visit_carries_over(run_app):
    async def scenario(app, clock):
        clock.now = 1541695800.0  # 08/11/2018 23:50 in Hạ Long
        day_one = day_of(clock())
        await hit(app, "/")
        salt_one = await app.store.salt(day_one)
        clock.advance(20 * MINUTE)  # 00:10 on the 9th
        day_two = day_of(clock())
        await hit(app, "/tin-tuc/")
        carried = await figures(app)
        salt_two = await app.store.salt(day_two)
        clock.advance(40 * MINUTE)
        await hit(app, "/")
        return day_one, day_two, salt_one != salt_two, carried, await figures(app)

    day_one, day_two, rotated, carried, later = run_app(scenario)
    assert (day_one, day_two) == ("2018-11-08", "2018-11-09")
    assert rotated
    # The same visit: no new visit, and not two people online.
    assert carried == {"total": 1, "today": 0, "online": 1, "pageviews": 2}
    assert later == {"total": 2, "today": 1, "online": 1, "pageviews": 3}


def test_salts_older_than_48_hours_are_deleted(store_url, run_app):
    async def scenario(app, clock):
        days = []
        for _ in range(4):
            await hit(app, "/")
            days.append(day_of(clock()))
            clock.advance(24 * 3600 + 61)
        await hit(app, "/")
        return days

    days = run_app(scenario)
    if store_url.startswith("sqlite"):
        import sqlite3

        path = store_url.removeprefix("sqlite:///")
        kept = {row[0] for row in sqlite3.connect(path).execute("SELECT day FROM salts")}
        assert kept == {days[-1], day_of(1541646000.0 + 4 * (24 * 3600 + 61))} - {None}
        assert days[0] not in kept and days[1] not in kept
    else:
        import redis

        client = redis.Redis.from_url(store_url)
        ttls = [client.ttl(key) for key in client.keys("*salt*")]
        assert ttls and all(0 < ttl <= 48 * 3600 for ttl in ttls)


def test_starting_total_is_set_once(run_app):
    async def scenario(app, clock):
        await app.store.set_start_total(7448251)
        await app.store.set_start_total(7448251)  # the same value again: nothing changes
        await hit(app, "/")
        before = await figures(app)
        with pytest.raises(StartTotalConflict):
            await app.store.set_start_total(9000000)
        await app.store.set_start_total(7000000, replace=True)
        return before, await figures(app)

    before, after = run_app(scenario)
    assert before["total"] == 7448252 and before["pageviews"] == 1
    assert after["total"] == 7000001


def test_rate_limit_answers_429_with_retry_after(run_app):
    async def scenario(app, clock):
        statuses = [(await hit(app, "/")).status for _ in range(10)]
        limited = await hit(app, "/")
        clock.advance(1)
        return statuses, limited, (await hit(app, "/")).status, await figures(app)

    statuses, limited, later, counted = run_app(scenario, rate=4.0, burst=8)
    assert statuses == [204] * 8 + [429, 429]
    assert limited.headers["retry-after"] == "1"
    assert later == 204
    assert counted["pageviews"] == 9


@pytest.mark.parametrize(
    ("request_args", "reason"),
    [
        ({"user_agent": "Googlebot/2.1 (+http://www.google.com/bot.html)"}, "bot"),
        ({"user_agent": ""}, "bot"),
        ({"user_agent": BROWSER_UA.replace("Chrome/", "HeadlessChrome/")}, "headless"),
        ({"fields": {"w": True}}, "headless"),
        ({"headers": {"sec-purpose": "prefetch"}}, "prefetch"),
        ({"fields": {"r": True}}, "prefetch"),
        ({"headers": {"dnt": "1"}}, "dnt"),
        ({"headers": {"sec-gpc": "1"}}, "dnt"),
    ],
)
def test_dropped_hits_answer_204_and_count_nothing(run_app, request_args, reason):
    async def scenario(app, clock):
        reply = await hit(app, "/", **request_args)
        return reply, await figures(app)

    reply, counted = run_app(scenario)
    assert reply.status == 204 and reply.headers["x-counter-ignored"] == reason
    assert counted == {"total": 0, "today": 0, "online": 0, "pageviews": 0}


@pytest.mark.parametrize(
    ("body", "status"),
    [(b"{", 400), (b"x" * 5000, 413), (b'{"p": "khong-co-gach"}', 400)],
)
def test_malformed_and_oversized_hits(run_app, body, status):
    async def scenario(app, clock):
        return await call(app, body=body), await figures(app)

    reply, counted = run_app(scenario)
    assert reply.status == status and counted["pageviews"] == 0


def test_forwarded_for_is_trusted_only_from_configured_proxies(run_app):
    import ipaddress

    async def scenario(app, clock):
        for address in ("198.51.100.1", "198.51.100.2"):
            await hit(app, "/", client="10.0.0.5", headers={"x-forwarded-for": address})
        trusted = await figures(app)
        for address in ("198.51.100.3", "198.51.100.4"):
            await hit(app, "/", client="203.0.113.50", headers={"x-forwarded-for": address})
        return trusted, await figures(app)

    trusted, untrusted = run_app(scenario, trusted_proxies=[ipaddress.ip_network("10.0.0.0/8")])
    assert trusted["total"] == 2  # behind our proxy: two people
    assert untrusted["total"] == 3  # a stranger's header is ignored: one more person


def test_pixel_counts_readers_without_javascript(run_app):
    async def scenario(app, clock):
        reply = await call(app, "GET", "/hit.gif", query=b"p=%2Ftin-tuc%2F")
        return reply, await figures(app)

    reply, counted = run_app(scenario)
    assert reply.status == 200 and reply.headers["content-type"] == "image/gif"
    assert reply.headers["cache-control"] == "no-store" and len(reply.body) == 43
    assert counted["pageviews"] == 1


def test_cors_for_the_portal_origin_only(run_app):
    async def scenario(app, clock):
        portal = await call(app, "GET", "/counts", headers={"origin": "https://portal.example"})
        other = await call(app, "GET", "/counts", headers={"origin": "https://evil.example"})
        preflight = await call(
            app,
            "OPTIONS",
            "/hit",
            headers={"origin": "https://portal.example", "access-control-request-method": "POST"},
        )
        return portal, other, preflight

    portal, other, preflight = run_app(scenario, origins=["https://portal.example"])
    assert portal.headers["access-control-allow-origin"] == "https://portal.example"
    assert "access-control-allow-origin" not in other.headers
    assert preflight.status == 204 and "POST" in preflight.headers["access-control-allow-methods"]


def test_read_endpoint_is_cached_a_few_seconds(run_app):
    async def scenario(app, clock):
        first = json.loads((await call(app, "GET", "/counts")).body)
        await hit(app, "/")
        clock.advance(1)
        cached = json.loads((await call(app, "GET", "/counts")).body)
        clock.advance(3)
        fresh = await call(app, "GET", "/counts")
        return first, cached, json.loads(fresh.body), fresh.headers["cache-control"]

    first, cached, fresh, header = run_app(scenario, read_cache_seconds=3)
    assert first["total"] == cached["total"] == 0 and fresh["total"] == 1
    assert header == "public, max-age=3"


def test_unknown_routes_and_methods(run_app):
    async def scenario(app, clock):
        return [
            (await call(app, method, path)).status
            for method, path in (("GET", "/hit"), ("GET", "/khac"), ("GET", "/health"))
        ]

    assert run_app(scenario) == [405, 404, 200]


def test_two_nodes_on_one_redis_share_salt_and_counts(redis_server):
    """Two web servers behind one load balancer: one reader, one visit."""
    from counter.app import CounterApp
    from counter.config import Config

    from .support import Clock

    async def scenario():
        clock = Clock()
        prefix = f"t{uuid.uuid4().hex[:8]}:"
        nodes = [
            CounterApp(
                Config(store=redis_server.url, redis_prefix=prefix, read_cache_seconds=0),
                clock=clock,
            )
            for _ in range(2)
        ]
        for node in nodes:
            await node.store.open()
        try:
            await hit(nodes[0], "/")
            clock.advance(MINUTE)
            await hit(nodes[1], "/tin-tuc/")
            day = day_of(clock())
            salts = {await node.store.salt(day) for node in nodes}
            return salts, await figures(nodes[0]), await figures(nodes[1])
        finally:
            for node in nodes:
                await node.store.close()

    import asyncio

    salts, first, second = asyncio.run(scenario())
    assert len(salts) == 1
    assert first == second == {"total": 1, "today": 1, "online": 1, "pageviews": 2}


def test_starting_total_from_the_setting_applies_once(store_url):
    from counter.app import CounterApp
    from counter.config import Config

    prefix = f"t{uuid.uuid4().hex[:8]}:"

    async def start(total):
        app = CounterApp(
            Config(store=store_url, redis_prefix=prefix, read_cache_seconds=0, start_total=total)
        )
        await app.store.open()
        try:
            await app.apply_start_total()
            return (await figures(app))["total"]
        finally:
            await app.store.close()

    import asyncio

    assert asyncio.run(start(7448251)) == 7448251
    assert asyncio.run(start(7448251)) == 7448251  # restarts change nothing
    assert asyncio.run(start(10)) == 7448251  # a different value later is refused
