"""A folder of Markdown items read like pages, checked, and given their own URLs."""

import logging
import os

from content_checks import ContentError, Problem, problem_log, read_header
from pelican.contents import Page
from pelican.generators import CachingGenerator

log = logging.getLogger(__name__)


def field_line(source_path: str, name: str) -> int:
    """The line of a front-matter field, for messages; 1 when it is absent."""
    try:
        with open(source_path, encoding="utf-8-sig") as handle:
            header = read_header(handle.read(16384))
    except (OSError, UnicodeDecodeError):  # a file that is no UTF-8 is reported as such
        return 1
    return next((line for line, key, _ in header if key == name), 1)


class CollectionGenerator(CachingGenerator):
    """Subclasses name their folder and URL settings and add their own checks.

    A caching generator, as Pelican's articles and pages: a build that keeps what it
    read (fast_build) takes an unchanged item back instead of reading it again."""

    paths_setting = ""
    url_setting = ""
    default_url = ""

    def generate_context(self):
        self.items = []
        problems = problem_log(self.settings)
        for path in self.get_files(self.settings.get(self.paths_setting, [])):
            item = self.get_cached_data(path, None)
            if item is None:
                try:
                    item = self.read_item(self.readers, self.path, path, self.context)
                except ContentError:
                    continue  # its problems are in the log already
                self.cache_data(path, item)
            else:
                self.placed(item, self.settings)
            if item.status == "draft":
                continue
            self.items.append(item)
        self.save_cache()
        self.registry = self.unit_registry()
        problems.extend(self.check(self.items))
        self.prepare()

    @classmethod
    def read_item(cls, readers, base_path: str, path: str, context):
        """One item, read and placed (before it is kept: its address is kept with it).
        A class's own: fast_build reads the items ahead, with the articles, before the
        generator is made (register)."""
        item = readers.read_file(
            base_path=base_path, path=path, content_class=Page, context=context
        )
        cls.placed(item, readers.settings)
        return item

    @classmethod
    def placed(cls, item, settings) -> None:
        url = settings.get(cls.url_setting, cls.default_url).format(slug=item.slug)
        item.override_url = url
        item.override_save_as = os.path.join(url, "index.html")

    def unit_registry(self):
        data = self.context.get("unit_data")
        return data.registry if data is not None and not data.problems else None

    def check_agency(self, item, required: bool) -> list[Problem]:
        code = getattr(item, "agency", None)
        if not code:
            return []
        line = field_line(item.source_path, "agency")
        if self.registry is None:
            return [
                Problem(
                    item.source_path, line, "chưa có danh mục đơn vị để tra mã Agency", "don-vi-la"
                )
            ]
        if code not in self.registry:
            return [
                Problem(
                    item.source_path,
                    line,
                    f"Agency: không có đơn vị mã '{code}' trong "
                    "danh mục (content/data/don-vi.yaml)",
                    "don-vi-la",
                )
            ]
        item.agency_unit = self.registry[code]
        return []

    def check(self, items) -> list[Problem]:
        return []

    def prepare(self) -> None:
        pass

    def write(self, writer, save_as: str, template: str, url: str, **values) -> None:
        writer.write_file(
            save_as,
            self.get_template(template),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=url,
            **values,
        )
