"""Vanilla Pelican 4.12 for the benchmark: its default theme, no plugins, the same content."""

ARTICLE_PATHS = ["tin-tuc"]
PAGE_PATHS = ["trang"]
STATIC_PATHS = ["images"]
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
PLUGINS = []  # with PLUGINS unset, every installed pelican.plugins.* package would load
FEED_DOMAIN = "https://example.vn"
