"""The process folders.py starts: makes the folders of a list of pages, then leaves.

Run as a script by Python alone (`python -I -S folder_maker.py LIST NICENESS OUTPUT`), it
imports nothing but os and sys: it starts in 5 ms. The build's process only writes the
pages' paths, as it has them, to the list; working out their folders here took 32 ms of
that process's time at 20000 articles, with the other core idle.
"""

import os
import sys


def folders_of(output: str, pages: list[str]) -> list[str]:
    """The folders `pages` go in (paths relative to `output`, or absolute), each once, in
    order, parents first; only those inside the output folder, and never that folder
    itself (the build makes it). Pelican refuses a page outside the output."""
    root = os.path.join(os.path.abspath(output), "")
    found = set()
    for page in pages:
        folder = os.path.dirname(os.path.normpath(os.path.join(root, page)))
        if folder.startswith(root):
            found.add(folder)
    return sorted(found)


def main(listed: str, niceness: str, output: str) -> None:
    os.nice(int(niceness))
    with open(listed, encoding="utf-8") as handle:
        pages = handle.read().split("\0")
    os.unlink(listed)
    for folder in folders_of(output, pages):
        os.makedirs(folder, exist_ok=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
