"""The dev server: `pelican -lr` with its one gap closed.

Pelican's autoreload starts watching only after a build ends, so a file saved while a
build runs is never built (the page stays stale until the next save). Here one watcher
lives for the whole session and keeps what changed during a build for the next one.
Same options as `pelican`:

    python -m fast_build.devserver content -o output -s pelicanconf.py -b 127.0.0.1 -p 8000
"""

import gc
import logging
import os
import queue
import socketserver
import sys
import threading
import time

import watchfiles
from pelican import get_instance, parse_arguments
from pelican.log import init as init_logging
from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer
from pelican.utils import FileChangeFilter

from .build import log_handler
from .parallel import let_go
from .plugin import last_build
from .quick import rebuild_body

logger = logging.getLogger(__name__)


def watched(settings_file: str, settings) -> list[str]:
    paths = [settings_file, settings["THEME"], settings["PATH"]]
    return [os.path.abspath(p) for p in paths if p and os.path.exists(p)]


class _Handler(ComplexHTTPRequestHandler):
    """Pelican's handler, plus what live reload needs: each file's exact version (mtime in
    nanoseconds and size) in a Server-Timing header, which a page can read for itself and
    for its stylesheets and scripts, and no caching, so a reload gets the file as it is
    now. The live-reload polling is not logged."""

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        try:
            found = os.stat(path)
            self.send_header("Server-Timing", f'file;desc="{found.st_mtime_ns}-{found.st_size}"')
        except OSError:
            pass
        super().end_headers()

    def log_request(self, code="-", size="-"):
        if str(code)[:1] in "45":
            super().log_request(code, size)


class _Server(socketserver.ThreadingMixIn, RootedHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(bind: str, port: int, output: str) -> None:
    print(f"Trang thử: http://{bind}:{port}/ (Ctrl-C để dừng)", flush=True)
    _Server(output, (bind, port), _Handler).serve_forever()


def build(pelican) -> None:
    """One build; an editor's mistake is reported and the server goes on serving."""
    try:
        pelican.run()
    except (Exception, SystemExit) as error:  # noqa: BLE001 - the session must outlive it
        logger.warning("Bản dựng dừng: %s. Sửa tệp rồi lưu lại để dựng lại.", error)
        last_build.clear()  # what was read meanwhile is not on the pages: next, a full build
    finally:
        let_go()  # a build that stopped halfway left its objects frozen


def watch(paths: list[str], ignore, changes: queue.Queue) -> None:
    """Runs for the whole session, builds or not: nothing saved is missed."""
    for changed in watchfiles.watch(*paths, watch_filter=ignore):
        changes.put({path for _, path in changed})


def main(argv=None) -> None:
    # Pelican's own options; serving is what this command does ("--listen" silences
    # Pelican's warnings that -b and -p need it).
    args = parse_arguments(["--listen", *(sys.argv[1:] if argv is None else argv)])
    init_logging(level=args.verbosity, fatal=args.fatal, handler=log_handler(args.log_handler))
    pelican, settings = get_instance(args)
    settings_file = os.path.abspath(args.settings)
    output = settings["OUTPUT_PATH"]
    os.makedirs(output, exist_ok=True)
    bind, port = args.bind or "127.0.0.1", args.port or 8000
    ignore = FileChangeFilter(ignore_file_patterns=set(settings.get("IGNORE_FILES", [])))
    changes: queue.Queue = queue.Queue()
    paths = watched(settings_file, settings)
    threading.Thread(target=watch, args=(paths, ignore, changes), daemon=True).start()
    build(pelican)  # served once whole: never a half-built site
    threading.Thread(target=serve, args=(bind, port, output), daemon=True).start()
    while True:
        names = changes.get()
        while not changes.empty():  # everything saved meanwhile goes into this build
            names |= changes.get()
        run = last_build.get(output, {})
        names = relevant(names, run)
        if not names:
            continue
        if settings_file in names:
            pelican, settings = get_instance(args)
        elif len(names) == 1 and quick(next(iter(names)), run, settings):
            continue
        print("-> đã sửa: " + ", ".join(sorted(names)) + "; dựng lại…", flush=True)
        # The last build's objects go before the next build makes its own: alive, they
        # were scanned by every collection of the new build (adding an article at 20000
        # took 11-18 s here against 14-15 s in a fresh `make html`).
        last_build.clear()
        run = None
        gc.collect()
        build(pelican)


def relevant(names: set[str], run: dict) -> set[str]:
    """Leave out an editor's scratch files: gone already and never a source."""
    settings = run.get("settings")
    if not settings:
        return names
    context = run["generators"][0].context
    known = {*context.get("generated_content", {}), *context.get("static_content", {})}
    return {
        name
        for name in names
        if os.path.exists(name) or os.path.relpath(name, settings["PATH"]) in known
    }


def quick(name: str, run: dict, settings) -> bool:
    """A body-only edit of one article, rebuilt alone (fast_build.quick)."""
    started = time.perf_counter()
    try:
        page = rebuild_body(name, run)
    except Exception as error:  # noqa: BLE001 - the full build that follows reports it
        logger.info("fast_build: body-only rebuild gave way to a full build (%s)", error)
        last_build.clear()
        return False
    if page is None:
        return False
    took = time.perf_counter() - started
    print(f"-> đã sửa thân bài {name}: dựng lại {page} trong {took:.2f} giây", flush=True)
    from search_index import index_for  # loaded after this plugin

    index_for(settings, background=True)
    return True


if __name__ == "__main__":
    main()
