"""Signal wiring for content_checks."""

from pelican import signals
from pelican.readers import MarkdownReader

from .duplicates import all_content, drop_duplicates, find_duplicate_urls
from .problems import ContentError, hide_editor_tracebacks, problem_log, start_run
from .reader import CheckedMarkdownReader


def prepare(pelican):
    hide_editor_tracebacks()


def reset_problems(pelican):
    start_run(pelican.settings)


def use_checked_reader(readers):
    for extension in MarkdownReader.file_extensions:
        readers.reader_classes[extension] = CheckedMarkdownReader


def stop_on_problems(generators):
    """Runs after reading and before writing: a bad tree publishes nothing."""
    settings = generators[0].settings
    problems = problem_log(settings)
    duplicates = find_duplicate_urls(all_content(generators))
    problems.extend(duplicates)
    if not problems:
        return
    if not settings.get("CHECK_COLLECT_ONLY"):
        raise ContentError(problems)
    if duplicates:
        drop_duplicates(generators)


def register():
    signals.initialized.connect(prepare)
    signals.get_generators.connect(reset_problems)
    signals.readers_init.connect(use_checked_reader)
    signals.all_generators_finalized.connect(stop_on_problems)
