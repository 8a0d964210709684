"""Pure functions behind the news listings."""

from operator import attrgetter

newest_first = attrgetter("date")


def older_in_category(category_articles, count: int) -> dict:
    """Map each article to the `count` items published before it in its category.

    Only older items are listed, so publishing a new one leaves older pages unchanged.
    """
    ordered = sorted(category_articles, key=newest_first, reverse=True)
    return {id(article): ordered[i + 1 : i + 1 + count] for i, article in enumerate(ordered)}


def home_sections(categories, order: list[str], featured, count: int):
    """(category, newest items) in the settings' order, the featured item left out."""
    by_name = {category.name: articles for category, articles in categories}
    sections = []
    for name in order:
        articles = [a for a in by_name.get(name, []) if a is not featured]
        if articles:
            category = articles[0].category
            sections.append((category, sorted(articles, key=newest_first, reverse=True)[:count]))
    return sections
