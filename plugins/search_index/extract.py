"""What the index keeps of one written page.

Templates mark what search sees: `data-search-body` on the main content (listings have
none, so they are never indexed), `data-search-meta="date"`/`"lead"` for what a result
shows, `data-search-filter="<name>"` for the filters, `data-search-ignore` for controls
inside the body that are not text.
"""

from dataclasses import dataclass, field

import lxml.html

LEAD_CHARS = 240  # a page without a marked lead shows the start of its text
PARSER = lxml.html.HTMLParser(encoding="utf-8")  # what the build writes
# Elements that end a run of text: a space after each keeps their words apart.
BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th", "div", "br")
BLOCKS += ("figcaption", "blockquote", "section", "article", "header", "footer", "time", "pre")


@dataclass
class PageRecord:
    url: str
    title: str
    text: str
    date: str = ""  # as the page shows it
    sort_date: str = ""  # ISO, for newest first
    lead: str = ""
    filters: dict[str, str] = field(default_factory=dict)


def _text(element) -> str:
    return " ".join(element.text_content().split())


def page_url(relative_path: str) -> str:
    """The address a written file is served at, from the site's root."""
    path = "/" + relative_path.replace("\\", "/")
    return path[: -len("index.html")] if path.endswith("/index.html") else path


def extract(html: bytes, relative_path: str) -> PageRecord | None:
    """None for a page without a marked body."""
    if b"data-search-body" not in html:
        return None
    tree = lxml.html.document_fromstring(html, parser=PARSER)
    body = next(iter(tree.xpath("//*[@data-search-body]")), None)
    if body is None:
        return None
    filters = {
        element.get("data-search-filter"): _text(element)
        for element in tree.xpath("//*[@data-search-filter]")
        if _text(element)
    }
    for ignored in body.xpath(".//*[@data-search-ignore]"):
        ignored.drop_tree()
    for block in body.iter(*BLOCKS):
        block.tail = " " + (block.tail or "")
    title = next(iter(body.xpath(".//h1")), None)
    if title is None:
        title = next(iter(tree.xpath("//title")), None)
    meta = {e.get("data-search-meta"): e for e in body.xpath(".//*[@data-search-meta]")}
    text = _text(body)
    date = meta.get("date")
    lead = _text(meta["lead"]) if "lead" in meta else text[:LEAD_CHARS].rsplit(" ", 1)[0] + " …"
    if "lead" not in meta and len(text) <= LEAD_CHARS:
        lead = text
    return PageRecord(
        url=page_url(relative_path),
        title=_text(title) if title is not None else page_url(relative_path),
        text=text,
        date=_text(date) if date is not None else "",
        sort_date=(date.get("datetime") or "") if date is not None else "",
        lead=lead,
        filters=filters,
    )
