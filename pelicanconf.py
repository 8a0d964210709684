"""Development settings: the one place the portal's facts and URL layout live.

publishconf.py imports everything here and changes only what production needs.
"""

import os

SITENAME = "Chính quyền điện tử tỉnh Quảng Ninh"
SITESUBTITLE = "Cổng thông tin Chính quyền điện tử tỉnh Quảng Ninh"
SITEURL = ""
# The feeds' own address while previewing; entries link root-relative until publishconf.py
# sets the public SITEURL.
FEED_DOMAIN = "http://127.0.0.1:8000"

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
# Pelican's `locale_date` of each article, in the Vietnamese order. The theme spells dates
# out itself (vn_text), so no page shows it; Pelican's default, "%a %d %B %Y", came out
# in English and took 29 µs an article to format, against 9.
DEFAULT_DATE_FORMAT = "%d/%m/%Y"

# Footer facts: the governing agency's name and address come from the unit registry
# (content/data/don-vi.yaml), the portal's own help lines from here; templates hold none.
PORTAL = {
    "name": "Chính quyền điện tử tỉnh Quảng Ninh",
    "agency_unit": "ubnd-tinh",  # the governing agency (cơ quan chủ quản) in the registry
    "phones": ["0203.3.618.429", "0203.3.619.429"],
    "email": "chinhquyendientu@quangninh.gov.vn",
    "content_responsible": "Chánh Văn phòng Ủy ban nhân dân tỉnh Quảng Ninh",
    "name_en": "Quang Ninh Province e-Government Portal",
    "content_responsible_en": "Chief of Office of the Provincial People's Committee",
}

NEWS_URL = "tin-tuc/"
NEWS_SAVE_AS = NEWS_URL + "index.html"
UNIT_STATS_URL = "tinh-hinh-xu-ly/"
SERVICES_URL = "dich-vu-cong/"
QUESTIONS_URL = "hoi-dap/"

# The four sections of the model page, in its order: (label, URL relative to SITEURL).
MENU = [
    ("Dịch vụ công", SERVICES_URL),
    ("Tình hình xử lý", UNIT_STATS_URL),
    ("Hỏi đáp", QUESTIONS_URL),
    ("Tin tức", NEWS_URL),
]

# English pages (organisation, functions, contacts) live under /en/; their menu.
MENU_EN = [
    ("About", "en/"),
    ("Contacts", "en/contact/"),
]
# The frame's words in each language the portal publishes.
UI = {
    "vi": {
        "skip": "Bỏ qua, đến nội dung chính",
        "menu": "Chuyên mục chính",
        "agency": "Cơ quan chủ quản",
        "address": "Địa chỉ",
        "phones": "Điện thoại hỗ trợ",
        "email": "Thư điện tử",
        "responsible": "Chịu trách nhiệm nội dung",
        "visits": "Lượt truy cập",
        "today": "Hôm nay",
        "online": "Trực tuyến",
        "other_language": "English",
        "search_label": "Tìm kiếm trên Cổng",
        "search_placeholder": "Tìm kiếm (gõ có dấu hoặc không dấu)",
        "search_button": "Tìm",
        "text_size": "Cỡ chữ",
        "smaller": "Chữ nhỏ hơn",
        "default_size": "Cỡ chữ mặc định",
        "larger": "Chữ lớn hơn",
    },
    "en": {
        "skip": "Skip to main content",
        "menu": "Main sections",
        "agency": "Governing agency",
        "address": "Address",
        "phones": "Support phones",
        "email": "Email",
        "responsible": "Responsible for content",
        "visits": "Visits",
        "today": "Today",
        "online": "Online now",
        "other_language": "Tiếng Việt",
        "search_label": "Search the portal (in Vietnamese)",
        "search_placeholder": "Search, in Vietnamese",
        "search_button": "Search",
        "text_size": "Text size",
        "smaller": "Smaller text",
        "default_size": "Default text size",
        "larger": "Larger text",
    },
}

