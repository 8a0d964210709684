"""The build benchmark: our site, vanilla Pelican 4.12 and Hugo on the same generated content.

    python bench/build_bench.py --sizes 1000,10000,20000 --out bench/results

For each size: our full build, a warm rebuild with nothing changed, a rebuild after editing
one article's body and after adding one article; vanilla Pelican's full build; Hugo's. With
--repeat N, each of ours and Hugo's full builds (each from nothing, the two in turns, with
each round's ratio) and each short step runs N times and the median run is shown; vanilla
Pelican's, over a minute at 20000, runs once.
Wall time, peak memory (the proportional set of the build's process tree, sampled, or a
one-process build's exact peak: see peak_of) and files written, side by side in one run,
as a Markdown table, a CSV file and a PNG plot.
"""

import argparse
import csv
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))
from generate import generate, published_after_all  # noqa: E402
from pelican.settings import read_settings  # noqa: E402
from search_index.indexer import command as search_command  # noqa: E402
from search_index.indexer import index_folder  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# No counter to ask; fast_build.build (what `make html` runs) imports the plugins.
QUIET = {"PORTAL_COUNTER_ENDPOINT": "http://127.0.0.1:9", "PYTHONPATH": str(ROOT / "plugins")}


def tree_memory(pid: int) -> int:
    """Proportional memory (PSS, kB) of a process and its descendants: forked workers
    share most pages with their parent, and PSS counts each shared page once in all."""
    pids, total = [pid], 0
    while pids:
        current = pids.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as handle:
                total += next(int(line.split()[1]) for line in handle if line.startswith("Pss:"))
            with open(f"/proc/{current}/task/{current}/children") as handle:
                pids += [int(child) for child in handle.read().split()]
        except (OSError, StopIteration):
            continue
    return total


def sample_interval(elapsed: float) -> float:
    """How long the memory sampler sleeps: often in a build's first second, so a short
    build's peak is seen, then every half second. Reading a 400 MB process's PSS takes
    the kernel 20-35 ms; every 50 ms, that took a third of a core from a build that uses
    both (an addition at 20000 articles: 10,3-10,9 s sampled, 9,6-9,9 s not); with
    one-process builds sampled every 20 ms, our short steps took 10% longer than in the
    run before, where Hugo's time, sampled alike in both, was the same. A build that ran
    as one process has its exact peak from the kernel besides (peak_of)."""
    return 0.02 if elapsed < 1 else 0.5


def peak_of(sampled_kb: int, max_rss_kb: int, one_process: bool) -> int:
    """A build's peak: the largest PSS of its process tree seen by the sampler, or, for a
    tool that runs as one process (vanilla Pelican, Hugo), the kernel's high-water mark
    of its resident set when higher (exact, but it counts shared libraries whole: 7 MB
    above the PSS for vanilla Pelican at 20000 articles). Vanilla Pelican's peak there
    lasts a tenth of a second (327 MB of PSS, then 260-268 MB, sampled every 0,1 s; the
    high-water mark 334 MB): sampled every half second, two runs of four missed it and
    gave 270 MB. Ours, a tree of processes, is no spike: sampled every 0,05 s, 298-304 MB
    for a second. Our builds are always measured by their samples (a short-lived worker
    would make a one-process reading count every page it shares whole)."""
    return max(sampled_kb, max_rss_kb) if one_process else sampled_kb


def measure(argv, output: Path, cwd=ROOT, env=None, one_process=False) -> dict:
    """Wall time, peak memory of the whole process tree and files written by one build.

    Each build starts with nothing waiting to be written to the disk (os.sync): otherwise
    a build paid for the writes of what ran before it (the generated sites, the last
    tool's output), while the kernel flushed them. Ours ran first, right after the
    generator, and Hugo last, after vanilla Pelican's 70 s."""
    os.sync()
    started_wall = time.time()
    started = time.perf_counter()
    process = subprocess.Popen(
        argv,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    peak, done = [0], threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_memory(process.pid))
            done.wait(sample_interval(time.perf_counter() - started))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    # The end as the build ends: a loop that slept between samples saw it only at its next
    # sample, so times over a second were rounded up to the next half second.
    errors = process.stderr.read()  # to its end: the build is ending
    _, status, usage = os.wait4(process.pid, 0)  # its resources, the peak resident set
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise RuntimeError(f"{argv[0]} failed: {errors.decode()[-2000:]}")
    written = sum(1 for p in output.rglob("*") if p.is_file() and p.stat().st_mtime >= started_wall)
    peak_kb = peak_of(peak[0], usage.ru_maxrss, one_process)  # ru_maxrss: kB on Linux
    seconds, peak_mb = round(elapsed, 2), round(peak_kb / 1024)
    return {"seconds": seconds, "peak_mb": peak_mb, "files_written": written}


