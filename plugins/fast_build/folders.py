"""A new site's page folders, made on a core that would idle otherwise.

Once the articles are read, the build's process alone sorts them and has Pelican note the
pages (some 0,5 s at 20000 articles) while the other core mostly waits; then both render,
and a page in a folder of its own (every article's) first makes its folder: some 40 µs of
the kernel's time a folder, and both renderers make theirs in the same few folders. In a
site made from nothing (writer.write_new), another process makes those folders meanwhile,
at a low priority, so that it takes the idle core rather than the busy one; it is stopped
when the pages are about to be rendered, which make any folder it did not reach. The
articles' folders are known once they are read (made_ahead); the listings' (tags,
categories, archives, each page of each in a folder of its own: 10000 at 20000 articles)
once Pelican has noted their pages, some 0,2 s before the rendering begins, while the
build's process gets the pages ready to render (listings_made_ahead). Only folders inside
the output folder are made.
"""

import contextlib
import os
import signal
import subprocess
import sys
import tempfile

NICENESS = 10  # a tenth of a core's time beside two busy processes
# The process that makes them: Python alone, started afresh. A fork of the build shares
# its memory, and each memory page the build then writes is copied: in one first build at
# 20000 articles, 1,33 s from the reading's end to the first page rendered, not 1,06.
MAKER = """
import os, sys
os.nice(int(sys.argv[2]))
with open(sys.argv[1], encoding="utf-8") as listed:
    folders = listed.read().split("\\0")
os.unlink(sys.argv[1])
for folder in folders:
    os.makedirs(folder, exist_ok=True)
"""


def made_ahead(output: str, contents) -> subprocess.Popen | None:
    """Start a process making the page folders of `contents` (published ones: their
    pages are written by every build) under `output`; see make_folders."""
    return make_folders(page_folders(output, contents))


def listings_made_ahead(output: str, paths) -> subprocess.Popen | None:
    """Start a process making the folders of pages noted by the writer (`paths`: each
    page's file, absolute and normalised as the writer joined it to the output folder);
    see make_folders."""
    root = os.path.join(os.path.abspath(output), "")
    folders = {os.path.dirname(path) for path in paths}
    return make_folders(sorted(folder for folder in folders if folder.startswith(root)))


def make_folders(folders: list[str]) -> subprocess.Popen | None:
    """Start a process making `folders`; returns it, for `stop`. None when there is none
    to make, or the process cannot be started (no temporary folder, no Python to start):
    the pages make them."""
    if not folders:
        return None
    listed = None
    try:
        handle, listed = tempfile.mkstemp(prefix="fast_build-", suffix=".folders")
        with open(handle, "w", encoding="utf-8") as listing:
            listing.write("\0".join(folders))
        # -I -S: no site packages to look at, none needed (a start of 20 ms, not 5)
        command = [sys.executable, "-I", "-S", "-c", MAKER, listed, str(NICENESS)]
        maker = subprocess.Popen(command, stdin=subprocess.DEVNULL, close_fds=True)
    except (OSError, ValueError):
        if listed is not None:
            with contextlib.suppress(OSError):
                os.unlink(listed)
        return None
    maker.listed = listed
    return maker


def page_folders(output: str, contents) -> list[str]:
    """The folders the published contents' pages go in, each once, in order (the output
    folder itself is not one: the build makes it)."""
    root = os.path.join(os.path.abspath(output), "")
    found = set()
    for content in contents:
        save_as = content.__dict__.get("save_as") or ""
        if not save_as or getattr(content, "status", None) != "published":
            continue
        folder = os.path.dirname(os.path.normpath(root + save_as))
        if folder.startswith(root):  # Pelican refuses a page outside the output
            found.add(folder)
    return sorted(found)


def stop(maker: subprocess.Popen | None) -> None:
    """The folder maker is stopped where it is (a folder is made whole or not at all)."""
    if maker is None:
        return
    with contextlib.suppress(ProcessLookupError):
        maker.send_signal(signal.SIGKILL)
    maker.wait()
    with contextlib.suppress(OSError):  # stopped before it read its list
        os.unlink(maker.listed)
