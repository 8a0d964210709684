"""`make html`: Pelican's command line, trying the body-only patch first (body_patch).

    python -m fast_build.build content -o output -s pelicanconf.py [Pelican's options]

When the patch does not apply, Pelican builds as `pelican` would, and the build leaves
the record the next patch starts from.
"""

import logging
import os
import sys
import time

import pelican
from pelican import DEFAULT_CONFIG_NAME, LOG_HANDLERS, get_config, parse_arguments
from pelican.log import init as init_logging
from pelican.readers import MarkdownReader
from pelican.settings import read_settings

from . import plugin
from .body_patch import (
    Refused,
    content_stamps,
    forget_state,
    inputs_digest,
    patch_bodies,
    state_paths,
)
from .parallel import Started

logger = logging.getLogger(__name__)


def log_handler(name: str) -> logging.Handler | None:
    """Pelican's handler by its option's name. Its `plain` is no handler at all: messages
    then reach only logging.lastResort, which prints warnings and errors, never the lines
    `--verbose` asks for (why `make html` built in full, say)."""
    return LOG_HANDLERS[name] or logging.StreamHandler()


def cli_settings(args):
    """The settings as the build's Markdown reader sees them (it adds its extensions)."""
    default = DEFAULT_CONFIG_NAME if os.path.isfile(DEFAULT_CONFIG_NAME) else None
    settings = read_settings(args.settings or default, override=get_config(args))
    MarkdownReader(settings)
    return settings


def build_inputs(settings) -> dict | None:
    """What the build starts from, described before anything is read (a file saved during
    the build then differs next time): None when it cannot be, and then the build leaves
    no record and the next one is full."""
    try:
        return {
            "inputs_digest": inputs_digest(settings),
            "content": content_stamps(settings),
            "root": settings["PATH"],  # what the stamps' names are relative to
        }
    except Exception as error:  # noqa: BLE001
        logger.info(plugin.NO_RECORD, repr(error))
        return None


def try_patch(settings, inputs: dict | None) -> bool:
    started = time.perf_counter()
    try:
        edited, changed = patch_bodies(settings, inputs)
    except Refused as why:
        logger.info("fast_build: full build (%s)", why)
        return False
    except Exception as error:  # noqa: BLE001 - the full build that follows is always right
        logger.info("fast_build: full build (the patch stopped: %r)", error)
        return False
    took = time.perf_counter() - started
    if not edited:
        print(f"Không có gì thay đổi từ lần dựng trước ({took:.2f} giây).", flush=True)
        return True
    names = ", ".join(changed) or "không tệp nào"
    print(f"Đã sửa thân bài: ghi lại {names} trong {took:.2f} giây.", flush=True)
    from search_index import index_for  # loaded after this plugin

    index_for(settings)
    return True


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_arguments(argv)
    if not (args.autoreload or args.listen):
        init_logging(level=args.verbosity, fatal=args.fatal, handler=log_handler(args.log_handler))
        settings = cli_settings(args)
        if state_paths(settings)[0].exists():
            inputs = build_inputs(settings)
        else:  # no record to patch from: described beside the build's start (plugin)
            inputs = None
            plugin.describe_inputs_beside(Started(lambda: build_inputs(settings)))
        if try_patch(settings, inputs):
            return
        forget_state(settings)
        plugin.cli_inputs.update(inputs or {})
    pelican.main(argv)  # raises SystemExit when the build failed


def quit_now() -> None:
    """After a build that succeeded: everything is written and closed, so the process
    ends without freeing its objects one by one (seconds on a large site). Exit code 0,
    as Python would give."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
    quit_now()
