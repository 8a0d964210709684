"""Search benchmark: the portal's index on a generated portal of N articles.

    python bench/search_bench.py --articles 20000 --out bench/results

Builds the site (the build benchmark's generator), then reports the indexing time and
peak memory, the index size on disk, and in headless Chromium the time to the first
results and the index bytes fetched for each query, on a freshly opened search page:
as Python's test server sent them (uncompressed) and as nginx sends them (the Brotli
copies `make publish` writes). The first query also pays for index.json.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "plugins"))
from browser import launch, serve  # noqa: E402
from build_bench import measure  # noqa: E402
from generate import generate  # noqa: E402
from pelican.settings import read_settings  # noqa: E402
from search_index.indexer import command, index_folder  # noqa: E402

BIN = Path(sys.executable).parent
QUERIES = ("dong trieu", "chữ ký số", "Đảng ủy tỉnh", "hồ sơ")


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def query(page, text: str) -> float:
    """Milliseconds from pressing Enter to the first result on screen."""
    box = page.get_by_label("Từ khóa", exact=False)
    box.fill("")  # clears the previous results, so the wait below sees only this query's
    page.locator(".search-results h2 a").first.wait_for(state="detached", timeout=30_000)
    box.fill(text)
    started = time.perf_counter()
    box.press("Enter")
    page.locator(".search-results h2 a").first.wait_for(timeout=30_000)
    elapsed = (time.perf_counter() - started) * 1000
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
            "LIVE_RELOAD=false",  # as published: no page reloads while queries are timed
            f"CACHE_PATH={json.dumps(str(work / 'cache'))}",
            "-q",
        ],
        check=True,
        env={**os.environ, "PORTAL_COUNTER_ENDPOINT": "http://127.0.0.1:9"},
    )
    folder = index_folder(read_settings(str(ROOT / "pelicanconf.py")))
    argv, env = command(output, folder)
    indexing = measure(argv, output / folder, env=env)
    entry = json.loads((output / folder / "index.json").read_text())
    result = {
        "articles": args.articles,
        "pages_indexed": entry["pages"],
        "indexing_s": indexing["seconds"],
        "indexing_peak_mb": indexing["peak_mb"],
        "index_mb": round(folder_size(output / folder) / 1e6, 1),
        "shards": entry["shards"],
    }
    from playwright.sync_api import sync_playwright

    rows = []
    with serve(output) as url, sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        fetched: list[str] = []
        index_url = f"{url}/{folder}/"
        page.on("requestfinished", lambda r: r.url.startswith(index_url) and fetched.append(r.url))
        page.goto(url + "/tim-kiem/")
        page.wait_for_load_state("networkidle")
        for text in QUERIES:
            fetched.clear()
            ms = query(page, text)
            files = [output / u.split(url + "/", 1)[1] for u in fetched]
            raw = sum(f.stat().st_size for f in files)
            packed = sum(len(brotli.compress(f.read_bytes(), quality=9)) for f in files)
            rows.append([text, len(files), round(raw / 1024, 1), round(packed / 1024, 1), ms])
        browser.close()
    args.out.mkdir(parents=True, exist_ok=True)
    result["queries"] = rows
    (args.out / "search.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    summary = {k: v for k, v in result.items() if k != "queries"}
    lines = [
        "| " + " | ".join(summary) + " |",
        "|" + " --- |" * len(summary),
        "| " + " | ".join(str(v) for v in summary.values()) + " |",
        "",
        "| query | files fetched | KB sent (uncompressed) | KB as Brotli | ms to first results |",
        "| --- | --- | --- | --- | --- |",
        *("| " + " | ".join(str(v) for v in row) + " |" for row in rows),
    ]
    report = "\n".join(lines)
    (args.out / "search.md").write_text(f"# Search benchmark\n\n{report}\n", encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
