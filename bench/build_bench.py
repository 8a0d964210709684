"""The build benchmark: our site, vanilla Pelican 4.12 and Hugo on the same generated content.

    python bench/build_bench.py --sizes 1000,10000,20000 --out bench/results

For each size: our full build, a warm rebuild with nothing changed, a rebuild after editing
one article's body and after adding one article; vanilla Pelican's full build; Hugo's.
Wall time, peak memory (the process's maximum resident set) and files written, side by
side in one run, as a Markdown table, a CSV file and a PNG plot.
"""

import argparse
import csv
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
QUIET = {"PORTAL_COUNTER_ENDPOINT": "http://127.0.0.1:9"}  # no counter to ask


def measure(argv, output: Path, cwd=ROOT, env=None) -> dict:
    """Wall time, peak RSS and files written by one build, run as its own process."""
    started_wall = time.time()
    started = time.perf_counter()
    process = subprocess.Popen(
        argv,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{argv[0]} failed: {process.stderr.read().decode()[-2000:]}")
    written = sum(
        1 for p in output.rglob("*") if p.is_file() and p.stat().st_mtime >= started_wall - 1
    )
    return {
        "seconds": round(elapsed, 2),
        "peak_mb": round(usage.ru_maxrss / 1024),
        "files_written": written,
    }


def run_size(size: int, work: Path) -> list[dict]:
    folder = work / f"site-{size}"
    files = generate(size, folder)
    content, out = folder / "content", folder / "output"
    pelican = [str(BIN / "pelican"), str(content), "-o", str(out)]
    # Search indexing is timed on its own line, not inside the build's figure.
    ours = [*pelican, "-s", str(ROOT / "pelicanconf.py"), "-e", "SEARCH_INDEX=null"]
    rows = []

    def record(tool, step, result):
        rows.append({"articles": size, "tool": tool, "step": step, **result})

    record("ours", "full", measure(ours, out, env=QUIET))
    record("ours", "warm, nothing changed", measure(ours, out, env=QUIET))
    edited = files[len(files) // 2]
    with open(edited, "a", encoding="utf-8") as handle:
        handle.write("\nĐoạn văn thêm vào khi sửa bài.\n")
    record("ours", "edit one article", measure(ours, out, env=QUIET))
    new = edited.with_name("tin-moi-them.md")
    new.write_text(
        edited.read_text(encoding="utf-8").replace("Title: ", "Title: Tin mới: ", 1),
        encoding="utf-8",
    )
    record("ours", "add one article", measure(ours, out, env=QUIET))

    record(
        "ours",
        "search index (Pagefind)",
        measure(
            [str(BIN / "python"), "-m", "pagefind", "--site", str(out), "--silent"],
            out / "pagefind",
        ),
    )
    vanilla_out = folder / "vanilla-output"
    record(
        "vanilla Pelican",
        "full",
        measure(
            [*pelican[:2], "-o", str(vanilla_out), "-s", str(ROOT / "bench" / "vanillaconf.py")],
            vanilla_out,
        ),
    )
    hugo_out = folder / "hugo-output"
    record(
        "Hugo",
        "full",
        measure(
            [str(BIN / "hugo"), "--quiet", "-s", str(folder / "hugo"), "-d", str(hugo_out)],
            hugo_out,
        ),
    )
    vanilla = next(r for r in rows if r["tool"] == "vanilla Pelican")["seconds"]
    hugo = next(r for r in rows if r["tool"] == "Hugo")["seconds"]
    for row in rows:
        row["vs_vanilla"] = round(row["seconds"] / vanilla, 2)
        row["vs_hugo"] = round(row["seconds"] / hugo, 2)
    shutil.rmtree(folder)
    return rows


def markdown(rows: list[dict]) -> str:
    lines = [
        "| articles | tool | step | wall s | × vanilla | × Hugo | peak MB | files written |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {r['articles']} | {r['tool']} | {r['step']} | {r['seconds']} | "
        f"{r['vs_vanilla']} | {r['vs_hugo']} | {r['peak_mb']} | {r['files_written']} |"
        for r in rows
    ]
    return "\n".join(lines)


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted({r["articles"] for r in rows})
    series = [
        ("ours", "full"),
        ("ours", "edit one article"),
        ("vanilla Pelican", "full"),
        ("Hugo", "full"),
    ]
    figure, axis = plt.subplots(figsize=(8, 4.5), dpi=100)
    width = 0.8 / len(series)
    for index, (tool, step) in enumerate(series):
        values = [
            next(
                r["seconds"]
                for r in rows
                if r["articles"] == size and r["tool"] == tool and r["step"] == step
            )
            for size in sizes
        ]
        axis.bar(
            [x + index * width for x in range(len(sizes))], values, width, label=f"{tool} ({step})"
        )
    axis.set_xticks(
        [x + width * (len(series) - 1) / 2 for x in range(len(sizes))],
        [f"{s} articles" for s in sizes],
    )
    axis.set_ylabel("wall time (s)")
    axis.set_title("Build time on this machine (lower is better)")
    axis.legend()
    figure.tight_layout()
    figure.savefig(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,20000")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder")
    args = parser.parse_args()
    work = args.work or Path(os.environ.get("TMPDIR", "/tmp")) / "portal-bench"
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        rows += run_size(size, work)
        print(markdown([r for r in rows if r["articles"] == size]), flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "build.md").write_text(
        f"# Build benchmark\n\nOne run, this machine ({os.cpu_count()} cores).\n\n"
        f"{markdown(rows)}\n",
        encoding="utf-8",
    )
    with open(args.out / "build.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    plot(rows, args.out / "build.png")
    print(f"results: {args.out}/build.md, build.csv, build.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
