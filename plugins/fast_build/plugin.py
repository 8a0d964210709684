"""Signal wiring for fast_build: the writer, the Markdown prefetch, the final flush."""

import logging
import os
import time
from collections.abc import Iterable

from pelican import signals
from pelican.generators import ArticlesGenerator, CachingGenerator, Generator, StaticGenerator
from pelican.readers import MarkdownReader

from .archives import index_memberships, linear_period_archives
from .body_patch import forget_state, save_state
from .codegen import install_code_generator
from .compiled import keep_compiled
from .dates import quick_strftime
from .filters import install_filters
from .fingerprints import Digests, build_digest
from .folders import made_ahead, make_folders, stop
from .fragments import install_remember
from .frozen import freeze, remember_relative_paths
from .markdown_cache import cache_for, convert, read_source
from .parallel import Shared, Started, WorkerFailed, keep_alive, let_go, run_shared, workers_for
from .paths import absolute
from .reading import (
    article_sources,
    articles_to_read,
    companion_jobs,
    keep_reads,
    no_stamps_without_cache,
    no_walk_for_no_extensions,
    read_ahead,
)
from .slugs import remember_slugs, transliterate_once
from .stale import remove_stale, save_manifest
from .template_imports import install_template_class
from .traces import content_index, save_records
from .writer import FastWriter

logger = logging.getLogger(__name__)


def markdown_sources(settings) -> list[str]:
    """Every Markdown file under PATH that Pelican's readers may be asked for."""
    extensions = tuple("." + ext for ext in MarkdownReader.file_extensions)
    found = []
    for folder, subfolders, files in os.walk(settings["PATH"], followlinks=True):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        found += [os.path.join(folder, f) for f in sorted(files) if f.endswith(extensions)]
    return found


def convert_share(paths: Iterable[str], settings) -> None:
    cache = cache_for(settings)
    batch = []
    for path in paths:
        text = read_source(path)
        batch.append((cache.key(text), convert(text, settings)))
        if len(batch) == 200:
            cache.store(batch)
            batch = []
    cache.store(batch)


def stamps_taken(settings) -> dict[str, str] | None:
    """The content files' stamps fast_build.build took as the build began, by absolute
    path (None when it did not take them, or for another content folder)."""
    stamps = cli_inputs.get("content")
    if stamps is None or cli_inputs.get("root") != settings["PATH"]:
        return None
    return dict(zip(absolute(settings["PATH"], stamps), stamps.values(), strict=True))


def note_sources(settings, later=frozenset()) -> None:
    """Each Markdown source's text key, before anything is read; the keys of `later`
    (absolute paths of articles no earlier build kept) are noted as they are read. The
    stamps `make html` took as it began serve, not a walk of the content folder again
    (50 ms at 20000 articles)."""
    if settings.get("FAST_BUILD", {}).get("markdown_cache", True):
        cache = cache_for(settings)
        stamps = stamps_taken(settings)
        if stamps is None:
            cache.current = cache.keys_of(markdown_sources(settings), later)
        else:
            extensions = tuple("." + ext for ext in MarkdownReader.file_extensions)
            sources = [path for path in stamps if path.endswith(extensions)]
            cache.current = cache.keys_of(sources, later, stamps)


def prefetch_markdown(settings, read_later=frozenset()) -> int:
    """Convert, on every core, the texts no earlier build converted; returns how many.
    Sources in `read_later` (absolute paths) are left to the reading on every core that
    comes next, which converts them as it reads them: each file read once, not twice."""
    if not settings.get("FAST_BUILD", {}).get("markdown_cache", True):
        return 0
    cache = cache_for(settings)
    keyed = {}
    for path, key in cache.current.items():
        if path not in read_later:
            keyed.setdefault(key, path)
    missing_keys = cache.missing(keyed)
    missing = sorted(keyed[key] for key in missing_keys)
    workers = workers_for(settings, len(missing))
    run_shared(missing, lambda share: convert_share(share, settings), workers)
    # looked up when read, even by a build that began with no conversion kept: the
    # questions and procedures of a first build were converted again by their readers
    cache.converted |= missing_keys
    if not cache.later:  # else some keys are not known yet: forgotten at the next build
        cache.forget_all_but(set(cache.current.values()))
    return len(missing)


def resolve_attachments(contents) -> None:
    """An {attach} link moves a photo when its page is rendered: do it here, in the
    process that copies static files, not in a worker."""
    for content in contents:
        content.content  # noqa: B018 - the link replacement is the point


def empty(folder: str) -> bool:
    """Whether the folder holds nothing (or is not there): a site made from nothing.
    Asked as the build's generators are made, before anything is written to it."""
    try:
        with os.scandir(folder) as entries:
            return next(entries, None) is None
    except FileNotFoundError:
        return True
    except OSError:  # not a folder, not readable: pages are put in place as usual
        return False