def edit_to_live(argv, page: Path, edited: Path, env) -> dict:
    """The dev server: from saving an edit to the rebuilt page on disk, which the open
    page's live reload picks up within its next check (1 s at most)."""
    server = subprocess.Popen(
        argv, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, text=True
    )
    try:
        for line in server.stdout:  # the dev server serves once its first build is whole
            if line.startswith("Trang thử"):
                break
        else:
            raise RuntimeError("the dev server stopped before serving")
        os.sync()  # as measure(): the server's first build written out first
        marker = f"Sửa lúc {time.time():.0f}"
        with open(edited, "a", encoding="utf-8") as handle:
            handle.write(f"\n{marker}\n")
        started = time.perf_counter()
        while marker not in page.read_text(encoding="utf-8"):
            time.sleep(0.02)
            if time.perf_counter() - started > 600 or server.poll() is not None:
                raise RuntimeError("the dev server did not rebuild the edited page")
        seconds = round(time.perf_counter() - started, 2)
        return {"seconds": seconds, "peak_mb": "", "files_written": ""}
    finally:
        server.terminate()
        server.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def slug_of(article: Path) -> str:
    """The edited article's address part, as our slugs make it from the title."""
    from vn_text import slugify

    title = next(
        line[len("Title: ") :]
        for line in article.read_text(encoding="utf-8").splitlines()
        if line.startswith("Title: ")
    )
    return slugify(title)


def discard(path: Path, work: Path) -> None:
    """Set a tree aside, to be deleted once every build is timed (main). Right after many
    files are deleted, ext4 reads the entry of each freed inode it passes over when it
    picks one for a new file, and passes over those freed in the last half minute or
    more: making 10000 folders with a page each took 0,5 ms a page just after deleting
    10000 of them, 0,05 ms on a quiet disk, nearly all of it in the kernel. Deleting the
    last tree just before a build charged that to whichever build came next (here, ours);
    six rounds of deleting and building at 20000 articles took a first build's system
    time from 7 to 31 s. A rename frees no inode."""
    if path.exists():
        aside = work / "discarded"
        aside.mkdir(exist_ok=True)
        path.rename(aside / f"{time.time_ns()}-{path.name}")


