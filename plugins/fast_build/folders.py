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
build's process gets the pages ready to render (make_folders). Only folders inside
the output folder are made (folder_maker.py works them out, in the process that makes
them).
"""

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

NICENESS = 10  # a tenth of a core's time beside two busy processes
# The process that makes them: Python alone, started afresh. A fork of the build shares
# its memory, and each memory page the build then writes is copied: in one first build at
# 20000 articles, 1,33 s from the reading's end to the first page rendered, not 1,06.
MAKER = str(Path(__file__).with_name("folder_maker.py"))


def made_ahead(output: str, contents) -> subprocess.Popen | None:
    """Start a process making the page folders of `contents` under `output`: published
    ones, whose pages every build writes."""
    return make_folders(output, published_pages(contents))


def published_pages(contents) -> list[str]:
    """Where the published contents' pages go, as their save_as says."""
    pages = []
    for content in contents:
        save_as = content.__dict__.get("save_as")
        if save_as and getattr(content, "status", None) == "published":
            pages.append(save_as)
    return pages


def make_folders(output: str, pages: list[str]) -> subprocess.Popen | None:
    """Start a process making the folders of `pages` inside `output` (folder_maker.py):
    paths relative to it, or absolute, as the writer notes the listings' pages. Returns
    it, for `stop`; None when there is none to make, or the process cannot be started (no
    temporary folder, no Python to start): the pages make them."""
    if not pages:
        return None
    listed = None
    try:
        handle, listed = tempfile.mkstemp(prefix="fast_build-", suffix=".folders")
        with open(handle, "w", encoding="utf-8") as listing:
            listing.write("\0".join(pages))
        # -I -S: no site packages to look at, none needed (a start of 20 ms, not 5)
        command = [sys.executable, "-I", "-S", MAKER, listed, str(NICENESS), output]
        maker = subprocess.Popen(command, stdin=subprocess.DEVNULL, close_fds=True)
    except (OSError, ValueError):
        if listed is not None:
            with contextlib.suppress(OSError):
                os.unlink(listed)
        return None
    maker.listed = listed
    return maker


def stop(maker: subprocess.Popen | None) -> None:
    """The folder maker is stopped where it is (a folder is made whole or not at all)."""
    if maker is None:
        return
    with contextlib.suppress(ProcessLookupError):
        maker.send_signal(signal.SIGKILL)
    maker.wait()
    with contextlib.suppress(OSError):  # stopped before it read its list
        os.unlink(maker.listed)