# News categories: an article whose Category is not listed here stops the build.
NEWS_CATEGORIES = [
    "Chỉ đạo – Điều hành",
    "Cải cách hành chính",
    "Chính quyền điện tử",
    "Tin địa phương",
]
OTHER_NEWS_COUNT = 8  # "Các tin khác": older items of the same category
HOME_ITEMS_PER_CATEGORY = 4

# Content layout
ARTICLE_PATHS = ["tin-tuc"]
PAGE_PATHS = ["trang"]
STATIC_PATHS = ["images"]
# Photos (plugins/photos): for each article's Image, versions of 2-3 widths in AVIF, WebP
# and JPEG, each under the rules' 30 KB, with a link to the original. Kept in
# CACHE_PATH/photos: an unchanged photo is never encoded again.
PHOTOS = {
    "widths": [400, 800, 1200],  # px; none wider than the original
    "formats": ["avif", "webp", "jpeg"],  # JPEG last: the <img> every browser shows
    "budget": 30_000,  # bytes a version may weigh
    "lowest_quality": 35,  # below this a version is dropped rather than shown blurred
    "highest_quality": 85,
    "max_bytes": 20_000_000,  # an original heavier than this is an editor's mistake
    "max_pixels": 60_000_000,  # or larger than a 60-megapixel camera gives
    "output": "anh",  # folder of the published versions
}
USE_FOLDER_AS_CATEGORY = False
# News is published in Vietnamese only (the English pages are pages, not articles): no
# article translations to pair, and Pelican's pairing takes seconds on 20000 articles.
ARTICLE_TRANSLATION_ID = None


def newest_first(article):
    """Newest first; items of the same minute by slug, so every build lists them alike
    (Pelican finds files in no set order)."""
    return (-article.date.timestamp(), article.slug)


ARTICLE_ORDER_BY = newest_first
WITH_FUTURE_DATES = False  # scheduled publishing: future items stay unpublished
DEFAULT_PAGINATION = 10

# URLs: directories with index.html, Vietnamese words, no collisions between listings.
ARTICLE_URL = "tin-tuc/{date:%Y}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
DRAFT_URL = "ban-nhap/{slug}/"
DRAFT_SAVE_AS = DRAFT_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
DRAFT_PAGE_URL = "ban-nhap/trang/{slug}/"
DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_URL + "index.html"
CATEGORY_URL = "chuyen-muc/{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
CATEGORIES_URL = "chuyen-muc/"
CATEGORIES_SAVE_AS = CATEGORIES_URL + "index.html"
TAG_URL = "the/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
TAGS_URL = "the/"
TAGS_SAVE_AS = TAGS_URL + "index.html"
ARCHIVES_URL = "luu-tru/"
ARCHIVES_SAVE_AS = ARCHIVES_URL + "index.html"
MONTH_ARCHIVE_URL = "luu-tru/{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_URL + "index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""

DIRECT_TEMPLATES = ["index", "news", "categories", "tags", "archives", "search"]
SEARCH_URL = "tim-kiem/"
SEARCH_SAVE_AS = SEARCH_URL + "index.html"
PAGINATED_TEMPLATES = {
    "questions": None,
    "news": None,
    "category": None,
    "tag": None,
    "period_archives": None,
}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
TEMPLATE_PAGES = {"404.html": "404.html"}

# Atom feeds: all news and one per category.
FEED_ALL_ATOM = "feeds/tin-tuc.atom.xml"
CATEGORY_FEED_ATOM = "feeds/chuyen-muc/{slug}.atom.xml"
FEED_ALL_RSS = None
CATEGORY_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
FEED_MAX_ITEMS = 30

