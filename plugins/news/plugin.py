"""Signal wiring for news."""

from pelican import signals

from .listings import home_sections, older_in_category


def add_listings(generator):
    settings = generator.settings
    count = settings.get("OTHER_NEWS_COUNT", 8)
    for _category, articles in generator.categories:
        older = older_in_category(articles, count)
        for article in articles:
            article.other_news = older[id(article)]
    featured = generator.articles[0] if generator.articles else None
    generator.context["featured_article"] = featured
    generator.context["news_sections"] = home_sections(
        generator.categories,
        settings.get("NEWS_CATEGORIES", []),
        featured,
        settings.get("HOME_ITEMS_PER_CATEGORY", 4),
    )


def register():
    signals.article_generator_finalized.connect(add_listings)
