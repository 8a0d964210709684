"""Production settings: everything from pelicanconf.py, with the public address."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("PORTAL_SITEURL", "https://chinhquyendientu.quangninh.gov.vn")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
OUTPUT_PATH = "output-publish"
DELETE_OUTPUT_DIRECTORY = True

# Drafts and scheduled items are previewed locally, never published.
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""

PLUGINS = [*PLUGINS, "pelican.plugins.sitemap", "publish_assets"]  # noqa: F405
SEARCH_INDEX = {"background": False}  # the index ships with the release
LIVE_RELOAD = False
IGNORE_FILES = [".#*", "live-reload.js"]  # the dev server's script is not published
FINGERPRINT_ASSETS = True  # portal.<hash>.css, cached for a year
PRECOMPRESS = True  # .gz and .br beside every text file
SITEMAP = {"format": "xml", "exclude": ["^404\\.html$"]}
TEMPLATE_PAGES = {**TEMPLATE_PAGES, "robots.txt": "robots.txt"}  # noqa: F405

# Behind nginx the service shares the site's origin under /bo-dem/; the build reads its
# snapshot from the service directly.
VISITOR_COUNTER = {
    **VISITOR_COUNTER,  # noqa: F405
    "endpoint": os.environ.get("PORTAL_COUNTER_ENDPOINT", "/bo-dem"),
    "snapshot_url": os.environ.get("PORTAL_COUNTER_SNAPSHOT", "http://127.0.0.1:8001"),
}