def median_run(results: list[dict]) -> dict:
    """The figures of the median run, and every run's time."""
    middle = dict(sorted(results, key=lambda r: r["seconds"])[len(results) // 2])
    middle["runs"] = " ".join(str(r["seconds"]) for r in results)
    return middle


def repeated(times: int, step) -> dict:
    """`step(n)` run `times` times: the median run (the machine is shared: one run of a
    short step can be a third off)."""
    return median_run([step(n) for n in range(times)])


def in_turns(times: int, ours, theirs) -> tuple[dict, dict, list[float]]:
    """Our first build and Hugo's, one right after the other, `times` rounds, each round
    begun by the tool that went second in the last: each one's median run, and each
    round's ratio of ours to theirs. Run minutes apart (Hugo's after vanilla Pelican's),
    the two medians met a machine that had changed speed meanwhile: vanilla Pelican
    took 57,8 to 79,7 s in four runs of one morning (28/11), and the ratio to Hugo moved
    from 1,10 to 1,46 with the same code."""
    mine, others = [], []
    for n in range(times):
        steps = [(ours, mine), (theirs, others)]
        for step, results in steps if n % 2 == 0 else steps[::-1]:
            results.append(step(n))
    ratios = [round(a["seconds"] / b["seconds"], 2) for a, b in zip(mine, others, strict=True)]
    return median_run(mine), median_run(others), ratios


def from_nothing(trees: list[Path], work: Path, build) -> Callable[[int], dict]:
    """A step for `repeated` or `in_turns` that runs `build()` as a first build each time:
    what the run before left (output, cache) is set aside first. One first build of each
    tool moved by 1-2 s from run to run of the same code, so the ratio to Hugo, the target
    still missed, hung on one run of each."""

    def step(_n: int) -> dict:
        for tree in trees:
            discard(tree, work)
        return build()

    return step


def run_size(size: int, work: Path, repeat: int = 1) -> list[dict]:
    folder = work / f"site-{size}"
    discard(folder, work)  # left by an earlier run
    files = generate(size, folder)
    content, out = folder / "content", folder / "output"
    pelican = [str(BIN / "pelican"), str(content), "-o", str(out)]
    # Search indexing is timed on its own line, not inside the build's figure; the cache
    # starts empty, so "full" is a first build.
    options = ["-s", str(ROOT / "pelicanconf.py"), "-e", "SEARCH_INDEX=null"]
    options.append(f"CACHE_PATH={json.dumps(str(folder / 'cache'))}")
    # Ours as `make html` runs it: Pelican's command line with the body-only patch first.
    ours = [str(BIN / "python"), "-m", "fast_build.build", *pelican[1:], *options]
    rows = []

    def record(tool, step, result, turns=""):
        result = {"runs": str(result["seconds"]), **result, "hugo_turns": turns}
        rows.append({"articles": size, "tool": tool, "step": step, **result})
        print(f"{size} {tool}, {step}: {result}", flush=True)  # survives an interrupted run

    first = from_nothing([out, folder / "cache"], work, lambda: measure(ours, out, env=QUIET))
    hugo_out = folder / "hugo-output"
    hugo_argv = [str(BIN / "hugo"), "--quiet", "-s", str(folder / "hugo"), "-d", str(hugo_out)]
    hugo_first = from_nothing(
        [hugo_out], work, lambda: measure(hugo_argv, hugo_out, one_process=True)
    )
    full, hugo_full, ratios = in_turns(repeat, first, hugo_first)
    turns = f"{statistics.median(ratios):.2f} ({' '.join(f'{r:.2f}' for r in ratios)})"
    record("ours", "full", full, turns)
    # The same first build in one process: forked workers share the parent's memory only
    # until they touch it, so two cores cost memory; this row shows the trade.
    discard(out, work)
    discard(folder / "cache", work)
    one = [*ours, 'FAST_BUILD={"workers": 1}']  # one more value after -e
    record("ours", "full, one process", measure(one, out, env=QUIET))
    warm = repeated(repeat, lambda n: measure(ours, out, env=QUIET))
    record("ours", "warm, nothing changed", warm)
    edited = files[len(files) // 2]
    original = edited.read_text(encoding="utf-8")

    def edit(n):
        with open(edited, "a", encoding="utf-8") as handle:
            handle.write(f"\nĐoạn văn thêm vào khi sửa bài, lần {n + 1}.\n")
        return measure(ours, out, env=QUIET)

    record("ours", "edit one article", repeated(repeat, edit))

    def add(n):
        # A new article, newer than every other (until 27/11 a copy of the edited one,
        # as old as it: the listings before it stayed as they were, half as many pages)
        new = files[-1].with_name(f"tin-moi-them-{n + 1}.md")
        title = f"Title: Tin mới {n + 1}: "
        text = published_after_all(original.replace("Title: ", title, 1), n + 1)
        new.write_text(text, encoding="utf-8")
        return measure(ours, out, env=QUIET)

    record("ours", "add one article", repeated(repeat, add))
    devserver = [str(BIN / "python"), "-m", "fast_build.devserver", str(content)]
    devserver += ["-o", str(out), "-p", str(free_port()), *options]
    page = next(out.glob(f"tin-tuc/*/{slug_of(edited)}/index.html"))
    record("ours", "dev server: edit to page", edit_to_live(devserver, page, edited, QUIET))

    folder_name = index_folder(read_settings(str(ROOT / "pelicanconf.py")))
    argv, env = search_command(out, folder_name)
    record("ours", "search index", measure(argv, out / folder_name, env=env))
    vanilla_out = folder / "vanilla-output"
    record(
        "vanilla Pelican",
        "full",
        measure(
            [*pelican[:2], "-o", str(vanilla_out), "-s", str(ROOT / "bench" / "vanillaconf.py")],
            vanilla_out,
            one_process=True,
        ),
    )
    record("Hugo", "full", hugo_full)  # timed in turns with ours (above)
    vanilla = next(r for r in rows if r["tool"] == "vanilla Pelican")["seconds"]
    hugo = next(r for r in rows if r["tool"] == "Hugo")["seconds"]
    for row in rows:
        row["vs_vanilla"] = round(row["seconds"] / vanilla, 2)
        row["vs_hugo"] = round(row["seconds"] / hugo, 2)
    discard(folder, work)
    return rows


def markdown(rows: list[dict]) -> str:
    lines = [
        "| articles | tool | step | wall s | × vanilla | × Hugo | × Hugo, in turns | peak MB "
        "| files written | runs (s) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {r['articles']} | {r['tool']} | {r['step']} | {r['seconds']} | "
        f"{r['vs_vanilla']} | {r['vs_hugo']} | {r['hugo_turns']} | {r['peak_mb']} | "
        f"{r['files_written']} | {r['runs']} |"
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
        ("ours", "full, one process"),
        ("ours", "edit one article"),
        ("ours", "dev server: edit to page"),
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
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="runs of each short step and of our and Hugo's full builds (the median is shown)",
    )
    args = parser.parse_args()
    work = args.work or Path(os.environ.get("TMPDIR", "/tmp")) / "portal-bench"
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        rows += run_size(size, work, args.repeat)
        print(markdown([r for r in rows if r["articles"] == size]), flush=True)
    shutil.rmtree(work / "discarded", ignore_errors=True)  # every build is timed
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "build.md").write_text(
        f"# Build benchmark\n\nOne run, this machine ({os.cpu_count()} cores); our and Hugo's "
        f"full builds (in turns: × Hugo, in turns is the median of the rounds' ratios, then "
        f"each round's) and the short steps: the median of {args.repeat}; vanilla Pelican: "
        "one run.\n\n"
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
