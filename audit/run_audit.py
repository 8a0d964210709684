"""make audit: Lighthouse (mobile) and axe-core on each page type of the production build,
served by nginx with our configuration and the visitor counter behind it.

    python audit/run_audit.py [--out audit/results] [--floor 95]

Writes report.md (scores per page type, axe violations in light and dark mode, first-view
weight) and each page's Lighthouse JSON; exits 1 when a score is under the floor, axe finds
a violation or a page is over its weight budget.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "deploy"))
sys.path.insert(0, str(ROOT / "tests"))  # the tests' Chromium and port helpers
sys.path.insert(0, str(HERE))
from browser import CHROMIUM, CHROMIUM_FLAGS, launch  # noqa: E402
from counter_service.support import free_port, wait_for  # noqa: E402
from pages import AUDITED, PAGE_TYPES  # noqa: E402
from render_nginx import render  # noqa: E402
from weights import BUDGET, first_view  # noqa: E402

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# What a correct 404 page does on purpose: answer 404 (which Chromium also logs as a
# console error) and ask not to be indexed. Scored without these; the report says so.
EXCUSED = {"404": {"http-status-code", "is-crawlable", "errors-in-console"}}
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def wait_for_port(port: int) -> None:
    wait_for(lambda: socket.create_connection(("127.0.0.1", port), 0.2).close() or True, 15)


def category_score(report: dict, name: str, excused: set[str]) -> int:
    """Lighthouse's weighted mean over the category's audits, leaving out `excused` ones;
    the console errors are excused only when the page's own 404 is all they hold."""
    audits, total, weights = report["audits"], 0.0, 0.0
    for ref in report["categories"][name]["auditRefs"]:
        audit = audits[ref["id"]]
        if audit.get("score") is None or not ref["weight"]:
            continue
        if ref["id"] in excused and (
            ref["id"] != "errors-in-console"
            or all(
                item.get("sourceLocation", {}).get("url") == report["finalDisplayedUrl"]
                for item in audit.get("details", {}).get("items", [])
            )
        ):
            continue
        total += ref["weight"] * audit["score"]
        weights += ref["weight"]
    return round(100 * total / weights)


def lighthouse(url: str, report: Path, excused: set[str]) -> dict[str, str]:
    """Lighthouse's default mobile profile (a mid-range phone, throttled network and CPU)."""
    command = [
        str(HERE / "node_modules" / ".bin" / "lighthouse"),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROMIUM_FLAGS)}",
        "--ignore-status-code",  # the 404 page is audited as readers get it: with a 404
    ]
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
    found = json.loads(report.read_text(encoding="utf-8"))
    scores = {}
    for name in CATEGORIES:
        scored, raw = category_score(found, name, excused), category_score(found, name, set())
        scores[name] = scored if scored == raw else f"{scored} ({raw})"
    return scores


def axe_violations(urls: dict[str, str]) -> dict[str, dict[str, list[str]]]:
    """axe-core's WCAG 2.1 AA rules on a 360 px phone, in light and in dark mode."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    found = {}
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for name, url in urls.items():
            found[name] = {}
            for scheme in ("light", "dark"):
                context = browser.new_context(
                    viewport={"width": 360, "height": 780}, color_scheme=scheme
                )
                page = context.new_page()
                page.goto(url)
                results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
                found[name][scheme] = [v["id"] for v in results.response["violations"]]
                context.close()
        browser.close()
    return found


def markdown(rows: list[dict], floor: int) -> str:
    lines = [
        "# Audit of the production build",
        "",
        f"Lighthouse {CATEGORIES} in its mobile profile; axe-core WCAG 2.1 AA at 360 px in "
        f"light and dark mode; first view = HTML + CSS + JS as sent compressed (budget "
        f"{BUDGET // 1000} KB). Floor: {floor}.",
        "",
        "The 404 page is scored without "
        + ", ".join(sorted(EXCUSED["404"]))
        + ": it answers 404 and asks not to be indexed, as a missing page should; "
        "Lighthouse's own figure follows in brackets.",
        "",
        "| page type | performance | accessibility | best practices | SEO | axe (light / dark) "
        "| first view |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        scores = " | ".join(str(row["scores"][name]) for name in CATEGORIES)
        axe = " / ".join(", ".join(row["axe"][s]) or "0" for s in ("light", "dark"))
        weight = f"{row['weight'] / 1000:.1f} KB".replace(".", ",")
        lines.append(f"| {row['name']} | {scores} | {axe} | {weight} |")
    return "\n".join(lines) + "\n"


def audit(out: Path, floor: int, work: Path) -> int:
    port, counter_port = free_port(), free_port()
    site = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "COUNTER_STORE": f"sqlite:///{work}/counter.sqlite3",
        "COUNTER_HOST": "127.0.0.1",
        "COUNTER_PORT": str(counter_port),
        "COUNTER_ORIGINS": site,
        "COUNTER_TRUSTED_PROXIES": "127.0.0.1",
    }
    counter = subprocess.Popen([sys.executable, "-m", "counter", "serve"], cwd=ROOT, env=env)
    servers = [counter]
    try:
        wait_for_port(counter_port)
        output = work / "site"
        build_env = {**env, "PORTAL_SITEURL": site}
        build_env["PORTAL_COUNTER_SNAPSHOT"] = f"http://127.0.0.1:{counter_port}"
        pelican = [sys.executable, "-m", "pelican", str(ROOT / "content"), "-o", str(output)]
        pelican += ["-s", str(ROOT / "publishconf.py"), "-e", f'CACHE_PATH="{work}/cache"']
        subprocess.run(pelican, check=True, cwd=ROOT, env=build_env)
        run = work / "nginx-run"
        run.mkdir()
        conf = work / "nginx"
        render(
            conf,
            str(output),
            f"127.0.0.1:{port}",
            "localhost",
            f"127.0.0.1:{counter_port}",
            standalone_run_dir=run,
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        server = subprocess.Popen(
            [nginx, "-p", str(run), "-c", str(conf / "nginx.conf"), "-g", "daemon off;"]
        )
        servers.append(server)
        wait_for_port(port)

        urls = {}
        for name, kind in AUDITED.items():
            path = PAGE_TYPES[kind].removesuffix("index.html")
            urls[name] = f"{site}/{'trang-khong-co/' if kind == '404' else path}"
        violations = axe_violations(urls)
        rows = []
        out.mkdir(parents=True, exist_ok=True)
        for name, kind in AUDITED.items():
            report = out / f"lighthouse-{kind}.json"
            weight = sum(first_view(output, PAGE_TYPES[kind], site).values())
            row = {
                "name": name,
                "scores": lighthouse(urls[name], report, EXCUSED.get(kind, set())),
                "axe": violations[name],
                "weight": weight,
            }
            rows.append(row)
            print(name, row["scores"], row["axe"], weight, flush=True)
    finally:
        for process in servers:
            process.terminate()
            process.wait(10)
    (out / "report.md").write_text(markdown(rows, floor), encoding="utf-8")
    (out / "report.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    print(markdown(rows, floor))
    failed = [
        row["name"]
        for row in rows
        if min(int(str(s).split()[0]) for s in row["scores"].values()) < floor
        or any(row["axe"].values())
        or row["weight"] > BUDGET
    ]
    if failed:
        print("Dưới ngưỡng: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument("--floor", type=int, default=95)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="audit-") as work:
        return audit(args.out, args.floor, Path(work))


if __name__ == "__main__":
    sys.exit(main())
