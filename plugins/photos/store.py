"""Photo versions kept under CACHE_PATH: an unchanged photo is never encoded again.

A photo's key is a digest of its bytes and the options, so a changed photo gets new file
names (published once, cached by browsers for good) and nothing stale is ever served.
"""

import fcntl
import functools
import hashlib
import json
import logging
import os
import shutil
from dataclasses import asdict
from pathlib import Path

import PIL
from fast_build.reading import ReadLater, consulted, may_read_later

from .encoding import KINDS
from .sources import photo_problem
from .versions import Options, make_versions

STEP = 1 << 20
logger = logging.getLogger(__name__)


def photo_key(path: str, options: Options) -> str:
    digest = hashlib.blake2b(digest_size=12)
    # the encoders' options too: versions made with other ones are other bytes
    digest.update(json.dumps([asdict(options), PIL.__version__, KINDS]).encode())
    with open(path, "rb") as handle:
        while chunk := handle.read(STEP):
            digest.update(chunk)
    return digest.hexdigest()


def folder_of(settings, key: str) -> Path:
    return Path(settings["CACHE_PATH"]) / "photos" / key


def describe(path: str, settings) -> dict:
    """The photo's description, its versions made and kept if no build made them yet."""
    found = os.stat(path)
    options = Options.of(settings)
    return _describe(
        os.path.abspath(path),
        found.st_mtime_ns,
        found.st_size,
        options,
        _resolved(settings["CACHE_PATH"]),
    )


@functools.lru_cache(maxsize=16)
def _resolved(folder: str) -> str:
    """Worked out once: every article with a photo asks (a system call per part of the
    path, 0,3 s of a first build at 20000 articles)."""
    return str(Path(folder).resolve())


def published_photo(path: str, settings) -> dict | None:
    """The versions of a photo a page shows, or None when it cannot be published: missing
    or faulty (content_checks reports it with file and line), or its versions could not
    be made (said here; the page shows no photo, the build goes on)."""
    consulted(path)  # an article kept from an earlier build is read again if it changes
    if not os.path.isfile(path) or photo_problem(path, settings):
        return None
    try:
        return describe(path, settings)
    except (OSError, ValueError) as error:
        logger.error("%s: không làm được các bản thu nhỏ của ảnh (%s)", path, error)
        return None


@functools.lru_cache(maxsize=1024)
def _describe(path: str, _mtime: int, _size: int, options: Options, cache: str) -> dict:
    key = photo_key(path, options)
    folder = Path(cache) / "photos" / key
    folder.parent.mkdir(parents=True, exist_ok=True)
    # both build processes may meet a photo at once: the second reads other sources
    # meanwhile when it reads ahead (ReadLater), or waits; then it reads what was made
    lock_path = folder.with_name(f"{key}.lock")
    with open(lock_path, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | (fcntl.LOCK_NB if may_read_later() else 0))
        except BlockingIOError:
            raise ReadLater(_unlocked(str(lock_path))) from None
        return _kept_or_made(path, key, folder, options)


@functools.lru_cache(maxsize=64)
def _unlocked(lock_path: str):
    """Whether no process makes the photo of this lock now: one question for every
    source put off for it."""

    def ready() -> bool:
        with open(lock_path, "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True  # closing the file lets the lock go

    return ready


def _kept_or_made(path: str, key: str, folder: Path, options: Options) -> dict:
    try:
        return json.loads((folder / "photo.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    description, files = make_versions(path, key, options)
    scratch = folder.with_name(f"{key}.{os.getpid()}.tmp")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    for url, data in files.items():
        (scratch / os.path.basename(url)).write_bytes(data)
    (scratch / "photo.json").write_text(json.dumps(description), encoding="utf-8")
    try:
        os.rename(scratch, folder)
    except OSError:  # another worker kept the same photo first
        shutil.rmtree(scratch, ignore_errors=True)
    return description


def version_bytes(settings, description: dict, url: str) -> bytes:
    """A version's bytes; made again when the cache lost them (cache cleared, photo kept
    in an article the read cache still holds)."""
    try:
        return (folder_of(settings, description["key"]) / os.path.basename(url)).read_bytes()
    except FileNotFoundError:
        _describe.cache_clear()
        shutil.rmtree(folder_of(settings, description["key"]), ignore_errors=True)
        describe(description["source"], settings)
        return (folder_of(settings, description["key"]) / os.path.basename(url)).read_bytes()
