"""What the service accepts, drops and rejects, as plain functions; then fuzzed."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter.filters import drop_reason
from counter.hits import MAX_BODY, Hit, Rejected, parse_beacon, parse_pixel

from .support import BROWSER_UA


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"p": "/tin-tuc/"}', Hit("/tin-tuc/")),
        (b'{"p": "/", "h": true}', Hit("/", heartbeat=True)),
        ('{"p": "/trang/hỏi-đáp/"}'.encode(), Hit("/trang/hỏi-đáp/")),
    ],
)
def test_beacon_accepted(body, expected):
    assert parse_beacon(body) == expected


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        (b"x" * (MAX_BODY + 1), 413, "too-large"),
        (b"not json", 400, "malformed"),
        (b"\xff\xfe", 400, "malformed"),
        (b'["/"]', 400, "malformed"),
        (b"{}", 400, "malformed"),
        (b'{"p": "tin-tuc"}', 400, "malformed"),
        (b'{"p": 5}', 400, "malformed"),
        (json.dumps({"p": "/" + "a" * 2048}).encode()[:MAX_BODY], 400, "malformed"),
        (b'{"p": "/", "h": "yes"}', 400, "malformed"),
        (b'{"p": "/", "w": true}', 204, "headless"),
        (b'{"p": "/", "r": true}', 204, "prefetch"),
    ],
)
def test_beacon_rejected(body, status, reason):
    with pytest.raises(Rejected) as caught:
        parse_beacon(body)
    assert (caught.value.status, caught.value.reason) == (status, reason)


def test_pixel_query():
    assert parse_pixel(b"p=%2Ftin-tuc%2F") == Hit("/tin-tuc/")
    with pytest.raises(Rejected) as caught:
        parse_pixel(b"p=/" + b"a" * 2050)
    assert caught.value.reason == "path-too-long"
    for query in (b"", b"p=x", b"p=/a&p=/b", b"q=/a", "p=/ạ".encode()):
        with pytest.raises(Rejected):
            parse_pixel(query)


@pytest.mark.parametrize(
    ("headers", "honour_dnt", "reason"),
    [
        ({"user-agent": BROWSER_UA}, True, None),
        ({}, True, "bot"),
        ({"user-agent": "curl/8.5"}, True, "bot"),
        (
            {
                "user-agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
            },
            True,
            "bot",
        ),
        (
            {"user-agent": "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/)"},
            True,
            "bot",
        ),
        ({"user-agent": BROWSER_UA.replace("Chrome/", "HeadlessChrome/")}, True, "headless"),
        ({"user-agent": BROWSER_UA, "sec-purpose": "prefetch;prerender"}, True, "prefetch"),
        ({"user-agent": BROWSER_UA, "purpose": "prefetch"}, True, "prefetch"),
        ({"user-agent": BROWSER_UA, "x-moz": "prefetch"}, True, "prefetch"),
        ({"user-agent": BROWSER_UA, "dnt": "1"}, True, "dnt"),
        ({"user-agent": BROWSER_UA, "sec-gpc": "1"}, True, "dnt"),
        ({"user-agent": BROWSER_UA, "dnt": "1"}, False, None),
    ],
)
def test_drop_reasons(headers, honour_dnt, reason):
    assert drop_reason(headers, honour_dnt) == reason


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=3000))
def test_fuzz_beacon_bytes(body):
    try:
        hit = parse_beacon(body)
    except Rejected as rejected:
        assert rejected.status in (204, 400, 413)
    else:
        assert hit.path.startswith("/") and len(hit.path.encode()) <= 2048


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from(["p", "h", "w", "r", "x"]), json_values, max_size=5))
def test_fuzz_beacon_json(data):
    try:
        hit = parse_beacon(json.dumps(data).encode())
    except Rejected as rejected:
        assert rejected.status in (204, 400, 413)
    else:
        assert hit.path == data["p"] and hit.heartbeat == data.get("h", False)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2200))
def test_fuzz_pixel_query(query):
    try:
        hit = parse_pixel(query)
    except Rejected as rejected:
        assert rejected.status in (400, 413)
    else:
        assert hit.path.startswith("/")
