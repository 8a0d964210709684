"""Search benchmark: Pagefind on a generated portal of N articles.

    python bench/search_bench.py --articles 20000 --out bench/results

Builds the site (the build benchmark's generator), then reports the indexing time, the
index size on disk, and in headless Chromium the time to the first results and the bytes
fetched from /pagefind/ for two-word queries: the first on a freshly opened search page
(counting what the page load fetched: the index entry, WebAssembly, filters), then another.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))
from browser import launch, serve  # noqa: E402
from generate import generate  # noqa: E402

BIN = Path(sys.executable).parent
QUERIES = ("dong trieu", "chữ ký số")


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def query(page, text: str) -> float:
    """Milliseconds from typing to the first result on screen."""
    box = page.get_by_label("Từ khóa", exact=False)
    box.fill("")  # clears the previous results, so the wait below sees only this query's
    page.locator(".search-results h2 a").first.wait_for(state="detached", timeout=30_000)
    started = time.perf_counter()
    box.fill(text)
    page.locator(".search-results h2 a").first.wait_for(timeout=30_000)
    elapsed = (time.perf_counter() - started) * 1000 - 250  # the box waits 250 ms for typing
    page.wait_for_load_state("networkidle")
    return round(elapsed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    work = Path(os.environ.get("TMPDIR", "/tmp")) / "portal-search-bench"
    generate(args.articles, work)
    output = work / "output"
    subprocess.run(
        [
            str(BIN / "pelican"),
            str(work / "content"),
            "-o",
            str(output),
            "-s",
            str(ROOT / "pelicanconf.py"),
            "-e",
            "SEARCH_INDEX=null",
            "-q",
        ],
        check=True,
        env={**os.environ, "PORTAL_COUNTER_ENDPOINT": "http://127.0.0.1:9"},
    )
    started = time.perf_counter()
    subprocess.run(
        [str(BIN / "python"), "-m", "pagefind", "--site", str(output), "--silent"], check=True
    )
    indexing = time.perf_counter() - started
    entry = json.loads((output / "pagefind/pagefind-entry.json").read_text())
    pages = sum(language["page_count"] for language in entry["languages"].values())
    result = {
        "articles": args.articles,
        "pages_indexed": pages,
        "indexing_s": round(indexing, 1),
        "index_mb": round(folder_size(output / "pagefind") / 1e6, 1),
    }
    from playwright.sync_api import sync_playwright

    with serve(output) as url, sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        fetched: list[int] = []
        page.on(
            "requestfinished",
            lambda r: (
                fetched.append(r.sizes()["responseBodySize"]) if "/pagefind/" in r.url else None
            ),
        )
        page.goto(url + "/tim-kiem/")  # the index's entry, WebAssembly and filters load here
        page.wait_for_load_state("networkidle")
        result["first_query_ms"] = query(page, QUERIES[0])
        result["first_query_kb_with_page_load"] = round(sum(fetched) / 1024, 1)
        fetched.clear()
        result["next_query_ms"] = query(page, QUERIES[1])
        result["next_query_kb"] = round(sum(fetched) / 1024, 1)
        browser.close()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "search.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    lines = [
        "| " + " | ".join(result) + " |",
        "|" + " --- |" * len(result),
        "| " + " | ".join(str(v) for v in result.values()) + " |",
    ]
    report = "\n".join(lines)
    (args.out / "search.md").write_text(f"# Search benchmark\n\n{report}\n", encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
