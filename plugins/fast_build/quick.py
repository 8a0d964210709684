"""One article's body edited: its page rebuilt in a fraction of a second.

The commonest change in the dev server is a correction in an article's text. When the
front matter is unchanged (title, date, category, summary: what listings, feeds' entries
and other pages show of it), only the article's own page and the feeds (which carry
whole articles) can differ; the last build's content is kept in memory, so the dev
server swaps that one body and renders just those files, with Pelican's own calls. Any
other change, or a body with a plugin's block (```bang-don-vi, ...), takes a full build.
"""

import os

from content_checks.front_matter import check_front_matter
from pelican.generators import ArticlesGenerator

from .body_patch import BLOCK
from .markdown_cache import cache_for, read_source
from .writer import FastWriter


def only(article, write):
    """A `write` for Pelican's generate_articles that lets through this article alone."""

    def write_one(name, template, context, **kwargs):
        if kwargs.get("article") is article:
            write(name, template, context, **kwargs)

    return write_one


def rebuild_body(path: str, run: dict) -> str | None:
    """The page rewritten for a body-only edit of `path`; None when a full build is due."""
    settings, generators = run.get("settings"), run.get("generators")
    if not settings or not generators:
        return None
    path = os.path.abspath(path)
    context = generators[0].context
    article = context["generated_content"].get(os.path.relpath(path, settings["PATH"]))
    articles = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    if article is None or articles is None or not any(a is article for a in articles.articles):
        return None
    try:
        text = read_source(path)
    except (OSError, UnicodeDecodeError):
        return None
    if check_front_matter(path, text, settings):
        return None  # the full build reports it
    cache = cache_for(settings)
    before = cache.sources.get(article.source_path)
    converted = cache.read(article.source_path, text)
    if before is None or before.header != cache.sources[article.source_path].header:
        return None
    if BLOCK in converted["body"] or "<img" in converted["body"]:
        return None  # plugins expand blocks, and photos get their versions, while reading
    article._content = converted["body"]
    memo = article.get_content.cache  # Pelican remembers each body with its links resolved
    for key in [key for key in memo if key[0] is article]:
        del memo[key]
    writer = FastWriter(articles.output_path, settings)
    articles.generate_articles(only(article, writer.write_file))
    articles.generate_feeds(writer)
    writer.flush()
    return article.save_as