class FlushGenerator(Generator):
    """Comes after the generators that write pages: renders what they noted."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stopped = _runs.get(self.output_path, {})
        if stopped.get("digests") is not None:  # a build that stopped before its pages
            stopped["digests"].discard()  # were rendered
        stop(stopped.get("folders"))
        stop(stopped.get("listing_folders"))
        # what the articles' generator found and started, if there is one (it comes first)
        begun = _begun.pop(self.output_path, None) or {"new": empty(self.output_path)}
        _runs[self.output_path] = {"started": time.time(), **begun}

    def generate_output(self, writer):
        run = _runs[self.output_path]

        def stop_making_folders() -> None:  # the pages make what they did not reach
            stop(run.pop("folders", None))
            stop(run.pop("listing_folders", None))

        digests = run.pop("digests", None)
        if not isinstance(writer, FastWriter):
            stop_making_folders()
            if digests is not None:
                digests.discard()
            return
        resolve_attachments(run.get("attaching", []))
        # made once the content was final (on_all_generators_finalized), for the digests too
        try:
            writer.flush(
                index=run["index"],
                digests=digests,
                new_site=run["new"],
                before_rendering=stop_making_folders,
            )
        finally:  # a flush that failed before rendering
            stop_making_folders()
        _runs[self.output_path].update(writer=writer, context=self.context)


_runs: dict[str, dict] = {}  # this build's writer and start, by output folder
# by output folder, before FlushGenerator makes the build's run: whether the folder was
# empty as the build began ("new"), and the process making its folders ("folders")
_begun: dict[str, dict] = {}
last_build: dict[str, dict] = {}  # the finished build's generators, for the dev server
cli_inputs: dict = {}  # set by fast_build.build: what this build read, for body_patch
NO_RECORD = "fast_build: this build leaves no record to patch from (%s)"  # inputs unknown
_inputs_beside: list[Started] = []  # the worker describing them, while the build starts


def describe_inputs_beside(worker: Started) -> None:
    """A first build has no record to patch from, so fast_build.build need not describe
    its inputs before Pelican starts: a forked worker does (build_inputs), on the core
    the start leaves idle, and the first generator waits for it, before anything is
    read. At 20000 articles that took 0,06-0,09 s of the start, one core at work; now
    the build waits for none of it."""
    _inputs_beside.append(worker)


def _inputs_described() -> None:
    while _inputs_beside:
        try:
            cli_inputs.update(_inputs_beside.pop().result() or {})
        except WorkerFailed as error:  # as build_inputs failing: no record left to patch
            logger.info(NO_RECORD, error)


def on_finalized(pelican):
    """Remove what deleted or renamed sources left, then note what the build wrote."""
    run = _runs.pop(pelican.output_path, {})
    last_build.clear()  # one build's content kept, never a pile of them
    last_build[pelican.output_path] = run
    try:
        note_output(pelican, run)
    finally:
        # Last: the dev server's next build must be able to free this one. Let go
        # before the notes, the whole build was scanned by a collection while they were
        # made (0,4 s of an addition at 20000 articles, under a profiler).
        let_go()


def note_output(pelican, run: dict) -> None:
    writer = run.get("writer")
    if writer is None:
        return
    statics = run["context"].get("static_content", {}).values()
    kept = writer.written() | {static.save_as for static in statics}
    removed = remove_stale(pelican.settings, kept, run["started"])
    save_manifest(pelican.settings, kept)
    if writer.records is not None:
        save_records(pelican.settings, writer.records, writer.contents)
    if writer.parts is not None:
        writer.parts.save()
    if cli_inputs:
        generators = [g for g in run["generators"] if isinstance(g, ArticlesGenerator)]
        articles = [a for g in generators for a in g.articles]
        stamps = writer.records.stamps() if writer.records is not None else {}
        save_state(pelican.settings, dict(cli_inputs), articles, kept, run["context"], stamps)
        cli_inputs.clear()
    logger.info(
        "fast_build: %d files changed, %d unchanged (%d pages not rendered again: their "
        "inputs had not changed), %d left over removed",
        writer.changed,
        writer.unchanged,
        writer.skipped,
        len(removed),
    )


def provide_writer(pelican):
    return FastWriter


def on_generator_init(generator):
    if not isinstance(generator, ArticlesGenerator):  # which waits as late as it may
        _inputs_described()
    keep_alive()  # from the build's first generator on (see parallel.keep_alive)
    settings = generator.settings
    # Each build makes its environments anew, and no template changes during a build:
    # Jinja need not look at each template file's time at every include (30000 pages
    # include four or five templates each).
    generator.env.auto_reload = False
    install_code_generator(generator.env)  # before keep_compiled, which names it
    keep_compiled(generator.env, settings)
    install_template_class(generator.env)
    install_filters(generator.env)
    install_remember(generator.env)
    if hasattr(generator, "readers"):
        no_stamps_without_cache(generator.readers)
        no_walk_for_no_extensions(generator)
    reads = settings.get("FAST_BUILD", {}).get("read_cache", True)
    if isinstance(generator, ArticlesGenerator):  # the first one: before anything is read
        output = generator.output_path
        stop(_begun.pop(output, {}).get("folders"))  # a build that stopped before rendering
        begun = _begun[output] = {"new": empty(output)}  # before anything is written to it
        forget_state(settings)  # until this build ends, no record describes the output
        build = build_digest(settings, []).hex()
        kept = keep_reads(generator, build) if reads else None
        articles = article_sources(generator)
        unkept = [path for path in articles if kept is not None and path not in kept.kept]
        _inputs_described()  # before the first source is read (note_sources)
        note_sources(settings, set(absolute(generator.path, unkept)))
        ahead = articles_to_read(generator, kept, articles) if kept else []
        companions = companion_jobs(generator, build) if ahead else []
        if kept:
            kept.expect(articles)
        read_later = set(absolute(generator.path, [*ahead, *(job[2] for job in companions)]))
        if not ahead:  # none is read ahead: the keys left to that reading are read now
            cache_for(settings).keys_now()
        converted = prefetch_markdown(settings, read_later)
        logger.info("fast_build: %d Markdown texts converted anew", converted)
        generator._build_period_archives = linear_period_archives(generator._build_period_archives)
        if ahead:

            def make_folders() -> None:
                # their folders made while this process sorts and notes; not where
                # Pelican is about to empty the output folder (DELETE_OUTPUT_DIRECTORY),
                # which would race with the making. A folder of an article taken in
                # after this is made by its page.
                if begun["new"] and not settings.get("DELETE_OUTPUT_DIRECTORY"):
                    begun["folders"] = made_ahead(output, kept.fresh.values())

            read_ahead(generator, kept, ahead, companions, when_read=make_folders)
            logger.info(
                "fast_build: %d articles and %d other sources read ahead on every core",
                len(ahead),
                len(companions),
            )
        if kept:
            kept.fetch_beside()
    elif reads and isinstance(generator, CachingGenerator):  # pages, plugins' collections
        keep_reads(generator, build_digest(settings, []).hex())


def on_articles_read(generator):
    index_memberships(generator)


def on_article_pages_noted(generator, writer):
    """In a new site, the folders of the listings' pages, now noted, are made while the
    build gets them ready to render (folders.py)."""
    run = _runs.get(generator.output_path)
    if run is None or not run["new"] or not isinstance(writer, FastWriter):
        return
    stop(run.pop("listing_folders", None))  # the articles' generator runs once a build
    listings = [path for path, page in writer.pending if page.listing]
    run["listing_folders"] = make_folders(generator.output_path, listings)


def flush_after_pages(generators: list) -> None:
    """The flush goes after every generator that writes pages (plugins' generators come
    in no set order) and before the static files are copied. Pelican runs the outputs
    from this very list."""
    flushes = [g for g in generators if isinstance(g, FlushGenerator)]
    rest = [g for g in generators if not isinstance(g, FlushGenerator)]
    statics = [i for i, g in enumerate(rest) if isinstance(g, StaticGenerator)]
    at = statics[0] if statics else len(rest)
    generators[:] = rest[:at] + flushes + rest[at:]


def on_all_generators_finalized(generators):
    """Content is final once every generator has read it: urls are worked out once."""
    flush_after_pages(generators)
    first = generators[0]
    attaching = freeze(first.context, first.settings)
    # Everything read so far lives until the build ends: the collector need not scan it
    # again at each collection while pages are rendered (on 20000 articles, seconds).
    keep_alive()
    run = _runs.setdefault(first.output_path, {})
    run.update(generators=generators, settings=first.settings, attaching=attaching)
    run["index"] = index = content_index(first.context, generators)
    run["digests"] = digests_meanwhile(first.settings, index, attaching)


def digests_meanwhile(settings, index: dict, attaching: list) -> Shared | None:
    """The content digests (fingerprints.py), begun by a worker of their own while this
    process has Pelican note the pages, and finished by both (Shared): the content is
    final once every generator has read it. The worker first resolves the {attach}
    links, as the flush does here before it takes its share."""
    options = settings.get("FAST_BUILD", {})
    if not options.get("skip_unchanged", True) or workers_for(settings, len(index)) < 2:
        return None

    def prepare() -> None:
        logging.disable(logging.CRITICAL)  # what it finds is said by this process
        resolve_attachments(attaching)

    def work(names) -> list:
        return Digests(settings).described({name: index[name] for name in names})

    return Shared(list(index), work, prepare)


def get_generators(pelican):
    return FlushGenerator


def register():
    remember_slugs()
    transliterate_once()
    remember_relative_paths()
    quick_strftime()
    signals.get_writer.connect(provide_writer)
    signals.generator_init.connect(on_generator_init)
    signals.article_generator_finalized.connect(on_articles_read)
    signals.article_writer_finalized.connect(on_article_pages_noted)
    signals.get_generators.connect(get_generators)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.finalized.connect(on_finalized)
