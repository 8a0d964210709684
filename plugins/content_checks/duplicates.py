"""Two content files that would write the same URL: an error naming both."""

from collections import defaultdict

from .front_matter import read_header
from .problems import Problem, display_path

CONTENT_LISTS = (
    "articles",
    "translations",
    "drafts",
    "drafts_translations",
    "hidden_articles",
    "hidden_translations",
    "pages",
    "hidden_pages",
    "draft_pages",
    "draft_translations",
)


def all_content(generators):
    seen = set()
    for generator in generators:
        for name in CONTENT_LISTS:
            for item in getattr(generator, name, None) or []:
                if id(item) not in seen:
                    seen.add(id(item))
                    yield item


def title_line(source_path: str) -> int:
    try:
        with open(source_path, encoding="utf-8-sig") as handle:
            header = read_header(handle.read(8192))
    except (OSError, UnicodeDecodeError):  # a file that is no UTF-8 is reported as such
        return 1
    return next((line for line, key, _ in header if key in ("slug", "title")), 1)


def find_duplicate_urls(items) -> list[Problem]:
    by_output = defaultdict(list)
    for item in items:
        if save_as := item.save_as:  # worked out once: each use formats the URL anew
            by_output[save_as].append(item.source_path)
    problems = []
    for save_as, paths in by_output.items():
        if len(paths) < 2:
            continue
        for path in paths:
            others = ", ".join(display_path(p) for p in paths if p != path)
            problems.append(
                Problem(
                    path,
                    title_line(path),
                    f"trùng địa chỉ /{save_as.removesuffix('index.html')} với {others}; "
                    "đổi tiêu đề hoặc thêm trường Slug",
                    "trung-dia-chi",
                )
            )
    return problems


def drop_duplicates(generators) -> None:
    """Keep the first item of each clashing URL, so a check-only build can go on writing."""
    seen = set()
    for generator in generators:
        for name in CONTENT_LISTS:
            items = getattr(generator, name, None)
            if not isinstance(items, list):
                continue
            kept = []
            for item in items:
                if item.save_as and item.save_as in seen:
                    continue
                seen.add(item.save_as)
                kept.append(item)
            items[:] = kept
