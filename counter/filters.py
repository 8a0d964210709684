"""What is not counted: bots, headless browsers, prefetch, Do-Not-Track. One reason each."""

from functools import lru_cache

from crawlerdetect import CrawlerDetect

_detector = CrawlerDetect()
HEADLESS_MARKERS = ("headlesschrome", "phantomjs", "slimerjs", "electron/", "puppeteer")
PREFETCH_HEADERS = ("purpose", "sec-purpose", "x-purpose", "x-moz")


@lru_cache(maxsize=8192)
def is_crawler(user_agent: str) -> bool:
    """The maintained CrawlerDetect list; cached, since a few agents make most traffic."""
    return _detector.isCrawler(user_agent)


def drop_reason(headers: dict[str, str], honour_dnt: bool) -> str | None:
    """Why this request must not be counted, from its headers; None to count it."""
    user_agent = headers.get("user-agent", "")
    lowered = user_agent.lower()
    if any(marker in lowered for marker in HEADLESS_MARKERS):
        return "headless"
    # GoatCounter's rule: real browsers send a long agent with a space or a slash.
    if len(user_agent) < 10 or not (" " in user_agent or "/" in user_agent):
        return "bot"
    if is_crawler(user_agent):
        return "bot"
    for name in PREFETCH_HEADERS:
        value = headers.get(name, "").lower()
        if "prefetch" in value or "prerender" in value or "preview" in value:
            return "prefetch"
    if honour_dnt and (headers.get("dnt") == "1" or headers.get("sec-gpc") == "1"):
        return "dnt"
    return None