PLUGIN_PATHS = ["plugins"]
# Order matters where one plugin reads another's results or imports it: contacts reads
# unit_tables' registry; a plugin is importable only once an earlier line loaded it.
PLUGINS = [
    "vn_text",
    "fast_build",
    "photos",
    "content_checks",
    "news",
    "unit_tables",
    "contacts",
    "citizen_pages",
    "visitor_counter",
    "search_index",
]
# Search (plugins/search_index): the written pages are indexed after every build into
# SEARCH_INDEX_URL; in the dev server in the background, so pages are never held up.
SEARCH_INDEX = {"background": True}
SEARCH_INDEX_URL = "chi-muc/"
CONTACT_VCARD_URL = "lien-he/{code}.vcf"

# Hỏi đáp and Dịch vụ công (plugins/citizen_pages): one Markdown file per item.
QUESTION_PATHS = ["hoi-dap"]
QUESTION_URL = "hoi-dap/{slug}/"
SERVICE_PATHS = ["dich-vu-cong"]
SERVICE_URL = "dich-vu-cong/{slug}/"
# Where citizens send a question: the portal stays static, the channel is e-mail or a form.
QUESTIONS_ASK = {"email": PORTAL["email"], "url": None}
SERVICE_PORTALS = [
    ("Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn"),
    ("Cổng dịch vụ công tỉnh Quảng Ninh", "https://dichvucong.quangninh.gov.vn"),
]

# Visitor counter (counter/ is the service, plugins/visitor_counter the footer widget).
# `make devserver` starts the service on this address beside the site.
VISITOR_COUNTER = {
    # where browsers send hits and read figures (make devserver sets it from COUNTER_PORT)
    "endpoint": os.environ.get("PORTAL_COUNTER_ENDPOINT", "http://127.0.0.1:8001"),
    "snapshot_url": None,  # where the build reads figures; None: the endpoint
    "timeout": 1.0,  # seconds the build waits for the snapshot before showing "—"
    "heartbeat": 60,  # seconds between heartbeats while the page is visible; 0: none
}

# Unit tables: data files under content/, the pages they feed and the open-data files.
UNIT_DATA_PATHS = {
    "registry": "data/don-vi.yaml",  # every unit: tables, unit pages and contacts read it
    "statistics": "data/thong-ke",  # one CSV per period
    "status": "data/trang-thai",  # status tables whose columns the editor declares
}
UNIT_STATS_PERIOD_URL = "tinh-hinh-xu-ly/{period}/"
UNITS_URL = "don-vi/"
UNIT_URL = "don-vi/{code}/"
OPEN_DATA_URL = "du-lieu/"
UNIT_STATS_GROUPS = ["so-nganh", "cap-huyen"]  # the groups "Tình hình xử lý" shows
UNIT_STATS_RATE_FORMULA = "opencps"  # or "gia-lai" (see unit-stats rules in the README)
UNIT_STATS_TARGET = 0.95  # the summary line counts units at or above this on-time rate

RELATIVE_URLS = False  # root-relative links, so the 404 page works at any depth
# Build speed (plugins/fast_build): Markdown converted once per text, sources read once,
# pages rendered again only when what they read changed (all kept under CACHE_PATH); work
# shared by every core; a file written only when its bytes change.
CACHE_PATH = "cache"
CACHE_CONTENT = False  # Pelican's own cache: ours replaces it
# The dev server's pages reload themselves when a rebuild changes them (never in production).
LIVE_RELOAD = True
FAST_BUILD = {
    "markdown_cache": True,
    "read_cache": True,  # sources unchanged since the last build are not read again
    "skip_unchanged": True,  # pages whose inputs did not change are not rendered again
    "workers": None,  # processes; None: one per core
    "parallel_from": 200,  # fewer pages or texts than this: no worker is started
}
READERS = {"rst": None}  # editors write Markdown only
# Python-Markdown without code highlighting: a portal has no code to colour, and fenced
# blocks such as ```bang-don-vi must reach plugins as plain <pre><code class="language-...">.
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
    },
    "output_format": "html5",
}
