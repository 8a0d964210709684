"""Compiled templates kept in CACHE_PATH, shared by every environment of every build.

Pelican makes one Jinja environment per generator, and each compiled base.html and its
partials again, in each process that rendered: 0,2-0,5 s of every build at 20000
articles. Jinja's bytecode cache checks each template's source before it takes a compiled
one, so an edited template is compiled again. Its key names the template only: the
environment's syntax options, which change the compiled code, go into the file names.
"""

import hashlib
import os

from jinja2 import Environment, FileSystemBytecodeCache

# What Jinja's compiler reads from an environment (Environment.__init__'s arguments that
# shape the code; filters, globals and the context class are looked up when rendering)
_COMPILER_OPTIONS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "autoescape",
    "is_async",
    "code_generator_class",
)


def options_key(environment: Environment) -> str | None:
    """A digest of the options that shape an environment's compiled code; None when one
    is no plain value (a function deciding autoescape, say): then nothing is kept."""
    described = []
    for name in _COMPILER_OPTIONS:
        value = getattr(environment, name)
        if isinstance(value, type):
            value = f"{value.__module__}.{value.__qualname__}"
        elif not isinstance(value, (str, bool, int, type(None))):
            return None
        described.append(f"{name}={value!r}")
    described += sorted(
        f"{type(ext).__module__}.{type(ext).__qualname__}"
        for ext in environment.extensions.values()
    )
    return hashlib.blake2b("\n".join(described).encode(), digest_size=8).hexdigest()


def keep_compiled(environment: Environment, settings) -> None:
    key = options_key(environment)
    if key is None:
        return
    folder = os.path.join(settings["CACHE_PATH"], "templates")
    os.makedirs(folder, exist_ok=True)
    environment.bytecode_cache = FileSystemBytecodeCache(folder, f"{key}-%s.cache")
