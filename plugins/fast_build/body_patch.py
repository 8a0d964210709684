"""A body-only edit rebuilt from the command line in well under a second.

The commonest change is a correction in an article's text. When its front matter is the
same (title, date, category, Summary: all that listings, other pages and feeds' entry
headers show of it), a build would change exactly two kinds of file: the article's page,
which holds the body as Markdown made it, verbatim, and the feeds that carry it whole,
which hold it XML-escaped. So those bytes are replaced in place, and nothing else is
read, rendered or written; the result is the file a full build would write.

This holds only when nothing else the build reads changed since the last full build,
and that build left a record of what it read (save_state): the settings, plugins' code
and theme (one digest), every file under the content folder (sizes, times, inodes), the
visitor counts shown in the footers, and the time the next scheduled article comes out.
It also needs the old body found exactly once in each file, a body without plugin blocks,
photos or links to other content (those are made while reading or rendering), and
output files as that build wrote them. When nothing changed at all and every file the
build wrote is still as it wrote it, there is nothing to do. Anything else, and the
caller runs a full build.
A full build removes the record first, so a build that stops halfway leaves none.
"""

import contextlib
import logging
import os
import time
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

from .fingerprints import _files_digest, build_digest
from .markdown_cache import cache_for, file_stamp, header_key, read_source
from .stale import KEPT_SUFFIX, load_kept, per_output, save_kept
from .writer import write_if_changed

logger = logging.getLogger(__name__)
BLOCK = '<pre><code class="language-'  # fenced blocks that plugins expand while reading
LINKS = ("{filename}", "{static}", "{attach}", "{tag}", "{category}", "{author}", "{index}")
LINKS += ("|filename|", "|static|", "|attach|", "|tag|", "|category|", "|author|", "|index|")


# What plan() checks first, kept in a file of its own: an addition, a deletion or a
# rename is refused without loading the rest (64 ms at 20000 articles)
HEAD = ("inputs_digest", "content", "root", "counts", "next_publication")


def state_paths(settings) -> tuple[Path, Path]:
    """The record's head and its rest."""
    head = per_output(settings, "patch", KEPT_SUFFIX)
    return head, head.with_name(head.stem + "-rest" + KEPT_SUFFIX)


def forget_state(settings) -> None:
    """Before a full build: until it ends, no record describes the output."""
    for path in state_paths(settings):  # the head first: without it the rest is not read
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def write_state(settings, state: dict) -> None:
    """The rest first: a head on disk always has its own rest beside it."""
    head, rest = state_paths(settings)
    save_kept(rest, {name: value for name, value in state.items() if name not in HEAD})
    save_kept(head, {name: value for name, value in state.items() if name in HEAD})


def read_rest(settings, head: dict) -> dict:
    rest = load_kept(state_paths(settings)[1])
    if rest is None:
        raise Refused("the record of the last full build is incomplete")
    return {**head, **rest}


def inputs_digest(settings) -> str:
    """Settings, the portal's and its libraries' code, the whole theme."""
    theme = _files_digest([settings["THEME"]])
    return build_digest(settings, []).hex() + theme.hex()


def content_stamps(settings) -> dict[str, str]:
    """Every file under the content folder, as the build is about to read it."""
    stamps = {}
    root = os.path.join(settings["PATH"], "")
    for folder, subfolders, files in os.walk(root, followlinks=True):
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]
        inside = os.path.join(folder[len(root) :], "") if folder != root else ""
        for name in files:
            stamps[inside + name] = file_stamp(os.path.join(folder, name))
    return stamps


def counts_now(settings):
    """The figures a build would show in the footers now (visitor_counter's snapshot)."""
    from visitor_counter.snapshot import fetch_figures

    options = settings.get("VISITOR_COUNTER") or {}
    source = options.get("snapshot_url") or options.get("endpoint", "")
    return fetch_figures(source, options.get("timeout", 1.0)) if source else None


DAY = 86400  # seconds


def next_publication(contents) -> float | None:
    """When the first scheduled item comes out: from then on a build publishes it. A
    date more than a day before now, in its own zone, is passed over without working out
    its instant: two dates of one zone compare by their fields alone, and no zone's offset
    moves by a day (20600 dates of one zone: 1,25 ms instead of 5,8, warm; sampled in a
    first build at 20000, the old way took some 30 ms once every page was written)."""
    now = time.time()
    cutoffs: dict = {}  # a day before now, in each zone met
    later = []
    for content in contents:
        date = getattr(content, "date", None)
        if not date:
            continue
        zone = date.tzinfo
        if zone is not None:
            cutoff = cutoffs.get(zone)
            if cutoff is None:
                cutoff = cutoffs[zone] = datetime.fromtimestamp(now - DAY, zone)
            if date < cutoff:
                continue
        moment = date.timestamp()
        if moment > now:
            later.append(moment)
    return min(later) if later else None


