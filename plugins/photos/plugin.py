"""Signal wiring for photos: each article's or page's `Image:` and the photos in its body
get their versions at read time (on every core, with the reading), a filter swaps the
body's <img> for them, and a generator publishes their files."""

import logging
import os

from fast_build.writer import note_output, write_output
from pelican import signals
from pelican.contents import Article, Page
from pelican.generators import Generator

from .body import body_photos, srcset, with_versions
from .sources import photo_path
from .store import published_photo, version_bytes

logger = logging.getLogger(__name__)


def attach_photo(content) -> None:
    """content.photo: the versions' description, or None."""
    image = getattr(content, "image", None)
    content.photo = None
    if not image:
        return
    content.photo = published_photo(
        photo_path(image, content.source_path, content.settings), content.settings
    )


def on_content(content):
    if isinstance(content, (Article, Page)):
        attach_photo(content)
        content.body_photos = body_photos(
            content._content or "", content.source_path, content.settings
        )


def photos_of(context) -> dict[str, dict]:
    """Every published photo once, by key, for as many articles as show it: drafts' too
    where drafts are written (the dev server's preview), never in production."""
    found = {}
    names = ("articles", "hidden_articles", "drafts", "pages", "hidden_pages", "draft_pages")
    for name in names:
        for content in context.get(name, []):
            for item in (content, *getattr(content, "translations", [])):
                if not getattr(item, "save_as", ""):
                    continue  # not written in this build: its photos are not either
                photo = getattr(item, "photo", None)
                if photo:
                    found[photo["key"]] = photo
                for photo in getattr(item, "body_photos", {}).values():
                    found[photo["key"]] = photo
    return found


class PhotoFiles(Generator):
    """Writes each photo's versions and original to the output, once: file names carry
    the photo's digest, so a file of the right size is the right file."""

    def generate_context(self):
        pass

    def generate_output(self, writer):
        for photo in photos_of(self.context).values():
            for url, size in photo["files"].items():
                target = os.path.join(self.output_path, url)
                if _size(target) == size:
                    note_output(writer, target)
                    continue
                try:
                    data = version_bytes(self.settings, photo, url)
                except OSError as error:
                    logger.error("ảnh %s: không tạo được %s (%s)", photo["source"], url, error)
                    continue
                write_output(writer, target, data)


def _size(path: str) -> int | None:
    try:
        return os.path.getsize(path)
    except OSError:
        return None


def add_generator(pelican):
    return PhotoFiles


def add_filter(generator):
    generator.env.filters["with_photo_versions"] = with_versions
    generator.env.filters["srcset"] = srcset


def register():
    signals.content_object_init.connect(on_content)
    signals.generator_init.connect(add_filter)
    signals.get_generators.connect(add_generator)