def save_state(settings, inputs: dict, articles, written: set[str], context, stamps=None) -> None:
    """After a full build run by fast_build.build: what the next one may patch from.
    `stamps`: files' stamps the build took already, by path (the pages' records hold
    one for each page: at 20000 articles, 30000 files not looked at again)."""
    cache = cache_for(settings)
    patchable = {}
    for article in articles:
        source = cache.sources.get(article.source_path)
        if source is not None and article.save_as:
            entry = [article.save_as, source.key, source.header, "/" + article.url]
            patchable[article.source_path] = entry
    known = stamps or {}

    def stamp_of(path: str) -> str | None:
        return known.get(path) or file_stamp(path)

    output = settings["OUTPUT_PATH"]
    inside = os.path.join(output, "")  # + a name: os.path.join's path, without its cost
    theme = os.path.join(output, settings["THEME_STATIC_DIR"])  # copied, not written
    for folder, _, files in os.walk(theme):
        written = written | {os.path.relpath(os.path.join(folder, f), output) for f in files}
    state = {
        **inputs,
        "counts": context.get("visitor_counts"),
        "next_publication": next_publication(context.get("generated_content", {}).values()),
        "articles": patchable,
        "written": {name: stamp_of(inside + name) for name in written},
    }
    write_state(settings, state)


class Refused(Exception):
    """Why a full build is due (said in the log, for whoever wonders)."""


def _replace_once(data: str, old: str, new: str, name: str) -> str:
    if data.count(old) != 1:
        raise Refused(f"{name} does not hold the old body exactly once")
    return data.replace(old, new)


def plan(settings, inputs: dict | None) -> tuple[dict, dict[str, str], list[tuple]]:
    """The edits to make: (state, the new stamps, [(source, new text key, body)...]).
    `inputs`: the digest of settings, code and theme, and the content's stamps, taken
    once for this build (the full build's record keeps the same)."""
    from content_checks.front_matter import check_front_matter  # loaded after this plugin

    if settings.get("PRECOMPRESS") or settings.get("FINGERPRINT_ASSETS"):
        raise Refused("a production build writes more than pages")
    state = load_kept(state_paths(settings)[0])
    if state is None:
        raise Refused("no record of a full build")
    if state["next_publication"] and time.time() >= state["next_publication"]:
        raise Refused("a scheduled item is due")
    if inputs is None:
        raise Refused("the build's inputs could not be described")
    if state["inputs_digest"] != inputs["inputs_digest"]:
        raise Refused("settings, code or theme changed")
    stamps = inputs["content"]
    if stamps.keys() != state["content"].keys():
        raise Refused("files were added or removed")
    changed = [name for name, stamp in stamps.items() if state["content"][name] != stamp]
    if counts_now(settings) != state["counts"]:
        raise Refused("the visitor counts changed")
    state = read_rest(settings, state)
    if not changed:
        output = settings["OUTPUT_PATH"]
        written = state["written"].items()
        if any(file_stamp(os.path.join(output, name)) != stamp for name, stamp in written):
            raise Refused("nothing changed in the content, but files in the output did")
    cache = cache_for(settings)
    edits = []
    for name in changed:
        source = os.path.join(settings["PATH"], name)
        known = state["articles"].get(source)
        if known is None:
            raise Refused(f"{name} is not a published article")
        text = read_source(source)
        if check_front_matter(source, text, settings):
            raise Refused(f"{name} has a front matter problem, which a full build reports")
        converted = cache.get(text)
        if header_key(text) != known[2] or "summary" not in converted["meta"]:
            raise Refused(f"{name}: its front matter changed")
        body = converted["body"]
        if BLOCK in body or "<img" in body or any(link in body for link in LINKS):
            raise Refused(f"{name}: its body has blocks, photos or links made while building")
        edits.append((source, cache.key(text), body))
    return state, stamps, edits


def patch_bodies(settings, inputs: dict | None) -> tuple[int, list[str]]:
    """Patches the pages and feeds of body-only edits; returns how many sources were
    edited and the files changed. Raises Refused when a full build is due."""
    state, stamps, edits = plan(settings, inputs)
    if not edits:
        return 0, []  # nothing changed since the last full build, which wrote all this
    cache = cache_for(settings)
    output = settings["OUTPUT_PATH"]
    files: dict[str, str] = {}  # each file as it will be: read and changed in memory first
    read: dict[str, str] = {}  # as it was

    def current(name: str) -> str:
        if name not in files:
            path = os.path.join(output, name)
            if file_stamp(path) != state["written"].get(name):
                raise Refused(f"{name} is not the file the last build wrote")
            with open(path, encoding="utf-8") as handle:
                files[name] = read[name] = handle.read()
        return files[name]

    feeds = [name for name in state["written"] if name.endswith(".xml")]
    for source, key, body in edits:
        save_as, old_key, header, url = state["articles"][source]
        old = cache.body(old_key, source)
        files[save_as] = _replace_once(current(save_as), old, body, save_as)
        for feed in feeds:
            text = current(feed)
            if escape(old) in text:
                files[feed] = _replace_once(text, escape(old), escape(body), feed)
            elif url in text:  # it lists the article, but not with the body as expected
                raise Refused(f"{feed} carries {url} in another form")
        state["articles"][source] = [save_as, key, header, url]
    forget_state(settings)  # a write that fails halfway leaves no record behind
    changed = sorted(name for name in files if files[name] is not read[name])
    for name in changed:
        path = os.path.join(output, name)
        write_if_changed(path, files[name])
        state["written"][name] = file_stamp(path)
    state["content"] = stamps
    write_state(settings, state)
    return len(edits), changed
